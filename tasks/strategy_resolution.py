"""strategie-beschluss: record one council's resolution; the last adoption lifts the
Sperrvermerk, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.settings import Settings
from models.bodies import BodyView
from models.deadline_types import DeadlineKind, DeadlineStatus
from models.deadlines import compute_deadline, fixed_date, format_date_de, format_day_de
from models.errors import InputError
from models.money import format_eur
from models.steps import AuditEntry, DocumentPlan, MailPlan, Produced, StepPlan, other_addresses
from models.strategy import (
    FOLLOW_UP_WEEKS,
    CycleStatus,
    ResolutionOutcome,
    cycle_owner,
)
from models.strategy_docs import (
    FREIGABE_TEMPLATE,
    MAIL_ESKALATION,
    MAIL_FREIGABE,
    CycleStanding,
    ResolutionRecord,
    draft_title,
    escalation_mail_context,
    freigabe_context,
    release_mail_context,
)
from models.strategy_inputs import BeschlussInput
from models.strategy_progress import all_adopted, progress
from models.tables import (
    Body,
    Deadline,
    StrategyBodyReport,
    StrategyCycle,
    StrategyRelease,
    StrategyResolution,
)
from tasks.common import step_task
from tasks.deadlines import complete_deadline, ensure_deadline
from tasks.steps import input_payload
from tasks.store import audit, body_view, get_body
from tasks.strategy import (
    STEP_RESOLUTION,
    CycleRun,
    Work,
    body_deadline,
    cycle_standing,
    cycle_step,
    ensure_report_row,
    find_cycle,
    release_of,
    require_cycle,
    resolution_view,
)


def _resolution_state(data: BeschlussInput) -> Callable[[Session], str]:
    def state(session: Session) -> str:
        cycle = find_cycle(session, data.year)
        if cycle is None:
            return ""
        row = session.scalar(
            select(StrategyResolution)
            .join(Body, Body.id == StrategyResolution.body_id)
            .where(
                StrategyResolution.cycle_id == cycle.id,
                Body.name == data.body,
                StrategyResolution.meeting_date == data.meeting_date,
            )
        )
        return "" if row is None else f"{row.outcome}|{row.note}|{row.next_meeting}"

    return state


def _same_resolution(row: StrategyResolution, data: BeschlussInput) -> bool:
    same_next = data.next_meeting is None or row.next_meeting == data.next_meeting
    return row.outcome == data.outcome.value and row.note == data.note and same_next


@cycle_step(
    STEP_RESOLUTION, payload=lambda data: input_payload(data, "year"), state=_resolution_state
)
def record_resolution(run: CycleRun, data: BeschlussInput, today: dt.date) -> Work:
    """Record one council's resolution; the last adoption lifts the Sperrvermerk, once."""
    settings, year, owner = run.settings, run.year, run.owner
    if data.meeting_date > today:
        raise InputError(
            f"Das Sitzungsdatum {format_date_de(data.meeting_date)} liegt in der Zukunft. "
            "Beschlüsse werden nach der Sitzung erfasst. Es wurde nichts gespeichert."
        )

    def work(session: Session) -> StepPlan:
        cycle = require_cycle(find_cycle(session, year), year)
        body = get_body(session, data.body)
        view = body_view(body)
        row = session.scalar(
            select(StrategyResolution).where(
                StrategyResolution.cycle_id == cycle.id,
                StrategyResolution.body_id == body.id,
                StrategyResolution.meeting_date == data.meeting_date,
            )
        )
        if row is not None and _same_resolution(row, data):
            return StepPlan(
                status={"year": year, "cycle_status": CycleStatus(cycle.status)},
                repeated=True,
                headline=f"Beschluss {body.council} vom {format_date_de(data.meeting_date)} war "
                "bereits erfasst – nichts doppelt",
            )
        if cycle.status == CycleStatus.STATUSABFRAGE.value:
            raise InputError(
                f"Zur Fortschreibung {year} gibt es noch keine Sitzungsvorlagen (die "
                "Statusabfrage läuft). Beschlüsse werden erfasst, nachdem "
                "„strategie-konsolidierung“ die Vorlagen erstellt hat. Es wurde nichts "
                "gespeichert."
            )
        if cycle.status == CycleStatus.ABGESCHLOSSEN.value:
            release = release_of(session, cycle)
            when = f" am {format_date_de(release.released_on)}" if release else ""
            raise InputError(
                f"Die Fortschreibung {year} ist bereits von allen Gremien beschlossen; der "
                f"Sperrvermerk wurde{when} aufgehoben. Weitere Beschlüsse werden nicht erfasst. "
                "Es wurde nichts gespeichert."
            )
        if data.meeting_date < cycle.opened_on:
            raise InputError(
                f"Das Sitzungsdatum {format_date_de(data.meeting_date)} liegt vor der Eröffnung "
                f"der Fortschreibung {year} am {format_date_de(cycle.opened_on)}. Bitte das "
                "Datum prüfen. Es wurde nichts gespeichert."
            )
        report = ensure_report_row(session, cycle, body)
        corrected = row is not None
        previous = row.outcome if row is not None else None
        if row is None:
            row = StrategyResolution(
                cycle_id=cycle.id,
                body_id=body.id,
                outcome=data.outcome.value,
                meeting_date=data.meeting_date,
                note=data.note,
                entered_by=data.entered_by,
            )
            session.add(row)
        else:
            row.outcome = data.outcome.value
            row.note = data.note
            row.next_meeting = None
            row.entered_by = data.entered_by
        warnings: list[str] = []
        follow_up_text = ""
        follow_up_key = f"{owner}:gremientermin:{body.slug}:{data.meeting_date.isoformat()}"
        if data.outcome is ResolutionOutcome.VERTAGT:
            due = (
                fixed_date(data.next_meeting)
                if data.next_meeting is not None
                else compute_deadline(data.meeting_date, weeks=FOLLOW_UP_WEEKS)
            )
            row.next_meeting = due.end
            title = f"Erneute Beratung der Fortschreibung {year} im {body.council}"
            deadline_id, created = ensure_deadline(
                session,
                body_deadline(
                    follow_up_key,
                    DeadlineKind.GREMIENTERMIN,
                    title,
                    due,
                    body,
                    report.contact_email,
                    data.entered_by,
                    owner,
                ),
            )
            if not created:  # a corrected deferral of the same meeting: move the follow-up
                follow_up = session.get_one(Deadline, deadline_id)
                if follow_up.status == DeadlineStatus.OFFEN.value:
                    follow_up.due_date = due.end
                    follow_up.is_termin = due.is_termin
                    follow_up.explanation = due.explanation
            follow_up_text = (
                f"Erneute Beratung: {format_day_de(due.end)} – als "
                f"{'Termin' if due.is_termin else 'Frist'} im Fristenkalender eingetragen."
            )
        # The council has met: follow-ups of earlier meetings are done (the follow-up of this
        # meeting stays open when it deferred again).
        open_follow_ups = session.scalars(
            select(Deadline).where(
                Deadline.owner == owner,
                Deadline.kind == DeadlineKind.GREMIENTERMIN.value,
                Deadline.body_id == body.id,
                Deadline.status == DeadlineStatus.OFFEN.value,
            )
        ).all()
        for deadline in open_follow_ups:
            if deadline.key == follow_up_key and data.outcome is ResolutionOutcome.VERTAGT:
                continue
            complete_deadline(
                session,
                deadline,
                done_on=today,
                done_by=data.entered_by,
                note=f"{body.council} hat am {format_date_de(data.meeting_date)} beraten: "
                f"{data.outcome.label}",
            )
        session.flush()
        plan = StepPlan(headline="")
        plan.audit.append(
            AuditEntry(
                actor=data.entered_by,
                action="Beschluss korrigiert" if corrected else "Beschluss erfasst",
                reason=f"{body.council}, Sitzung am {format_date_de(data.meeting_date)}: "
                f"{data.outcome.label}" + (f" – {data.note}" if data.note else ""),
                details={
                    "body": body.name,
                    "outcome": data.outcome.value,
                    "meeting_date": data.meeting_date.isoformat(),
                    "previous": previous,
                    "next_meeting": row.next_meeting.isoformat() if row.next_meeting else None,
                },
            )
        )
        standing = cycle_standing(session, cycle)
        states = standing.states
        resolution = resolution_view(row)
        if data.outcome is not ResolutionOutcome.BESCHLOSSEN:
            plan.mails.append(
                MailPlan(
                    key=f"{owner}:beschluss:{body.slug}:{data.meeting_date.isoformat()}:"
                    f"{data.outcome.value}",
                    to=[settings.central_coordinator_email],
                    cc=other_addresses(
                        [report.contact_email], [settings.central_coordinator_email]
                    ),
                    template=MAIL_ESKALATION,
                    context=escalation_mail_context(
                        standing,
                        body=view,
                        resolution=resolution,
                        follow_up=follow_up_text,
                        entered_by=data.entered_by,
                        ui_url=settings.resolved_ui_url,
                    ),
                )
            )
            if data.outcome.escalates:
                warnings.append(
                    f"{body.council}: {data.outcome.label} – an die zentrale Koordination "
                    "eskaliert."
                )
        released = False
        if all_adopted(states) and release_of(session, cycle) is None:
            _lift_restriction(
                session, settings, plan, cycle, view, standing, data, today, run.flow_run_id
            )
            released = True
        info = progress(states, today if released else None)
        release = release_of(session, cycle)
        facts = [
            ("Gremium", body.council),
            ("Sitzung", format_date_de(data.meeting_date)),
            ("Beschluss", data.outcome.label),
            ("Beschlüsse", f"{info.adopted}/{info.total}"),
            (
                "Sperrvermerk",
                f"aufgehoben am {format_date_de(release.released_on)}" if release else "besteht",
            ),
        ]
        if follow_up_text:
            facts.append(("Erneute Beratung", format_date_de(row.next_meeting or today)))
        open_ = [s.official_name for s in states if not s.adopted]
        plan.status = {
            "year": year,
            "cycle_status": CycleStatus(cycle.status),
            "released": released,
        }
        plan.headline = (
            f"Beschluss {body.council}: {data.outcome.label}"
            + (" (korrigiert)" if corrected else "")
            + (" – alle Gremien haben beschlossen, Sperrvermerk aufgehoben" if released else "")
        )
        plan.facts = facts
        plan.warnings = warnings
        plan.next_step = (
            "Das Verfahren ist abgeschlossen; alle Körperschaften haben die Bestätigung erhalten."
            if cycle.status == CycleStatus.ABGESCHLOSSEN.value
            else f"Noch ausstehende Beschlüsse: {', '.join(open_)}."
        )
        return plan

    return work


def _lift_restriction(
    session: Session,
    settings: Settings,
    plan: StepPlan,
    cycle: StrategyCycle,
    completing: BodyView,
    standing: CycleStanding,
    data: BeschlussInput,
    today: dt.date,
    flow_run_id: str | None,
) -> None:
    """Record the release (UNIQUE per cycle); plan the confirmation and its mail to every
    body. Once both exist, their ids go onto the release row and into the audit trail."""
    owner = cycle_owner(cycle.year)
    release = StrategyRelease(
        cycle_id=cycle.id,
        released_on=today,
        amount_cents=cycle.restricted_amount_cents,
        completing_body_id=completing.id,
        entered_by=data.entered_by,
    )
    session.add(release)
    session.flush()  # the UNIQUE constraint fires here, before anything is rendered or sent
    by_id = {b.id: b.name for b in standing.bodies}
    history = [
        ResolutionRecord(body=by_id[r.body_id], resolution=resolution_view(r))
        for r in session.scalars(
            select(StrategyResolution).where(StrategyResolution.cycle_id == cycle.id)
        )
        if r.body_id in by_id
    ]
    context = freigabe_context(
        standing, history=history, completing_body=completing, released_on=today
    )
    plan.documents.append(
        DocumentPlan(
            name="freigabe",
            template=FREIGABE_TEMPLATE,
            kind="freigabe",
            version=1,
            title=f"{context.heading} – {draft_title(cycle.year)}",
            context=context,
        )
    )
    contacts = list(
        session.scalars(
            select(StrategyBodyReport.contact_email)
            .where(StrategyBodyReport.cycle_id == cycle.id)
            .order_by(StrategyBodyReport.id)
        )
    )
    recipients = list(dict.fromkeys(contacts))
    mail_key = f"{owner}:sperrvermerk-freigabe"
    plan.mails.append(
        MailPlan(
            key=mail_key,
            to=recipients,
            cc=other_addresses([settings.central_coordinator_email], recipients),
            template=MAIL_FREIGABE,
            context=release_mail_context(context, completing),
            attach=["freigabe"],
        )
    )
    previous_status = cycle.status
    cycle.status = CycleStatus.ABGESCHLOSSEN.value

    def record_ids(produced: Produced) -> None:
        doc_id = produced.documents["freigabe"].id
        outbox_id = produced.outbox[mail_key]
        release.document_id = doc_id
        release.outbox_id = outbox_id
        audit(
            session,
            owner=owner,
            actor=data.entered_by,
            action="Sperrvermerk aufgehoben"
            if cycle.restricted_amount_cents is not None
            else "Beschlussfassung abgeschlossen",
            from_stage=previous_status,
            to_stage=cycle.status,
            reason=f"Letzter Beschluss: {completing.council} am "
            f"{format_date_de(data.meeting_date)}"
            + (
                f"; freigegeben: {format_eur(cycle.restricted_amount_cents)}"
                if cycle.restricted_amount_cents is not None
                else ""
            ),
            details={"release_id": release.id, "document_id": doc_id, "outbox_id": outbox_id},
            flow_run_id=flow_run_id,
        )

    plan.after = record_ids


record_resolution_task = step_task("beschluss-erfassen", record_resolution)
