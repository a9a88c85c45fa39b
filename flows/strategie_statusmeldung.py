"""strategie-statusmeldung: records one body's status report; the last one starts the
consolidation."""

from __future__ import annotations

from flows.strategie_konsolidierung import strategie_konsolidierung
from models.forms import today_berlin
from models.strategy_inputs import StatusmeldungInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.steps import StepOutcome, finish_step
from tasks.strategy import tag_year
from tasks.strategy_overview import CYCLE
from tasks.strategy_report import record_report_task


@form_flow(
    StatusmeldungInput, name="strategie-statusmeldung", what="Statusmeldung", before=tag_year
)
def strategie_statusmeldung(data: StatusmeldungInput) -> StepOutcome:
    """Statusmeldung einer Körperschaft zur Fortschreibung erfassen (eine zweite Meldung ersetzt die
    erste).
    """
    outcome = finish_step(record_report_task(data, today_berlin(), current_flow_run_id()), CYCLE)
    if outcome.follow_up == "konsolidierung":
        strategie_konsolidierung(year=data.year, entered_by=data.entered_by)
    return outcome
