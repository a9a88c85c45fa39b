"""antrag-zurueckziehen: withdraws an open application and lifts its deadlines."""

from __future__ import annotations

from prefect import flow

from models.antrag_inputs import WithdrawalInput
from models.forms import form_field, today_berlin, validate_input
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import withdraw_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-zurueckziehen",
    description="Antrag zurückziehen (aus jeder offenen Stufe).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_zurueckziehen(
    reference: str = form_field(WithdrawalInput, "reference"),
    reason: str = form_field(WithdrawalInput, "reason"),
    entered_by: str = form_field(WithdrawalInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        WithdrawalInput,
        {"reference": reference, "reason": reason, "entered_by": entered_by},
        what="Rücknahme",
    )
    return finish_step(withdraw_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
