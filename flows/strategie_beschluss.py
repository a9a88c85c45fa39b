"""strategie-beschluss: records one council's resolution; the last adoption lifts the
Sperrvermerk."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
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
@form_input(BeschlussInput, what="Beschluss", before=lambda raw: tag_year(raw["year"]))
def strategie_beschluss(data: BeschlussInput) -> StepOutcome:
    return finish_step(record_resolution_task(data, today_berlin(), current_flow_run_id()), CYCLE)
