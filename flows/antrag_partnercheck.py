"""antrag-partnercheck: letters of intent with the proposed own share to every partner."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import PartnerCheckInput
from models.forms import (
    form_input,
    today_berlin,
)
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.partnercheck import start_partner_check_task
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-partnercheck",
    description="Partnerprüfung starten: Absichtserklärungen mit dem vorgeschlagenen "
    "Eigenanteil an alle Partnerkommunen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(
    PartnerCheckInput, what="Partnerprüfung", before=lambda raw: tag_reference(raw["reference"])
)
def antrag_partnercheck(data: PartnerCheckInput) -> StepOutcome:
    return finish_step(
        start_partner_check_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
