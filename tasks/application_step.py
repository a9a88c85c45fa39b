"""The opening every application step shares: run once per input, load and lock the
application, decide, and name the outcome after the step and the application's stage."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.application import Stage
from models.mail import OutgoingMail
from models.steps import AuditEntry
from models.tables import Application
from models.views import ApplicationView
from tasks.application_mail import coordinator_mail
from tasks.applications import for_application, load, move
from tasks.steps import StepOutcome, run_step
from tasks.store import record_audit


@dataclass(frozen=True)
class ApplicationStep:
    """What the application step ``name`` decides on: the locked application and its read
    model, in the step's transaction."""

    name: str
    session: Session
    settings: Settings
    app: Application
    view: ApplicationView
    today: dt.date
    flow_run_id: str | None

    @property
    def parts(
        self,
    ) -> tuple[Session, Settings, Application, ApplicationView, dt.date, str | None]:
        """Unpacked at the start of each decision."""
        return self.session, self.settings, self.app, self.view, self.today, self.flow_run_id

    def move(
        self, target: Stage, *, actor: str, reason: str, details: dict[str, Any] | None = None
    ) -> None:
        """Move the application to ``target`` (a legal transition) and audit it."""
        move(
            self.session,
            self.app,
            target,
            actor=actor,
            reason=reason,
            details=details,
            flow_run_id=self.flow_run_id,
        )

    def audit(
        self, action: str, actor: str, reason: str, details: dict[str, Any] | None = None
    ) -> None:
        """Add a line to the application's audit trail (for this run)."""
        entry = AuditEntry(action, actor, reason, details=details)
        record_audit(self.session, self.app.reference, entry, self.flow_run_id)

    def mail(self, key: str, **text: Any) -> OutgoingMail:
        """A mail to the application's coordinator (``text``: the arguments of
        :func:`coordinator_mail`); ``key`` is unique within the application."""
        reference = self.app.reference
        return coordinator_mail(self.settings, self.view, key=f"{reference}:{key}", **text)

    def outcome(self, headline: str, **fields: Any) -> StepOutcome:
        """The step's outcome: the application is the owner, its stage the one it has now."""
        return StepOutcome(
            owner=self.app.reference,
            step=self.name,
            stage=Stage(self.app.stage),
            headline=headline,
            **fields,
        )


D = TypeVar("D")
Decision = Callable[[ApplicationStep, D], StepOutcome]
Step = Callable[[Services, D, dt.date, str | None], StepOutcome]


def application_step(name: str) -> Callable[[Decision[D]], Step[D]]:
    """Turn the decision ``decide(step, data)`` of the application step ``name`` into a step
    ``(services, data, today, flow_run_id)``: :func:`run_step` once per input, with
    ``data.reference`` loaded and locked for the decision."""

    def wrap(decide: Decision[D]) -> Step[D]:
        @functools.wraps(decide)
        def step(
            services: Services, data: D, today: dt.date, flow_run_id: str | None = None
        ) -> StepOutcome:
            def work(session: Session) -> StepOutcome:
                app, view = load(session, data.reference)  # type: ignore[attr-defined]
                context = ApplicationStep(
                    name, session, services.settings, app, view, today, flow_run_id
                )
                return decide(context, data)

            return run_step(services, step=name, work=work, **for_application(data))

        return step

    return wrap
