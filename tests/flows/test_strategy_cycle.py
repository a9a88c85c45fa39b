"""A whole strategy cycle, flow by flow, in-process: a temporary Prefect server, the real
database and a real SMTP server.

open → 12 reports (one with a new project, one late; the twelfth starts the consolidation)
→ 12 resolutions (one vertagt and later beschlossen) → the Sperrvermerk is lifted once.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort
from sqlalchemy import func, select
from support import attachments, docx_text, inbox

import flows.strategie_beschluss as beschluss_module
import flows.strategie_statusmeldung as statusmeldung_module
from flows.strategie_beschluss import strategie_beschluss
from flows.strategie_fortschreibung import strategie_fortschreibung
from flows.strategie_konsolidierung import strategie_konsolidierung
from flows.strategie_statusmeldung import strategie_statusmeldung
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services, use_services
from models.errors import InputError, NotFoundError
from models.forms import today_berlin
from models.tables import (
    Application,
    ApplicationPartner,
    AuditEvent,
    Body,
    Deadline,
    Document,
    OutboxMail,
    Programme,
    Project,
    StrategyCycle,
    StrategyRelease,
    StrategyResolution,
)
from tasks.mail import YagmailTransport
from tasks.strategy import link_application

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

YEAR = 2031  # a year no other flow test opens
OWNER = f"strategie-{YEAR}"
EUR = "\u00a0€"
CENTRAL = "koordination@digitalagentur-coe.example"
# One project per body to report on, and the status it reports.
REPORTS: dict[str, list[dict[str, str]]] = {
    "Kreis Coesfeld": [
        {"project_code": "HF3-02", "status": "zurueckgestellt", "note": "Förderaufruf abwarten"},
        {"project_code": "HF8-02", "status": "in_umsetzung"},
    ],
    "Ascheberg": [{"project_code": "HF7-02", "status": "in_umsetzung"}],
    "Billerbeck": [{"project_code": "HF4-02", "status": "in_umsetzung"}],
    "Coesfeld": [
        {"project_code": "HF2-04", "status": "abgeschlossen", "note": "Seit Oktober im Einsatz"}
    ],
    "Dülmen": [{"project_code": "HF3-03", "status": "verworfen", "note": "Keine Finanzierung"}],
    "Havixbeck": [{"project_code": "HF5-03", "status": "geplant"}],
    "Lüdinghausen": [{"project_code": "HF2-02", "status": "in_umsetzung"}],
    "Nordkirchen": [{"project_code": "HF8-01", "status": "in_umsetzung"}],
    "Nottuln": [{"project_code": "HF5-03", "status": "in_umsetzung"}],
    "Olfen": [{"project_code": "HF3-04", "status": "abgeschlossen"}],
    "Senden": [{"project_code": "HF8-01", "status": "in_umsetzung"}],
    "Rosendahl": [{"project_code": "HF7-03", "status": "in_umsetzung"}],  # late, last
}
NEW_PROJECT = {
    "title": "Digitale Bürgersprechstunde per Video",
    "handlungsfeld": "Verwaltung & Bürgerservice",
    "participants": ["Olfen"],
    "description": "Sprechstunden der Bürgerbüros per Video für mobilitätseingeschränkte Menschen.",
}


def _counts(services: Services) -> dict[str, int]:
    tables = (AuditEvent, Deadline, Document, OutboxMail, Project, StrategyResolution)
    with services.sessions() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in tables
        }


def _linked_application(services: Services) -> None:
    """A granted joint application for HF4-01 (Dülmen lead, Olfen partner)."""
    with services.sessions.begin() as session:
        bodies = {b.name: b for b in session.scalars(select(Body))}
        programme = session.scalar(select(Programme).where(Programme.name == "Heimat 2.0"))
        assert programme is not None
        app = Application(
            reference="FA-2030-001", year=2030, stage="berichtspflicht",
            title="Regionaler Online-Marktplatz", summary="Marktplatz für den Handel.",
            lead_body_id=bodies["Dülmen"].id, programme_id=programme.id,
            estimated_costs_cents=50_000_000, coordinator_email="k@duelmen.example",
            created_by="Test", fingerprint="fa-2030-001", requested_grant_cents=45_000_000,
            granted_cents=42_000_000,
        )  # fmt: skip
        session.add(app)
        session.flush()
        session.add_all(
            [
                ApplicationPartner(
                    application_id=app.id, body_id=bodies["Dülmen"].id, position=0, is_lead=True
                ),
                ApplicationPartner(
                    application_id=app.id, body_id=bodies["Olfen"].id, position=1,
                    decision="zugesagt",
                ),
            ]
        )  # fmt: skip
    link_application(services, "FA-2030-001", "HF4-01")


class _Inbox:
    """The real SMTP inbox, read as "what arrived since the last look" (order-independent)."""

    def __init__(self, smtp: LocalInbox) -> None:
        self.maildir = smtp.maildir
        self.seen: set[str] = set()

    def new(self) -> list[tuple[Any, Any]]:
        items = [(m, msg) for m, msg in inbox(self.maildir) if m.key not in self.seen]
        self.seen.update(m.key for m, _ in items)
        return items


def _latest_table(key: str) -> list[dict[str, Any]]:
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert artifacts
    data: Any = artifacts[0].data
    return json.loads(data) if isinstance(data, str) else data


def _latest_markdown(key: str) -> str:
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert artifacts
    return str(artifacts[0].data)


def test_whole_cycle(seeded: Services, smtp: LocalInbox, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = seeded.settings.model_copy(
        update={"strategy_restricted_amount_eur": Decimal("250000")}
    )
    with use_services(Services(settings, seeded.sessions, YagmailTransport)) as services:
        _run_cycle(services, smtp, monkeypatch)


def _run_cycle(services: Services, smtp: LocalInbox, monkeypatch: pytest.MonkeyPatch) -> None:
    box = _Inbox(smtp)
    today = today_berlin()
    due = today + dt.timedelta(days=10)
    _linked_application(services)

    # --- 1. open: twelve status requests, twelve deadlines --------------------------------
    with pytest.raises(NotFoundError, match=f"Für das Jahr {YEAR} ist keine Fortschreibung"):
        strategie_statusmeldung(
            year=YEAR, body="Olfen", entries=REPORTS["Olfen"], entered_by="Bernd"
        )
    ((failure, _),) = box.new()
    assert failure.subject == f"Eingabefehler im Schritt strategie-statusmeldung ({OWNER})"

    state = strategie_fortschreibung(
        year=YEAR, response_due=due, entered_by="Anna Schmidt", return_state=True
    )
    opened = state.result()
    assert opened.headline.startswith(f"Fortschreibung {YEAR} eröffnet")
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert OWNER in run.tags
    requests = box.new()
    assert len(requests) == 12
    assert {m.recipients[0] for m, _ in requests} >= {
        CENTRAL,
        "digitalisierung@olfen.example",
        "digitalisierung@duelmen.example",
    }
    olfen = next(msg for m, msg in requests if m.recipients == ["digitalisierung@olfen.example"])
    ((name, (_, data)),) = attachments(olfen).items()
    assert name == f"{OWNER}_statusabfrage_olfen_v1.docx"
    text = docx_text(data)
    radverkehr = next(line for line in text.splitlines() if line.startswith("HF3-04 | "))
    assert radverkehr.split(" | ")[1:3] == [
        "Radverkehr digital – Radrouten und Mängelmelder",
        "Mobilität",
    ]
    assert radverkehr.split(" | ")[4] == "in Umsetzung"
    assert f"{due:%d.%m.%Y}" in text
    with services.sessions() as session:
        deadlines = session.scalars(
            select(Deadline).where(Deadline.owner == OWNER, Deadline.kind == "statusmeldung")
        ).all()
    assert len(deadlines) == 12 and {d.due_date for d in deadlines} == {due}
    before = _counts(services)
    again = strategie_fortschreibung(year=YEAR, response_due=due, entered_by="Anna Schmidt")
    assert again.repeated and _counts(services) == before
    assert box.new() == []
    with pytest.raises(InputError, match=f"Die Fortschreibung {YEAR} ist bereits seit dem"):
        strategie_fortschreibung(year=YEAR, entered_by="Anna Schmidt")

    # --- 2. reports (a refused one, one with a new project, one replaced, one late) --------
    with pytest.raises(InputError, match="Stadt Olfen ist an HF1-03"):
        strategie_statusmeldung(
            year=YEAR,
            body="Olfen",
            entries=[{"project_code": "HF1-03", "status": "abgeschlossen"}],
            entered_by="Bernd",
        )
    with pytest.raises(NotFoundError, match="HF1-09 ist in der Projektliste nicht bekannt"):
        strategie_statusmeldung(
            year=YEAR,
            body="Olfen",
            entries=[{"project_code": "HF1-09", "status": "abgeschlossen"}],
            entered_by="Bernd",
        )
    failures = box.new()  # the refusals above, each reported to the central coordinator
    assert len(failures) == 3 and {m.recipients[0] for m, _ in failures} == {CENTRAL}
    for body, entries in REPORTS.items():
        if body == "Rosendahl":
            continue
        out = strategie_statusmeldung(
            year=YEAR,
            body=body,
            entries=entries,
            new_projects=[NEW_PROJECT] if body == "Dülmen" else [],
            entered_by="Bernd",
        )
        assert out.follow_up is None
        if body == "Dülmen":
            assert ("HF2-07", "neu vorgeschlagen (geplant)") in out.facts
    replaced = strategie_statusmeldung(
        year=YEAR,
        body="Nottuln",
        entries=[{"project_code": "HF5-03", "status": "in_umsetzung", "note": "Start im Mai"}],
        entered_by="Bernd",
    )
    assert "ersetzt (2. Fassung)" in replaced.headline
    before = _counts(services)
    assert strategie_statusmeldung(
        year=YEAR, body="Senden", entries=REPORTS["Senden"], entered_by="Bernd"
    ).repeated
    assert _counts(services) == before
    assert box.new() == []  # reports send no mail

    monkeypatch.setattr(statusmeldung_module, "today_berlin", lambda: due + dt.timedelta(days=3))
    last = strategie_statusmeldung(
        year=YEAR, body="Rosendahl", entries=REPORTS["Rosendahl"], entered_by="Bernd"
    )
    monkeypatch.undo()
    assert last.follow_up == "konsolidierung"
    assert any("nach Ablauf der Rückmeldefrist" in w for w in last.warnings)

    # --- 3. the consolidation ran automatically: 12 papers + the whole set ----------------
    mails = box.new()
    assert len(mails) == 13
    package = next(
        msg for m, msg in mails if m.recipients == [CENTRAL] and "Entwurf und" in m.subject
    )
    files = attachments(package)
    assert len(files) == 13
    draft = docx_text(files[f"{OWNER}_entwurf_v1.docx"][1])
    assert f"Fortschreibung der Digitalisierungsstrategie {YEAR}" in draft
    rows = {r[0]: r for r in (line.split(" | ") for line in draft.splitlines()) if len(r) == 7}
    assert rows["HF2-04"][1:6] == [
        "Online-Terminvergabe in den Bürgerbüros", "Coesfeld",
        "Billerbeck, Dülmen, Havixbeck, Rosendahl", "in Umsetzung", "abgeschlossen",
    ]  # fmt: skip
    assert "Seit Oktober im Einsatz." in rows["HF2-04"][6]
    assert rows["HF2-07"][1:4] == ["Digitale Bürgersprechstunde per Video", "Dülmen", "Olfen"]
    assert rows["HF2-07"][5] == "geplant" and "Stadt Dülmen" in rows["HF2-07"][6]  # proposed
    assert rows["HF5-03"][1:6] == [
        "Digitale Nachbarschaftshilfe für ältere Menschen im Quartier", "Nottuln",
        "Billerbeck, Havixbeck", "geplant", "in Umsetzung",
    ]  # fmt: skip
    assert "Start im Mai." in rows["HF5-03"][6]
    assert f"Stadt Dülmen | 1 | 450.000,00{EUR} | 420.000,00{EUR}" in draft
    assert f"Stadt Olfen | 1 | 450.000,00{EUR} | 420.000,00{EUR}" in draft
    assert f"Gemeinde Senden | 0 | 0,00{EUR} | 0,00{EUR}" in draft
    funding_total = f" | 1 | 450.000,00{EUR} | 420.000,00{EUR}"
    assert sum(line.endswith(funding_total) for line in draft.splitlines()) == 3  # with the total
    prose = [line for line in draft.splitlines() if " | " not in line]
    assert any("Gemeinde Rosendahl" in line for line in prose)  # reported late
    papers = {m.recipients[0]: msg for m, msg in mails if m.subject.startswith("Sitzungsvorlage")}
    assert len(papers) == 12
    kreis_files = attachments(papers[CENTRAL])
    kreis_name = next(n for n in kreis_files if "sitzungsvorlage_kreis-coesfeld" in n)
    kreis = docx_text(kreis_files[kreis_name][1])
    assert "| Kreistag des Kreises Coesfeld" in kreis
    assert "§ 26 (1) KrO NRW" in kreis and f"250.000,00{EUR}" in kreis
    duelmen_files = attachments(papers["digitalisierung@duelmen.example"])
    duelmen = docx_text(next(d for n, (_, d) in duelmen_files.items() if "sitzungsvorlage" in n))
    assert "§ 41 (1) GO NRW" in duelmen and "§ 26 (1) KrO NRW" not in duelmen
    assert "SV-" in duelmen and "| Rat der Stadt Dülmen" in duelmen
    assert sorted(n.split("_")[1] for n in duelmen_files) == ["entwurf", "sitzungsvorlage"]
    with services.sessions() as session:
        closed = session.scalar(
            select(func.count())
            .select_from(Deadline)
            .where(
                Deadline.owner == OWNER,
                Deadline.kind == "statusmeldung",
                Deadline.status == "erledigt",
            )
        )
        assert closed == 12
    before = _counts(services)
    assert strategie_konsolidierung(year=YEAR, entered_by="Anna Schmidt").repeated
    assert _counts(services) == before and box.new() == []

    # --- 4. resolutions: Nottuln defers, later adopts; the last one lifts the restriction --
    later = today + dt.timedelta(days=60)
    monkeypatch.setattr(beschluss_module, "today_berlin", lambda: later)
    first_meeting = today + dt.timedelta(days=20)
    next_meeting = today + dt.timedelta(days=50)
    with pytest.raises(InputError, match="Körperschaft muss einer der Werte"):
        strategie_beschluss(
            year=YEAR, body="Münster", outcome="beschlossen", meeting_date=first_meeting,
            entered_by="Carla",
        )  # fmt: skip
    with pytest.raises(NotFoundError, match="Für das Jahr 2099 ist keine Fortschreibung"):
        strategie_beschluss(
            year=2099, body="Olfen", outcome="beschlossen", meeting_date=first_meeting,
            entered_by="Carla",
        )  # fmt: skip
    assert len(box.new()) == 2  # the two refusals
    deferred = strategie_beschluss(
        year=YEAR, body="Nottuln", outcome="vertagt", meeting_date=first_meeting,
        next_meeting=next_meeting, note="Beratungsbedarf in den Fraktionen", entered_by="Carla",
    )  # fmt: skip
    assert any("eskaliert" in w for w in deferred.warnings)
    ((escalation, _),) = box.new()
    assert escalation.subject == (
        f"Eskalation Fortschreibung {YEAR}: Beschluss des Rates der Gemeinde Nottuln – vertagt"
    )
    assert CENTRAL in escalation.recipients
    with services.sessions() as session:
        termin = session.scalar(
            select(Deadline).where(Deadline.owner == OWNER, Deadline.kind == "gremientermin")
        )
        assert termin is not None and termin.due_date == next_meeting and termin.is_termin
    for body in REPORTS:
        if body == "Nottuln":
            continue
        out = strategie_beschluss(
            year=YEAR, body=body, outcome="beschlossen", meeting_date=first_meeting,
            entered_by="Carla",
        )  # fmt: skip
        assert not out.released
    table = _latest_table(OWNER)
    assert len(table) == 12
    nottuln_row = next(r for r in table if r["Körperschaft"] == "Gemeinde Nottuln")
    assert nottuln_row["Beschluss"].startswith(f"vertagt am {first_meeting:%d.%m.%Y}")
    assert "| Beschlüsse | 11/12 |" in _latest_markdown(f"{OWNER}-fortschritt")
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StrategyRelease)) == 0

    assert box.new() == []  # adoptions send no mail until the last one
    final = strategie_beschluss(
        year=YEAR, body="Nottuln", outcome="beschlossen", meeting_date=next_meeting,
        entered_by="Carla",
    )  # fmt: skip
    assert final.released
    new = box.new()
    assert len(new) == 1
    release_mail, release_msg = new[0]
    assert release_mail.subject == (
        f"Aufhebung des Sperrvermerks: Fortschreibung der Digitalisierungsstrategie {YEAR} von "
        "allen Gremien beschlossen"
    )
    assert len(release_mail.recipients) == 12
    ((name, (_, data)),) = attachments(release_msg).items()
    confirmation = docx_text(data)
    assert confirmation.startswith("Aufhebung des Sperrvermerks")
    statement = next(line for line in confirmation.splitlines() if f"250.000,00{EUR}" in line)
    assert f"{later:%d.%m.%Y}" in statement  # released with effect from that day
    assert f"Rat der Gemeinde Nottuln | SV-{YEAR % 100}-" in confirmation
    assert any(  # the earlier deferral is noted
        "Rat der Gemeinde Nottuln" in line and f"{first_meeting:%d.%m.%Y}" in line
        for line in confirmation.splitlines()
        if " | " not in line
    )
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StrategyRelease)) == 1
        cycle = session.scalar(select(StrategyCycle).where(StrategyCycle.year == YEAR))
        assert cycle is not None and cycle.status == "abgeschlossen"
        termin = session.scalar(
            select(Deadline).where(Deadline.owner == OWNER, Deadline.kind == "gremientermin")
        )
        assert termin is not None and termin.status == "erledigt"
    progress = _latest_markdown(f"{OWNER}-fortschritt")
    assert "| Statusmeldungen | 12/12 |" in progress and "| Beschlüsse | 12/12 |" in progress
    assert f"aufgehoben am {later:%d.%m.%Y}" in progress

    # --- 5. every step again: nothing changes, nothing is sent ----------------------------
    before = _counts(services)
    assert strategie_beschluss(
        year=YEAR, body="Nottuln", outcome="beschlossen", meeting_date=next_meeting,
        entered_by="Carla",
    ).repeated  # fmt: skip
    assert strategie_beschluss(
        year=YEAR, body="Nottuln", outcome="vertagt", meeting_date=first_meeting,
        next_meeting=next_meeting, note="Beratungsbedarf in den Fraktionen", entered_by="Carla",
    ).repeated  # fmt: skip
    assert strategie_statusmeldung(
        year=YEAR, body="Olfen", entries=REPORTS["Olfen"], entered_by="Bernd"
    ).repeated
    assert strategie_konsolidierung(year=YEAR, entered_by="Anna Schmidt").repeated
    assert strategie_fortschreibung(year=YEAR, response_due=due, entered_by="Anna").repeated
    assert _counts(services) == before and box.new() == []
    monkeypatch.undo()
