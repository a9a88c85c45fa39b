"""radar-import as a deployment on the real stack (server, process worker, embedded
PostgreSQL): an FDB-shaped export, the same export again, and the export with one changed
programme give the expected counts; the counts are read back from the stack's database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tests_integration_support import run_completed

from benchmarks.radar_export import write_zip
from tests.radar.test_import import EXPORT

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def _last_import(stack: Any) -> tuple[int, int, int, int]:
    engine = create_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "select new, changed, gone, unchanged from radar_imports "
                    "where source = 'fdb' order by id desc limit 1"
                )
            ).one()
    finally:
        engine.dispose()
    return tuple(row)  # type: ignore[return-value]


def test_radar_import_deployment_counts(stack: Any, prefect_api: str, tmp_path: Path) -> None:
    first = write_zip(tmp_path / "export.zip", EXPORT)
    run_completed("radar-import", source=str(first))
    assert _last_import(stack) == (4, 0, 0, 0)
    run_completed("radar-import", source=str(first))
    assert _last_import(stack) == (0, 0, 0, 4)
    changed = [replace(EXPORT[0], deadlines_text="Stichtag: 30.06.2027."), *EXPORT[1:]]
    run_completed("radar-import", source=str(write_zip(tmp_path / "neu.zip", changed)))
    assert _last_import(stack) == (0, 1, 0, 3)
    engine = create_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            old, new = conn.execute(
                text(
                    "select old_value::text, new_value::text from radar_changes "
                    "where field = 'deadline' order by id desc limit 1"
                )
            ).one()
    finally:
        engine.dispose()
    assert (old, new) == ('"2027-03-31"', '"2027-06-30"')
