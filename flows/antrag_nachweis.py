"""antrag-nachweis: drafts a Zwischen- or Verwendungsnachweis, or records it as submitted."""

from __future__ import annotations

from prefect import flow

from models.application_inputs import ReportInput
from models.forms import (
    form_input,
    today_berlin,
)
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import record_report_task
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-nachweis",
    description="Zwischen- oder Verwendungsnachweis als Entwurf erstellen oder als "
    "eingereicht erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(ReportInput, what="Nachweis", before=lambda raw: tag_reference(raw["reference"]))
def antrag_nachweis(data: ReportInput) -> StepOutcome:
    return finish_step(record_report_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
