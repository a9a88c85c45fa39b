"""Running an import: read the source (outside the transaction), then store it in one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services, get_services
from tasks.common import retry_unless_domain_error
from tasks.radar.sources import read_location, read_own
from tasks.radar.store import ImportReport, apply_snapshot

CATALOGUE_FILE = "foerderaufrufe.yaml"


def run_import(
    services: Services, location: str | None, *, entered_by: str, today: dt.date
) -> ImportReport:
    """Import the snapshot at ``location`` (empty: the official FDB export)."""
    snapshot = read_location(location)
    return run_in_transaction(
        lambda session: apply_snapshot(session, snapshot, entered_by=entered_by, today=today),
        services.sessions,
    )


def seed_catalogue(session: Session, data_dir: Path, today: dt.date) -> ImportReport | None:
    """The tenant's own catalogue entries (``data/foerderaufrufe.yaml``), in the seed's
    transaction; a missing file is fine."""
    path = data_dir / CATALOGUE_FILE
    if not path.exists():
        return None
    snapshot = read_own(path.read_bytes(), path.name)
    return apply_snapshot(session, snapshot, entered_by="foerderflow seed", today=today)


@task(
    name="radar-import",
    retries=1,
    retry_delay_seconds=5,
    retry_condition_fn=retry_unless_domain_error,
    cache_policy=NO_CACHE,
)
def import_task(location: str | None, entered_by: str, today: dt.date) -> ImportReport:
    return run_import(get_services(), location, entered_by=entered_by, today=today)
