"""antrag-nachweis: drafts a Zwischen- or Verwendungsnachweis, or records it as submitted."""

from __future__ import annotations

from prefect import flow

from models.antrag_inputs import ReportInput, ReportKind
from models.forms import (
    OptionalDateField,
    OptionalIntField,
    form_field,
    today_berlin,
    validate_input,
)
from tasks.artifacts import current_flow_run_id
from tasks.award_followup import record_report_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-nachweis",
    description="Zwischen- oder Verwendungsnachweis als Entwurf erstellen oder als "
    "eingereicht erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_nachweis(
    reference: str = form_field(ReportInput, "reference"),
    kind: ReportKind = form_field(ReportInput, "kind"),
    year: OptionalIntField = form_field(ReportInput, "year"),
    submitted_on: OptionalDateField = form_field(ReportInput, "submitted_on"),
    entered_by: str = form_field(ReportInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        ReportInput,
        {
            "reference": reference,
            "kind": kind,
            "year": year,
            "submitted_on": submitted_on,
            "entered_by": entered_by,
        },
        what="Nachweis",
    )
    return finish_step(record_report_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
