"""A second tenant, flow by flow, in-process: FOERDERFLOW_DATA_DIR points to the Kreis Borken
(tests/data/borken, 18 bodies). An application from the idea to the draft and a whole strategy
cycle: 18 status requests, 18 Sitzungsvorlagen, the Sperrvermerk lifted only with the 18th
resolution. The documents name the Kreis Borken and its councils – never Coesfeld.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import attachments, docx_text, inbox

from flows.antrag_idee import antrag_idee
from flows.antrag_partnerantwort import antrag_partnerantwort
from flows.antrag_partnercheck import antrag_partnercheck
from flows.strategie_beschluss import strategie_beschluss
from flows.strategie_fortschreibung import strategie_fortschreibung
from flows.strategie_statusmeldung import strategie_statusmeldung
from foerderflow.inbox import LocalInbox
from foerderflow.settings import Settings, get_settings
from foerderflow.wiring import Services, use_services
from models.errors import InputError
from models.forms import today_berlin
from models.tables import Application, Body, Deadline, Document, StrategyRelease
from tasks.mail import YagmailTransport

# make test-all: a whole second cycle with 18 bodies takes as long as the first one, which
# make test runs already (tests/flows/test_strategy_cycle.py).
pytestmark = [
    pytest.mark.usefixtures("prefect_harness"),
    pytest.mark.xdist_group("harness"),
    pytest.mark.slow,
]

BORKEN = Path(__file__).resolve().parents[1] / "data" / "borken"
CENTRAL = "koordination@digitalagentur-westmuensterland.example"
YEAR = 2033
OWNER = f"strategie-{YEAR}"
# Every text the two runs below produced (documents and mails), for the Coesfeld check.
PRODUCED: dict[str, str] = {}


@pytest.fixture
def settings(tmp_path: Path, db_url: str, smtp: LocalInbox, monkeypatch: pytest.MonkeyPatch):
    """The session's settings, with the data folder of the Kreis Borken (as an operator sets
    FOERDERFLOW_DATA_DIR); every reader of the tenant (get_settings) sees the same folder."""
    monkeypatch.setenv("FOERDERFLOW_DATA_DIR", str(BORKEN))
    get_settings.cache_clear()
    return Settings(
        var_dir=tmp_path / "var",
        database_url=db_url,
        mail_dir=smtp.maildir,
        local_smtp_port=smtp.port,
        ui_url="http://127.0.0.1:4200",
        _env_file=None,  # type: ignore[call-arg]
    )


def _collect(services: Services, smtp: LocalInbox) -> None:
    with services.sessions() as session:
        paths = session.scalars(select(Document.path)).all()
    for path in paths:
        full = Path(path)
        if not full.is_absolute():
            full = services.settings.resolved_documents_dir / path
        PRODUCED[full.name] = docx_text(full)
    for mail, _ in inbox(smtp.maildir):
        PRODUCED[f"Mail {mail.key}"] = f"{mail.sender}\n{mail.subject}\n{mail.body}"


def test_application_of_the_second_tenant(seeded: Services, smtp: LocalInbox) -> None:
    assert seeded.settings.data_dir == BORKEN
    assert seeded.settings.mail_from_name == "Digitalagentur Westmünsterland"
    with pytest.raises(
        InputError, match="Federführende Körperschaft muss einer der Werte „Kreis Borken“"
    ):
        antrag_idee(
            title="Digitale Dorfplätze", summary="Ein Marktplatz für die Ortskerne.",
            lead_body="Dülmen", programme="Heimat 2.0", estimated_costs_eur=500000,
            coordinator_email="k@bocholt.example", entered_by="Anna",
        )  # fmt: skip
    ref = antrag_idee(
        title="Grenzenlos mobil im Westmünsterland",
        summary="Eine Mobilitäts-App für Bus, Bahn und Leihräder über die Grenze.",
        lead_body="Bocholt",
        partner_bodies=["Rhede", "Isselburg", "Kreis Borken"],
        programme="Heimat 2.0",
        estimated_costs_eur=500000,
        coordinator_email="koordination@bocholt.example",
        entered_by="Anna",
    ).reference
    seen = len(inbox(smtp.maildir))
    antrag_partnercheck(reference=ref, split_key="einwohner", entered_by="Anna")
    mails = inbox(smtp.maildir)[seen:]
    assert sorted(m.recipients[0] for m, _ in mails) == [
        "digitalagentur@kreis-borken.example",
        "digitalisierung@isselburg.example",
        "digitalisierung@rhede.example",
    ]
    assert all("Digitalagentur Westmünsterland" in m.sender for m, _ in mails)
    rhede = next(msg for m, msg in mails if m.recipients[0] == "digitalisierung@rhede.example")
    ((name, (_, data)),) = attachments(rhede).items()
    assert name == f"{ref}_absichtserklaerung_rhede_v1.docx"
    text = docx_text(data)
    # 500,000 € at 90 % -> own share 50,000 €, split by the Borken bodies' population
    pops = {"Bocholt": 73300, "Rhede": 19700, "Isselburg": 11100, "Kreis Borken": 381600}
    share = 5_000_000 * pops["Rhede"] / sum(pops.values())
    assert "Stadt Rhede" in text and f"{int(share) // 100:,}".replace(",", ".") in text

    antrag_partnerantwort(reference=ref, body="Rhede", decision="zugesagt", entered_by="Anna")
    antrag_partnerantwort(reference=ref, body="Isselburg", decision="abgesagt", entered_by="Anna")
    out = antrag_partnerantwort(
        reference=ref, body="Kreis Borken", decision="zugesagt", entered_by="Anna"
    )
    assert out.follow_up == "entwurf"
    with seeded.sessions() as session:
        app = session.scalar(select(Application).where(Application.reference == ref))
        assert app is not None and app.stage == "entwurf"
    draft = attachments(inbox(smtp.maildir)[-1][1])
    papers = sorted(n for n in draft if "sitzungsvorlage" in n)
    assert papers == [
        f"{ref}_sitzungsvorlage_bocholt_v1.docx",
        f"{ref}_sitzungsvorlage_kreis-borken_v1.docx",
        f"{ref}_sitzungsvorlage_rhede_v1.docx",
    ]
    kreis = docx_text(draft[f"{ref}_sitzungsvorlage_kreis-borken_v1.docx"][1])
    assert "Kreistag des Kreises Borken" in kreis and "§ 26 (1) KrO NRW" in kreis
    bocholt = docx_text(draft[f"{ref}_sitzungsvorlage_bocholt_v1.docx"][1])
    assert "Rat der Stadt Bocholt" in bocholt and "§ 41 (1) GO NRW" in bocholt
    _collect(seeded, smtp)


def test_strategy_cycle_of_the_second_tenant(
    seeded: Services, smtp: LocalInbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = seeded.settings.model_copy(
        update={"strategy_restricted_amount_eur": Decimal("300000")}
    )
    with use_services(Services(settings, seeded.sessions, YagmailTransport)) as services:
        _run_cycle(services, smtp, monkeypatch)
        _collect(services, smtp)


def _run_cycle(services: Services, smtp: LocalInbox, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.strategie_beschluss as beschluss_module

    with services.sessions() as session:
        bodies = session.execute(select(Body.name, Body.council).order_by(Body.id)).all()
    assert len(bodies) == 18
    today = today_berlin()
    due = today + dt.timedelta(days=10)

    # --- open: one status request and one deadline per body, 18 in all --------------------
    strategie_fortschreibung(year=YEAR, response_due=due, entered_by="Anna Schmidt")
    requests = inbox(smtp.maildir)
    assert len(requests) == 18
    assert CENTRAL in {m.recipients[0] for m, _ in requests}
    gronau = next(msg for m, msg in requests if m.recipients == ["digitalisierung@gronau.example"])
    ((name, (_, data)),) = attachments(gronau).items()
    assert name == f"{OWNER}_statusabfrage_gronau_v1.docx"
    request = docx_text(data)
    assert "Stadt Gronau (Westf.)" in request and "HF7-01" in request and "HF1-01" in request
    with services.sessions() as session:
        deadlines = session.scalar(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.owner == OWNER, Deadline.kind == "statusmeldung")
        )
    assert deadlines == 18

    # --- 18 reports: the last one starts the consolidation --------------------------------
    for index, (body, _) in enumerate(bodies, start=1):
        out = strategie_statusmeldung(
            year=YEAR,
            body=body,
            entries=[{"project_code": "HF1-01", "status": "in_umsetzung"}],
            entered_by="Bernd",
        )
        assert (out.follow_up == "konsolidierung") is (index == 18), body
    mails = inbox(smtp.maildir)[18:]
    papers = {m.recipients[0]: msg for m, msg in mails if m.subject.startswith("Sitzungsvorlage")}
    assert len(papers) == 18
    kreis_files = attachments(papers[CENTRAL])
    kreis = docx_text(next(d for n, (_, d) in kreis_files.items() if "kreis-borken" in n))
    assert "Kreistag des Kreises Borken" in kreis and "§ 26 (1) KrO NRW" in kreis
    assert "300.000,00\u00a0€" in kreis  # the Sperrvermerk
    for slug, council in (
        ("gronau", "Rat der Stadt Gronau (Westf.)"),
        ("schoeppingen", "Rat der Gemeinde Schöppingen"),
    ):
        files = attachments(papers[f"digitalisierung@{slug}.example"])
        paper = docx_text(next(d for n, (_, d) in files.items() if "sitzungsvorlage" in n))
        assert council in paper and "§ 41 (1) GO NRW" in paper

    # --- 18 resolutions: the Sperrvermerk is lifted with the 18th, not before -------------
    later = today + dt.timedelta(days=40)
    monkeypatch.setattr(beschluss_module, "today_berlin", lambda: later)
    meeting = today + dt.timedelta(days=20)
    for index, (body, _) in enumerate(bodies, start=1):
        out = strategie_beschluss(
            year=YEAR, body=body, outcome="beschlossen", meeting_date=meeting, entered_by="Carla"
        )
        assert out.released is (index == 18), body
        with services.sessions() as session:
            releases = session.scalar(select(func.count()).select_from(StrategyRelease))
        assert releases == (1 if index == 18 else 0), body
    release_mail, release_msg = inbox(smtp.maildir)[-1]
    assert release_mail.subject.startswith("Aufhebung des Sperrvermerks")
    assert len(release_mail.recipients) == 18
    ((_, (_, data)),) = attachments(release_msg).items()
    confirmation = docx_text(data)
    assert "300.000,00\u00a0€" in confirmation
    for _, council in bodies:
        assert council in confirmation, council


def test_no_document_of_the_second_tenant_names_coesfeld() -> None:
    """Runs after the two tests above (same module, same order) and reads what they produced."""
    assert len([n for n in PRODUCED if n.endswith(".docx")]) >= 40, "run the whole module"
    naming = sorted(name for name, text in PRODUCED.items() if "Coesfeld" in text)
    assert naming == []
