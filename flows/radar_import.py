"""radar-import: the weekly import of the catalogue (Monday 06:00 Europe/Berlin) and on demand."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input
from models.radar.inputs import RadarImportInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.radar.importing import import_task
from tasks.radar.steps import radar_process, rules_for
from tasks.radar.store import ImportReport
from tasks.steps import finish_step


@flow(
    name="radar-import",
    description="Förder-Radar: Programme und Aufrufe importieren (Förderdatenbank des Bundes, "
    "EU Funding & Tenders Portal oder eigene Liste), Änderungen festhalten und neue, sehr "
    "gut passende Aufrufe sofort melden.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(RadarImportInput, what="Import")
def radar_import(data: RadarImportInput) -> ImportReport:
    rules = rules_for(data)
    report, outcome = import_task(data.source, rules, data.threshold, current_flow_run_id())
    finish_step(outcome, radar_process(rules))
    return report
