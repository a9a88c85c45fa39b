"""radar-import: the weekly import of the catalogue (Monday 06:00 Europe/Berlin) and on demand."""

from __future__ import annotations

from prefect import flow

from foerderflow.wiring import get_services
from models.forms import form_input, today_berlin
from models.radar.inputs import RadarImportInput
from models.radar.matching import MatchRules
from tasks.delivery import deliver_mail_task
from tasks.menu import refresh_menu
from tasks.notify import notify_failure
from tasks.radar.importing import import_task
from tasks.radar.matching import publish_overview_task
from tasks.radar.steps import immediate_task, publish_import_summary
from tasks.radar.store import ImportReport


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
    day = data.today or today_berlin()
    rules = MatchRules(today=day, lead_days=data.lead_days)
    report = import_task(data.source, "radar-import", day)
    outbox = immediate_task(report.new_call_ids, rules, data.threshold)
    delivery = deliver_mail_task(outbox)
    rows = publish_overview_task(rules)
    publish_import_summary(report, len(outbox), delivery, rows)
    refresh_menu(get_services().sessions)
    return report
