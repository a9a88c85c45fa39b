"""antrag-bescheid: records the notice; a grant creates the reporting deadlines."""

from __future__ import annotations

from models.application_inputs import NoticeInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award import record_notice_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(NoticeInput, name="antrag-bescheid", what="Bescheid", before=tag_reference)
def antrag_bescheid(data: NoticeInput) -> StepOutcome:
    """Zuwendungsbescheid erfassen: Bewilligung, Teilbewilligung oder Ablehnung."""
    return finish_step(record_notice_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
