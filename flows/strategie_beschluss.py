"""strategie-beschluss: records one council's resolution; the last adoption lifts the
Sperrvermerk."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from models.bodies import BodyName
from models.forms import OptionalDateField, form_field, today_berlin, validate_input
from models.strategy import ResolutionOutcome
from models.strategy_inputs import BeschlussInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_overview import CYCLE
from tasks.strategy_resolution import record_resolution_task


@flow(
    name="strategie-beschluss",
    description="Beschluss eines Rates oder des Kreistages zur Fortschreibung erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def strategie_beschluss(
    year: int = form_field(BeschlussInput, "year"),
    body: BodyName = form_field(BeschlussInput, "body"),
    outcome: ResolutionOutcome = form_field(BeschlussInput, "outcome"),
    meeting_date: dt.date = form_field(BeschlussInput, "meeting_date"),
    next_meeting: OptionalDateField = form_field(BeschlussInput, "next_meeting"),
    note: str = form_field(BeschlussInput, "note"),
    entered_by: str = form_field(BeschlussInput, "entered_by"),
) -> StepOutcome:
    tag_year(year)
    data = validate_input(
        BeschlussInput,
        {
            "year": year,
            "body": body,
            "outcome": outcome,
            "meeting_date": meeting_date,
            "next_meeting": next_meeting,
            "note": note,
            "entered_by": entered_by,
        },
        what="Beschluss",
    )
    return finish_step(record_resolution_task(data, today_berlin(), current_flow_run_id()), CYCLE)
