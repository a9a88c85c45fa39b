"""frist-anlegen: a coordinator adds a deadline by hand (a council meeting, a date from a
Bescheid)."""

from __future__ import annotations

from prefect import flow

from models.deadline_inputs import FristAnlegenInput
from models.forms import (
    form_input,
    today_berlin,
)
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.calendar import write_feeds_task
from tasks.deadline_summaries import publish_new_deadline_summary
from tasks.deadlines import NewDeadlineOutcome, add_deadline_task
from tasks.delivery import deliver_mail_task
from tasks.notify import notify_failure


@flow(
    name="frist-anlegen",
    description="Frist oder Termin von Hand eintragen: wird vom Fristenwächter erinnert und "
    "erscheint in den Kalendern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(FristAnlegenInput, what="Frist anlegen")
def frist_anlegen(data: FristAnlegenInput) -> NewDeadlineOutcome:
    if data.reference:
        tag_current_run([data.reference])
    outcome = add_deadline_task(data, today_berlin(), current_flow_run_id())
    delivery = deliver_mail_task(outcome.outbox_ids)
    calendar = write_feeds_task()
    publish_new_deadline_summary(outcome, delivery, calendar.paths)
    return outcome
