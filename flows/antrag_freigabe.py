"""antrag-freigabe: the coordinator approves the draft or asks for changes (new version)."""

from __future__ import annotations

from models.application_inputs import ApprovalInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.drafting import review_draft_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(ApprovalInput, name="antrag-freigabe", what="Freigabe", before=tag_reference)
def antrag_freigabe(data: ApprovalInput) -> StepOutcome:
    """Entwurf freigeben oder Änderungen anfordern."""
    return finish_step(review_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
