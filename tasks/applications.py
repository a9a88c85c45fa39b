"""Shared machinery of the application steps: read model, stage transitions, paper numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.application import Stage, check_transition
from models.errors import StageError
from models.tables import Application
from models.views import ApplicationView, PartnerView
from tasks.steps import input_payload
from tasks.store import audit, body_view, get_application, next_number
from tasks.store import programme_view as to_programme_view


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


def for_application(data: Any) -> dict[str, Any]:
    """The ``run_step`` arguments of an application step: the application is the owner, the
    input (without who typed it) the request."""
    return {"owner": data.reference, "payload": input_payload(data)}
