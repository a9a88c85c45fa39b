"""After the notice: the reports (Zwischen- and Verwendungsnachweis) and the withdrawal."""

from __future__ import annotations

from sqlalchemy import update

from models.antrag_docs import nachweis_context
from models.application import OPEN_STAGES, Stage
from models.application_inputs import (
    ReportInput,
    ReportKind,
    WithdrawalInput,
)
from models.deadlines import (
    format_date_de,
)
from models.errors import InputError
from models.financing import plan_for
from models.money import SplitKey
from models.steps import DocumentPlan
from models.tables import Deadline
from tasks.application_step import ApplicationStep, application_step
from tasks.applications import require_stage, to_view
from tasks.award import close_open_deadlines
from tasks.common import step_task
from tasks.mail import queue_mail
from tasks.steps import StepOutcome, render_document


@application_step("antrag-nachweis")
def record_report(step: ApplicationStep, data: ReportInput) -> StepOutcome:
    session, settings, app, view, today, _ = step.parts
    final = data.kind == ReportKind.VERWENDUNGSNACHWEIS
    if (data.submitted_on is not None and final) or Stage(app.stage) != Stage.BERICHTSPFLICHT:
        require_stage(app, Stage.BERICHTSPFLICHT, target=Stage.ABGESCHLOSSEN)
    assert view.period_start is not None and view.period_end is not None
    year = data.year
    if not final:
        assert year is not None
        if not view.period_start.year <= year < view.period_end.year:
            raise InputError(
                f"Ein Zwischennachweis ist für die Jahre {view.period_start.year} bis "
                f"{view.period_end.year - 1} vorgesehen, nicht für {year}."
            )
    if data.submitted_on is not None and data.submitted_on > today:
        raise InputError("Das Einreichungsdatum darf nicht in der Zukunft liegen.")
    plan = plan_for(view, view.confirmed, SplitKey(view.split_key or "gleich"), view.granted_cents)
    subject = "final" if final else str(year)
    label = "Verwendungsnachweis" if final else f"Zwischennachweis {year}"
    doc = render_document(
        session,
        settings,
        view.reference,
        DocumentPlan(
            name=data.kind.value,
            template="nachweis.docx",
            kind=data.kind.value,
            subject=subject,
            version=1,
            title=f"{label} {view.reference} (Entwurf)",
            context=nachweis_context(view, data.kind.value, year, plan, today),
        ),
    )
    key = data.kind.value + ("" if final else f":{year}")  # of the deadline and the mails
    facts = [f"Nachweis: {label}"]
    outbox: list[int] = []
    if data.submitted_on is None:
        mail = step.mail(
            f"{key}:entwurf",
            subject=f"{view.reference}: Entwurf {label}",
            intro=f"im Anhang der Entwurf für den {label} mit Sachbericht-Gliederung und "
            "zahlenmäßigem Nachweis („laut Bescheid“ gegenüber „laut Abrechnung“).",
            facts=facts,
            documents=[doc],
            entered_by=data.entered_by,
            next_step="Nach der Einreichung „antrag-nachweis“ mit Einreichungsdatum starten.",
        )
        outbox.append(queue_mail(session, mail))
        return step.outcome(
            f"Entwurf {label} erstellt",
            documents=[doc],
            outbox_ids=outbox,
            next_step="Ausfüllen, einreichen, dann mit Einreichungsdatum erfassen.",
        )
    session.execute(
        update(Deadline)
        .where(Deadline.key == f"{view.reference}:{key}", Deadline.status == "offen")
        .values(status="erledigt", done_on=data.submitted_on, done_by=data.entered_by)
    )
    if final:
        close_open_deadlines(session, view.reference, None, "verzichtet", today, data.entered_by)
        step.move(
            Stage.ABGESCHLOSSEN,
            actor=data.entered_by,
            reason=f"Verwendungsnachweis eingereicht am {format_date_de(data.submitted_on)}",
        )
    else:
        step.audit(
            "Zwischennachweis eingereicht",
            data.entered_by,
            f"{label} eingereicht am {format_date_de(data.submitted_on)}",
        )
    view = to_view(app)
    facts.append(f"Eingereicht am: {format_date_de(data.submitted_on)}")
    mail = step.mail(
        f"{key}:eingereicht",
        subject=f"{view.reference}: {label} eingereicht"
        + (" – Antrag abgeschlossen" if final else ""),
        intro=f"der {label} ist als eingereicht erfasst."
        + (" Damit ist das Förderverfahren abgeschlossen." if final else ""),
        facts=facts,
        documents=[],
        entered_by=data.entered_by,
    )
    outbox.append(queue_mail(session, mail))
    return step.outcome(
        f"{label} eingereicht" + (" – Antrag abgeschlossen" if final else ""),
        documents=[doc],
        outbox_ids=outbox,
    )


@application_step("antrag-zurueckziehen")
def withdraw(step: ApplicationStep, data: WithdrawalInput) -> StepOutcome:
    session, _, app, view, today, _ = step.parts
    if Stage(app.stage) not in OPEN_STAGES:
        require_stage(app, *OPEN_STAGES, target=Stage.ZURUECKGEZOGEN)
    step.move(
        Stage.ZURUECKGEZOGEN,
        actor=data.entered_by,
        reason=data.reason,
    )
    app.closing_note = data.reason
    waived = close_open_deadlines(
        session, view.reference, None, "verzichtet", today, data.entered_by
    )
    view = to_view(app)
    mail = step.mail(
        "zurueckgezogen",
        subject=f"{view.reference}: Antrag zurückgezogen",
        intro=f"der Antrag wurde zurückgezogen. Begründung: {data.reason}",
        facts=[f"Aufgehobene Fristen: {waived}"],
        documents=[],
        entered_by=data.entered_by,
        cc=[p.body.email for p in view.partners],
    )
    return step.outcome(
        "Antrag zurückgezogen",
        outbox_ids=[queue_mail(session, mail)],
        facts=[("Begründung", data.reason), ("Aufgehobene Fristen", str(waived))],
    )


record_report_task = step_task("nachweis-bearbeiten", record_report)


withdraw_task = step_task("antrag-zurueckziehen", withdraw)
