"""bericht-sachstand in-process: a temporary Prefect server, the real database and SMTP.

The report is read back: four charts as pictures with alt texts, tables whose sums equal the
database's sums to the cent, the mail to the central coordination with the .docx attached,
and a repeated run that changes nothing. An empty installation gets a sensible report.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from sqlalchemy import func, select
from support import attachments, inbox

from flows.bericht_sachstand import bericht_sachstand
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.errors import InputError
from models.money import format_eur
from models.tables import (
    Application,
    ApplicationPartner,
    Body,
    Deadline,
    Document,
    OutboxMail,
    Programme,
)
from models.tables_reporting import SachstandReport

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

CENTRAL = "koordination@digitalagentur-coe.example"
STICHTAG = dt.date(2031, 4, 1)
COMMITTEE = "Ausschuss für Finanzen, Wirtschaftsförderung und Kreisentwicklung"


def _application(session, bodies, programme, ref, stage, lead, partners, **kw) -> None:
    app = Application(
        reference=ref, year=int(ref[3:7]), stage=stage, title=f"Vorhaben {ref} <&>",
        summary="Zusammenfassung", lead_body_id=bodies[lead].id, programme_id=programme.id,
        estimated_costs_cents=kw.pop("costs", 50_000_000), coordinator_email="anna@person.example",
        created_by="Test", fingerprint=ref.lower(), **kw,
    )  # fmt: skip
    session.add(app)
    session.flush()
    for position, (name, share) in enumerate([(lead, partners.pop(lead, None)), *partners.items()]):
        session.add(
            ApplicationPartner(
                application_id=app.id, body_id=bodies[name].id, position=position,
                is_lead=position == 0, decision="zugesagt", final_share_cents=share,
            )
        )  # fmt: skip


def _portfolio(services: Services) -> None:
    with services.sessions.begin() as session:
        bodies = {b.name: b for b in session.scalars(select(Body))}
        heimat = session.scalar(select(Programme).where(Programme.name == "Heimat 2.0"))
        slr = session.scalar(select(Programme).where(Programme.name == "Smarte.Land.Regionen"))
        _application(
            session, bodies, heimat, "FA-2030-001", "berichtspflicht", "Dülmen",
            {"Dülmen": 2_333_334, "Olfen": 2_333_333, "Senden": 2_333_333},
            eligible_costs_cents=49_999_999, requested_grant_cents=42_999_999,
            granted_cents=42_999_999,
        )  # fmt: skip
        _application(
            session, bodies, slr, "FA-2030-002", "bewilligt", "Kreis Coesfeld",
            {"Kreis Coesfeld": 10_000_001, "Nottuln": 1_234_567},
            eligible_costs_cents=100_000_001, requested_grant_cents=90_000_000,
            granted_cents=88_765_433,
        )  # fmt: skip
        _application(
            session, bodies, heimat, "FA-2031-003", "abgelehnt", "Olfen", {},
            requested_grant_cents=30_000_000,
        )  # fmt: skip
        _application(
            session, bodies, heimat, "FA-2031-004", "eingereicht", "Havixbeck", {},
            requested_grant_cents=25_000_050,
        )  # fmt: skip
        session.add(
            Deadline(
                key="t1", kind="verwendungsnachweis", title="Verwendungsnachweis FA-2030-001",
                due_date=STICHTAG + dt.timedelta(days=30), owner="FA-2030-001",
                contact_email="anna@person.example",
            )
        )  # fmt: skip


def _db_sums(services: Services) -> tuple[int, int]:
    with services.sessions() as session:
        granted = session.scalar(
            select(func.sum(Application.granted_cents)).where(
                Application.stage.in_(["bewilligt", "berichtspflicht", "abgeschlossen"])
            )
        )
        shares = session.scalar(
            select(func.sum(ApplicationPartner.final_share_cents))
            .join(Application)
            .where(Application.stage.in_(["bewilligt", "berichtspflicht", "abgeschlossen"]))
        )
    return int(granted or 0), int(shares or 0)


def _table(document, first_header: str):
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"Tabelle {first_header} fehlt")


def test_report_with_charts_and_exact_tables(seeded: Services, smtp: LocalInbox) -> None:
    _portfolio(seeded)
    out = bericht_sachstand(stichtag=STICHTAG, committee=COMMITTEE)
    assert out is not None and dict(out.facts)["Fassung"] == "1" and not out.repeated
    assert [d.path for d in out.documents] and out.documents[0].kind == "sachstandsbericht"
    granted, shares = _db_sums(seeded)
    assert (granted, shares) == (42_999_999 + 88_765_433, 7_000_000 + 11_234_568)

    ((mail, message),) = inbox(smtp.maildir)
    assert mail.recipients == [CENTRAL]
    assert "01.04.2031" in mail.subject and COMMITTEE in mail.subject
    ((name, (ctype, data)),) = attachments(message).items()
    assert name == "sachstand-2031-04-01_sachstandsbericht_v1.docx" and "word" in ctype
    document = docx.Document(io.BytesIO(data))

    shapes = document.inline_shapes
    assert len(shapes) == 4
    alts = [s._inline.docPr.get("descr") for s in shapes]
    assert all(alts) and format_eur(granted) in alts[0]
    for shape in shapes:  # real PNG pictures
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        assert part.blob.startswith(b"\x89PNG") and len(part.blob) > 5_000

    by_body = _table(document, "Körperschaft")
    total = [c.text for c in by_body.rows[-1].cells]
    assert total == ["Summe", "4", format_eur(42_999_999 + 90_000_000 + 30_000_000 + 25_000_050),
                     format_eur(granted), format_eur(shares)]  # fmt: skip
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in by_body.rows[1:-1]}
    assert len(rows) == 12  # every body of the data
    assert rows["Olfen"][3:] == [format_eur(0), format_eur(2_333_333)]
    assert rows["Kreis Coesfeld"][3:] == [format_eur(88_765_433), format_eur(10_000_001)]
    by_programme = _table(document, "Förderprogramm")
    assert [c.text for c in by_programme.rows[-1].cells][3:] == [
        format_eur(granted),
        format_eur(shares),
    ]
    stages = {r.cells[0].text: r.cells[1].text for r in _table(document, "Stufe").rows[1:]}
    assert stages["Bewilligt"] == "1" and stages["Eingereicht"] == "1" and stages["Summe"] == "4"
    deadlines = _table(document, "Fällig am")
    assert deadlines.rows[1].cells[0].text == "01.05.2031"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Vorhaben FA-2030-001 <&>" not in text  # titles only in tables, escaped there
    assert "anna@person.example" not in text
    assert "Beschlussvorschlag" not in text

    with seeded.sessions() as session:
        report = session.scalar(select(SachstandReport))
        assert report is not None and report.committee == COMMITTEE
        assert report.stichtag == STICHTAG and report.period_start == dt.date(2031, 1, 1)

    again = bericht_sachstand(stichtag=STICHTAG, committee=COMMITTEE)
    assert again is not None and again.repeated
    assert len(inbox(smtp.maildir)) == 1
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMail)) == 1

    # The next report starts where this one ended.
    later = bericht_sachstand(stichtag=dt.date(2031, 7, 1))
    assert later is not None
    assert dict(later.facts)["Berichtszeitraum"] == "01.04.2031 bis 01.07.2031"


def test_unknown_committee_changes_nothing(seeded: Services, smtp: LocalInbox) -> None:
    with pytest.raises(InputError, match="Ausschuss „Hauptausschuss“ ist nicht bekannt"):
        bericht_sachstand(committee="Hauptausschuss")
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SachstandReport)) == 0
    # Only the error notice to the central coordination; no report.
    ((mail, message),) = inbox(smtp.maildir)
    assert mail.subject == "Eingabefehler im Schritt bericht-sachstand"
    assert mail.recipients == [CENTRAL] and not attachments(message)


def test_empty_installation(services: Services, smtp: LocalInbox) -> None:
    out = bericht_sachstand()  # an empty form: as of today, the first committee
    assert out is not None and dict(out.facts)["Gremium"] == COMMITTEE
    ((_mail, message),) = inbox(smtp.maildir)
    ((_, (_, data)),) = attachments(message).items()
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 4
    total = [c.text for c in _table(document, "Körperschaft").rows[-1].cells]
    assert total == ["Summe", "0", format_eur(0), format_eur(0), format_eur(0)]
    assert dict(out.facts)["Projekte der Strategie"] == "0"
