"""antrag-bescheid: records the notice; a grant creates the reporting deadlines."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from models.antrag_inputs import NoticeInput, NoticeOutcome
from models.forms import (
    OptionalDateField,
    OptionalEuroField,
    form_field,
    today_berlin,
    validate_input,
)
from tasks.artifacts import current_flow_run_id
from tasks.award import record_notice_task
from tasks.flowkit import APPLICATION, tag_reference
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step


@flow(
    name="antrag-bescheid",
    description="Zuwendungsbescheid erfassen: Bewilligung, Teilbewilligung oder Ablehnung.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def antrag_bescheid(
    reference: str = form_field(NoticeInput, "reference"),
    outcome: NoticeOutcome = form_field(NoticeInput, "outcome"),
    granted_eur: OptionalEuroField = form_field(NoticeInput, "granted_eur"),
    notice_date: dt.date = form_field(NoticeInput, "notice_date"),
    period_start: OptionalDateField = form_field(NoticeInput, "period_start"),
    period_end: OptionalDateField = form_field(NoticeInput, "period_end"),
    interim_report_dates: list[dt.date] = form_field(NoticeInput, "interim_report_dates"),
    final_report_months: int = form_field(NoticeInput, "final_report_months"),
    note: str = form_field(NoticeInput, "note"),
    entered_by: str = form_field(NoticeInput, "entered_by"),
) -> StepOutcome:
    tag_reference(reference)
    data = validate_input(
        NoticeInput,
        {
            "reference": reference,
            "outcome": outcome,
            "granted_eur": granted_eur,
            "notice_date": notice_date,
            "period_start": period_start,
            "period_end": period_end,
            "interim_report_dates": interim_report_dates,
            "final_report_months": final_report_months,
            "note": note,
            "entered_by": entered_by,
        },
        what="Bescheid",
    )
    return finish_step(record_notice_task(data, today_berlin(), current_flow_run_id()), APPLICATION)
