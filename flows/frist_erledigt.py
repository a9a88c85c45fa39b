"""frist-erledigt: a coordinator marks a deadline as done (or waived)."""

from __future__ import annotations

from models.deadline_inputs import FristErledigtInput
from models.forms import today_berlin
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.deadline_steps import DEADLINES, mark_deadline_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(FristErledigtInput, name="frist-erledigt", what="Frist erledigt")
def frist_erledigt(data: FristErledigtInput) -> StepOutcome:
    """Frist als erledigt (oder verzichtet) vermerken: keine weiteren Erinnerungen, die Frist
    verschwindet aus den Kalendern.
    """
    if data.reference:
        tag_current_run([data.reference])
    return finish_step(mark_deadline_task(data, today_berlin(), current_flow_run_id()), DEADLINES)
