"""antrag-zurueckziehen: withdraws an open application and lifts its deadlines."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import WithdrawalInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import withdraw_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-zurueckziehen",
    description="Antrag zurückziehen (aus jeder offenen Stufe).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(WithdrawalInput, what="Rücknahme", before=lambda raw: tag_reference(raw["reference"]))
def antrag_zurueckziehen(data: WithdrawalInput) -> StepOutcome:
    return finish_step(withdraw_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
