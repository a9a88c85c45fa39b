"""Deadline rows: created idempotently by the flows that cause them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.fristen import DeadlineSpec, DeadlineStatus
from models.tables import Deadline


def ensure_deadline(session: Session, spec: DeadlineSpec) -> tuple[int, bool]:
    """Create the deadline unless one with ``spec.key`` exists. Returns (id, created)."""
    existing = session.scalar(select(Deadline).where(Deadline.key == spec.key))
    if existing is not None:
        return existing.id, False
    row = Deadline(
        key=spec.key,
        kind=spec.kind.value,
        title=spec.title,
        due_date=spec.due_date,
        is_termin=spec.is_termin,
        explanation=spec.explanation,
        owner=spec.owner,
        application_id=spec.application_id,
        body_id=spec.body_id,
        contact_email=spec.contact_email,
        status=DeadlineStatus.OFFEN.value,
        created_by=spec.created_by,
    )
    session.add(row)
    session.flush()
    return row.id, True
