"""antrag-partnercheck: letters of intent with the proposed own share to every partner."""

from __future__ import annotations

from models.application_inputs import PartnerCheckInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.partnercheck import start_partner_check_task
from tasks.steps import StepOutcome, finish_step


@form_flow(
    PartnerCheckInput, name="antrag-partnercheck", what="Partnerprüfung", before=tag_reference
)
def antrag_partnercheck(data: PartnerCheckInput) -> StepOutcome:
    """Partnerprüfung starten: Absichtserklärungen mit dem vorgeschlagenen Eigenanteil an alle
    Partnerkommunen.
    """
    return finish_step(
        start_partner_check_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
