"""frist-anlegen: a coordinator adds a deadline by hand (a council meeting, a date from a
Bescheid)."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from models.forms import (
    OptionalBodyField,
    OptionalTextField,
    form_field,
    today_berlin,
    validate_input,
)
from models.fristen import DeadlineKind
from models.fristen_inputs import FristAnlegenInput
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.calendar import write_feeds_task
from tasks.deadline_summaries import publish_new_deadline_summary
from tasks.delivery import deliver_mail_task
from tasks.fristen import NewDeadlineOutcome, add_deadline_task
from tasks.notify import notify_failure


@flow(
    name="frist-anlegen",
    description="Frist oder Termin von Hand eintragen: wird vom Fristenwächter erinnert und "
    "erscheint in den Kalendern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def frist_anlegen(
    kind: DeadlineKind = form_field(FristAnlegenInput, "kind"),
    title: str = form_field(FristAnlegenInput, "title"),
    due_date: dt.date = form_field(FristAnlegenInput, "due_date"),
    is_termin: bool = form_field(FristAnlegenInput, "is_termin"),
    reference: OptionalTextField = form_field(FristAnlegenInput, "reference"),
    body: OptionalBodyField = form_field(FristAnlegenInput, "body"),
    contact_email: OptionalTextField = form_field(FristAnlegenInput, "contact_email"),
    note: str = form_field(FristAnlegenInput, "note"),
    entered_by: str = form_field(FristAnlegenInput, "entered_by"),
) -> NewDeadlineOutcome:
    data = validate_input(
        FristAnlegenInput,
        {
            "kind": kind,
            "title": title,
            "due_date": due_date,
            "is_termin": is_termin,
            "reference": reference,
            "body": body,
            "contact_email": contact_email,
            "note": note,
            "entered_by": entered_by,
        },
        what="Frist anlegen",
    )
    if data.reference:
        tag_current_run([data.reference])
    outcome = add_deadline_task(data, today_berlin(), current_flow_run_id())
    delivery = deliver_mail_task(outcome.outbox_ids)
    calendar = write_feeds_task()
    publish_new_deadline_summary(outcome, delivery, calendar.paths)
    return outcome
