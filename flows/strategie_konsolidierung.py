"""strategie-konsolidierung: the draft of the revision and one Sitzungsvorlage per body."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
from models.strategy_inputs import KonsolidierungInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_consolidate import consolidate_cycle_task
from tasks.strategy_overview import CYCLE


@flow(
    name="strategie-konsolidierung",
    description="Statusmeldungen zusammenführen: Entwurf der Fortschreibung und je "
    "Körperschaft eine Sitzungsvorlage.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(KonsolidierungInput, what="Konsolidierung", before=lambda raw: tag_year(raw["year"]))
def strategie_konsolidierung(data: KonsolidierungInput) -> StepOutcome:
    return finish_step(consolidate_cycle_task(data, today_berlin(), current_flow_run_id()), CYCLE)
