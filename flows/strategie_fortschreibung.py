"""strategie-fortschreibung: opens the yearly revision and sends every body its Statusabfrage."""

from __future__ import annotations

from prefect import flow

from models.forms import (
    OptionalDateField,
    OptionalIntField,
    form_field,
    today_berlin,
    validate_input,
)
from models.strategy import FortschreibungInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.strategy import StrategyOutcome, finish_strategy_step, open_cycle_task, tag_year


@flow(
    name="strategie-fortschreibung",
    description="Fortschreibung der Digitalisierungsstrategie eröffnen: Statusabfrage mit "
    "Rückmeldefrist an jede Körperschaft.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def strategie_fortschreibung(
    year: OptionalIntField = form_field(FortschreibungInput, "year"),
    response_due: OptionalDateField = form_field(FortschreibungInput, "response_due"),
    entered_by: str = form_field(FortschreibungInput, "entered_by"),
) -> StrategyOutcome:
    today = today_berlin()
    data = validate_input(
        FortschreibungInput,
        {"year": year, "response_due": response_due, "entered_by": entered_by},
        what="Fortschreibung",
    )
    tag_year(data.for_year(today))
    return finish_strategy_step(open_cycle_task(data, today, current_flow_run_id()))
