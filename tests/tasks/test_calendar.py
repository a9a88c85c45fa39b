"""The iCalendar feeds: parsed back with the ``icalendar`` package."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from foerderflow.cli import app
from foerderflow.wiring import Services
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.tables import Application, Body, Deadline, Programme
from tasks.calendar import (
    CalendarEvent,
    deadline_event,
    event_ical,
    event_uid,
    write_atomic,
    write_feeds,
)
from tasks.deadlines import complete_deadline, ensure_deadline, waive_deadline

_keys = itertools.count(1)


def add_deadline(
    services: Services,
    due: dt.date,
    *,
    kind: DeadlineKind = DeadlineKind.VERWENDUNGSNACHWEIS,
    reference: str | None = "FA-2026-003",
    title: str = "Digitale Dorfplätze",
    explanation: str = "Fristende: Dienstag, 29.02.2028 (Werktag)",
    body: str | None = None,
    application_id: int | None = None,
    is_termin: bool = False,
) -> int:
    with services.sessions.begin() as session:
        body_id = session.scalar(select(Body.id).where(Body.slug == body)) if body else None
        deadline_id, _ = ensure_deadline(
            session,
            DeadlineSpec(
                key=f"kal:{next(_keys)}",
                kind=kind,
                title=title,
                due_date=due,
                is_termin=is_termin,
                explanation=explanation,
                owner=reference,
                application_id=application_id,
                body_id=body_id,
                contact_email="a@coesfeld.example",
            ),
        )
    return deadline_id


def add_application(services: Services, reference: str, lead_slug: str) -> int:
    with services.sessions.begin() as session:
        lead = session.scalar(select(Body.id).where(Body.slug == lead_slug))
        programme = session.scalar(select(Programme.id).order_by(Programme.id))
        assert lead is not None and programme is not None
        app = Application(
            reference=reference,
            year=2026,
            stage="berichtspflicht",
            title="Smarte Bürgerdienste",
            summary="Test",
            lead_body_id=lead,
            programme_id=programme,
            estimated_costs_cents=100_000_00,
            coordinator_email="a@coesfeld.example",
            created_by="Test",
            fingerprint=reference,
        )
        session.add(app)
        session.flush()
        return app.id


def read_feed(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events_of(path: Path) -> dict[str, Any]:
    return {str(e["UID"]): e for e in read_feed(path).walk("VEVENT")}


def test_feed_parses_with_icalendar_and_holds_all_day_events(
    seeded: Services, tmp_path: Path
) -> None:
    first = add_deadline(
        seeded,
        dt.date(2028, 2, 29),
        explanation="Verwendungsnachweis: 6 Monate nach Ende des Bewilligungszeitraums\n"
        "Fristende: Dienstag, 29.02.2028 (Werktag)",
    )
    second = add_deadline(
        seeded, dt.date(2027, 6, 15), kind=DeadlineKind.GREMIENTERMIN, reference=None,
        title="Ratssitzung Dülmen; Beschluss, Eigenanteil", is_termin=True, body="duelmen",
    )  # fmt: skip
    report = write_feeds(seeded.sessions, tmp_path)
    main = tmp_path / "fristen.ics"
    assert report.feeds[0].path == str(main) and report.feeds[0].events == 2
    calendar = read_feed(main)
    assert str(calendar["PRODID"]) == "-//Digitalagentur COE//foerderflow//DE"  # mandant.yaml
    assert str(calendar["X-WR-CALNAME"]) == "Fristen – Digitalagentur COE"
    events = [e for e in calendar.walk("VEVENT")]
    assert [str(e["UID"]) for e in events] == [f"frist-{second}@foerderflow", event_uid(first)]
    termin, nachweis = events
    assert str(nachweis["SUMMARY"]) == "Verwendungsnachweis FA-2026-003"
    assert nachweis.decoded("DTSTART") == dt.date(2028, 2, 29)  # a date: an all-day event
    assert nachweis.decoded("DTEND") == dt.date(2028, 3, 1)
    description = str(nachweis["DESCRIPTION"])
    assert "6 Monate nach Ende des Bewilligungszeitraums\nFristende: Dienstag, 29.02.2028" in (
        description
    )
    assert f"Frist, Frist-Nr. {first}" in description
    assert str(termin["SUMMARY"]) == "Gremientermin: Ratssitzung Dülmen; Beschluss, Eigenanteil"
    assert termin.decoded("DTSTART") == dt.date(2027, 6, 15)
    categories: Any = termin["CATEGORIES"]
    assert [str(c) for c in categories.cats] == ["Gremientermin", "Termin"]
    assert termin.decoded("DTSTAMP").tzinfo is not None


def test_uids_stay_stable_and_done_deadlines_leave_the_feed(
    seeded: Services, tmp_path: Path
) -> None:
    keep = add_deadline(seeded, dt.date(2027, 4, 30), kind=DeadlineKind.ZWISCHENNACHWEIS)
    done = add_deadline(seeded, dt.date(2027, 5, 3))
    waived = add_deadline(seeded, dt.date(2027, 5, 4), kind=DeadlineKind.MITTELABRUF)
    write_feeds(seeded.sessions, tmp_path)
    main = tmp_path / "fristen.ics"
    before = main.read_bytes()
    assert set(events_of(main)) == {event_uid(keep), event_uid(done), event_uid(waived)}

    report = write_feeds(seeded.sessions, tmp_path)  # nothing changed: same bytes, no write
    assert main.read_bytes() == before
    assert not any(feed.changed for feed in report.feeds)

    with seeded.sessions.begin() as session:
        complete_deadline(
            session, session.get_one(Deadline, done), done_on=dt.date(2027, 5, 2), done_by="A"
        )
        waive_deadline(
            session, session.get_one(Deadline, waived), done_on=dt.date(2027, 5, 2), done_by="A"
        )
    added = add_deadline(seeded, dt.date(2027, 5, 10), reference="FA-2026-004")
    report = write_feeds(seeded.sessions, tmp_path)
    assert report.feeds[0].changed
    events = events_of(main)
    assert set(events) == {event_uid(keep), event_uid(added)}
    assert str(events[event_uid(keep)]["SUMMARY"]) == "Zwischennachweis FA-2026-003"
    assert list(tmp_path.glob(".*.tmp")) == []  # atomic writes leave no temp files


def test_one_feed_per_body(seeded: Services, tmp_path: Path) -> None:
    app_id = add_application(seeded, "FA-2026-007", "olfen")
    by_body = add_deadline(seeded, dt.date(2027, 6, 1), reference=None, body="senden",
                           kind=DeadlineKind.GREMIENTERMIN, title="Rat Senden")  # fmt: skip
    by_lead = add_deadline(seeded, dt.date(2027, 6, 2), reference="FA-2026-007",
                           application_id=app_id)  # fmt: skip
    unowned = add_deadline(seeded, dt.date(2027, 6, 3), reference=None, title="Ohne Bezug")
    report = write_feeds(seeded.sessions, tmp_path)
    with seeded.sessions() as session:
        slugs = set(session.scalars(select(Body.slug)))
    assert len(slugs) == 12
    assert {Path(f.path).name for f in report.feeds} == {"fristen.ics"} | {
        f"{slug}.ics" for slug in slugs
    }
    assert set(events_of(tmp_path / "senden.ics")) == {event_uid(by_body)}
    assert set(events_of(tmp_path / "olfen.ics")) == {event_uid(by_lead)}
    assert events_of(tmp_path / "coesfeld.ics") == {}
    assert str(read_feed(tmp_path / "olfen.ics")["X-WR-CALNAME"]) == "Fristen – Stadt Olfen"
    assert set(events_of(tmp_path / "fristen.ics")) == {
        event_uid(by_body),
        event_uid(by_lead),
        event_uid(unowned),
    }
    counts = {Path(f.path).name: f.events for f in report.feeds}
    assert (counts["fristen.ics"], counts["senden.ics"], counts["duelmen.ics"]) == (3, 1, 0)


def test_cli_kalender_writes_the_feeds(seeded: Services) -> None:
    add_deadline(seeded, dt.date(2027, 6, 2))
    result = CliRunner().invoke(app, ["kalender"])
    assert result.exit_code == 0, result.output
    calendar_dir = seeded.settings.resolved_calendar_dir
    assert f"13 Kalenderdateien in {calendar_dir}, 1 offene Fristen." in result.output
    assert len(events_of(calendar_dir / "fristen.ics")) == 1


def test_write_atomic_replaces_only_changed_content(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.ics"
    assert write_atomic(path, b"eins")
    assert not write_atomic(path, b"eins")
    assert write_atomic(path, b"zwei") and path.read_bytes() == b"zwei"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.ics"]


# --- The fast serialiser is icalendar's own output, byte for byte ------------------------------

_NO_SURROGATES: Any = ("Cs",)
_text = st.text(
    alphabet=st.sampled_from(list("aäöüßÄ€😀 ,;:\\^\n\r\"'NxyZ0123456789-"))
    | st.characters(exclude_categories=_NO_SURROGATES),  # any text a database can hold
    max_size=400,
)


@settings(deadline=None)  # examples: the Hypothesis profile (conftest)
@given(
    deadline_id=st.integers(min_value=1, max_value=10**9),
    kind=st.sampled_from([*(k.value for k in DeadlineKind), "x,y;z\\"]),
    title=_text,
    reference=st.none() | _text,
    due=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 30)),
    is_termin=st.booleans(),
    explanation=_text,
    contact=_text,
    stamp=st.none()
    | st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
def test_event_ical_equals_icalendar_serialisation(
    deadline_id: int,
    kind: str,
    title: str,
    reference: str | None,
    due: dt.date,
    is_termin: bool,
    explanation: str,
    contact: str,
    stamp: dt.datetime | None,
) -> None:
    event = CalendarEvent(
        deadline_id, kind, title, reference, due, is_termin, explanation, contact, stamp, None
    )
    assert event_ical(event) == deadline_event(event).to_ical()


def test_event_ical_with_aware_stamp() -> None:
    stamp = dt.datetime(2027, 3, 1, 8, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    event = CalendarEvent(1, "sonstige", "x", None, dt.date(2027, 3, 1), False, "", "a@b", stamp, 2)
    data = event_ical(event)
    assert data == deadline_event(event).to_ical()
    assert b"DTSTAMP:20270301T073015Z" in data
