"""radar-bewertung: a body marks a call; "Antragsidee anlegen" starts the idea pre-filled."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import WithJsonSchema

from foerderflow.wiring import get_services
from models.bodies import BodyChoice
from models.forms import (
    OptionalEuroField,
    OptionalTextField,
    form_field,
    today_berlin,
    validate_input,
)
from models.radar.inputs import NotFitReason, Rating, RatingInput
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.calendar import write_feeds_task
from tasks.delivery import deliver_mail_task
from tasks.idea import record_idea_task
from tasks.menu import refresh_menu
from tasks.notify import notify_failure
from tasks.portfolio import publish_idea_summary, publish_portfolio
from tasks.radar.rating import RatingOutcome, link_application
from tasks.radar.steps import call_deadline_task, publish_rating_summary, rating_task

OptionalReason = Annotated[
    NotFitReason | None,
    WithJsonSchema({"type": "string", "enum": [r.value for r in NotFitReason]}),
]


@flow(
    name="radar-bewertung",
    description="Förder-Radar: einen Aufruf für eine Körperschaft bewerten (interessiert, "
    "beantragt, passt nicht, stumm); auf Wunsch sofort eine vorausgefüllte Antragsidee.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def radar_bewertung(
    body: BodyChoice = form_field(RatingInput, "body"),
    call_id: str = form_field(RatingInput, "call_id"),
    rating: Rating = form_field(RatingInput, "rating"),
    reason: OptionalReason = form_field(RatingInput, "reason"),
    note: str = form_field(RatingInput, "note"),
    application_reference: OptionalTextField = form_field(RatingInput, "application_reference"),
    create_idea: bool = form_field(RatingInput, "create_idea"),
    project_code: OptionalTextField = form_field(RatingInput, "project_code"),
    estimated_costs_eur: OptionalEuroField = form_field(RatingInput, "estimated_costs_eur"),
    entered_by: str = form_field(RatingInput, "entered_by"),
) -> RatingOutcome:
    data = validate_input(
        RatingInput,
        {
            "body": body,
            "call_id": call_id,
            "rating": rating,
            "reason": reason or None,
            "note": note,
            "application_reference": application_reference or None,
            "create_idea": create_idea,
            "project_code": project_code or None,
            "estimated_costs_eur": estimated_costs_eur,
            "entered_by": entered_by,
        },
        what="Bewertung",
    )
    today = today_berlin()
    outcome = rating_task(data, today, current_flow_run_id())
    reference = None
    if outcome.idea is not None:
        # the step of antrag-idee, pre-filled: application, Projektskizze, mail
        idea = record_idea_task(outcome.idea.idea, today, current_flow_run_id())
        reference = idea.application.reference
        tag_current_run([reference])
        link_application(get_services(), outcome.call_id, outcome.body, reference)
        if call_deadline_task(reference, outcome.idea):
            write_feeds_task()  # the call's deadline is the Stichtag, in the iCal feeds at once
        delivery = deliver_mail_task(idea.outbox_ids)
        publish_idea_summary(idea, delivery)
        publish_portfolio()
    publish_rating_summary(outcome, reference)
    refresh_menu(get_services().sessions)
    return outcome
