"""The common end of every lifecycle flow: tag, deliver, report."""

from __future__ import annotations

from foerderflow.wiring import get_services
from tasks.applications import StepOutcome
from tasks.artifacts import tag_current_run
from tasks.calendar import write_feeds_task
from tasks.delivery import deliver_mail_task
from tasks.menu import refresh_menu
from tasks.portfolio import publish_portfolio, publish_step_summary


def finish_step(outcome: StepOutcome) -> StepOutcome:
    """Tag the run with the reference, send the queued mails (also those of an earlier,
    interrupted attempt) and publish the summary and the portfolio table."""
    tag_current_run([outcome.reference])
    delivery = deliver_mail_task(outcome.outbox_ids or None)
    publish_step_summary(outcome, delivery)
    publish_portfolio()
    if outcome.calendar_changed:
        write_feeds_task()  # the changed deadlines are in the calendar at once
    refresh_menu(get_services().sessions)
    return outcome


def tag_reference(reference: object) -> None:
    """Tag the run as early as possible, so even a failed run is found by its reference."""
    import re

    from models.application import REFERENCE_PATTERN
    from models.forms import dropdown_key

    key = dropdown_key(reference)  # the form sends the dropdown entry "FA-… · Titel (…)"
    if isinstance(key, str) and re.match(REFERENCE_PATTERN, key):
        tag_current_run([key])
