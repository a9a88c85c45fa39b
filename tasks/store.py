"""Database access for applications: lookups, references, audit events. No Prefect here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, selectinload

from models.application import ApplicationSummary, Stage, format_reference
from models.bodies import BodyView, ProgrammeView
from models.errors import NotFoundError
from models.tables import (
    Application,
    ApplicationPartner,
    AuditEvent,
    Body,
    Programme,
    Project,
    ReferenceCounter,
)


def body_view(body: Body) -> BodyView:
    return BodyView(
        id=body.id,
        slug=body.slug,
        name=body.name,
        official_name=body.official_name,
        kind=body.kind,
        council=body.council,
        legal_basis=body.legal_basis,
        email=body.email,
        population=body.population,
    )


def programme_view(p: Programme) -> ProgrammeView:
    return ProgrammeView(
        id=p.id,
        slug=p.slug,
        name=p.name,
        funder=p.funder,
        funding_rate_percent=p.funding_rate_percent,
        min_grant_cents=p.min_grant_cents,
        max_grant_cents=p.max_grant_cents,
        max_duration_months=p.max_duration_months,
        call_deadline=p.call_deadline,
    )


def get_body(session: Session, name: str) -> Body:
    body = session.scalar(select(Body).where(Body.name == name))
    if body is None:
        raise NotFoundError(
            f"Die Körperschaft „{name}“ ist nicht bekannt. Bitte zuerst die Stammdaten "
            "einspielen (foerderflow seed)."
        )
    return body


def get_programme(session: Session, name: str) -> Programme:
    programme = session.scalar(select(Programme).where(Programme.name == name))
    if programme is None:
        known = ", ".join(session.scalars(select(Programme.name).order_by(Programme.name)))
        raise NotFoundError(
            f"Das Förderprogramm „{name}“ ist nicht bekannt. Bekannte Programme: {known or '–'}."
        )
    return programme


def get_project(session: Session, code: str) -> Project:
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        raise NotFoundError(
            f"Das Projekt {code} steht nicht in der Projektliste der Digitalisierungsstrategie; "
            "es wurde nichts gespeichert."
        )
    return project


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
    app = session.scalar(query)
    if app is None:
        raise NotFoundError(f"Ein Antrag mit dem Aktenzeichen {reference} existiert nicht.")
    return app


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
    session.add(
        AuditEvent(
            owner=owner,
            actor=actor,
            action=action,
            from_stage=str(from_stage) if from_stage is not None else None,
            to_stage=str(to_stage) if to_stage is not None else None,
            reason=reason,
            details=details or {},
            flow_run_id=flow_run_id,
        )
    )


def summary(app: Application, created: bool = True) -> ApplicationSummary:
    return ApplicationSummary(
        id=app.id,
        reference=app.reference,
        title=app.title,
        stage=Stage(app.stage),
        lead_body=app.lead_body.name,
        partners=[p.body.name for p in app.partners if not p.is_lead],
        programme=app.programme.name,
        estimated_costs_cents=app.estimated_costs_cents,
        coordinator_email=app.coordinator_email,
        created=created,
    )
