"""antrag-einreichung: records the submission to the funder (warns after the call deadline)."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import SubmissionInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award import record_submission_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-einreichung",
    description="Einreichung beim Zuwendungsgeber erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(SubmissionInput, what="Einreichung", before=lambda raw: tag_reference(raw["reference"]))
def antrag_einreichung(data: SubmissionInput) -> StepOutcome:
    return finish_step(
        record_submission_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
