"""Database access for applications: lookups, references, audit events. No Prefect here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, selectinload

from models.application import Stage, format_reference
from models.bodies import BodyView, ProgrammeView
from models.errors import NotFoundError
from models.steps import AuditEntry
from models.tables import (
    Application,
    ApplicationPartner,
    AuditEvent,
    Body,
    Programme,
    Project,
    ReferenceCounter,
)

T = TypeVar("T")
V = TypeVar("V", bound=BaseModel)


def view_of(view: type[V], row: object, **overrides: Any) -> V:
    """``view`` from the row's attributes of the same names; ``overrides`` give the others."""
    columns = {name: getattr(row, name) for name in view.model_fields if name not in overrides}
    return view(**columns, **overrides)


def body_view(body: Body) -> BodyView:
    return BodyView.model_validate(body, from_attributes=True)


def programme_view(p: Programme) -> ProgrammeView:
    return ProgrammeView.model_validate(p, from_attributes=True)


def _one_or_missing(session: Session, statement: Select[T], missing: Callable[[], str]) -> T:
    """The row ``statement`` finds, or a NotFoundError with the German text ``missing()``."""
    row = session.scalar(statement)
    if row is None:
        raise NotFoundError(missing())
    return row


_UNKNOWN_BODY = (
    "Die Körperschaft „{}“ ist nicht bekannt. Bitte zuerst die Stammdaten einspielen "
    "(foerderflow seed)."
)
_UNKNOWN_PROJECT = (
    "Das Projekt {} steht nicht in der Projektliste der Digitalisierungsstrategie; "
    "es wurde nichts gespeichert."
)


def get_body(session: Session, name: str) -> Body:
    statement = select(Body).where(Body.name == name)
    return _one_or_missing(session, statement, lambda: _UNKNOWN_BODY.format(name))


def _unknown_programme(session: Session, name: str) -> str:
    known = ", ".join(session.scalars(select(Programme.name).order_by(Programme.name)))
    return f"Das Förderprogramm „{name}“ ist nicht bekannt. Bekannte Programme: {known or '–'}."


def get_programme(session: Session, name: str) -> Programme:
    statement = select(Programme).where(Programme.name == name)
    return _one_or_missing(session, statement, lambda: _unknown_programme(session, name))


def get_project(session: Session, code: str) -> Project:
    statement = select(Project).where(Project.code == code)
    return _one_or_missing(session, statement, lambda: _UNKNOWN_PROJECT.format(code))


def get_application(session: Session, reference: str, *, for_update: bool = False) -> Application:
    query = (
        select(Application)
        .where(Application.reference == reference)
        .options(
            selectinload(Application.partners).selectinload(ApplicationPartner.body),
            selectinload(Application.lead_body),
            selectinload(Application.programme),
        )
    )
    if for_update:
        query = query.with_for_update()
    return _one_or_missing(
        session, query, lambda: f"Ein Antrag mit dem Aktenzeichen {reference} existiert nicht."
    )


def next_number(session: Session, prefix: str, year: int) -> int:
    """Allocate the next number of ``prefix`` in ``year`` atomically: one upsert that takes the
    counter row's lock, so concurrent ideas of a new year can neither collide nor skip."""
    statement = (
        pg_insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[ReferenceCounter.prefix, ReferenceCounter.year],
            set_={"last_value": ReferenceCounter.last_value + 1},
        )
        .returning(ReferenceCounter.last_value)
    )
    result = session.execute(statement).scalar_one()
    return int(result)


def next_reference(session: Session, year: int) -> str:
    """The next application reference, e.g. FA-2026-007."""
    return format_reference(year, next_number(session, "FA", year))


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def audit(
    session: Session,
    *,
    owner: str,
    actor: str,
    action: str,
    from_stage: Stage | str | None = None,
    to_stage: Stage | str | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    flow_run_id: str | None = None,
) -> None:
    entry = AuditEntry(action, actor, reason, from_stage, to_stage, details)
    record_audit(session, owner, entry, flow_run_id)


def record_audit(
    session: Session, owner: str, entry: AuditEntry, flow_run_id: str | None = None
) -> None:
    """Add one line of ``owner``'s audit trail (a stage is stored as its value)."""
    session.add(
        AuditEvent(
            owner=owner,
            actor=entry.actor,
            action=entry.action,
            from_stage=str(entry.from_stage) if entry.from_stage is not None else None,
            to_stage=str(entry.to_stage) if entry.to_stage is not None else None,
            reason=entry.reason,
            details=entry.details or {},
            flow_run_id=flow_run_id,
        )
    )
