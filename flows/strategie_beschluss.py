"""strategie-beschluss: records one council's resolution; the last adoption lifts the
Sperrvermerk."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from models.bodies import BodyChoice
from models.forms import OptionalDateField, form_field, today_berlin, validate_input
from models.strategy import BeschlussInput, ResolutionOutcome
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.strategy import StrategyOutcome, finish_strategy_step, record_resolution_task, tag_year


@flow(
    name="strategie-beschluss",
    description="Beschluss eines Rates oder des Kreistages zur Fortschreibung erfassen.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def strategie_beschluss(
    year: int = form_field(BeschlussInput, "year"),
    body: BodyChoice = form_field(BeschlussInput, "body"),
    outcome: ResolutionOutcome = form_field(BeschlussInput, "outcome"),
    meeting_date: dt.date = form_field(BeschlussInput, "meeting_date"),
    next_meeting: OptionalDateField = form_field(BeschlussInput, "next_meeting"),
    note: str = form_field(BeschlussInput, "note"),
    entered_by: str = form_field(BeschlussInput, "entered_by"),
) -> StrategyOutcome:
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
    return finish_strategy_step(record_resolution_task(data, today_berlin(), current_flow_run_id()))
