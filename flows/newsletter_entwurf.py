"""newsletter-entwurf: compose an edition; the draft goes only to the central coordination."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
from models.reporting.inputs import NewsletterEntwurfInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.reporting.newsletter import draft_edition_task
from tasks.reporting.summary import REPORTING
from tasks.steps import StepOutcome, finish_step


@flow(
    name="newsletter-entwurf",
    description="Newsletter zusammenstellen: Entwurf mit Vorschau an die zentrale Koordination.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(NewsletterEntwurfInput, what="Newsletter")
def newsletter_entwurf(data: NewsletterEntwurfInput) -> StepOutcome:
    return finish_step(draft_edition_task(data, today_berlin(), current_flow_run_id()), REPORTING)
