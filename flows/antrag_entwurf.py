"""antrag-entwurf: renders the versioned draft set and mails it to the coordinator."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import DraftInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.drafting import create_draft_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-entwurf",
    description="Antragsentwurf erstellen: Förderantrag, Finanzierungsplan, "
    "Kooperationsvereinbarung und eine Sitzungsvorlage je Körperschaft.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(DraftInput, what="Entwurf", before=lambda raw: tag_reference(raw["reference"]))
def antrag_entwurf(data: DraftInput) -> StepOutcome:
    return finish_step(create_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
