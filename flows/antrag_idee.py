"""antrag-idee: a coordinator enters a new project idea; the Projektskizze goes to them."""

from __future__ import annotations

from prefect import flow

from foerderflow.wiring import get_services
from models.application import ApplicationSummary, IdeaInput
from models.bodies import BodyChoice, ProgrammeName
from models.forms import EuroField, OptionalTextField, form_field, today_berlin, validate_input
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.delivery import deliver_mail_task
from tasks.idea import record_idea_task
from tasks.menu import refresh_menu
from tasks.notify import notify_failure
from tasks.portfolio import publish_idea_summary, publish_portfolio


@flow(
    name="antrag-idee",
    description="Neue Projektidee erfassen: legt den Förderantrag an und schickt die "
    "Projektskizze an die Koordination.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_idee(
    title: str = form_field(IdeaInput, "title"),
    summary: str = form_field(IdeaInput, "summary"),
    lead_body: BodyChoice = form_field(IdeaInput, "lead_body"),
    partner_bodies: list[BodyChoice] = form_field(IdeaInput, "partner_bodies"),
    programme: ProgrammeName = form_field(IdeaInput, "programme"),
    estimated_costs_eur: EuroField = form_field(IdeaInput, "estimated_costs_eur"),
    coordinator_email: str = form_field(IdeaInput, "coordinator_email"),
    project_code: OptionalTextField = form_field(IdeaInput, "project_code"),
    entered_by: str = form_field(IdeaInput, "entered_by"),
) -> ApplicationSummary:
    data = validate_input(
        IdeaInput,
        {
            "title": title,
            "summary": summary,
            "lead_body": lead_body,
            "partner_bodies": partner_bodies,
            "programme": programme,
            "estimated_costs_eur": estimated_costs_eur,
            "coordinator_email": coordinator_email,
            "project_code": project_code,
            "entered_by": entered_by,
        },
        what="Antragsidee",
    )
    outcome = record_idea_task(data, today_berlin(), current_flow_run_id())
    tag_current_run([outcome.application.reference])
    delivery = deliver_mail_task(outcome.outbox_ids)
    publish_idea_summary(outcome, delivery)
    publish_portfolio()
    refresh_menu(get_services().sessions)
    return outcome.application
