"""newsletter-entwurf: compose an edition; the draft goes only to the central coordination."""

from __future__ import annotations

from prefect import flow

from models.forms import OptionalDateField, form_field, today_berlin, validate_input
from models.reporting.inputs import NewsletterEntwurfInput
from tasks.delivery import deliver_mail_task
from tasks.notify import notify_failure
from tasks.reporting.newsletter import EditionOutcome, draft_edition_task
from tasks.reporting.summary import publish_edition_task


@flow(
    name="newsletter-entwurf",
    description="Newsletter zusammenstellen: Entwurf mit Vorschau an die zentrale Koordination.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def newsletter_entwurf(
    edition_date: OptionalDateField = form_field(NewsletterEntwurfInput, "edition_date"),
    editorial: str = form_field(NewsletterEntwurfInput, "editorial"),
    entered_by: str = form_field(NewsletterEntwurfInput, "entered_by"),
) -> EditionOutcome:
    data = validate_input(
        NewsletterEntwurfInput,
        {"edition_date": edition_date, "editorial": editorial, "entered_by": entered_by},
        what="Newsletter",
    )
    outcome = draft_edition_task(data, today_berlin())
    delivery = deliver_mail_task(outcome.outbox_ids or None) if outcome.outbox_ids else None
    publish_edition_task(outcome, delivery, True)
    return outcome
