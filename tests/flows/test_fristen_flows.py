"""fristen-waechter, frist-anlegen and frist-erledigt in-process against a temporary Prefect
server, the real database and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from uuid import UUID

import icalendar
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort
from sqlalchemy import func, select
from support import inbox_mails

from flows.frist_anlegen import frist_anlegen
from flows.frist_erledigt import frist_erledigt
from flows.fristen_waechter import fristen_waechter
from foerderflow.inbox import LocalInbox, ReceivedMail
from foerderflow.wiring import Services
from models.deadline_inputs import DeadlineOutcome
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.deadlines import format_date_de
from models.errors import InputError, NotFoundError
from models.forms import today_berlin
from models.tables import Application, AuditEvent, Body, Deadline, Programme
from tasks.deadlines import ensure_deadline

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

MONDAY = dt.date(2027, 3, 1)
_keys = itertools.count(1)


def add_deadline(
    services: Services,
    due: dt.date,
    contact: str,
    *,
    kind: DeadlineKind = DeadlineKind.VERWENDUNGSNACHWEIS,
    reference: str | None = "FA-2026-003",
    title: str = "Digitale Dorfplätze",
) -> int:
    with services.sessions.begin() as session:
        deadline_id, _ = ensure_deadline(
            session,
            DeadlineSpec(
                key=f"flow:{next(_keys)}",
                kind=kind,
                title=title,
                due_date=due,
                explanation="Testfrist",
                owner=reference,
                contact_email=contact,
            ),
        )
    return deadline_id


def add_application(services: Services, reference: str = "FA-2026-007") -> int:
    with services.sessions.begin() as session:
        lead = session.scalar(select(Body.id).where(Body.slug == "olfen"))
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
            coordinator_email="koordination@olfen.example",
            created_by="Test",
            fingerprint=reference,
        )
        session.add(app)
        session.flush()
        return app.id


def run_tags(state: Any) -> list[str]:
    flow_run_id: UUID = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        return list(client.read_flow_run(flow_run_id).tags)


class Inbox:
    def __init__(self, smtp: LocalInbox) -> None:
        self.maildir = smtp.maildir
        self.seen: set[str] = set()

    def new(self) -> list[ReceivedMail]:
        mails = [m for m in inbox_mails(self.maildir) if m.key not in self.seen]
        self.seen.update(m.key for m in mails)
        return mails


@pytest.fixture
def inbox(smtp: LocalInbox) -> Inbox:
    return Inbox(smtp)


# --- fristen-waechter ------------------------------------------------------------------------


def test_waechter_sends_digests_writes_calendar_and_publishes_table(
    seeded: Services, inbox: Inbox
) -> None:
    coordinator = seeded.settings.central_coordinator_email
    late = add_deadline(seeded, MONDAY - dt.timedelta(days=2), "b@duelmen.example",
                        kind=DeadlineKind.ZWISCHENNACHWEIS)  # fmt: skip
    soon = add_deadline(seeded, MONDAY + dt.timedelta(days=7), "a@coesfeld.example")
    later = add_deadline(seeded, MONDAY + dt.timedelta(days=59), "a@coesfeld.example",
                         title="Später")  # fmt: skip

    outcome = fristen_waechter(today=MONDAY)
    assert (outcome.reminded, outcome.overdue, len(outcome.digests)) == (2, 1, 3)
    mails = {m.recipients[0]: m for m in inbox.new()}
    assert set(mails) == {"a@coesfeld.example", "b@duelmen.example", coordinator}
    assert "noch 7 Tage" in mails["a@coesfeld.example"].body
    assert "seit 2 Tagen überfällig" in mails["b@duelmen.example"].body
    assert "[Eskalation] Zwischennachweis FA-2026-003" in mails[coordinator].body

    feed = seeded.settings.resolved_calendar_dir / "fristen.ics"
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {
        f"frist-{late}@foerderflow",
        f"frist-{soon}@foerderflow",
        f"frist-{later}@foerderflow",
    }

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["fristen"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert artifacts
    data: Any = artifacts[0].data
    rows = json.loads(data) if isinstance(data, str) else data
    assert [row["Nr."] for row in rows] == [late, soon, later]
    assert rows[0]["Restlaufzeit"] == "seit 2 Tagen überfällig"
    assert rows[0]["Art"] == "Zwischennachweis"

    again = fristen_waechter(today=MONDAY)  # a second run on the same day
    assert again.reminded == 0 and again.digests == []
    assert inbox.new() == []


def test_waechter_defaults_to_today_in_berlin(seeded: Services, smtp: LocalInbox) -> None:
    outcome = fristen_waechter()
    assert outcome.today == today_berlin()


def test_waechter_refuses_a_malformed_date(seeded: Services, smtp: LocalInbox) -> None:
    with pytest.raises(InputError, match="Stichtag ist kein gültiges Datum"):
        malformed: Any = "31.02.2027"
        fristen_waechter(today=malformed)


@pytest.mark.slow  # 28 sweeps in a row: the long matrix (make test-all)
def test_four_weeks_day_by_day(seeded: Services, inbox: Inbox) -> None:
    """Which digests arrive on which day, across four weeks of daily sweeps."""
    coordinator = seeded.settings.central_coordinator_email
    a, b = "a@coesfeld.example", "b@duelmen.example"
    add_deadline(seeded, MONDAY + dt.timedelta(days=20), a, title="A")
    add_deadline(seeded, MONDAY + dt.timedelta(days=3), a, title="B",
                 kind=DeadlineKind.PARTNERANTWORT)  # fmt: skip
    add_deadline(seeded, MONDAY + dt.timedelta(days=40), b, title="C", reference="FA-2026-004")
    termin = frist_anlegen(
        kind=DeadlineKind.GREMIENTERMIN, title="D Ratssitzung",
        due_date=MONDAY + dt.timedelta(days=10), is_termin=True, body="Dülmen",
        contact_email=b, entered_by="Clara Koordination",
    )  # fmt: skip
    assert [m.subject for m in inbox.new()] == [
        "Neuer Termin: Gremientermin: D Ratssitzung am Donnerstag, 11.03.2027"
    ]

    expected: dict[int, dict[str, list[str]]] = {
        0: {a: ["B: noch 3 Tage", "A: noch 20 Tage"], b: ["D Ratssitzung: noch 10 Tage"]},
        1: {a: ["B: noch 2 Tage"]},
        3: {a: ["B: heute fällig"], b: ["D Ratssitzung: noch 7 Tage"]},
        6: {a: ["B: seit 3 Tagen überfällig", "A: noch 14 Tage"]},
        12: {b: ["C: noch 28 Tage"]},
        13: {a: ["B: seit 10 Tagen überfällig", "A: noch 7 Tage"]},
        18: {a: ["B: seit 15 Tagen überfällig", "A: noch 2 Tage"]},
        20: {a: ["B: seit 17 Tagen überfällig", "A: heute fällig"]},
        26: {b: ["C: noch 14 Tage"]},
    }
    seen: dict[int, dict[str, list[str]]] = {}
    for day in range(28):
        today = MONDAY + dt.timedelta(days=day)
        if day == 5:  # the council meeting's papers are done: no more reminders for it
            change = frist_erledigt(deadline_id=termin.deadline.id, entered_by="Clara")
            assert change.changed
        fristen_waechter(today=today)
        if day == 10:
            fristen_waechter(today=today)  # a second run the same day sends nothing
        arrived: dict[str, list[str]] = {}
        for mail in inbox.new():
            assert today.strftime("%d.%m.%Y") in mail.subject
            recipient = mail.recipients[0]
            assert recipient not in arrived, f"two digests for {recipient} on day {day}"
            arrived[recipient] = _entries(mail.body)
        seen[day] = arrived

    for day in range(28):
        want = dict(expected.get(day, {}))
        # B is overdue from day 4, A from day 21: the contact daily, escalated daily.
        if day >= 4 and day not in (6, 13, 18, 20):
            overdue = [f"B: seit {day - 3} {'Tag' if day == 4 else 'Tagen'} überfällig"]
            if day >= 21:
                overdue.append(f"A: seit {day - 20} {'Tag' if day == 21 else 'Tagen'} überfällig")
            want[a] = overdue
        if day >= 4:
            escalated = [f"B: seit {day - 3} {'Tag' if day == 4 else 'Tagen'} überfällig"]
            if day >= 21:
                escalated.append(f"A: seit {day - 20} {'Tag' if day == 21 else 'Tagen'} überfällig")
            want[coordinator] = escalated
        assert seen[day] == want, f"day {day} ({MONDAY + dt.timedelta(days=day)})"

    feed = seeded.settings.resolved_calendar_dir / "fristen.ics"
    events = icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Rückmeldung Partner FA-2026-003",
        "Verwendungsnachweis FA-2026-003",
        "Verwendungsnachweis FA-2026-004",
    ]
    duelmen = seeded.settings.resolved_calendar_dir / "duelmen.ics"
    assert icalendar.Calendar.from_ical(duelmen.read_bytes()).walk("VEVENT") == []


def _entries(body: str) -> list[str]:
    """The digest's numbered entries as "Title: days left", e.g. "B: noch 3 Tage"."""
    entries = []
    for block in body.split("\n\n"):
        lines = block.split("\n")
        if not (lines[0][:1].isdigit() and ". " in lines[0]):
            continue
        title = lines[0].split(": ", 1)[1]
        entries.append(f"{title}: {lines[1].rsplit(' – ', 1)[1]}")
    return entries


# --- frist-anlegen ---------------------------------------------------------------------------


def test_frist_anlegen_moves_a_frist_and_tags_the_run(seeded: Services, inbox: Inbox) -> None:
    add_application(seeded, "FA-2026-007")
    state = frist_anlegen(
        kind=DeadlineKind.SONSTIGE, title="Nachreichung Vergabeunterlagen",
        due_date=dt.date(2028, 4, 29), is_termin=False, reference="FA-2026-007",
        note="Bescheid vom 12.03.2027, Nr. 4.2", entered_by="Clara Koordination",
        return_state=True,
    )  # fmt: skip
    outcome = state.result()
    assert run_tags(state) == ["FA-2026-007"]
    view = outcome.deadline
    assert outcome.created and outcome.moved
    assert view.due_date == dt.date(2028, 5, 2)
    assert "nächster Werktag: Dienstag, 02.05.2028 (1. Mai ist Feiertag)" in view.explanation
    assert view.contact_email == "koordination@olfen.example"  # the application's coordinator
    with seeded.sessions() as session:
        row = session.get_one(Deadline, view.id)
        assert (row.owner, row.created_by, row.is_termin) == (
            "FA-2026-007",
            "Clara Koordination",
            False,
        )
        assert row.application_id is not None
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions == ["Frist angelegt"]
    (mail,) = inbox.new()
    assert mail.recipients == ["koordination@olfen.example"]
    assert mail.subject == "Neue Frist: Sonstige Frist FA-2026-007 am Dienstag, 02.05.2028"
    assert "Grundlage: Bescheid vom 12.03.2027, Nr. 4.2" in mail.body

    again = frist_anlegen(
        kind=DeadlineKind.SONSTIGE, title="Nachreichung Vergabeunterlagen",
        due_date=dt.date(2028, 4, 29), is_termin=False, reference="FA-2026-007",
        note="Bescheid vom 12.03.2027, Nr. 4.2", entered_by="Clara Koordination",
    )  # fmt: skip
    assert not again.created and again.deadline.id == view.id
    assert inbox.new() == []


def test_frist_anlegen_termin_never_moves(seeded: Services, inbox: Inbox) -> None:
    outcome = frist_anlegen(
        kind=DeadlineKind.GREMIENTERMIN, title="Kreistag", due_date=dt.date(2027, 12, 25),
        is_termin=True, body="Kreis Coesfeld", entered_by="Clara Koordination",
    )  # fmt: skip
    assert outcome.deadline.due_date == dt.date(2027, 12, 25) and not outcome.moved
    assert outcome.deadline.is_termin and outcome.deadline.owner is None
    assert "1. Weihnachtstag" in outcome.deadline.explanation
    assert outcome.deadline.contact_email == "digitalagentur@kreis-coesfeld.example"
    feed = seeded.settings.resolved_calendar_dir / "kreis-coesfeld.ics"
    (event,) = icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Gremientermin: Kreistag"


@pytest.mark.parametrize(
    ("change", "error", "text"),
    [
        ({"reference": "FA-2099-001"}, NotFoundError, "FA-2099-001 existiert nicht"),
        ({"reference": "Antrag 7"}, InputError, "Aktenzeichen hat ein ungültiges Format"),
        ({"kind": "urlaub"}, InputError, "Art der Frist muss einer der Werte"),
        ({"due_date": "2500-01-04"}, InputError, "Feiertagsdaten"),
        ({"contact_email": "kein-mail"}, InputError, "Verantwortlich (E-Mail)"),
    ],
)
def test_frist_anlegen_refuses_bad_input(
    seeded: Services, smtp: LocalInbox, change: dict[str, Any], error: type, text: str
) -> None:
    params: dict[str, Any] = {
        "kind": "sonstige", "title": "Test", "due_date": dt.date(2027, 5, 3),
        "entered_by": "Clara Koordination",
    }  # fmt: skip
    with pytest.raises(error) as info:
        frist_anlegen(**{**params, **change})
    assert text in str(info.value)
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Deadline)) == 0


# --- frist-erledigt --------------------------------------------------------------------------


def test_frist_erledigt_by_number_is_idempotent(seeded: Services, smtp: LocalInbox) -> None:
    deadline_id = add_deadline(seeded, MONDAY, "a@coesfeld.example")
    done = today_berlin() - dt.timedelta(days=1)
    state = frist_erledigt(
        deadline_id=deadline_id, done_on=done, entered_by="Anna Schmidt",
        note="per Post eingereicht", return_state=True,
    )  # fmt: skip
    change = state.result()
    assert change.changed and run_tags(state) == ["FA-2026-003"]
    assert (change.deadline.status, change.deadline.done_on, change.deadline.done_by) == (
        "erledigt",
        done,
        "Anna Schmidt",
    )
    again = frist_erledigt(deadline_id=deadline_id, done_on=done, entered_by="Anna Schmidt")
    assert not again.changed
    with pytest.raises(InputError) as info:
        frist_erledigt(deadline_id=deadline_id, entered_by="Bernd Muster")
    assert f"bereits am {format_date_de(done)} von Anna Schmidt als erledigt vermerkt" in str(
        info.value
    )
    with seeded.sessions() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.reason)).all()
    assert [(e.action, e.reason) for e in events] == [("Frist erledigt", "per Post eingereicht")]


def test_frist_erledigt_by_reference_and_kind(seeded: Services, smtp: LocalInbox) -> None:
    interim = DeadlineKind.ZWISCHENNACHWEIS
    first = add_deadline(
        seeded, dt.date(2027, 4, 30), "a@x.example", kind=interim, title="Haushaltsjahr 2026"
    )
    second = add_deadline(
        seeded, dt.date(2028, 5, 2), "a@x.example", kind=interim, title="Haushaltsjahr 2027"
    )
    final = add_deadline(seeded, dt.date(2029, 6, 30), "a@x.example")
    with pytest.raises(InputError) as info:
        frist_erledigt(
            reference="FA-2026-003", kind=DeadlineKind.ZWISCHENNACHWEIS, entered_by="Anna"
        )
    assert f"Nr. {first}: Haushaltsjahr 2026, fällig 30.04.2027" in str(info.value)
    assert "Bitte die Frist-Nr. angeben" in str(info.value)
    waived = frist_erledigt(
        reference="FA-2026-003", kind=DeadlineKind.VERWENDUNGSNACHWEIS,
        outcome=DeadlineOutcome.VERZICHTET,
        entered_by="Anna", note="vom Fördergeber erlassen",
    )  # fmt: skip
    assert waived.deadline.id == final and waived.deadline.status == "verzichtet"
    with pytest.raises(InputError, match="gehört nicht zu FA-2026-009"):
        frist_erledigt(deadline_id=second, reference="FA-2026-009", entered_by="Anna")
    with pytest.raises(NotFoundError, match="keine Frist der Art „Mittelabruf“"):
        frist_erledigt(reference="FA-2026-003", kind=DeadlineKind.MITTELABRUF, entered_by="Anna")


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"deadline_id": 4711}, "Eine Frist mit der Nr. 4711 gibt es nicht"),
        ({"reference": "FA-2026-003"}, "Frist-Nr. angeben oder Aktenzeichen und Art"),
        ({"deadline_id": 1, "done_on": "2999-01-01"}, "liegt in der Zukunft"),
    ],
)
def test_frist_erledigt_refuses_bad_input(
    seeded: Services, smtp: LocalInbox, params: dict[str, Any], text: str
) -> None:
    add_deadline(seeded, MONDAY, "a@coesfeld.example")
    with pytest.raises(InputError) as info:
        frist_erledigt(**params, entered_by="Anna Schmidt")
    assert text in str(info.value)
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
