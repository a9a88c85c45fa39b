"""antrag-idee: a coordinator enters a new project idea; the Projektskizze goes to them."""

from __future__ import annotations

from prefect import flow

from foerderflow.wiring import get_services
from models.application import ApplicationSummary, IdeaInput
from models.forms import form_input, today_berlin
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.delivery import deliver_mail_task
from tasks.idea import record_idea_task
from tasks.menu import refresh_menu, remember_programme_table
from tasks.notify import notify_failure
from tasks.portfolio import publish_idea_summary, publish_portfolio


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
def antrag_idee(data: IdeaInput) -> ApplicationSummary:
    outcome = record_idea_task(data, today_berlin(), current_flow_run_id())
    tag_current_run([outcome.application.reference])
    delivery = deliver_mail_task(outcome.outbox_ids)
    publish_idea_summary(outcome, delivery)
    publish_portfolio()
    refresh_menu(get_services().sessions)
    return outcome.application
