"""antrag-idee: a coordinator enters a new project idea; the Projektskizze goes to them."""

from __future__ import annotations

from prefect import flow

from foerderflow.wiring import get_services
from models.application import IdeaInput
from models.forms import form_input, today_berlin
from tasks.application_process import APPLICATION
from tasks.artifacts import current_flow_run_id
from tasks.idea import idea_task
from tasks.menu import remember_programme_table
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-idee",
    description="Neue Projektidee erfassen: legt den Förderantrag an und schickt die "
    "Projektskizze an die Koordination.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(
    IdeaInput,
    what="Antragsidee",
    before=lambda raw: remember_programme_table(get_services().sessions),  # also the catalogue's
)
def antrag_idee(data: IdeaInput) -> StepOutcome:
    outcome = idea_task(data, today_berlin(), current_flow_run_id())
    return finish_step(outcome, APPLICATION)
