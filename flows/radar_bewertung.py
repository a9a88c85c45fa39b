"""radar-bewertung: a body marks a call; "Antragsidee anlegen" starts the idea pre-filled."""

from __future__ import annotations

from models.forms import today_berlin
from models.radar.inputs import RatingInput
from tasks.application_process import APPLICATION
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.idea import idea_task
from tasks.radar.steps import RADAR, idea_input_task, rating_task
from tasks.steps import StepOutcome, finish_step


@form_flow(RatingInput, name="radar-bewertung", what="Bewertung")
def radar_bewertung(data: RatingInput) -> StepOutcome:
    """Förder-Radar: einen Aufruf für eine Körperschaft bewerten (interessiert, beantragt, passt
    nicht, stumm); auf Wunsch sofort eine vorausgefüllte Antragsidee.
    """
    today, run_id = today_berlin(), current_flow_run_id()
    if data.create_idea:  # the step of antrag-idee, pre-filled: application, Projektskizze, mail
        idea = finish_step(idea_task(idea_input_task(data, today), today, run_id), APPLICATION)
        data = data.model_copy(update={"application_reference": idea.reference})
    return finish_step(rating_task(data, today, run_id), RADAR)
