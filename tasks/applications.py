"""Shared machinery of the application steps: read model, stage transitions, paper numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.application import Stage, check_transition
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.deadlines import DeadlineResult
from models.errors import StageError
from models.steps import AuditEntry
from models.tables import Application
from models.views import ApplicationView, PartnerView
from tasks.steps import input_payload
from tasks.store import body_view, get_application, next_number, record_audit, view_of
from tasks.store import programme_view as to_programme_view


def to_view(app: Application) -> ApplicationView:
    partners = [
        view_of(
            PartnerView,
            p,
            body=body_view(p.body),
            decision="zugesagt" if p.is_lead else p.decision,
        )
        for p in sorted(app.partners, key=lambda p: p.position)
    ]
    return view_of(
        ApplicationView,
        app,
        stage=Stage(app.stage),
        lead=body_view(app.lead_body),
        partners=partners,
        programme=to_programme_view(app.programme),
        created_on=app.created_at.date(),
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
    entry = AuditEntry(action, actor, reason, current, target, details)
    record_audit(session, app.reference, entry, flow_run_id)


def application_deadline(
    view: ApplicationView,
    entered_by: str,
    key: str,
    kind: DeadlineKind,
    title: str,
    due: DeadlineResult,
    body_id: int | None = None,
) -> DeadlineSpec:
    """A deadline of the application ``view``, due as ``due`` says, owned and watched by its
    coordinator; ``key`` is unique within the application."""
    return DeadlineSpec.falling_due(
        due,
        key=f"{view.reference}:{key}",
        kind=kind,
        title=title,
        owner=view.reference,
        application_id=view.id,
        body_id=body_id,
        contact_email=view.coordinator_email,
        created_by=entered_by,
    )


def council_paper_number(session: Session, year: int) -> str:
    """The next Sitzungsvorlage number, e.g. SV-26-0007 (one sequence per year)."""
    return f"SV-{year % 100:02d}-{next_number(session, 'SV', year):04d}"


def for_application(data: Any) -> dict[str, Any]:
    """The ``run_step`` arguments of an application step: the application is the owner, the
    input (without who typed it) the request."""
    return {"owner": data.reference, "payload": input_payload(data)}
