"""antrag-idee: a coordinator enters a new project idea; the Projektskizze goes to them."""

from __future__ import annotations

from foerderflow.wiring import get_services
from models.application import IdeaInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.idea import idea_task
from tasks.menu import remember_programme_table
from tasks.steps import StepOutcome, finish_step


@form_flow(
    IdeaInput,
    name="antrag-idee",
    what="Antragsidee",
    before=lambda raw: remember_programme_table(get_services().sessions),  # also the catalogue's
)
def antrag_idee(data: IdeaInput) -> StepOutcome:
    """Neue Projektidee erfassen: legt den Förderantrag an und schickt die Projektskizze an die
    Koordination.
    """
    outcome = idea_task(data, today_berlin(), current_flow_run_id())
    return finish_step(outcome, APPLICATION)
