"""Shared machinery of the lifecycle steps: read model, transitions, idempotent steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.application import Stage, check_transition
from models.errors import StageError
from models.tables import Application, StepRequest
from models.views import ApplicationView, PartnerView
from tasks.deadline_changes import deadlines_touched
from tasks.documents import DocumentView
from tasks.store import audit, body_view, fingerprint, get_application, next_number
from tasks.store import programme_view as to_programme_view


class StepOutcome(BaseModel):
    """What a lifecycle step did: shown in the run's artifact and returned by the flow."""

    model_config = ConfigDict(frozen=True)

    reference: str
    step: str
    stage: Stage
    headline: str
    facts: list[tuple[str, str]] = Field(default_factory=list)
    documents: list[DocumentView] = Field(default_factory=list)
    outbox_ids: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    next_step: str = ""
    repeated: bool = False
    follow_up: str | None = None  # e.g. "entwurf": the flow starts the drafting step
    calendar_changed: bool = False  # a deadline was created, moved or closed: rewrite the feeds


def to_view(app: Application) -> ApplicationView:
    partners = [
        PartnerView(
            body=body_view(p.body),
            is_lead=p.is_lead,
            position=p.position,
            decision="zugesagt" if p.is_lead else p.decision,
            proposed_share_cents=p.proposed_share_cents,
            share_percent=p.share_percent,
            final_share_cents=p.final_share_cents,
            council_paper_number=p.council_paper_number,
        )
        for p in sorted(app.partners, key=lambda p: p.position)
    ]
    return ApplicationView(
        id=app.id,
        reference=app.reference,
        year=app.year,
        stage=Stage(app.stage),
        title=app.title,
        summary=app.summary,
        lead=body_view(app.lead_body),
        partners=partners,
        programme=to_programme_view(app.programme),
        estimated_costs_cents=app.estimated_costs_cents,
        coordinator_email=app.coordinator_email,
        created_by=app.created_by,
        created_on=app.created_at.date(),
        funding_rate_percent=app.funding_rate_percent,
        eligible_costs_cents=app.eligible_costs_cents,
        split_key=app.split_key,
        requested_grant_cents=app.requested_grant_cents,
        draft_version=app.draft_version,
        submitted_on=app.submitted_on,
        funder_reference=app.funder_reference,
        outcome=app.outcome,
        granted_cents=app.granted_cents,
        notice_date=app.notice_date,
        period_start=app.period_start,
        period_end=app.period_end,
        closing_note=app.closing_note,
    )


def load(session: Session, reference: str) -> tuple[Application, ApplicationView]:
    """The application locked for this transaction, and its read model."""
    app = get_application(session, reference, for_update=True)
    return app, to_view(app)


def require_stage(app: Application, *allowed: Stage, target: Stage) -> str:
    """Check that ``target`` may follow the current stage; return the action label."""
    current = Stage(app.stage)
    if current not in allowed:
        check_transition(app.reference, current, target)  # raises with the German message
        raise StageError(f"Antrag {app.reference}: Schritt in Stufe '{current}' nicht möglich.")
    return check_transition(app.reference, current, target)


def move(
    session: Session,
    app: Application,
    target: Stage,
    *,
    actor: str,
    reason: str,
    details: dict[str, Any] | None = None,
    flow_run_id: str | None = None,
) -> None:
    """Apply a legal transition and write its audit event."""
    current = Stage(app.stage)
    action = check_transition(app.reference, current, target)
    app.stage = target.value
    audit(
        session,
        owner=app.reference,
        actor=actor,
        action=action,
        from_stage=current,
        to_stage=target,
        reason=reason,
        details=details,
        flow_run_id=flow_run_id,
    )


def council_paper_number(session: Session, year: int) -> str:
    """The next Sitzungsvorlage number, e.g. SV-26-0007 (one sequence per year)."""
    return f"SV-{year % 100:02d}-{next_number(session, 'SV', year):04d}"


def run_step(
    services: Services,
    *,
    step: str,
    reference: str,
    payload: dict[str, Any],
    work: Callable[[Session], StepOutcome],
) -> StepOutcome:
    """Run ``work`` once per identical input. A repeat returns the recorded outcome."""
    key = fingerprint({"step": step, "reference": reference, **payload})

    def transaction(session: Session) -> StepOutcome:
        done = session.scalar(select(StepRequest).where(StepRequest.key == key))
        if done is not None:
            return StepOutcome.model_validate(done.outcome).model_copy(update={"repeated": True})
        outcome = work(session)
        session.flush()
        if deadlines_touched(session):
            outcome = outcome.model_copy(update={"calendar_changed": True})
        session.add(
            StepRequest(
                key=key, owner=reference, step=step, outcome=outcome.model_dump(mode="json")
            )
        )
        session.flush()
        return outcome

    return run_in_transaction(transaction, services.sessions)
