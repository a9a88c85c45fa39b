"""newsletter-versand: release the latest unreleased edition to all bodies, exactly once."""

from __future__ import annotations

from prefect import flow

from models.forms import OptionalIntField, form_field, today_berlin, validate_input
from models.reporting.inputs import NewsletterVersandInput
from tasks.delivery import deliver_mail_task
from tasks.notify import notify_failure
from tasks.reporting.newsletter import EditionOutcome, release_edition_task
from tasks.reporting.summary import publish_edition_task


@flow(
    name="newsletter-versand",
    description="Newsletter-Ausgabe an die Kontaktadressen aller Körperschaften versenden "
    "(genau einmal je Ausgabe).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def newsletter_versand(
    number: OptionalIntField = form_field(NewsletterVersandInput, "number"),
    entered_by: str = form_field(NewsletterVersandInput, "entered_by"),
) -> EditionOutcome:
    data = validate_input(
        NewsletterVersandInput, {"number": number, "entered_by": entered_by}, what="Versand"
    )
    outcome = release_edition_task(data, today_berlin())
    # all mails of the edition over one SMTP connection (tasks.mail.deliver)
    delivery = deliver_mail_task(outcome.outbox_ids) if outcome.outbox_ids else None
    publish_edition_task(outcome, delivery, False)
    return outcome
