"""strategie-fortschreibung: opens the yearly revision and sends every body its Statusabfrage."""

from __future__ import annotations

from prefect import flow

from models.forms import (
    form_input,
    today_berlin,
)
from models.strategy_inputs import FortschreibungInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_open import open_cycle_task
from tasks.strategy_overview import CYCLE


@flow(
    name="strategie-fortschreibung",
    description="Fortschreibung der Digitalisierungsstrategie eröffnen: Statusabfrage mit "
    "Rückmeldefrist an jede Körperschaft.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(FortschreibungInput, what="Fortschreibung")
def strategie_fortschreibung(data: FortschreibungInput) -> StepOutcome:
    today = today_berlin()
    tag_year(data.for_year(today))
    return finish_step(open_cycle_task(data, today, current_flow_run_id()), CYCLE)
