"""atlas-sichtbarkeit: mark a project or an application "nicht veröffentlichen" (or public)."""

from __future__ import annotations

from models.forms import today_berlin
from models.reporting.inputs import AtlasSichtbarkeitInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.reporting.summary import REPORTING
from tasks.reporting.visibility import set_visibility_task
from tasks.steps import StepOutcome, finish_step


@form_flow(AtlasSichtbarkeitInput, name="atlas-sichtbarkeit", what="Sichtbarkeit")
def atlas_sichtbarkeit(data: AtlasSichtbarkeitInput) -> StepOutcome:
    """Projekt oder Antrag im Projektatlas veröffentlichen oder „nicht veröffentlichen“."""
    return finish_step(set_visibility_task(data, today_berlin(), current_flow_run_id()), REPORTING)
