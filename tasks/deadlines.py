"""Deadline rows: created idempotently by the flows that cause them, closed by coordinators.

The plain functions take a session (or the services) and return pydantic views; the Prefect
tasks at the end only add names and retries.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.deadline_inputs import (
    DeadlineOutcome,
    FristErledigtInput,
)
from models.deadline_types import DeadlineKind, DeadlineSpec, DeadlineStatus
from models.deadlines import format_date_de
from models.errors import InputError, NotFoundError
from models.fristen_documents import (
    deadline_subject,
    kind_label,
)
from models.tables import Deadline
from tasks.store import audit, view_of

# The columns every list of deadlines starts with (calendar feeds, reminders, overview);
# the feeds and the reminders read them into ``models.deadline_types.DeadlineHead``.
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


def deadline_view(row: Deadline) -> DeadlineView:
    return view_of(
        DeadlineView,
        row,
        kind_label=kind_label(row.kind),
        subject=deadline_subject(row.kind, row.owner, row.title),
        status=DeadlineStatus(row.status),
    )


def audit_owner(row: Deadline) -> str:
    """Who a deadline's audit entries belong to: its application or cycle, else the deadline."""
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
        owner=audit_owner(row),
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
