"""strategie-konsolidierung: the draft of the revision and one Sitzungsvorlage per body."""

from __future__ import annotations

from prefect import flow

from models.forms import form_field, today_berlin, validate_input
from models.strategy import KonsolidierungInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.strategy import StrategyOutcome, consolidate_cycle_task, finish_strategy_step, tag_year


@flow(
    name="strategie-konsolidierung",
    description="Statusmeldungen zusammenführen: Entwurf der Fortschreibung und je "
    "Körperschaft eine Sitzungsvorlage.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def strategie_konsolidierung(
    year: int = form_field(KonsolidierungInput, "year"),
    entered_by: str = form_field(KonsolidierungInput, "entered_by"),
) -> StrategyOutcome:
    tag_year(year)
    data = validate_input(
        KonsolidierungInput, {"year": year, "entered_by": entered_by}, what="Konsolidierung"
    )
    return finish_strategy_step(consolidate_cycle_task(data, today_berlin(), current_flow_run_id()))
