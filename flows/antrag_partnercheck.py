"""antrag-partnercheck: letters of intent with the proposed own share to every partner."""

from __future__ import annotations

from prefect import flow

from models.antrag_inputs import PartnerCheckInput
from models.forms import (
    OptionalDateField,
    OptionalEuroField,
    form_field,
    today_berlin,
    validate_input,
)
from models.money import SplitKey
from tasks.artifacts import current_flow_run_id
from tasks.flowkit import APPLICATION, tag_reference
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
def antrag_partnercheck(
    reference: str = form_field(PartnerCheckInput, "reference"),
    split_key: SplitKey = form_field(PartnerCheckInput, "split_key"),
    eligible_costs_eur: OptionalEuroField = form_field(PartnerCheckInput, "eligible_costs_eur"),
    funding_rate_percent: OptionalEuroField = form_field(PartnerCheckInput, "funding_rate_percent"),
    response_due: OptionalDateField = form_field(PartnerCheckInput, "response_due"),
    entered_by: str = form_field(PartnerCheckInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        PartnerCheckInput,
        {
            "reference": reference,
            "split_key": split_key,
            "eligible_costs_eur": eligible_costs_eur,
            "funding_rate_percent": funding_rate_percent,
            "response_due": response_due,
            "entered_by": entered_by,
        },
        what="Partnerprüfung",
    )
    return finish_step(
        start_partner_check_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
