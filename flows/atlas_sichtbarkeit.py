"""atlas-sichtbarkeit: mark a project or an application "nicht veröffentlichen" (or public)."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
from models.reporting.inputs import AtlasSichtbarkeitInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.reporting.summary import REPORTING
from tasks.reporting.visibility import set_visibility_task
from tasks.steps import StepOutcome, finish_step


@flow(
    name="atlas-sichtbarkeit",
    description="Projekt oder Antrag im Projektatlas veröffentlichen oder „nicht veröffentlichen“.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(AtlasSichtbarkeitInput, what="Sichtbarkeit")
def atlas_sichtbarkeit(data: AtlasSichtbarkeitInput) -> StepOutcome:
    return finish_step(set_visibility_task(data, today_berlin(), current_flow_run_id()), REPORTING)
