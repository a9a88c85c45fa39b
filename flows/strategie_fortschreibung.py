"""strategie-fortschreibung: opens the yearly revision and sends every body its Statusabfrage."""

from __future__ import annotations

from models.forms import today_berlin
from models.strategy import cycle_owner
from models.strategy_inputs import FortschreibungInput
from tasks.artifacts import current_flow_run_id, tag_current_run
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step
from tasks.strategy_open import open_cycle_task
from tasks.strategy_overview import CYCLE


@form_flow(FortschreibungInput, name="strategie-fortschreibung", what="Fortschreibung")
def strategie_fortschreibung(data: FortschreibungInput) -> StepOutcome:
    """Fortschreibung der Digitalisierungsstrategie eröffnen: Statusabfrage mit Rückmeldefrist an
    jede Körperschaft.
    """
    today = today_berlin()
    tag_current_run([cycle_owner(data.for_year(today))])
    return finish_step(open_cycle_task(data, today, current_flow_run_id()), CYCLE)
