"""strategie-konsolidierung: the draft of the revision and one Sitzungsvorlage per body."""

from __future__ import annotations

from models.forms import today_berlin
from models.strategy_inputs import KonsolidierungInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_consolidate import consolidate_cycle_task
from tasks.strategy_overview import CYCLE


@form_flow(
    KonsolidierungInput, name="strategie-konsolidierung", what="Konsolidierung", before=tag_year
)
def strategie_konsolidierung(data: KonsolidierungInput) -> StepOutcome:
    """Statusmeldungen zusammenführen: Entwurf der Fortschreibung und je Körperschaft eine
    Sitzungsvorlage.
    """
    return finish_step(consolidate_cycle_task(data, today_berlin(), current_flow_run_id()), CYCLE)
