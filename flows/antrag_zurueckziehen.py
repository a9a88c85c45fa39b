"""antrag-zurueckziehen: withdraws an open application and lifts its deadlines."""

from __future__ import annotations

from models.application_inputs import WithdrawalInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import withdraw_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(WithdrawalInput, name="antrag-zurueckziehen", what="Rücknahme", before=tag_reference)
def antrag_zurueckziehen(data: WithdrawalInput) -> StepOutcome:
    """Antrag zurückziehen (aus jeder offenen Stufe)."""
    return finish_step(withdraw_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
