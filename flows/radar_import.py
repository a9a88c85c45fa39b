"""radar-import: the weekly import of the catalogue (Monday 06:00 Europe/Berlin) and on demand."""

from __future__ import annotations

from models.radar.inputs import RadarImportInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.radar.importing import import_task
from tasks.radar.steps import radar_process, rules_for
from tasks.radar.store import ImportReport
from tasks.steps import finish_step


@form_flow(RadarImportInput, name="radar-import", what="Import")
def radar_import(data: RadarImportInput) -> ImportReport:
    """Förder-Radar: Programme und Aufrufe importieren (Förderdatenbank des Bundes, EU Funding &
    Tenders Portal oder eigene Liste), Änderungen festhalten und neue, sehr gut passende Aufrufe
    sofort melden.
    """
    rules = rules_for(data)
    report, outcome = import_task(data.source, rules, data.threshold, current_flow_run_id())
    finish_step(outcome, radar_process(rules))
    return report
