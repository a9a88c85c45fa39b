"""antrag-entwurf: renders the versioned draft set and mails it to the coordinator."""

from __future__ import annotations

from models.application_inputs import DraftInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.drafting import create_draft_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(DraftInput, name="antrag-entwurf", what="Entwurf", before=tag_reference)
def antrag_entwurf(data: DraftInput) -> StepOutcome:
    """Antragsentwurf erstellen: Förderantrag, Finanzierungsplan, Kooperationsvereinbarung und eine
    Sitzungsvorlage je Körperschaft.
    """
    return finish_step(create_draft_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
