"""frist-anlegen: a coordinator adds a deadline by hand (a council meeting, a date from a
Bescheid)."""

from __future__ import annotations

from models.deadline_inputs import FristAnlegenInput
from models.forms import today_berlin
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.deadline_steps import DEADLINES, add_deadline_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(FristAnlegenInput, name="frist-anlegen", what="Frist anlegen")
def frist_anlegen(data: FristAnlegenInput) -> StepOutcome:
    """Frist oder Termin von Hand eintragen: wird vom Fristenwächter erinnert und erscheint in den
    Kalendern.
    """
    if data.reference:
        tag_current_run([data.reference])
    return finish_step(add_deadline_task(data, today_berlin(), current_flow_run_id()), DEADLINES)
