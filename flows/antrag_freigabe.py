"""antrag-freigabe: the coordinator approves the draft or asks for changes (new version)."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import ApprovalInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.drafting import review_draft_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-freigabe",
    description="Entwurf freigeben oder Änderungen anfordern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(ApprovalInput, what="Freigabe", before=lambda raw: tag_reference(raw["reference"]))
def antrag_freigabe(data: ApprovalInput) -> StepOutcome:
    return finish_step(review_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
