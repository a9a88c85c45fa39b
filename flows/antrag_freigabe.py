"""antrag-freigabe: the coordinator approves the draft or asks for changes (new version)."""

from __future__ import annotations

from prefect import flow

from models.antrag_inputs import ApprovalInput
from models.forms import form_field, today_berlin, validate_input
from tasks.artifacts import current_flow_run_id
from tasks.drafting import review_draft_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-freigabe",
    description="Entwurf freigeben oder Änderungen anfordern.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_freigabe(
    reference: str = form_field(ApprovalInput, "reference"),
    approved: bool = form_field(ApprovalInput, "approved"),
    comments: str = form_field(ApprovalInput, "comments"),
    entered_by: str = form_field(ApprovalInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        ApprovalInput,
        {
            "reference": reference,
            "approved": approved,
            "comments": comments,
            "entered_by": entered_by,
        },
        what="Freigabe",
    )
    return finish_step(review_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
