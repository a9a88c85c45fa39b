"""Deadline rows: created idempotently by the flows that cause them, closed by coordinators.

The plain functions take a session (or the services) and return pydantic views; the Prefect
tasks at the end only add names and retries.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.deadline_inputs import (
    DeadlineOutcome,
    FristAnlegenInput,
    FristErledigtInput,
    resolve_due_date,
)
from models.deadline_types import DeadlineKind, DeadlineSpec, DeadlineStatus
from models.deadlines import DeadlineError, format_date_de, format_day_de
from models.errors import InputError, NotFoundError
from models.fristen_documents import (
    NEW_DEADLINE_TEMPLATE,
    NewDeadlineMailContext,
    deadline_subject,
    kind_label,
)
from models.mail import OutgoingMail
from models.tables import Application, Body, Deadline
from tasks.common import step_task
from tasks.compose import render_mail_text
from tasks.mail import queue_mail
from tasks.store import audit, fingerprint, get_body, view_of

# The columns every list of deadlines starts with (calendar feeds, reminders, overview).
DEADLINE_HEAD = (
    Deadline.id,
    Deadline.kind,
    Deadline.title,
    Deadline.owner,
    Deadline.due_date,
    Deadline.is_termin,
)


def ensure_deadline(session: Session, spec: DeadlineSpec) -> tuple[int, bool]:
    """Create the deadline unless one with ``spec.key`` exists. Returns (id, created)."""
    existing = session.scalar(select(Deadline).where(Deadline.key == spec.key))
    if existing is not None:
        return existing.id, False
    # Every field of the spec is a column of the same name; the kind is stored as its value.
    row = Deadline(
        **(spec.model_dump() | {"kind": spec.kind.value}), status=DeadlineStatus.OFFEN.value
    )
    session.add(row)
    session.flush()
    return row.id, True


# --- Views -----------------------------------------------------------------------------------


class DeadlineView(BaseModel):
    """A deadline as flows, artifacts and mails see it (never the ORM row)."""

    model_config = ConfigDict(frozen=True)

    id: int
    key: str
    kind: str
    kind_label: str
    subject: str  # "Verwendungsnachweis FA-2026-003"
    title: str
    due_date: dt.date
    is_termin: bool
    explanation: str
    owner: str | None
    application_id: int | None
    body_id: int | None
    contact_email: str
    status: DeadlineStatus
    done_on: dt.date | None
    done_by: str | None


class DeadlineChange(BaseModel):
    """Result of ``frist-erledigt``: ``changed`` is False for a repeated run."""

    model_config = ConfigDict(frozen=True)

    deadline: DeadlineView
    changed: bool


class NewDeadlineOutcome(BaseModel):
    """Result of ``frist-anlegen``: ``created`` is False when the same input existed."""

    model_config = ConfigDict(frozen=True)

    deadline: DeadlineView
    created: bool
    moved: bool
    outbox_ids: list[int]


def deadline_view(row: Deadline) -> DeadlineView:
    return view_of(
        DeadlineView,
        row,
        kind_label=kind_label(row.kind),
        subject=deadline_subject(row.kind, row.owner, row.title),
        status=DeadlineStatus(row.status),
    )


def _audit_owner(row: Deadline) -> str:
    return row.owner or f"frist-{row.id}"


# --- Lookup ----------------------------------------------------------------------------------


def get_deadline(session: Session, deadline_id: int, *, for_update: bool = False) -> Deadline:
    """The deadline with ``deadline_id``; :class:`NotFoundError` (German) if there is none."""
    query = select(Deadline).where(Deadline.id == deadline_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFoundError(
            f"Eine Frist mit der Nr. {deadline_id} gibt es nicht. Die Nummer steht in der "
            "Erinnerungsmail und in der Tabelle „fristen“ des Fristenwächters."
        )
    return row


def find_deadlines(session: Session, reference: str, kind: DeadlineKind) -> list[Deadline]:
    """All deadlines of ``reference`` with ``kind``, earliest due first."""
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.owner == reference, Deadline.kind == kind.value)
            .order_by(Deadline.due_date, Deadline.id)
        )
    )


def _closed_text(row: Deadline) -> str:
    when = f"am {format_date_de(row.done_on)} " if row.done_on else ""
    who = f"von {row.done_by} " if row.done_by else ""
    subject = deadline_subject(row.kind, row.owner, row.title)
    if row.status == DeadlineStatus.VERZICHTET.value:
        return f"Auf die Frist Nr. {row.id} ({subject}) wurde bereits {when}{who}verzichtet."
    return f"Die Frist Nr. {row.id} ({subject}) ist bereits {when}{who}als erledigt vermerkt."


def _same_closing(row: Deadline, outcome: DeadlineOutcome, done_on: dt.date, done_by: str) -> bool:
    return row.status == outcome.value and row.done_on == done_on and row.done_by == done_by


def resolve_deadline(session: Session, data: FristErledigtInput, done_on: dt.date) -> Deadline:
    """The deadline ``data`` names: by its number, or by reference and kind.

    By reference and kind exactly one deadline must be open; several open ones (e.g. two
    Zwischennachweise) need the number. A deadline closed before with the same outcome, date
    and person is returned as is (a repeated run).
    """
    if data.deadline_id is not None:
        row = get_deadline(session, data.deadline_id, for_update=True)
        if data.reference is not None and row.owner != data.reference:
            raise InputError(
                f"Die Frist Nr. {row.id} gehört nicht zu {data.reference}"
                f"{f', sondern zu {row.owner}' if row.owner else ''}. Bitte die Angaben prüfen."
            )
        if data.kind is not None and row.kind != data.kind.value:
            raise InputError(
                f"Die Frist Nr. {row.id} ist ein(e) {kind_label(row.kind)}, nicht "
                f"{data.kind.label}. Bitte die Angaben prüfen."
            )
        return row
    assert data.reference is not None and data.kind is not None  # the input model ensures it
    rows = find_deadlines(session, data.reference, data.kind)
    if not rows:
        raise NotFoundError(
            f"Für {data.reference} gibt es keine Frist der Art „{data.kind.label}“."
        )
    open_rows = [r for r in rows if r.status == DeadlineStatus.OFFEN.value]
    if len(open_rows) == 1:
        return get_deadline(session, open_rows[0].id, for_update=True)
    if len(open_rows) > 1:
        listing = "; ".join(
            f"Nr. {r.id}: {r.title}, fällig {format_date_de(r.due_date)}" for r in open_rows
        )
        raise InputError(
            f"Für {data.reference} sind {len(open_rows)} Fristen der Art „{data.kind.label}“ "
            f"offen ({listing}). Bitte die Frist-Nr. angeben."
        )
    for row in reversed(rows):
        if _same_closing(row, data.outcome, done_on, data.entered_by):
            return row
    raise InputError(_closed_text(rows[-1]))


# --- Closing ---------------------------------------------------------------------------------


def close_deadline(
    session: Session,
    row: Deadline,
    *,
    outcome: DeadlineOutcome,
    done_on: dt.date,
    done_by: str,
    note: str = "",
    flow_run_id: str | None = None,
) -> bool:
    """Mark ``row`` erledigt or verzichtet. Returns False for a repeated identical closing;
    raises :class:`InputError` if it was closed before in another way."""
    if row.status != DeadlineStatus.OFFEN.value:
        if _same_closing(row, outcome, done_on, done_by):
            return False
        raise InputError(_closed_text(row))
    row.status = outcome.value
    row.done_on = done_on
    row.done_by = done_by
    action = "Frist erledigt" if outcome is DeadlineOutcome.ERLEDIGT else "Auf Frist verzichtet"
    audit(
        session,
        owner=_audit_owner(row),
        actor=done_by,
        action=action,
        reason=note
        or f"{deadline_subject(row.kind, row.owner, row.title)}, fällig "
        f"{format_date_de(row.due_date)}",
        details={
            "deadline_id": row.id,
            "kind": row.kind,
            "due_date": row.due_date.isoformat(),
            "status": outcome.value,
            "done_on": done_on.isoformat(),
        },
        flow_run_id=flow_run_id,
    )
    session.flush()
    return True


def complete_deadline(
    session: Session, row: Deadline, *, done_on: dt.date, done_by: str, note: str = ""
) -> bool:
    """Mark ``row`` erledigt (see :func:`close_deadline`)."""
    return close_deadline(
        session, row, outcome=DeadlineOutcome.ERLEDIGT, done_on=done_on, done_by=done_by, note=note
    )


def waive_deadline(
    session: Session, row: Deadline, *, done_on: dt.date, done_by: str, note: str = ""
) -> bool:
    """Mark ``row`` verzichtet (see :func:`close_deadline`)."""
    return close_deadline(
        session,
        row,
        outcome=DeadlineOutcome.VERZICHTET,
        done_on=done_on,
        done_by=done_by,
        note=note,
    )


def mark_deadline(
    services: Services, data: FristErledigtInput, today: dt.date, flow_run_id: str | None = None
) -> DeadlineChange:
    """``frist-erledigt`` in one transaction."""
    done_on = data.done_on or today
    if done_on > today:
        raise InputError(
            f"Das Erledigungsdatum {format_date_de(done_on)} liegt in der Zukunft; es wurde "
            "nichts gespeichert."
        )

    def work(session: Session) -> DeadlineChange:
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
        return DeadlineChange(deadline=deadline_view(row), changed=changed)

    return run_in_transaction(work, services.sessions)


# --- Adding by hand --------------------------------------------------------------------------


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
) -> NewDeadlineOutcome:
    """``frist-anlegen`` in one transaction: the deadline, its audit event and a mail to the
    responsible contact. The same input twice creates nothing twice."""
    settings = services.settings
    try:
        due = resolve_due_date(data.due_date, is_termin=data.is_termin, note=data.note)
    except DeadlineError as exc:
        raise InputError(f"Fällig am: {exc}") from None

    def work(session: Session) -> NewDeadlineOutcome:
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
        contact = contact or settings.central_coordinator_email
        spec = DeadlineSpec(
            key=_manual_key(data),
            kind=data.kind,
            title=data.title,
            due_date=due.end,
            is_termin=data.is_termin,
            explanation=due.explanation,
            owner=data.reference,
            application_id=application_id,
            body_id=body.id if body else None,
            contact_email=contact,
            created_by=data.entered_by,
        )
        deadline_id, created = ensure_deadline(session, spec)
        row = get_deadline(session, deadline_id)
        if created:
            audit(
                session,
                owner=_audit_owner(row),
                actor=data.entered_by,
                action="Frist angelegt",
                reason=f"{deadline_subject(row.kind, row.owner, row.title)}, fällig "
                f"{format_date_de(row.due_date)}",
                details={
                    "deadline_id": row.id,
                    "kind": row.kind,
                    "due_date": row.due_date.isoformat(),
                    "entered_due_date": data.due_date.isoformat(),
                    "is_termin": row.is_termin,
                },
                flow_run_id=flow_run_id,
            )
        subject, text = render_mail_text(
            settings.templates_dir,
            NEW_DEADLINE_TEMPLATE,
            NewDeadlineMailContext(
                deadline_id=row.id,
                subject=deadline_subject(row.kind, row.owner, row.title),
                kind_label=kind_label(row.kind),
                title=row.title,
                reference=row.owner or "",
                body=body.official_name if body else "",
                due_text=format_day_de(row.due_date),
                is_termin=row.is_termin,
                explanation=row.explanation,
                entered_by=row.created_by,
                ui_url=settings.resolved_ui_url,
            ),
        )
        outbox_id = queue_mail(
            session,
            OutgoingMail(
                key=f"frist-neu:{row.id}",
                owner=row.owner or "fristen",
                to=[row.contact_email],
                subject=subject,
                body=text,
            ),
        )
        return NewDeadlineOutcome(
            deadline=deadline_view(row), created=created, moved=due.moved, outbox_ids=[outbox_id]
        )

    try:
        return run_in_transaction(work, services.sessions)
    except IntegrityError:
        # A concurrent identical run (double click) won the race: return its result.
        return run_in_transaction(work, services.sessions)


# --- Run summaries -------------------------------------------------------------------------


# --- Prefect tasks ---------------------------------------------------------------------------


mark_deadline_task = step_task("frist-erledigen", mark_deadline)


add_deadline_task = step_task("frist-eintragen", add_deadline)
