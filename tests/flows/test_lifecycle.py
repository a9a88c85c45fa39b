"""The whole funding lifecycle, flow by flow, in-process (real DB, real SMTP, Prefect)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from support import attachments, docx_text, inbox

from flows.antrag_bescheid import antrag_bescheid
from flows.antrag_einreichung import antrag_einreichung
from flows.antrag_freigabe import antrag_freigabe
from flows.antrag_idee import antrag_idee
from flows.antrag_nachweis import antrag_nachweis
from flows.antrag_partnerantwort import antrag_partnerantwort
from flows.antrag_partnercheck import antrag_partnercheck
from flows.antrag_zurueckziehen import antrag_zurueckziehen
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.errors import InputError, StageError
from models.tables import Application, AuditEvent, Deadline, Document, OutboxMail

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

IDEA = {
    "title": "Digitale Dorfplätze",
    "summary": "Ein gemeinsamer digitaler Marktplatz für die Ortskerne der Partner.",
    "lead_body": "Dülmen",
    "partner_bodies": ["Olfen", "Senden", "Kreis Coesfeld"],
    "programme": "Heimat 2.0",
    "estimated_costs_eur": 500000,
    "coordinator_email": "koordination@duelmen.example",
    "entered_by": "Anna",
}


def _counts(services: Services) -> dict[str, int]:
    with services.sessions() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t))
            for t in (Application, AuditEvent, Deadline, Document, OutboxMail)
        }


def _new_mails(smtp: LocalInbox, seen: int):
    return inbox(smtp.maildir)[seen:]


def _repeat_changes_nothing(services: Services, smtp: LocalInbox, flow, **parameters) -> None:
    """A repeated step (a Prefect retry, a double click) writes nothing and sends nothing."""
    before, mails = _counts(services), len(inbox(smtp.maildir))
    again = flow(**parameters)
    assert getattr(again, "repeated", True), flow.name
    assert _counts(services) == before, flow.name
    assert len(inbox(smtp.maildir)) == mails, flow.name


def _calendar(services: Services) -> str:
    """fristen.ics as a calendar client reads it, unfolded (RFC 5545 continuation lines)."""
    path = services.settings.resolved_calendar_dir / "fristen.ics"
    return path.read_bytes().decode("utf-8").replace("\r\n ", "") if path.exists() else ""


def _due_dates_in_calendar(services: Services, reference: str) -> set[dt.date]:
    """The DTSTART dates of the events whose summary names ``reference``."""
    dates = set()
    for event in _calendar(services).split("BEGIN:VEVENT")[1:]:
        if reference in event:
            line = next(x for x in event.splitlines() if x.startswith("DTSTART"))
            dates.add(dt.datetime.strptime(line.rsplit(":", 1)[1][:8], "%Y%m%d").date())
    return dates


def _open_due_dates(services: Services, reference: str) -> set[dt.date]:
    with services.sessions() as session:
        return set(
            session.scalars(
                select(Deadline.due_date).where(
                    Deadline.owner == reference, Deadline.status == "offen"
                )
            )
        )


def test_partner_check_answers_and_automatic_draft(seeded: Services, smtp: LocalInbox) -> None:
    ref = antrag_idee(**IDEA).reference
    with pytest.raises(StageError, match="steht in Stufe 'idee'; möglich sind: Partnerprüfung"):
        antrag_freigabe(reference=ref, approved=True, comments="", entered_by="Anna")
    # Found by subject, not by position: the Projektskizze and this notice can arrive within
    # the same second, and the inbox orders by the Date header.
    (failure,) = [m for m, _ in inbox(smtp.maildir) if m.subject.startswith("Unzulässiger")]
    assert failure.subject == f"Unzulässiger Verfahrensschritt im Schritt antrag-freigabe ({ref})"
    assert "es wurde nichts gespeichert" in failure.body.lower()
    seen = len(inbox(smtp.maildir))
    assert _due_dates_in_calendar(seeded, ref) == set()
    out = antrag_partnercheck(reference=ref, split_key="einwohner", entered_by="Anna")
    assert out.stage == "partnerpruefung"
    # The response deadline (and the call's deadline) are in the calendar feed in the same
    # run, not the next morning.
    opened = _open_due_dates(seeded, ref)
    assert opened and _due_dates_in_calendar(seeded, ref) == opened
    # this application's mails (a late failure notice of an earlier test may land meanwhile)
    mails = [(m, msg) for m, msg in _new_mails(smtp, seen) if ref in m.subject]
    assert sorted(m.recipients[0] for m, _ in mails) == [
        "digitalagentur@kreis-coesfeld.example",
        "digitalisierung@olfen.example",
        "digitalisierung@senden.example",
    ]
    olfen = next(msg for m, msg in mails if m.recipients[0] == "digitalisierung@olfen.example")
    ((name, (_, data)),) = attachments(olfen).items()
    assert name == f"{ref}_absichtserklaerung_olfen_v1.docx"
    # 500,000 € at 90 % -> own share 50,000 €, split by population over 4 bodies
    pops = {"Dülmen": 47300, "Olfen": 13300, "Senden": 20900, "Kreis Coesfeld": 226300}
    exact = 5_000_000 * pops["Olfen"] / sum(pops.values())
    text = docx_text(data)
    assert "Stadt Olfen" in text
    olfen_share = f"{int(exact) // 100:,}".replace(",", ".")
    assert olfen_share in text
    before = _counts(seeded)
    again = antrag_partnercheck(reference=ref, split_key="einwohner", entered_by="Anna")
    assert again.repeated and _counts(seeded) == before

    with pytest.raises(InputError, match="Havixbeck ist kein Partner"):
        antrag_partnerantwort(
            reference=ref, body="Havixbeck", decision="zugesagt", entered_by="Anna"
        )
    with pytest.raises(InputError, match="Prozentanteil wird nur beim Schlüssel"):
        antrag_partnerantwort(
            reference=ref, body="Olfen", decision="zugesagt", share_percent=20, entered_by="Anna"
        )
    assert _counts(seeded)["audit_events"] == before["audit_events"]
    antrag_partnerantwort(reference=ref, body="Olfen", decision="zugesagt", entered_by="Anna")
    _repeat_changes_nothing(
        seeded, smtp, antrag_partnerantwort,
        reference=ref, body="Olfen", decision="zugesagt", entered_by="Anna",
    )  # fmt: skip
    antrag_partnerantwort(reference=ref, body="Senden", decision="abgesagt", entered_by="Anna")
    out = antrag_partnerantwort(
        reference=ref, body="Kreis Coesfeld", decision="zugesagt", entered_by="Anna"
    )
    assert out.follow_up == "entwurf"
    with seeded.sessions() as session:
        app = session.scalar(select(Application).where(Application.reference == ref))
        assert app is not None and app.stage == "entwurf" and app.draft_version == 1
        docs = session.scalars(select(Document.path).where(Document.owner == ref)).all()
    assert len([d for d in docs if "sitzungsvorlage" in d]) == 3  # Dülmen, Olfen, Kreis
    draft_mail = inbox(smtp.maildir)[-1]
    names = sorted(attachments(draft_mail[1]))
    assert f"{ref}_sitzungsvorlage_kreis-coesfeld_v1.docx" in names
    kreis = docx_text(
        attachments(draft_mail[1])[f"{ref}_sitzungsvorlage_kreis-coesfeld_v1.docx"][1]
    )
    assert "§ 26 (1) KrO NRW" in kreis and "Kreistag" in kreis
    duelmen = docx_text(attachments(draft_mail[1])[f"{ref}_sitzungsvorlage_duelmen_v1.docx"][1])
    assert "§ 41 (1) GO NRW" in duelmen and "Dülmen" in duelmen

    # change request -> v2 with the comments, then approval
    antrag_freigabe(
        reference=ref, approved=False, comments="Bitte Laufzeit auf 30 Monate.", entered_by="Bernd"
    )
    v2 = inbox(smtp.maildir)[-1]
    antrag_text = docx_text(attachments(v2[1])[f"{ref}_foerderantrag_v2.docx"][1])
    assert "Bitte Laufzeit auf 30 Monate." in antrag_text
    count = len(inbox(smtp.maildir))
    antrag_freigabe(
        reference=ref, approved=False, comments="Bitte Laufzeit auf 30 Monate.", entered_by="Bernd"
    )  # double click
    assert len(inbox(smtp.maildir)) == count
    antrag_freigabe(reference=ref, approved=True, comments="", entered_by="Bernd")
    submission = {
        "reference": ref,
        "submitted_on": dt.date(2026, 11, 20),
        "funder_reference": "BBSR-2026-4711",
        "entered_by": "Bernd",
    }
    antrag_einreichung(**submission)
    _repeat_changes_nothing(seeded, smtp, antrag_einreichung, **submission)
    with pytest.raises(InputError, match="über der beantragten"):
        antrag_bescheid(
            reference=ref,
            outcome="teilbewilligt",
            granted_eur=460000,
            notice_date=dt.date(2026, 11, 24),
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2029, 12, 31),
            entered_by="Bernd",
        )
    with pytest.raises(InputError, match="Ende des Bewilligungszeitraums"):
        antrag_bescheid(
            reference=ref,
            outcome="bewilligt",
            notice_date=dt.date(2026, 11, 24),
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2026, 12, 31),
            entered_by="Bernd",
        )
    notice = {
        "reference": ref,
        "outcome": "teilbewilligt",
        "granted_eur": 400000,
        "notice_date": dt.date(2026, 11, 24),
        "period_start": dt.date(2027, 1, 1),
        "period_end": dt.date(2029, 12, 31),
        "entered_by": "Bernd",
    }
    out = antrag_bescheid(**notice)
    assert out.stage == "berichtspflicht"
    _repeat_changes_nothing(seeded, smtp, antrag_bescheid, **notice)
    with seeded.sessions() as session:
        due = {
            k: d
            for k, d in session.execute(
                select(Deadline.kind, Deadline.due_date).where(
                    Deadline.owner == ref, Deadline.status == "offen"
                )
            )
        }
    assert due["verwendungsnachweis"] == dt.date(2030, 7, 1)  # 30.06.2030 is a Sunday
    # The reporting deadlines of the notice are in the calendar at once.
    reporting = _open_due_dates(seeded, ref)
    assert set(due.values()) <= reporting and _due_dates_in_calendar(seeded, ref) == reporting
    antrag_nachweis(reference=ref, kind="zwischennachweis", year=2027, entered_by="Bernd")
    _repeat_changes_nothing(
        seeded, smtp, antrag_nachweis,
        reference=ref, kind="zwischennachweis", year=2027, entered_by="Bernd",
    )  # fmt: skip
    out = antrag_nachweis(
        reference=ref,
        kind="verwendungsnachweis",
        submitted_on=dt.date(2026, 11, 25),
        entered_by="Bernd",
    )
    assert out.stage == "abgeschlossen"
    # Closing the duties takes them out of the calendar in the same run.
    assert _open_due_dates(seeded, ref) == set()
    assert _due_dates_in_calendar(seeded, ref) == set()
    with pytest.raises(StageError, match="keine weiteren Schritte"):
        antrag_zurueckziehen(reference=ref, reason="zu spät", entered_by="Bernd")
