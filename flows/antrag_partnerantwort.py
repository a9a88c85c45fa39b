"""antrag-partnerantwort: records one partner's answer; the last answer starts the draft."""

from __future__ import annotations

from prefect import flow

from flows.antrag_entwurf import antrag_entwurf
from models.antrag_inputs import PartnerAnswerInput, PartnerDecision
from models.bodies import BodyChoice
from models.forms import OptionalEuroField, form_field, today_berlin, validate_input
from tasks.applications import StepOutcome
from tasks.artifacts import current_flow_run_id
from tasks.flowkit import finish_step, tag_reference
from tasks.notify import notify_failure
from tasks.partnercheck import record_partner_answer_task


@flow(
    name="antrag-partnerantwort",
    description="Antwort einer Partnerkommune erfassen (Zusage oder Absage).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_partnerantwort(
    reference: str = form_field(PartnerAnswerInput, "reference"),
    body: BodyChoice = form_field(PartnerAnswerInput, "body"),
    decision: PartnerDecision = form_field(PartnerAnswerInput, "decision"),
    share_percent: OptionalEuroField = form_field(PartnerAnswerInput, "share_percent"),
    entered_by: str = form_field(PartnerAnswerInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        PartnerAnswerInput,
        {
            "reference": reference,
            "body": body,
            "decision": decision,
            "share_percent": share_percent,
            "entered_by": entered_by,
        },
        what="Partnerantwort",
    )
    outcome = finish_step(record_partner_answer_task(data, today_berlin(), current_flow_run_id()))
    if outcome.follow_up == "entwurf":
        antrag_entwurf(reference=data.reference, notes="", entered_by=data.entered_by)
    return outcome
