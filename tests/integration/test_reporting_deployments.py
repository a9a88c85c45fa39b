"""Reporting through the real server and process worker: bericht-sachstand, newsletter-entwurf
→ newsletter-versand (twice: the second sends nothing) and projektatlas, each with an empty
form, after an application idea exists."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import create_engine, text
from support import attachments
from tests_integration_support import run_completed, wait_for_mails

from foerderflow.inbox import read_inbox

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]

CENTRAL = "koordination@digitalagentur-coe.example"


def _rows(stack: Any, sql: str) -> list[Any]:
    engine = create_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def test_reporting_deployments(stack: Any, prefect_api: str) -> None:
    run_completed(
        "antrag-idee", title="Digitale Bürgerdienste (Bericht)", summary="Für den Bericht.",
        lead_body="Olfen", partner_bodies=["Senden"], programme="Heimat 2.0",
        estimated_costs_eur=300000, coordinator_email="koordination@olfen.example",
        entered_by="Anna Beispiel",
    )  # fmt: skip
    seen = len(wait_for_mails(stack.maildir, 1))

    run_completed("bericht-sachstand")
    mails = wait_for_mails(stack.maildir, seen + 1)
    report = [
        msg
        for m, msg in mails[seen:]
        if m.recipients == [CENTRAL] and "Sachstandsbericht" in m.subject
    ]
    assert len(report) == 1
    ((name, (_, data)),) = attachments(report[0]).items()
    assert name.endswith("_sachstandsbericht_v1.docx")
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 4
    stages = {
        r.cells[0].text: r.cells[1].text
        for t in document.tables
        if t.rows[0].cells[0].text == "Stufe"
        for r in t.rows[1:]
    }
    ((ideas,),) = _rows(stack, "select count(*) from applications where stage = 'idee'")
    ((total,),) = _rows(stack, "select count(*) from applications")
    assert stages["Idee"] == str(ideas) and stages["Summe"] == str(total)
    seen = len(read_inbox(stack.maildir))

    run_completed("newsletter-entwurf")
    mails = wait_for_mails(stack.maildir, seen + 1)
    assert [m.recipients for m, _ in mails[seen:]] == [[CENTRAL]]
    seen = len(mails)
    run_completed("newsletter-versand")
    addresses = sorted(e for (e,) in _rows(stack, "select email from bodies"))
    mails = wait_for_mails(stack.maildir, seen + len(addresses))
    assert sorted(m.recipients[0] for m, _ in mails[seen:]) == addresses
    assert len(addresses) == 12
    seen = len(mails)
    run_completed("newsletter-versand")
    assert len(wait_for_mails(stack.maildir, seen + 1, timeout=5)) == seen

    run_completed("projektatlas")
    index = Path(stack.var_dir) / "site" / "index.html"
    html = index.read_text(encoding="utf-8")
    public = _rows(stack, "select code from projects where publish and status <> 'verworfen'")
    linked = set(re.findall(r'href="projekte/([a-z0-9-]+)\.html"', html))
    assert linked == {code.lower() for (code,) in public}
    assert all((index.parent / "projekte" / f"{code}.html").is_file() for code in linked)
