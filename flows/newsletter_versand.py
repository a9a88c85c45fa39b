"""newsletter-versand: release the latest unreleased edition to all bodies, exactly once."""

from __future__ import annotations

from models.forms import today_berlin
from models.reporting.inputs import NewsletterVersandInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.reporting.newsletter import release_edition_task
from tasks.reporting.summary import REPORTING
from tasks.steps import StepOutcome, finish_step


@form_flow(NewsletterVersandInput, name="newsletter-versand", what="Versand")
def newsletter_versand(data: NewsletterVersandInput) -> StepOutcome:
    # all mails of the edition go out over one SMTP connection (tasks.mail.deliver)
    """Newsletter-Ausgabe an die Kontaktadressen aller Körperschaften versenden (genau einmal je
    Ausgabe).
    """
    return finish_step(release_edition_task(data, today_berlin(), current_flow_run_id()), REPORTING)
