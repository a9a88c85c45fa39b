"""antrag-nachweis: drafts a Zwischen- or Verwendungsnachweis, or records it as submitted."""

from __future__ import annotations

from models.application_inputs import ReportInput
from models.forms import today_berlin
from tasks.application_process import APPLICATION, tag_reference
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import record_report_task
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step


@form_flow(ReportInput, name="antrag-nachweis", what="Nachweis", before=tag_reference)
def antrag_nachweis(data: ReportInput) -> StepOutcome:
    """Zwischen- oder Verwendungsnachweis als Entwurf erstellen oder als eingereicht erfassen."""
    return finish_step(record_report_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
