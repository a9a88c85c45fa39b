"""strategie-statusmeldung: records one body's status report; the last one starts the
consolidation."""

from __future__ import annotations

from prefect import flow

from flows.strategie_konsolidierung import strategie_konsolidierung
from models.bodies import BodyChoice
from models.forms import form_field, today_berlin, validate_input
from models.strategy import NewProjectInput, StatusEntryInput, StatusmeldungInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.strategy import StrategyOutcome, finish_strategy_step, record_report_task, tag_year


@flow(
    name="strategie-statusmeldung",
    description="Statusmeldung einer Körperschaft zur Fortschreibung erfassen (eine zweite "
    "Meldung ersetzt die erste).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def strategie_statusmeldung(
    year: int = form_field(StatusmeldungInput, "year"),
    body: BodyChoice = form_field(StatusmeldungInput, "body"),
    entries: list[StatusEntryInput] = form_field(StatusmeldungInput, "entries"),
    new_projects: list[NewProjectInput] = form_field(StatusmeldungInput, "new_projects"),
    entered_by: str = form_field(StatusmeldungInput, "entered_by"),
) -> StrategyOutcome:
    tag_year(year)
    data = validate_input(
        StatusmeldungInput,
        {
            "year": year,
            "body": body,
            "entries": entries,
            "new_projects": new_projects,
            "entered_by": entered_by,
        },
        what="Statusmeldung",
    )
    outcome = finish_strategy_step(record_report_task(data, today_berlin(), current_flow_run_id()))
    if outcome.follow_up == "konsolidierung":
        strategie_konsolidierung(year=data.year, entered_by=data.entered_by)
    return outcome
