"""Reporting through the real server and process worker: bericht-sachstand, newsletter-entwurf
→ newsletter-versand and projektatlas, each with an empty form, with an application idea
marked for the atlas. That a second release sends nothing is shown in-process
(tests/reporting/test_newsletter.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from support import attachments
from tests_integration_support import MailWatch, db_rows, run_completed, runs_completed

pytestmark = [pytest.mark.integration]

CENTRAL = "koordination@digitalagentur-coe.example"


def _rows(stack: Any, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return db_rows(stack.db_url, sql, **params)


def test_reporting_deployments(stack: Any, prefect_api: str) -> None:
    """Three rounds of runs side by side, in the order the steps depend on each other: the
    idea and the newsletter draft; then the idea's atlas mark, the report and the release;
    then the atlas."""
    watch = MailWatch(stack.maildir)
    ((total_before,),) = _rows(stack, "select count(*) from applications")
    idea, _ = runs_completed(
        (
            "antrag-idee",
            {
                "title": "Digitale Bürgerdienste (Bericht)",
                "summary": "Für den Bericht.",
                "lead_body": "Olfen",
                "partner_bodies": ["Senden"],
                "programme": "Heimat 2.0",
                "estimated_costs_eur": 300000,
                "coordinator_email": "koordination@olfen.example",
                "entered_by": "Anna Beispiel",
            },
        ),
        ("newsletter-entwurf", {}),
    )
    ref = next(t for t in idea.tags if t.startswith("FA-"))
    drafts = watch.wait(1, subject="ENTWURF – ", to=CENTRAL)
    assert [m.recipients for m, _ in drafts] == [[CENTRAL]]

    # Not in the public atlas: atlas-sichtbarkeit records it, projektatlas below leaves it out.
    runs_completed(
        ("atlas-sichtbarkeit", {"reference": ref, "publish": False, "entered_by": "Anna Beispiel"}),
        ("bericht-sachstand", {}),
        ("newsletter-versand", {}),
    )
    assert _rows(stack, "select publish from applications where reference = :r", r=ref) == [
        (False,)
    ]

    report = [msg for _, msg in watch.wait(1, subject="Sachstandsbericht", to=CENTRAL)]
    assert len(report) == 1
    ((name, (_, data)),) = attachments(report[0]).items()
    assert name.endswith("_sachstandsbericht_v1.docx")
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 4
    stages = {
        r.cells[0].text: int(r.cells[1].text)
        for t in document.tables
        if t.rows[0].cells[0].text == "Stufe"
        for r in t.rows[1:]
    }
    # Other tests add applications on the same stack meanwhile: the report counts every one
    # that existed when it ran (this test's idea among them), and its stages add up to its total.
    ((total_after,),) = _rows(stack, "select count(*) from applications")
    assert total_before + 1 <= stages["Summe"] <= total_after
    assert sum(n for stage, n in stages.items() if stage != "Summe") == stages["Summe"]
    assert stages["Idee"] >= 1

    addresses = sorted(e for (e,) in _rows(stack, "select email from bodies"))
    edition = drafts[0][0].subject.removeprefix("ENTWURF – ")
    sent = watch.wait(len(addresses), subject=edition)
    assert sorted(m.recipients[0] for m, _ in sent) == addresses
    assert len(addresses) == 12
    # A second release sends nothing: tests/reporting/test_newsletter.py (in-process).

    run_completed("projektatlas")
    index = Path(stack.var_dir) / "site" / "index.html"
    html = index.read_text(encoding="utf-8")
    public = _rows(stack, "select code from projects where publish and status <> 'verworfen'")
    linked = set(re.findall(r'href="projekte/([a-z0-9-]+)\.html"', html))
    assert linked == {code.lower() for (code,) in public}
    assert all((index.parent / "projekte" / f"{code}.html").is_file() for code in linked)
    site = "".join(p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html"))
    assert ref not in site and "Digitale Bürgerdienste (Bericht)" not in site
