"""Submission, notice (Bescheid), reports (Nachweise) and withdrawal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.antrag_docs import finanzierungsplan_context
from models.application import Stage
from models.application_inputs import (
    NoticeInput,
    NoticeOutcome,
    SubmissionInput,
)
from models.deadline_types import DeadlineKind
from models.deadlines import (
    DeadlineResult,
    final_report_date,
    fixed_date,
    format_date_de,
    format_day_de,
    interim_report_dates,
)
from models.errors import InputError
from models.financing import plan_for
from models.money import SplitKey, euro_to_cents, format_eur
from models.steps import DocumentPlan
from models.tables import Deadline, Document
from tasks.application_step import ApplicationStep, application_step
from tasks.applications import (
    application_deadline,
    require_stage,
    to_view,
)
from tasks.common import step_task
from tasks.deadlines import ensure_deadline
from tasks.mail import queue_mail
from tasks.steps import StepOutcome, render_document


def close_open_deadlines(
    session: Session,
    reference: str,
    kinds: list[DeadlineKind] | None,
    status: str,
    today: dt.date,
    by: str,
) -> int:
    query = update(Deadline).where(Deadline.owner == reference, Deadline.status == "offen")
    if kinds is not None:
        query = query.where(Deadline.kind.in_([k.value for k in kinds]))
    result = session.execute(query.values(status=status, done_on=today, done_by=by))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@application_step("antrag-einreichung")
def record_submission(step: ApplicationStep, data: SubmissionInput) -> StepOutcome:
    session, _, app, view, today, _ = step.parts
    require_stage(app, Stage.FREIGEGEBEN, target=Stage.EINGEREICHT)
    if data.submitted_on > today:
        raise InputError("Das Einreichungsdatum darf nicht in der Zukunft liegen.")
    warnings: list[str] = []
    call = view.programme.call_deadline
    if call is not None and data.submitted_on > call:
        warnings.append(
            f"Die Einreichung am {format_date_de(data.submitted_on)} liegt nach dem "
            f"Stichtag des Förderaufrufs ({format_date_de(call)}). Bitte mit dem "
            "Zuwendungsgeber klären, ob der Antrag noch berücksichtigt wird."
        )
    app.submitted_on = data.submitted_on
    app.funder_reference = data.funder_reference
    step.move(
        Stage.EINGEREICHT,
        actor=data.entered_by,
        reason=f"Eingereicht am {format_date_de(data.submitted_on)}, "
        f"Aktenzeichen {data.funder_reference}" + (" – NACH DEM STICHTAG" if warnings else ""),
        details={"late": bool(warnings)},
    )
    close_open_deadlines(
        session,
        view.reference,
        [DeadlineKind.AUFRUFSTICHTAG, DeadlineKind.EINREICHUNG],
        "erledigt",
        data.submitted_on,
        data.entered_by,
    )
    view = to_view(app)
    facts = [
        f"Eingereicht am: {format_date_de(data.submitted_on)}",
        f"Aktenzeichen Zuwendungsgeber: {data.funder_reference}",
        f"Beantragte Zuwendung: {format_eur(view.requested_grant_cents or 0)}",
    ]
    mail = step.mail(
        "einreichung",
        subject=f"{view.reference}: Einreichung erfasst"
        + (" – Achtung, nach dem Stichtag" if warnings else ""),
        intro=f"die Einreichung des Antrags beim Zuwendungsgeber ({view.programme.funder}) "
        "ist erfasst.",
        facts=facts,
        documents=[],
        entered_by=data.entered_by,
        warnings=warnings,
        next_step="Sobald der Bescheid vorliegt, „antrag-bescheid“ starten.",
    )
    return step.outcome(
        "Einreichung erfasst",
        facts=[(f.split(": ", 1)[0], f.split(": ", 1)[1]) for f in facts],
        outbox_ids=[queue_mail(session, mail)],
        warnings=warnings,
        next_step="Bescheid abwarten, dann „antrag-bescheid“.",
    )


def _next_version(session: Session, reference: str, kind: str) -> int:
    current = session.scalars(
        select(Document.version).where(Document.owner == reference, Document.kind == kind)
    ).all()
    return max(current, default=0) + 1


@application_step("antrag-bescheid")
def record_notice(step: ApplicationStep, data: NoticeInput) -> StepOutcome:
    session, settings, app, view, today, _ = step.parts
    requested = view.requested_grant_cents or 0
    if data.outcome == NoticeOutcome.ABGELEHNT:
        require_stage(app, Stage.EINGEREICHT, target=Stage.ABGELEHNT)
        app.outcome = data.outcome.value
        app.notice_date = data.notice_date
        app.closing_note = data.note or "Der Antrag wurde abgelehnt."
        step.move(
            Stage.ABGELEHNT,
            actor=data.entered_by,
            reason=app.closing_note,
        )
        close_open_deadlines(session, view.reference, None, "verzichtet", today, data.entered_by)
        view = to_view(app)
        recipients = [p.body.email for p in view.confirmed]
        mail = step.mail(
            "bescheid",
            subject=f"{view.reference}: Ablehnungsbescheid vom {format_date_de(data.notice_date)}",
            intro="der Zuwendungsgeber hat den Antrag abgelehnt. Das Verfahren ist damit "
            "abgeschlossen; offene Fristen wurden aufgehoben.",
            facts=[f"Vermerk: {app.closing_note}"],
            documents=[],
            entered_by=data.entered_by,
            cc=recipients,
        )
        return step.outcome(
            "Ablehnung erfasst – Antrag geschlossen",
            outbox_ids=[queue_mail(session, mail)],
        )
    require_stage(app, Stage.EINGEREICHT, target=Stage.BEWILLIGT)
    assert data.period_start is not None and data.period_end is not None
    granted = euro_to_cents(data.granted_eur) if data.granted_eur is not None else requested
    if granted > requested:
        raise InputError(
            f"Die bewilligte Zuwendung ({format_eur(granted)}) liegt über der beantragten "
            f"({format_eur(requested)})."
        )
    if data.outcome == NoticeOutcome.BEWILLIGT and granted < requested:
        raise InputError(
            f"Die Zuwendung ist geringer als beantragt ({format_eur(requested)}) – bitte "
            "„teilbewilligt“ wählen."
        )
    if data.outcome == NoticeOutcome.TEILBEWILLIGT and granted == requested:
        raise InputError(
            "Bei einer Teilbewilligung muss die Zuwendung unter der beantragten liegen."
        )
    interim: list[DeadlineResult]
    if data.interim_report_dates:
        interim = [fixed_date(d) for d in sorted(set(data.interim_report_dates))]
    else:
        interim = interim_report_dates(data.period_start, data.period_end)
    final = final_report_date(data.period_end, months=data.final_report_months)
    app.outcome = data.outcome.value
    app.granted_cents = granted
    app.notice_date = data.notice_date
    app.period_start, app.period_end = data.period_start, data.period_end
    app.closing_note = data.note or None
    step.move(
        Stage.BEWILLIGT,
        actor=data.entered_by,
        reason=f"Bescheid vom {format_date_de(data.notice_date)}: {data.outcome.value}, "
        f"{format_eur(granted)}",
        details={"granted_cents": granted},
    )
    step.move(
        Stage.BERICHTSPFLICHT,
        actor=data.entered_by,
        reason=f"{len(interim)} Zwischennachweis(e) und Verwendungsnachweis angelegt",
    )
    view = to_view(app)
    duties: list[str] = []
    start_year = data.period_start.year
    for index, due in enumerate(interim):
        year = start_year + index
        name = f"Zwischennachweis {year}"
        ensure_deadline(
            session,
            application_deadline(
                view,
                data.entered_by,
                f"zwischennachweis:{year}",
                DeadlineKind.ZWISCHENNACHWEIS,
                f"{name} {view.reference}",
                due,
            ),
        )
        duties.append(f"{name}: fällig {format_day_de(due.end)}")
    ensure_deadline(
        session,
        application_deadline(
            view,
            data.entered_by,
            "verwendungsnachweis",
            DeadlineKind.VERWENDUNGSNACHWEIS,
            f"Verwendungsnachweis {view.reference}",
            final,
        ),
    )
    duties.append(f"Verwendungsnachweis: fällig {format_day_de(final.end)}")
    documents = []
    outbox: list[int] = []
    partners_cc = [p.body.email for p in view.confirmed]
    if data.outcome == NoticeOutcome.TEILBEWILLIGT:
        plan = plan_for(view, view.confirmed, SplitKey(view.split_key or "gleich"), granted)
        for row in app.partners:
            share = next((s for s in plan.shares if s.body == row.body.name), None)
            row.final_share_cents = share.amount if share else None
        view = to_view(app)
        version = _next_version(session, view.reference, "finanzierungsplan")
        documents.append(
            render_document(
                session,
                settings,
                view.reference,
                DocumentPlan(
                    name="finanzierungsplan",
                    template="finanzierungsplan.docx",
                    kind="finanzierungsplan",
                    version=version,
                    title=f"Kosten- und Finanzierungsplan {view.reference} nach Teilbewilligung",
                    context=finanzierungsplan_context(
                        view,
                        plan,
                        version,
                        today,
                        note=f"Neuberechnung nach Teilbewilligung vom "
                        f"{format_date_de(data.notice_date)}: Die Zuwendung beträgt "
                        f"{format_eur(granted)} statt {format_eur(requested)}; der höhere "
                        "Eigenanteil ist nach dem vereinbarten Schlüssel neu aufgeteilt.",
                    ),
                ),
            )
        )
    facts = [
        f"Bescheid vom: {format_date_de(data.notice_date)}",
        f"Zuwendung: {format_eur(granted)}"
        + ("" if granted == requested else f" (beantragt: {format_eur(requested)})"),
        f"Bewilligungszeitraum: {format_date_de(data.period_start)} bis "
        f"{format_date_de(data.period_end)}",
    ] + duties
    if data.outcome == NoticeOutcome.TEILBEWILLIGT:
        facts += [
            f"Neuer Eigenanteil {p.body.official_name}: {format_eur(p.final_share_cents or 0)}"
            for p in view.confirmed
        ]
    mail = step.mail(
        "bescheid",
        subject=f"{view.reference}: "
        + ("Bewilligung" if data.outcome == NoticeOutcome.BEWILLIGT else "Teilbewilligung")
        + f" über {format_eur(granted)}",
        intro="der Zuwendungsbescheid ist erfasst. Die Berichtspflichten sind als Fristen "
        "angelegt; foerderflow erinnert rechtzeitig daran."
        + (" Der Finanzierungsplan wurde neu berechnet (Anhang)." if documents else ""),
        facts=facts,
        documents=documents,
        entered_by=data.entered_by,
        cc=partners_cc,
        next_step="Vor jeder Frist den Nachweis mit „antrag-nachweis“ als Entwurf erstellen.",
    )
    outbox.append(queue_mail(session, mail))
    return step.outcome(
        f"Bescheid erfasst: {data.outcome.value}, {format_eur(granted)}",
        facts=[(f.split(": ", 1)[0], f.split(": ", 1)[-1]) for f in facts],
        documents=documents,
        outbox_ids=outbox,
        next_step="Nachweise rechtzeitig mit „antrag-nachweis“ erstellen.",
    )


record_submission_task = step_task("einreichung-erfassen", record_submission)
record_notice_task = step_task("bescheid-erfassen", record_notice)
