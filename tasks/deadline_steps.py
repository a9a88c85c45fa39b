"""The two deadline steps of coordinators: ``frist-anlegen`` and ``frist-erledigt``.

Each decides in one transaction and returns a :class:`~models.steps.StepPlan` (the mail to
the responsible contact, the facts of the run summary); :func:`tasks.steps.run_step` carries
it out once per input, and the flows end with :func:`tasks.steps.finish_step` (which also
rewrites the calendar feeds, since the step created or closed a deadline).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.wiring import Services
from models.deadline_inputs import FristAnlegenInput, FristErledigtInput, resolve_due_date
from models.deadline_types import DeadlineSpec, DeadlineStatus
from models.deadlines import DeadlineError, format_date_de, format_day_de
from models.errors import InputError, NotFoundError
from models.fristen_documents import NEW_DEADLINE_TEMPLATE, NewDeadlineMailContext
from models.steps import MailPlan, StepPlan
from models.tables import Application, Body
from tasks.common import step_task
from tasks.deadlines import (
    DeadlineView,
    close_deadline,
    deadline_view,
    ensure_deadline,
    get_deadline,
    resolve_deadline,
)
from tasks.steps import Process, StepOutcome, run_input_step, run_step
from tasks.store import fingerprint, get_body

# The deadline steps have no overview of their own: the sweep publishes the table "fristen".
DEADLINES = Process(summary_key=lambda _outcome: None, publish_overview=lambda _outcome: None)


def deadline_facts(view: DeadlineView) -> list[tuple[str, str]]:
    """The rows of a deadline's run summary."""
    status = view.status.value
    if view.done_on:
        status += f" am {format_date_de(view.done_on)}"
    if view.done_by:
        status += f" von {view.done_by}"
    return [
        ("Frist-Nr.", str(view.id)),
        ("Art", view.kind_label),
        ("Aktenzeichen", view.owner or "–"),
        ("Bezeichnung", view.title),
        ("Fällig am", format_day_de(view.due_date)),
        ("Frist/Termin", "Termin" if view.is_termin else "Frist"),
        ("Verantwortlich", view.contact_email),
        ("Status", status),
        ("Erläuterung", "; ".join(view.explanation.splitlines()) or "–"),
    ]


def _deadline_plan(view: DeadlineView, headline: str, next_step: str) -> StepPlan:
    return StepPlan(
        headline=headline,
        owner=view.owner or f"frist-{view.id}",
        facts=deadline_facts(view),
        next_step=next_step,
        status={"deadline": view},
    )


# --- frist-erledigt ----------------------------------------------------------------------------


def mark_deadline(
    services: Services, data: FristErledigtInput, today: dt.date, flow_run_id: str | None = None
) -> StepOutcome:
    """``frist-erledigt``: close the deadline ``data`` names (erledigt or verzichtet)."""
    done_on = data.done_on or today
    if done_on > today:
        raise InputError(
            f"Das Erledigungsdatum {format_date_de(done_on)} liegt in der Zukunft; es wurde "
            "nichts gespeichert."
        )

    def work(session: Session) -> StepPlan:
        row = resolve_deadline(session, data, done_on)
        changed = close_deadline(
            session,
            row,
            outcome=data.outcome,
            done_on=done_on,
            done_by=data.entered_by,
            note=data.note,
            flow_run_id=flow_run_id,
        )
        view = deadline_view(row)
        verb = "erledigt" if view.status is DeadlineStatus.ERLEDIGT else "verzichtet"
        plan = _deadline_plan(
            view,
            f"Frist Nr. {view.id} {verb}",
            "Es gibt zu dieser Frist keine Erinnerungen mehr; sie ist aus den Kalendern entfernt.",
        )
        plan.repeated = not changed
        return plan

    # Who closed it, and on which day, is part of the closing: another person or day is
    # another request (refused by close_deadline if the deadline is closed already).
    payload = {**data.model_dump(mode="json"), "done_on": done_on.isoformat()}
    return run_step(
        services,
        step="frist-erledigt",
        owner=data.reference or f"frist-{data.deadline_id}",
        payload=payload,
        work=work,
        flow_run_id=flow_run_id,
    )


# --- frist-anlegen -----------------------------------------------------------------------------


def _manual_key(data: FristAnlegenInput) -> str:
    digest = fingerprint(
        {
            "kind": data.kind.value,
            "title": data.title,
            "due_date": data.due_date.isoformat(),
            "is_termin": data.is_termin,
            "reference": data.reference,
            "body": data.body,
            "contact": str(data.contact_email).lower() if data.contact_email else None,
            "note": data.note,
        }
    )
    return f"manuell:{digest[:40]}"


def add_deadline(
    services: Services, data: FristAnlegenInput, today: dt.date, flow_run_id: str | None = None
) -> StepOutcome:
    """``frist-anlegen``: the deadline, its audit event and a mail to the responsible
    contact. The same input twice creates nothing twice."""
    settings = services.settings
    try:
        due = resolve_due_date(data.due_date, is_termin=data.is_termin, note=data.note)
    except DeadlineError as exc:
        raise InputError(f"Fällig am: {exc}") from None

    def work(session: Session) -> StepPlan:
        application_id: int | None = None
        contact = str(data.contact_email) if data.contact_email else None
        if data.reference and data.reference.startswith("FA-"):
            found = session.execute(
                select(Application.id, Application.coordinator_email).where(
                    Application.reference == data.reference
                )
            ).first()
            if found is None:
                raise NotFoundError(
                    f"Ein Antrag mit dem Aktenzeichen {data.reference} existiert nicht."
                )
            application_id = found.id
            contact = contact or found.coordinator_email
        body: Body | None = get_body(session, data.body) if data.body else None
        if body is not None:
            contact = contact or body.email
        spec = DeadlineSpec.falling_due(
            due,
            key=_manual_key(data),
            kind=data.kind,
            title=data.title,
            owner=data.reference,
            application_id=application_id,
            body_id=body.id if body else None,
            contact_email=contact or settings.central_coordinator_email,
            created_by=data.entered_by,
        )
        deadline_id, created = ensure_deadline(session, spec)
        view = deadline_view(get_deadline(session, deadline_id))
        plan = _deadline_plan(
            view,
            f"Frist Nr. {view.id} angelegt"
            if created
            else f"Frist Nr. {view.id} war bereits angelegt (gleiche Eingabe)",
            "Der Fristenwächter erinnert rechtzeitig daran; die Frist steht in den Kalendern.",
        )
        plan.status["moved"] = due.moved
        plan.repeated = not created
        plan.mails.append(
            MailPlan(
                key=f"frist-neu:{view.id}",
                to=[view.contact_email],
                template=NEW_DEADLINE_TEMPLATE,
                context=NewDeadlineMailContext(
                    deadline_id=view.id,
                    subject=view.subject,
                    kind_label=view.kind_label,
                    title=view.title,
                    reference=view.owner or "",
                    body=body.official_name if body else "",
                    due_text=format_day_de(view.due_date),
                    is_termin=view.is_termin,
                    explanation=view.explanation,
                    entered_by=data.entered_by,
                    ui_url=settings.resolved_ui_url,
                ),
            )
        )
        plan.record_creation(
            created,
            "Frist",
            data.entered_by,
            f"{view.subject}, fällig {format_date_de(view.due_date)}",
            details={
                "deadline_id": view.id,
                "kind": view.kind,
                "due_date": view.due_date.isoformat(),
                "entered_due_date": data.due_date.isoformat(),
                "is_termin": view.is_termin,
            },
        )
        return plan

    return run_input_step(
        services, "frist-anlegen", data.reference or "fristen", data, work, flow_run_id=flow_run_id
    )


mark_deadline_task = step_task("frist-erledigen", mark_deadline)
add_deadline_task = step_task("frist-eintragen", add_deadline)
