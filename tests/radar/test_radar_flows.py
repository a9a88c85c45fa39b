"""The radar flows in-process against a temporary Prefect server, the real database and a real
SMTP server: the mails are read back from the local inbox and their facts checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import func, select
from support import attachments, docx_text, inbox, inbox_mails

from benchmarks.radar_export import write_folder
from flows.radar_aufruf import radar_aufruf
from flows.radar_bewertung import radar_bewertung
from flows.radar_digest import radar_digest
from flows.radar_import import radar_import
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.errors import InputError
from models.radar.tables import RadarCall, RadarRating
from models.tables import Application, ApplicationPartner, AuditEvent, Body, Deadline, Project
from tests.radar.test_import import EXPORT

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

MONDAY = dt.date(2026, 12, 7)
KREIS_MAIL = "digitalagentur@kreis-coesfeld.example"
FDB = "Quelle: Förderdatenbank des Bundes (BMWE), CC BY-ND 4.0"


def test_import_flow_counts_and_immediate_mail(
    seeded: Services, smtp: LocalInbox, tmp_path: Path
) -> None:
    export = write_folder(tmp_path / "fdb", EXPORT)
    report = radar_import(source=str(export), threshold=50, lead_days=42, today=MONDAY)
    assert report.summary_line == "neu=4 geaendert=0 entfallen=0 unveraendert=0"
    mails = inbox_mails(smtp.maildir)
    # the Handlungsfeld "Verwaltung & Bürgerservice" is led by the body leading most of its
    # projects; it alone gets the immediate mail, once per new call above the threshold
    with seeded.sessions() as session:
        leads = session.execute(
            select(Body.email, func.count())
            .join(Project, Project.lead_body_id == Body.id)
            .where(Project.field == "Verwaltung & Bürgerservice")
            .group_by(Body.email)
            .order_by(func.count().desc(), Body.email)
        ).all()
    assert mails and {tuple(m.recipients) for m in mails} == {(leads[0][0],)}
    bund = next(m for m in mails if "(in 114 Tagen" in m.body)
    assert "neuer Aufruf mit" in bund.subject and "HF2-" in bund.subject
    assert "Digitale Kommune – Onlinedienste für Bürgerinnen und Bürger" in bund.body
    assert "Antragsberechtigt: Gemeinde, Kreis" in bund.body
    assert "Frist: 31.03.2027 (in 114 Tagen – aus dem Text erkannt, bitte prüfen)" in bund.body
    assert FDB in bund.body and "foerderdatenbank.de/FDB/Content/DE/Foerderprogramm" in bund.body
    # the import is a step of the radar: one audit entry per run, with its counts
    with seeded.sessions() as session:
        audits = session.scalars(
            select(AuditEvent).where(
                AuditEvent.owner == "foerder-radar", AuditEvent.action == "radar-import"
            )
        ).all()
    assert [a.details["summary"] for a in audits] == [report.summary_line]
    assert audits[0].actor == "radar-import" and audits[0].flow_run_id
    again = radar_import(source=str(export), threshold=50, lead_days=42, today=MONDAY)
    assert again.summary_line == "neu=0 geaendert=0 entfallen=0 unveraendert=4"
    assert len(inbox_mails(smtp.maildir)) == len(mails)
    with pytest.raises(InputError, match=r"Dateityp von liste\.txt wird nicht unterstützt"):
        radar_import(
            source=str(_file(tmp_path / "liste.txt")), threshold=50, lead_days=42, today=MONDAY
        )


def _file(path: Path) -> Path:
    path.write_text("kein Export", encoding="utf-8")
    return path


def _kreis_mail(smtp: LocalInbox, since: int) -> str:
    mails = [m for m in inbox_mails(smtp.maildir)[since:] if m.recipients == [KREIS_MAIL]]
    assert len(mails) == 1, [m.subject for m in mails]
    return mails[0].body


def _part(body: str, number: int) -> str:
    start = body.index(f"\nTeil {number} – ")
    end = body.find(f"\nTeil {number + 1} – ", start + 1)
    return body[start : end if end > 0 else None]


def test_digest_three_parts_and_muting(seeded: Services, smtp: LocalInbox) -> None:
    first = radar_digest(today=MONDAY, lead_days=42)
    assert sum(1 for counts in first.mails.values() if any(counts)) == len(first.outbox_ids) == 12
    new_kreis, changed_kreis, due_kreis = first.mails["Kreis Coesfeld"]
    assert (
        "Kreis Coesfeld",
        f"neu {new_kreis} · geändert {changed_kreis} · Fristen {due_kreis} · Mail ja",
    ) in first.summary.facts
    assert first.summary.step == "radar-digest" and new_kreis >= 2
    body = _kreis_mail(smtp, 0)
    new = _part(body, 1)
    assert "Teil 1 – Neue passende Aufrufe" in new and "IKZ NRW – Förderaufruf 2027" in new
    assert (
        "Antragsberechtigt: Gemeinde, Kreis, Zweckverband · Förderquote: bis 90\u00a0% · "
        "Frist: 31.03.2027 (in 114 Tagen)" in new
    )
    assert "Heimat 2.0 – Projektaufruf" in new and "Quelle: manuell erfasst" in new
    assert "Digitales Rathaus Bayern" not in body and "go-digital" not in body  # filtered
    assert "Teil 2 – Geänderte Aufrufe: keine" in body
    assert "Teil 3 – Fristen vorgemerkter Aufrufe: keine" in body
    count = len(inbox_mails(smtp.maildir))
    assert radar_digest(today=MONDAY, lead_days=42).outbox_ids == []  # same day: nothing twice
    assert len(inbox_mails(smtp.maildir)) == count

    radar_bewertung(
        body="Kreis Coesfeld",
        call_id="heimat-2-0 · Heimat 2.0 (28.02.2027)",
        rating="passt_nicht",
        reason="thema_passt_nicht",
        entered_by="Anna Beispiel",
    )
    radar_bewertung(
        body="Kreis Coesfeld", call_id="dkv-2027", rating="interessiert", entered_by="Anna Beispiel"
    )
    # a change that is not material (who may apply) for the muted call, a new deadline for IKZ
    _entry(
        "Heimat 2.0",
        "heimat-2-0",
        "Heimat 2.0 – Projektaufruf",
        deadline="2027-02-28",
        rate=90,
        applicants=["kreis", "gemeinde", "verein", "zweckverband"],
    )
    _entry(
        "Interkommunale Zusammenarbeit (IKZ) NRW",
        "ikz-nrw-2027",
        "IKZ NRW – Förderaufruf 2027",
        deadline="2027-04-30",
        rate=90,
        applicants=["gemeinde", "kreis", "zweckverband"],
    )
    later = dt.date(2027, 1, 5)
    radar_digest(today=later, lead_days=42)
    body = _kreis_mail(smtp, count)
    assert "Heimat 2.0" not in body  # passt_nicht: out of the next digest
    changed = _part(body, 2)
    assert "IKZ NRW – Förderaufruf 2027" in changed and "Frist: 31.03.2027 → 30.04.2027" in changed
    due = _part(body, 3)
    assert "Digitalisierung kommunaler Verkehrssysteme – Skizzenaufruf 2027" in due
    assert "Frist: 15.02.2027 (in 41 Tagen)" in due
    # nothing new a week later: no mail at all (the deadline part needs an interested call
    # within 42 days – dkv is, so only the Kreis gets one)
    count = len(inbox_mails(smtp.maildir))
    radar_digest(today=dt.date(2027, 1, 12), lead_days=42)
    mails = inbox_mails(smtp.maildir)[count:]
    assert [m.recipients for m in mails] == [[KREIS_MAIL]]
    assert "Teil 1 – Neue passende Aufrufe: keine" in mails[0].body
    # a material change (new deadline) brings the muted call back
    _entry(
        "Heimat 2.0",
        "heimat-2-0",
        "Heimat 2.0 – Projektaufruf",
        deadline="2027-05-31",
        rate=90,
        applicants=["kreis", "gemeinde", "verein", "zweckverband"],
    )
    count = len(inbox_mails(smtp.maildir))
    radar_digest(today=dt.date(2027, 1, 19), lead_days=42)
    body = _kreis_mail(smtp, count)
    assert "Heimat 2.0" in _part(body, 2) and "Frist: 28.02.2027 → 31.05.2027" in body


def _entry(
    programme: str, call_id: str, title: str, *, deadline: str, rate: int, applicants: list[str]
) -> None:
    radar_aufruf(
        programme_title=programme,
        title=title,
        funder="Land NRW",
        url="https://www.mhkbd.nrw/",
        status="open",
        deadline_model="single",
        deadline=deadline,
        open_date=None,
        applicant_types=applicants,
        regions=["05"] if "IKZ" in title else ["DE"],
        themes=["Digitalisierung", "Verwaltung"],
        keywords=["interkommunal"],
        rate_percent=rate,
        max_grant_eur=175000,
        min_partners=None,
        summary="",
        call_id=call_id,
        entered_by="Anna Beispiel",
    )


def test_interest_with_idea_creates_application_with_the_calls_deadline(
    seeded: Services, smtp: LocalInbox
) -> None:
    outcome = radar_bewertung(
        body="Kreis Coesfeld",
        call_id="ikz-nrw-2027 · IKZ NRW – Förderaufruf 2027 (31.03.2027)",
        rating="interessiert",
        create_idea=True,
        project_code="HF2-01 · Gemeinsames Serviceportal (Kreis Coesfeld)",
        entered_by="Anna Beispiel",
    )
    facts = dict(outcome.facts)
    assert facts["Stichtag des Antrags"] == "31.03.2027" and facts["Bewertung"] == "interessiert"
    with seeded.sessions() as session:
        app = session.scalar(select(Application))
        assert app is not None
        assert app.title == "Gemeinsames Serviceportal zur Umsetzung des Onlinezugangsgesetzes"
        assert app.estimated_costs_cents == 19_444_444  # 175.000 € at 90 %
        partners = session.scalar(
            select(func.count())
            .select_from(ApplicationPartner)
            .where(ApplicationPartner.application_id == app.id)
        )
        assert partners == 12  # the lead and HF2-01's eleven participants
        deadline = session.scalar(select(Deadline).where(Deadline.application_id == app.id))
        assert deadline is not None and deadline.kind == "aufrufstichtag"
        assert deadline.due_date == dt.date(2027, 3, 31) and deadline.is_termin
        rating = session.scalar(select(RadarRating))
        assert rating is not None and rating.application_reference == app.reference
        reference = app.reference
    received, message = inbox(smtp.maildir)[-1]
    assert received.recipients == [KREIS_MAIL]
    text = docx_text(next(iter(attachments(message).values()))[1])
    assert "Interkommunale Zusammenarbeit (IKZ) NRW" in text
    assert "Stichtag des Förderaufrufs am 31.03.2027" in text
    assert "Gemeinde Ascheberg" in text and "Gemeinde Senden" in text  # participants as partners
    feed = seeded.settings.resolved_calendar_dir / "fristen.ics"
    events = icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    due = [e for e in events if reference in str(e.get("SUMMARY"))]
    assert due and due[0].decoded("DTSTART") == dt.date(2027, 3, 31)
    # the same click again changes nothing
    radar_bewertung(
        body="Kreis Coesfeld",
        call_id="ikz-nrw-2027",
        rating="interessiert",
        create_idea=True,
        project_code="HF2-01",
        entered_by="Anna Beispiel",
    )
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        assert session.scalar(select(func.count()).select_from(Deadline)) == 1


def test_bad_rating_is_refused_in_german(seeded: Services, smtp: LocalInbox) -> None:
    with pytest.raises(InputError, match="Bei „passt_nicht“ fehlt der Grund"):
        radar_bewertung(
            body="Olfen", call_id="ikz-nrw-2027", rating="passt_nicht", entered_by="Anna"
        )
    with pytest.raises(InputError, match="Den Aufruf „gibt-es-nicht“ gibt es"):
        radar_bewertung(body="Olfen", call_id="gibt-es-nicht", rating="stumm", entered_by="Anna")
    with pytest.raises(InputError, match="Den Antrag FA-2026-999 gibt es nicht"):
        radar_bewertung(
            body="Olfen",
            call_id="ikz-nrw-2027",
            rating="beantragt",
            application_reference="FA-2026-999",
            entered_by="Anna",
        )
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RadarRating)) == 0
        assert session.scalar(select(func.count()).select_from(RadarCall)) >= 10
