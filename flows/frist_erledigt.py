"""frist-erledigt: a coordinator marks a deadline as done (or waived)."""

from __future__ import annotations

from prefect import flow

from models.deadline_inputs import FristErledigtInput
from models.forms import (
    form_input,
    today_berlin,
)
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.deadline_steps import DEADLINES, mark_deadline_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="frist-erledigt",
    description="Frist als erledigt (oder verzichtet) vermerken: keine weiteren Erinnerungen, "
    "die Frist verschwindet aus den Kalendern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(FristErledigtInput, what="Frist erledigt")
def frist_erledigt(data: FristErledigtInput) -> StepOutcome:
    if data.reference:
        tag_current_run([data.reference])
    return finish_step(mark_deadline_task(data, today_berlin(), current_flow_run_id()), DEADLINES)
