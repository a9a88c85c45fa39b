"""frist-erledigt: a coordinator marks a deadline as done (or waived)."""

from __future__ import annotations

from prefect import flow

from models.forms import (
    OptionalDateField,
    OptionalDeadlineKindField,
    OptionalIntField,
    OptionalTextField,
    form_field,
    today_berlin,
    validate_input,
)
from models.fristen_inputs import DeadlineOutcome, FristErledigtInput
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.calendar import write_feeds_task
from tasks.deadline_summaries import publish_change_summary
from tasks.fristen import DeadlineChange, mark_deadline_task
from tasks.notify import notify_failure


@flow(
    name="frist-erledigt",
    description="Frist als erledigt (oder verzichtet) vermerken: keine weiteren Erinnerungen, "
    "die Frist verschwindet aus den Kalendern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def frist_erledigt(
    deadline_id: OptionalIntField = form_field(FristErledigtInput, "deadline_id"),
    reference: OptionalTextField = form_field(FristErledigtInput, "reference"),
    kind: OptionalDeadlineKindField = form_field(FristErledigtInput, "kind"),
    outcome: DeadlineOutcome = form_field(FristErledigtInput, "outcome"),
    done_on: OptionalDateField = form_field(FristErledigtInput, "done_on"),
    entered_by: str = form_field(FristErledigtInput, "entered_by"),
    note: str = form_field(FristErledigtInput, "note"),
) -> DeadlineChange:
    data = validate_input(
        FristErledigtInput,
        {
            "deadline_id": deadline_id,
            "reference": reference,
            "kind": kind,
            "outcome": outcome,
            "done_on": done_on,
            "entered_by": entered_by,
            "note": note,
        },
        what="Frist erledigt",
    )
    if data.reference:
        tag_current_run([data.reference])
    change = mark_deadline_task(data, today_berlin(), current_flow_run_id())
    if change.deadline.owner:
        tag_current_run([change.deadline.owner])
    calendar = write_feeds_task()
    publish_change_summary(change, calendar.paths)
    return change
