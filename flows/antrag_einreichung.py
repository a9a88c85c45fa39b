"""antrag-einreichung: records the submission to the funder (warns after the call deadline)."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from models.antrag_inputs import SubmissionInput
from models.forms import form_field, today_berlin, validate_input
from tasks.artifacts import current_flow_run_id
from tasks.award import record_submission_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-einreichung",
    description="Einreichung beim Zuwendungsgeber erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_einreichung(
    reference: str = form_field(SubmissionInput, "reference"),
    submitted_on: dt.date = form_field(SubmissionInput, "submitted_on"),
    funder_reference: str = form_field(SubmissionInput, "funder_reference"),
    entered_by: str = form_field(SubmissionInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        SubmissionInput,
        {
            "reference": reference,
            "submitted_on": submitted_on,
            "funder_reference": funder_reference,
            "entered_by": entered_by,
        },
        what="Einreichung",
    )
    return finish_step(
        record_submission_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
