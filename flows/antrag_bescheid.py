"""antrag-bescheid: records the notice; a grant creates the reporting deadlines."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import NoticeInput
from models.forms import (
    form_input,
    today_berlin,
)
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award import record_notice_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-bescheid",
    description="Zuwendungsbescheid erfassen: Bewilligung, Teilbewilligung oder Ablehnung.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(NoticeInput, what="Bescheid", before=lambda raw: tag_reference(raw["reference"]))
def antrag_bescheid(data: NoticeInput) -> StepOutcome:
    return finish_step(record_notice_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
