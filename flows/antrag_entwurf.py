"""antrag-entwurf: renders the versioned draft set and mails it to the coordinator."""

from __future__ import annotations

from prefect import flow

from models.antrag_inputs import DraftInput
from models.forms import form_field, today_berlin, validate_input
from tasks.artifacts import current_flow_run_id
from tasks.drafting import create_draft_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-entwurf",
    description="Antragsentwurf erstellen: Förderantrag, Finanzierungsplan, "
    "Kooperationsvereinbarung und eine Sitzungsvorlage je Körperschaft.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_entwurf(
    reference: str = form_field(DraftInput, "reference"),
    notes: str = form_field(DraftInput, "notes"),
    entered_by: str = form_field(DraftInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        DraftInput,
        {"reference": reference, "notes": notes, "entered_by": entered_by},
        what="Entwurf",
    )
    return finish_step(create_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
