"""One application through every stage, as deployments on a real Prefect server and worker.

Each step runs once as a deployment (the Nachweis twice: interim and final). Checks the content
of every mailed document, the stage and the audit trail in the database, and that every run
carries the reference as its tag. The other paths – a partner who declines, changes requested
at the Freigabe – and that a repeated step changes nothing are shown by the in-process flow
tests (tests/flows/test_lifecycle.py), where a run costs no extra process start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from support import attachments, docx_text
from tests_integration_support import MailWatch, run_completed

from foerderflow.db import make_engine
from models.forms import today_berlin

pytestmark = [pytest.mark.integration]

TODAY = today_berlin()  # the stack's "today", also between 23:00 and 24:00 UTC


def _step(stack, name: str, **parameters: Any) -> list:
    """Run a step once, check its tag, and return the mails it produced: the new ones that
    name the application (other tests run on the same stack at the same time)."""
    reference = parameters["reference"].split()[0]
    watch = MailWatch(stack.maildir)
    run = run_completed(name, **parameters)
    assert reference in run.tags, (name, run.tags)
    return watch.wait(0, subject=reference)


def _doc(mails: list, suffix: str) -> str:
    for _, message in mails:
        for name, (_, data) in attachments(message).items():
            if name.endswith(suffix):
                return docx_text(data)
    raise AssertionError(f"kein Anhang {suffix}")


def test_application_through_every_stage(stack, prefect_api) -> None:
    run = run_completed(
        "antrag-idee",
        title="Digitale Dorfplätze & „Bürger-WLAN“",
        summary="Kostenloses WLAN und digitale Informationsstelen in den Ortskernen.",
        lead_body="Dülmen",
        partner_bodies=["Olfen"],
        programme="Heimat 2.0",
        estimated_costs_eur=480000,
        coordinator_email="koordination@duelmen.example",
        entered_by="Anna Beispiel",
    )
    ref = next(t for t in run.tags if t.startswith("FA-"))

    mails = _step(
        stack, "antrag-partnercheck", reference=ref, split_key="gleich", entered_by="Anna Beispiel"
    )
    assert [m.recipients[0] for m, _ in mails] == ["digitalisierung@olfen.example"]
    olfen = _doc(mails, "absichtserklaerung_olfen_v1.docx")
    # 480,000 € · 90 % = 432,000 € grant; own share 48,000 € in two equal parts
    assert "Stadt Olfen" in olfen and "24.000,00\u00a0€" in olfen

    mails = _step(
        stack,
        "antrag-partnerantwort",
        reference=ref,
        body="Olfen",
        decision="zugesagt",
        entered_by="Anna Beispiel",
    )
    plan = _doc(mails, "finanzierungsplan_v1.docx")
    assert "24.000,00\u00a0€" in plan and "48.000,00\u00a0€" in plan  # two halves, total
    sv_duelmen = _doc(mails, "sitzungsvorlage_duelmen_v1.docx")
    assert "§ 41 (1) GO NRW" in sv_duelmen and "24.000,00\u00a0€" in sv_duelmen
    assert "Rat der Stadt Dülmen" in sv_duelmen
    assert "Stadt Olfen" in _doc(mails, "kooperationsvereinbarung_v1.docx")

    # A second draft by hand (antrag-entwurf), with notes for the Förderantrag.
    mails = _step(
        stack,
        "antrag-entwurf",
        reference=ref,
        notes="Arbeitsplan mit den Schulträgern abgestimmt.",
        entered_by="Anna Beispiel",
    )
    assert "Arbeitsplan mit den Schulträgern abgestimmt." in _doc(mails, "foerderantrag_v2.docx")

    _step(
        stack,
        "antrag-freigabe",
        reference=ref,
        approved=True,
        comments="",
        entered_by="Bernd Prüfer",
    )
    mails = _step(
        stack,
        "antrag-einreichung",
        reference=ref,
        submitted_on=TODAY.isoformat(),
        funder_reference="BBSR-4711",
        entered_by="Anna Beispiel",
    )
    assert "BBSR-4711" in mails[0][0].body
    start = dt.date(TODAY.year + 1, 1, 1)
    mails = _step(
        stack,
        "antrag-bescheid",
        reference=ref,
        outcome="bewilligt",
        notice_date=TODAY.isoformat(),
        period_start=start.isoformat(),
        period_end=dt.date(start.year + 2, 12, 31).isoformat(),
        entered_by="Anna Beispiel",
    )
    assert "Verwendungsnachweis" in mails[0][0].body
    mails = _step(
        stack,
        "antrag-nachweis",
        reference=ref,
        kind="zwischennachweis",
        year=start.year,
        entered_by="Anna Beispiel",
    )
    nachweis = _doc(mails, f"zwischennachweis_{start.year}_v1.docx")
    assert "laut Bescheid" in nachweis and "432.000,00\u00a0€" in nachweis
    _step(
        stack,
        "antrag-nachweis",
        reference=ref,
        kind="verwendungsnachweis",
        submitted_on=TODAY.isoformat(),
        entered_by="Anna Beispiel",
    )

    engine = make_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            stage = conn.execute(
                text("select stage from applications where reference = :r"), {"r": ref}
            ).scalar()
            trail = conn.execute(
                text(
                    "select from_stage, to_stage from audit_events "
                    "where owner = :r and to_stage is not null order by id"
                ),
                {"r": ref},
            ).all()
            open_deadlines = conn.execute(
                text("select count(*) from deadlines where owner = :r and status = 'offen'"),
                {"r": ref},
            ).scalar()
    finally:
        engine.dispose()
    assert stage == "abgeschlossen"
    assert [tuple(t) for t in trail] == [
        (None, "idee"),
        ("idee", "partnerpruefung"),
        ("partnerpruefung", "entwurf"),
        ("entwurf", "entwurf"),
        ("entwurf", "freigegeben"),
        ("freigegeben", "eingereicht"),
        ("eingereicht", "bewilligt"),
        ("bewilligt", "berichtspflicht"),
        ("berichtspflicht", "abgeschlossen"),
    ]
    assert open_deadlines == 0
