"""radar-import as a deployment on the real stack (server, process worker, embedded
PostgreSQL): an FDB-shaped export, the same export again, and the export with one changed
programme give the expected counts; the counts are read back from the stack's database. That
the same week's digest again sends nothing is shown in-process
(tests/radar/test_radar_flows.py), where a repeat costs no extra flow-run process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests_integration_support import MailWatch, db_rows, run_completed, runs_completed

from benchmarks.radar_export import write_zip
from tests.radar.test_import import EXPORT, EXPORT_MOVED_DEADLINE

pytestmark = [pytest.mark.integration]


def _last_import(stack: Any) -> tuple[int, int, int, int]:
    (row,) = db_rows(
        stack.db_url,
        "select new, changed, gone, unchanged from radar_imports "
        "where source = 'fdb' order by id desc limit 1",
    )
    return row  # type: ignore[return-value]


def test_radar_import_deployment_counts(stack: Any, prefect_api: str, tmp_path: Path) -> None:
    first = write_zip(tmp_path / "export.zip", EXPORT)
    run_completed("radar-import", source=str(first))
    assert _last_import(stack) == (4, 0, 0, 0)
    run_completed("radar-import", source=str(first))  # issue 12 asks for it as a deployment
    assert _last_import(stack) == (0, 0, 0, 4)
    run_completed(
        "radar-import", source=str(write_zip(tmp_path / "neu.zip", EXPORT_MOVED_DEADLINE))
    )
    assert _last_import(stack) == (0, 1, 0, 3)
    changes = db_rows(
        stack.db_url,
        "select old_value::text, new_value::text from radar_changes "
        "where field = 'deadline' order by id desc limit 1",
    )
    assert changes == [('"2027-03-31"', '"2027-06-30"')]


def test_manual_call_then_weekly_digest(stack: Any, prefect_api: str) -> None:
    """radar-aufruf and radar-digest as deployments: a call typed in from a ministry's page
    is in the catalogue and reaches the weekly overview of a body it fits."""
    watch = MailWatch(stack.maildir)
    run_completed(
        "radar-aufruf",
        programme_title="Digitale Dörfer NRW (Integrationstest)",
        title="Förderaufruf 2028",
        call_id="digitale-doerfer-it-2028",
        funder="Land NRW",
        url="https://www.mhkbd.nrw/",
        status="open",
        deadline_model="single",
        deadline="2028-06-30",
        applicant_types=["gemeinde", "kreis"],
        regions=["05"],
        themes=["Digitalisierung", "Verwaltung"],
        keywords=["interkommunal"],
        rate_percent=80,
        max_grant_eur=200000,
        entered_by="Anna Beispiel",
    )
    calls = db_rows(
        stack.db_url,
        "select source, deadline::text from radar_calls where call_id = 'digitale-doerfer-it-2028'",
    )
    assert calls == [("manual", "2028-06-30")]

    # radar-digest and radar-bewertung side by side: both only need the call. Olfen is
    # interested (the browser tour, in make test-all, also starts an idea from it); the
    # rating is the stack's record.
    monday = "2028-03-06"  # a week of its own: no other test runs a digest on the stack
    runs_completed(
        ("radar-digest", {"today": monday, "lead_days": 42}),
        (
            "radar-bewertung",
            {
                "body": "Olfen",
                "call_id": "digitale-doerfer-it-2028",
                "rating": "interessiert",
                "entered_by": "Anna Beispiel",
            },
        ),
    )
    digests = watch.wait(1, subject="Förder-Radar Woche vom 06.03.2028", timeout=30)
    kreis = [msg for m, msg in digests if m.recipients == ["digitalagentur@kreis-coesfeld.example"]]
    assert digests and kreis, [m.recipients for m, _ in digests]
    body = kreis[0].get_content()
    assert "Digitale Dörfer NRW (Integrationstest)" in body and "30.06.2028" in body
    # The same week again sends nothing: tests/radar/test_radar_flows.py (in-process).

    ratings = db_rows(
        stack.db_url,
        "select r.rating from radar_ratings r join radar_calls c on c.id = r.call_id "
        "join bodies b on b.id = r.body_id "
        "where c.call_id = 'digitale-doerfer-it-2028' and b.name = 'Olfen'",
    )
    assert ratings == [("interessiert",)]
