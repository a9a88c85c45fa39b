"""antrag-partnerantwort: records one partner's answer; the last answer starts the draft."""

from __future__ import annotations

from prefect import flow

from flows.antrag_entwurf import antrag_entwurf
from models.application_inputs import PartnerAnswerInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.partnercheck import record_partner_answer_task
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-partnerantwort",
    description="Antwort einer Partnerkommune erfassen (Zusage oder Absage).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(
    PartnerAnswerInput, what="Partnerantwort", before=lambda raw: tag_reference(raw["reference"])
)
def antrag_partnerantwort(data: PartnerAnswerInput) -> StepOutcome:
    outcome = finish_step(
        record_partner_answer_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
    if outcome.follow_up == "entwurf":
        antrag_entwurf(reference=data.reference, notes="", entered_by=data.entered_by)
    return outcome
