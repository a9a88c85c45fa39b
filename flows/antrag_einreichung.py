"""antrag-einreichung: records the submission to the funder (warns after the call deadline)."""

from __future__ import annotations

from models.application_inputs import SubmissionInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award import record_submission_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(SubmissionInput, name="antrag-einreichung", what="Einreichung", before=tag_reference)
def antrag_einreichung(data: SubmissionInput) -> StepOutcome:
    """Einreichung beim Zuwendungsgeber erfassen."""
    return finish_step(
        record_submission_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
