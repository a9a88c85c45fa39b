"""newsletter-entwurf: compose an edition; the draft goes only to the central coordination."""

from __future__ import annotations

from models.forms import today_berlin
from models.reporting.inputs import NewsletterEntwurfInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.reporting.newsletter import draft_edition_task
from tasks.reporting.summary import REPORTING
from tasks.steps import StepOutcome, finish_step


@form_flow(NewsletterEntwurfInput, name="newsletter-entwurf", what="Newsletter")
def newsletter_entwurf(data: NewsletterEntwurfInput) -> StepOutcome:
    """Newsletter zusammenstellen: Entwurf mit Vorschau an die zentrale Koordination."""
    return finish_step(draft_edition_task(data, today_berlin(), current_flow_run_id()), REPORTING)
