"""antrag-partnerantwort: records one partner's answer; the last answer starts the draft."""

from __future__ import annotations

from flows.antrag_entwurf import antrag_entwurf
from models.application_inputs import PartnerAnswerInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.partnercheck import record_partner_answer_task
from tasks.steps import StepOutcome, finish_step


@form_flow(
    PartnerAnswerInput, name="antrag-partnerantwort", what="Partnerantwort", before=tag_reference
)
def antrag_partnerantwort(data: PartnerAnswerInput) -> StepOutcome:
    """Antwort einer Partnerkommune erfassen (Zusage oder Absage)."""
    outcome = finish_step(
        record_partner_answer_task(data, today_berlin(), current_flow_run_id()), APPLICATION
    )
    if outcome.follow_up == "entwurf":
        antrag_entwurf(reference=data.reference, notes="", entered_by=data.entered_by)
    return outcome
