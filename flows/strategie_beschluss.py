"""strategie-beschluss: records one council's resolution; the last adoption lifts the
Sperrvermerk."""

from __future__ import annotations

from models.forms import today_berlin
from models.strategy_inputs import BeschlussInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_overview import CYCLE
from tasks.strategy_resolution import record_resolution_task


@form_flow(BeschlussInput, name="strategie-beschluss", what="Beschluss", before=tag_year)
def strategie_beschluss(data: BeschlussInput) -> StepOutcome:
    """Beschluss eines Rates oder des Kreistages zur Fortschreibung erfassen."""
    return finish_step(record_resolution_task(data, today_berlin(), current_flow_run_id()), CYCLE)
