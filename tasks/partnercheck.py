"""Partner check: letters of intent to every candidate partner, then their answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import update

from models.antrag_docs import absichtserklaerung_context
from models.antrag_mails import PartnerRequestMailContext, split_phrase
from models.application import Stage
from models.application_inputs import PartnerAnswerInput, PartnerCheckInput, PartnerDecision
from models.deadline_types import DeadlineKind
from models.deadlines import compute_deadline, fixed_date, format_date_de
from models.errors import InputError, StageError
from models.financing import plan_for, share_of
from models.mail import OutgoingMail
from models.money import SplitKey, euro_to_cents, format_eur, format_percent
from models.steps import DocumentPlan
from models.tables import Deadline
from tasks.application_step import ApplicationStep, application_step
from tasks.applications import (
    application_deadline,
    require_stage,
    to_view,
)
from tasks.common import step_task
from tasks.compose import render_mail_text
from tasks.deadlines import ensure_deadline
from tasks.mail import queue_mail
from tasks.steps import StepOutcome, render_document

RESPONSE_DAYS = 21


@application_step("antrag-partnercheck")
def start_partner_check(step: ApplicationStep, data: PartnerCheckInput) -> StepOutcome:
    session, settings, app, view, today, _ = step.parts
    require_stage(app, Stage.IDEE, target=Stage.PARTNERPRUEFUNG)
    if not view.candidates:
        raise InputError(
            f"Antrag {view.reference} hat keine Partnerkommunen. Für die Partnerprüfung "
            "ist mindestens eine Partnerkommune nötig."
        )
    due = (
        fixed_date(data.response_due)
        if data.response_due
        else compute_deadline(today, days=RESPONSE_DAYS)
    )
    if due.end <= today:
        raise InputError("Die Rückmeldefrist muss in der Zukunft liegen.")
    app.funding_rate_percent = data.funding_rate_percent or view.programme.funding_rate_percent
    app.eligible_costs_cents = (
        euro_to_cents(data.eligible_costs_eur)
        if data.eligible_costs_eur is not None
        else app.estimated_costs_cents
    )
    key = data.split_key
    app.split_key = key.value
    app.response_due = due.end
    view = to_view(app)
    # The proposal splits over every candidate; with the percent key the partners name
    # their percentages in their answers, so the proposal uses equal parts.
    proposal_key = SplitKey.GLEICH if key == SplitKey.PROZENT else key
    plan = plan_for(view, view.partners, proposal_key)
    app.requested_grant_cents = plan.grant.grant
    for row in app.partners:
        row.proposed_share_cents = share_of(plan, row.body.name)
        row.decision = "zugesagt" if row.is_lead else "offen"
    step.move(
        Stage.PARTNERPRUEFUNG,
        actor=data.entered_by,
        reason=f"Absichtserklärungen an {len(view.candidates)} Partner, Rückmeldung bis "
        f"{format_date_de(due.end)}",
        details={"split_key": key.value, "response_due": due.end.isoformat()},
    )
    view = to_view(app)
    documents = []
    outbox: list[int] = []
    for partner in view.candidates:
        body = partner.body
        doc = render_document(
            session,
            settings,
            view.reference,
            DocumentPlan(
                name="absichtserklaerung",
                template="absichtserklaerung.docx",
                kind="absichtserklaerung",
                subject=body.slug,
                version=1,
                title=f"Absichtserklärung {body.official_name}",
                context=absichtserklaerung_context(view, partner, plan, due.end, today),
            ),
        )
        documents.append(doc)
        share = share_of(plan, body.name)
        subject, text = render_mail_text(
            settings.templates_dir,
            "antrag_absichtserklaerung.txt",
            PartnerRequestMailContext(
                reference=view.reference,
                title=view.title,
                partner=body.official_name,
                lead=view.lead.official_name,
                programme=view.programme.name,
                proposed_share=format_eur(share),
                proposed_percent=format_percent(
                    next(s.percent for s in plan.shares if s.body == body.name)
                ),
                own_share_total=format_eur(plan.grant.own_share),
                split_explanation=split_phrase(proposal_key.value, len(view.partners)),
                response_due=format_date_de(due.end),
                coordinator_email=view.coordinator_email,
                entered_by=data.entered_by,
            ),
        )
        outbox.append(
            queue_mail(
                session,
                OutgoingMail(
                    key=f"{view.reference}:absichtserklaerung:{body.slug}",
                    owner=view.reference,
                    to=[body.email],
                    cc=[view.coordinator_email],
                    subject=subject,
                    body=text,
                    attachment_ids=[doc.id],
                ),
            )
        )
        ensure_deadline(
            session,
            application_deadline(
                view,
                data.entered_by,
                f"partnerantwort:{body.slug}",
                DeadlineKind.PARTNERANTWORT,
                f"Rückmeldung {body.official_name} zu {view.reference}",
                due,
                body_id=body.id,
            ),
        )
    call = view.programme.call_deadline
    if call is not None and call >= today:
        ensure_deadline(
            session,
            application_deadline(
                view,
                data.entered_by,
                "aufrufstichtag",
                DeadlineKind.AUFRUFSTICHTAG,
                f"Stichtag {view.programme.name} für {view.reference}",
                fixed_date(call),
            ),
        )
    return step.outcome(
        f"Partnerprüfung gestartet: {len(view.candidates)} Absichtserklärungen",
        facts=[
            ("Zuwendungsfähige Ausgaben", format_eur(plan.grant.eligible_costs)),
            ("Förderquote", format_percent(plan.grant.funding_rate)),
            ("Beantragte Zuwendung", format_eur(plan.grant.grant)),
            ("Eigenanteil gesamt", format_eur(plan.grant.own_share)),
            ("Schlüssel", key.value),
            ("Rückmeldung bis", format_day(due.end)),
        ]
        + [(f"Vorschlag {s.body}", format_eur(s.amount)) for s in plan.shares],
        documents=documents,
        outbox_ids=outbox,
        warnings=["Die Zuwendung ist auf den Förderhöchstbetrag begrenzt."]
        if plan.grant.capped
        else [],
        next_step=f"Antworten der Partner mit „antrag-partnerantwort“ erfassen (bis "
        f"{format_date_de(due.end)}).",
    )


def format_day(d: dt.date) -> str:
    from models.deadlines import format_day_de

    return format_day_de(d)


@application_step("antrag-partnerantwort")
def record_partner_answer(step: ApplicationStep, data: PartnerAnswerInput) -> StepOutcome:
    session, _, app, view, today, _ = step.parts
    if app.stage != Stage.PARTNERPRUEFUNG:
        raise StageError(
            f"Antrag {view.reference} steht in Stufe '{app.stage}'; Antworten von Partnern "
            "werden nur in der Partnerprüfung erfasst."
        )
    partner = next((p for p in app.partners if p.body.name == data.body), None)
    if partner is None or partner.is_lead:
        names = ", ".join(p.body.name for p in view.candidates)
        what = "die Federführung" if partner is not None else "kein Partner"
        raise InputError(
            f"{data.body} ist {what} des Antrags {view.reference}; Partner sind: {names}."
        )
    key = SplitKey(app.split_key or "gleich")
    if data.share_percent is not None and key != SplitKey.PROZENT:
        raise InputError(
            f"Ein Prozentanteil wird nur beim Schlüssel „prozent“ erfasst; {view.reference}"
            f" verwendet den Schlüssel „{key.value}“."
        )
    if (
        key == SplitKey.PROZENT
        and data.decision == PartnerDecision.ZUGESAGT
        and data.share_percent is None
    ):
        raise InputError(
            f"Beim Schlüssel „prozent“ ist mit der Zusage der Prozentanteil von "
            f"{data.body} anzugeben."
        )
    previous = partner.decision
    partner.decision = data.decision.value
    partner.share_percent = (
        data.share_percent if data.decision == PartnerDecision.ZUGESAGT else None
    )
    partner.decided_at = dt.datetime.now(dt.UTC)
    partner.decided_by = data.entered_by
    if key == SplitKey.PROZENT:
        total = sum(
            (p.share_percent or Decimal(0) for p in app.partners if not p.is_lead),
            Decimal(0),
        )
        if total >= 100:
            raise InputError(
                f"Die Prozentanteile der Partner ergeben {format_percent(total)}; zusammen "
                "müssen sie unter 100 % bleiben, weil die Federführung den Rest trägt."
            )
    step.audit(
        "Antwort korrigiert" if previous != "offen" else "Antwort erfasst",
        data.entered_by,
        f"{partner.body.official_name}: {data.decision.value}"
        + (f" ({format_percent(data.share_percent)})" if data.share_percent else ""),
        details={"body": data.body, "previous": previous},
    )
    session.execute(
        update(Deadline)
        .where(
            Deadline.key == f"{view.reference}:partnerantwort:{partner.body.slug}",
            Deadline.status == "offen",
        )
        .values(status="erledigt", done_on=today, done_by=data.entered_by)
    )
    session.flush()
    view = to_view(app)
    open_bodies = [p.body.name for p in view.candidates if p.decision == "offen"]
    facts = [(p.body.name, p.decision) for p in view.candidates]
    if open_bodies:
        return step.outcome(
            f"Antwort von {data.body} erfasst: {data.decision.value}",
            facts=facts,
            next_step=f"Es fehlen noch Antworten von: {', '.join(open_bodies)}.",
        )
    confirmed = view.confirmed
    if len(confirmed) < 2:
        mail = step.mail(
            "partnerpruefung:zu-wenige",
            subject=f"{view.reference}: Partnerprüfung ohne ausreichende Beteiligung",
            intro=(
                f"alle Partner haben geantwortet, aber keine Partnerkommune hat zugesagt. "
                f"Ein gemeinsamer Antrag braucht mindestens zwei beteiligte Körperschaften "
                f"(einschließlich der Federführung {view.lead.official_name}). Der Entwurf "
                "wird deshalb nicht erstellt."
            ),
            facts=[f"{name}: {decision}" for name, decision in facts],
            documents=[],
            entered_by=data.entered_by,
            next_step="Weitere Partner gewinnen und eine neue Idee anlegen, oder den "
            "Antrag mit „antrag-zurueckziehen“ beenden.",
        )
        outbox = [queue_mail(session, mail)]
        step.audit(
            "Partnerprüfung ohne Ergebnis",
            data.entered_by,
            "Weniger als zwei beteiligte Körperschaften – kein Entwurf.",
        )
        return step.outcome(
            "Zu wenige Zusagen – kein Entwurf",
            facts=facts,
            outbox_ids=outbox,
            warnings=[
                "Weniger als zwei Körperschaften (einschließlich der Federführung) "
                "beteiligen sich. Der Entwurf wird nicht erstellt; die Koordination ist "
                "informiert."
            ],
            next_step="Weitere Partner gewinnen oder den Antrag zurückziehen.",
        )
    plan = plan_for(view, confirmed, key)
    shares = {s.body: s for s in plan.shares}
    for p in app.partners:
        share = shares.get(p.body.name)
        p.final_share_cents = share.amount if share else None
        if share is not None and key != SplitKey.PROZENT:
            p.share_percent = share.percent
    app.requested_grant_cents = plan.grant.grant
    step.audit(
        "Finanzierungsplan berechnet",
        data.entered_by,
        f"{len(confirmed)} Körperschaften, Eigenanteil {format_eur(plan.grant.own_share)}",
        details={s.body: s.amount for s in plan.shares},
    )
    return step.outcome(
        "Alle Antworten liegen vor – Finanzierungsplan berechnet",
        facts=facts + [(f"Anteil {s.body}", format_eur(s.amount)) for s in plan.shares],
        next_step="Der Antragsentwurf wird jetzt automatisch erstellt (antrag-entwurf).",
        follow_up="entwurf",
    )


start_partner_check_task = step_task("partnerpruefung-starten", start_partner_check)


record_partner_answer_task = step_task("partnerantwort-erfassen", record_partner_answer)
