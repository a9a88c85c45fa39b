"""Running an import: read the source (outside the transaction), then store it in one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services, get_services
from models.radar.catalogue import FDB_LICENCE
from models.radar.matching import MatchRules
from models.steps import AuditEntry, MailPlan, StepPlan
from tasks.common import retry_unless_domain_error
from tasks.radar.digest import immediate_mails
from tasks.radar.rating import RADAR_OWNER
from tasks.radar.sources import read_location, read_path
from tasks.radar.store import ImportReport, apply_snapshot
from tasks.steps import StepOutcome, carry_out

CATALOGUE_FILE = "foerderaufrufe.yaml"
STEP = "radar-import"


def run_import(
    services: Services, location: str | None, *, entered_by: str, today: dt.date
) -> ImportReport:
    """Import the snapshot at ``location`` (empty: the official FDB export)."""
    snapshot = read_location(location)
    return run_in_transaction(
        lambda session: apply_snapshot(session, snapshot, entered_by=entered_by, today=today),
        services.sessions,
    )


def import_plan(report: ImportReport, mails: list[MailPlan], entered_by: str) -> StepPlan:
    """What an import shows and sends: its counts and the immediate mails of new calls."""
    return StepPlan(
        headline=f"Import: {report.new} neu, {report.changed} geändert, {report.gone} entfallen",
        facts=[
            ("Quelle", f"{report.location} ({report.source})"),
            ("Neu", str(report.new)),
            ("Geändert", str(report.changed)),
            ("Entfallen", str(report.gone)),
            ("Unverändert", str(report.unchanged)),
            ("Sofortmeldungen an die Federführung der Handlungsfelder", str(len(mails))),
            ("Texte der Förderdatenbank", FDB_LICENCE),
            ("Ergebniszeile", report.summary_line),
        ],
        warnings=report.warnings,
        next_step="Treffer in der Tabelle „foerder-radar“ ansehen und mit `radar-bewertung` "
        "je Körperschaft bewerten.",
        audit=[
            AuditEntry(
                action="radar-import",
                actor=entered_by,
                details={"import_id": report.import_id, "summary": report.summary_line},
            )
        ],
        mails=mails,
    )


def import_step(
    services: Services,
    location: str | None,
    *,
    rules: MatchRules,
    threshold: int,
    entered_by: str,
    flow_run_id: str | None = None,
) -> tuple[ImportReport, StepOutcome]:
    """Import ``location`` and queue the immediate mails of its new calls, in one transaction."""
    snapshot = read_location(location)

    def work(session: Session) -> tuple[ImportReport, StepOutcome]:
        report = apply_snapshot(session, snapshot, entered_by=entered_by, today=rules.today)
        mails = immediate_mails(session, services, report.new_call_ids, rules, threshold)
        # carried out without run_step's fingerprint: an import is idempotent by content (the
        # store compares fingerprints), and a repeated import must read the source again
        outcome = carry_out(
            session,
            services.settings,
            import_plan(report, mails, entered_by),
            owner=RADAR_OWNER,
            step=STEP,
            flow_run_id=flow_run_id,
        )
        return report, outcome

    return run_in_transaction(work, services.sessions)


def seed_catalogue(session: Session, data_dir: Path, today: dt.date) -> ImportReport | None:
    """The tenant's own catalogue entries (``data/foerderaufrufe.yaml``), in the seed's
    transaction; a missing file is fine."""
    path = data_dir / CATALOGUE_FILE
    if not path.exists():
        return None
    snapshot = read_path(path)
    return apply_snapshot(session, snapshot, entered_by="foerderflow seed", today=today)


@task(
    name=STEP,
    retries=1,
    retry_delay_seconds=5,
    retry_condition_fn=retry_unless_domain_error,
    cache_policy=NO_CACHE,
)
def import_task(
    location: str | None, rules: MatchRules, threshold: int, flow_run_id: str | None
) -> tuple[ImportReport, StepOutcome]:
    return import_step(
        get_services(),
        location,
        rules=rules,
        threshold=threshold,
        entered_by=STEP,
        flow_run_id=flow_run_id,
    )
