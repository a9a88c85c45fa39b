"""The deadline sweep against the real database and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import itertools
import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, literal, select, text
from sqlalchemy.orm import Session, sessionmaker
from support import inbox_mails

from foerderflow.inbox import LocalInbox, ReceivedMail
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.fristen_documents import needs_reminder, tightest_window
from models.mail import DeliveryReport
from models.tables import Deadline, OutboxMail, ReminderSent
from tasks.deadlines import complete_deadline, ensure_deadline
from tasks.mail import MailTransport, YagmailTransport, deliver
from tasks.sweep import (
    SweepOutcome,
    collect_due_reminders,
    days_between,
    due_reminders_query,
    overview_query,
    overview_table,
    run_sweep,
)

TODAY = dt.date(2027, 3, 1)  # a Monday
_keys = itertools.count(1)


def add_deadline(
    services: Services,
    days_left: int,
    contact: str = "a@coesfeld.example",
    *,
    kind: DeadlineKind = DeadlineKind.VERWENDUNGSNACHWEIS,
    reference: str | None = "FA-2026-003",
    title: str = "Digitale Dorfplätze",
    is_termin: bool = False,
) -> int:
    spec = DeadlineSpec(
        key=f"test:{next(_keys)}",
        kind=kind,
        title=title,
        due_date=TODAY + dt.timedelta(days=days_left),
        is_termin=is_termin,
        explanation="Testfrist",
        owner=reference,
        contact_email=contact,
    )
    with services.sessions.begin() as session:
        deadline_id, _ = ensure_deadline(session, spec)
    return deadline_id


def sweep_and_send(services: Services, day: dt.date) -> tuple[SweepOutcome, DeliveryReport]:
    outcome = run_sweep(services, day)
    report = deliver(services.sessions, services.settings, services.transport_factory)
    return outcome, report


class Inbox:
    """Reads the Maildir and returns only the mails that arrived since the last look."""

    def __init__(self, smtp: LocalInbox) -> None:
        self.smtp = smtp
        self.seen: set[str] = set()

    def new(self) -> list[ReceivedMail]:
        mails = [m for m in inbox_mails(self.smtp.maildir) if m.key not in self.seen]
        self.seen.update(m.key for m in mails)
        return mails

    def new_by_recipient(self) -> dict[str, ReceivedMail]:
        mails = self.new()
        by = {m.recipients[0]: m for m in mails}
        assert len(by) == len(mails), "more than one digest for a recipient"
        return by


@pytest.fixture
def inbox(smtp: LocalInbox) -> Inbox:
    return Inbox(smtp)


def recorded(sessions: sessionmaker[Session], deadline_id: int) -> dict[int, int | None]:
    with sessions() as session:
        rows = session.execute(
            select(ReminderSent.window_days, ReminderSent.outbox_id).where(
                ReminderSent.deadline_id == deadline_id
            )
        ).all()
    return {row.window_days: row.outbox_id for row in rows}


# --- Windows ---------------------------------------------------------------------------------


def test_each_window_fires_exactly_once(services: Services, inbox: Inbox) -> None:
    d14 = add_deadline(services, 14, title="Vierzehn")
    d5 = add_deadline(services, 5, title="Fünf")
    d40 = add_deadline(services, 40, title="Vierzig")

    outcome, report = sweep_and_send(services, TODAY)
    assert (outcome.reminded, len(outcome.digests), report.ok) == (2, 1, True)
    mail = inbox.new_by_recipient()["a@coesfeld.example"]
    assert "Fünf\n   fällig am Samstag, 06.03.2027 – noch 5 Tage" in mail.body
    assert "Vierzehn\n   fällig am Montag, 15.03.2027 – noch 14 Tage" in mail.body
    assert "Vierzig" not in mail.body
    # The tightest window carries the digest; the wider ones are recorded without a mail.
    outbox_id = outcome.digests[0].outbox_id
    assert recorded(services.sessions, d14) == {14: outbox_id, 28: None}
    assert recorded(services.sessions, d5) == {7: outbox_id, 28: None, 14: None}
    assert recorded(services.sessions, d40) == {}

    for day in (0, 1, 2):  # same day again, then days still inside the recorded windows
        outcome, _ = sweep_and_send(services, TODAY + dt.timedelta(days=day))
        assert outcome.reminded == 0
    assert inbox.new() == []

    outcome, _ = sweep_and_send(services, TODAY + dt.timedelta(days=3))  # d5: two days left
    assert outcome.reminded == 1
    assert "Fünf\n   fällig am Samstag, 06.03.2027 – noch 2 Tage" in inbox.new()[0].body
    with services.sessions.begin() as session:
        complete_deadline(session, session.get_one(Deadline, d5), done_on=TODAY, done_by="X")

    outcome, _ = sweep_and_send(services, TODAY + dt.timedelta(days=7))  # d14: seven days left
    assert "Vierzehn" in inbox.new()[0].body and outcome.reminded == 1

    outcome, _ = sweep_and_send(services, TODAY + dt.timedelta(days=12))  # d40: 28, d14: 2 left
    body = inbox.new()[0].body
    assert (
        "1. Verwendungsnachweis FA-2026-003: Vierzehn\n   fällig am Montag, 15.03.2027 – noch "
        "2 Tage" in body
    )
    assert (
        "2. Verwendungsnachweis FA-2026-003: Vierzig\n   fällig am Samstag, 10.04.2027 – noch "
        "28 Tage" in body
    )
    assert recorded(services.sessions, d40) == {28: outcome.digests[0].outbox_id}


def test_one_digest_per_recipient_sorted_by_due_date(services: Services, inbox: Inbox) -> None:
    add_deadline(services, 14, title="Später")
    add_deadline(services, 0, title="Heute", kind=DeadlineKind.EINREICHUNG)
    add_deadline(services, 2, title="Übermorgen", reference="FA-2026-001")
    add_deadline(services, 7, "b@duelmen.example", title="Dülmen", reference=None,
                 kind=DeadlineKind.GREMIENTERMIN, is_termin=True)  # fmt: skip
    outcome, report = sweep_and_send(services, TODAY)
    assert report.sent == outcome.outbox_ids and len(report.sent) == 2
    mails = inbox.new_by_recipient()
    a = mails["A@coesfeld.example".lower()]
    assert a.subject == "Fristen am Montag, 01.03.2027: 3 Fristen"
    assert a.body.index("Heute") < a.body.index("Übermorgen") < a.body.index("Später")
    assert "1. Einreichung FA-2026-003: Heute\n   fällig am Montag, 01.03.2027 – heute fällig" in (
        a.body
    )
    assert "2. Verwendungsnachweis FA-2026-001: Übermorgen" in a.body
    b = mails["b@duelmen.example"]
    assert "Gremientermin: Dülmen\n   Termin am Montag, 08.03.2027 – noch 7 Tage" in b.body


def test_overdue_daily_to_contact_and_escalated_to_coordinator(
    services: Services, inbox: Inbox
) -> None:
    late = add_deadline(services, -1, "b@duelmen.example", title="Nachweis",
                        kind=DeadlineKind.ZWISCHENNACHWEIS)  # fmt: skip
    add_deadline(services, 1, "b@duelmen.example", title="Morgen")

    coordinator = services.settings.central_coordinator_email
    outcome, _ = sweep_and_send(services, TODAY)
    assert (outcome.reminded, outcome.overdue) == (2, 1)
    mails = inbox.new_by_recipient()
    assert set(mails) == {"b@duelmen.example", coordinator}
    own = mails["b@duelmen.example"]
    assert own.subject == "Fristen am Montag, 01.03.2027: 2 Fristen, davon 1 überfällig"
    assert (
        "Zwischennachweis FA-2026-003: Nachweis\n   fällig am Sonntag, 28.02.2027 – seit 1 Tag"
        " überfällig" in own.body
    )
    assert "[Eskalation]" not in own.body
    escalation = mails[coordinator]
    assert escalation.subject.endswith("(Eskalation)")
    assert "1. [Eskalation] Zwischennachweis FA-2026-003: Nachweis" in escalation.body
    assert "Verantwortlich: b@duelmen.example" in escalation.body
    assert "Morgen" not in escalation.body  # only overdue deadlines escalate
    assert recorded(services.sessions, late).keys() == {-1, 28, 14, 7, 2, 0}

    sweep_and_send(services, TODAY + dt.timedelta(days=1))
    mails = inbox.new_by_recipient()
    assert set(mails) == {"b@duelmen.example", coordinator}
    assert "seit 2 Tagen überfällig" in mails["b@duelmen.example"].body
    assert "seit 2 Tagen überfällig" in mails[coordinator].body
    assert "heute fällig" in mails["b@duelmen.example"].body  # "Morgen" is due now

    with services.sessions.begin() as session:
        row = session.get_one(Deadline, late)
        assert complete_deadline(session, row, done_on=TODAY, done_by="Anna Schmidt")
    outcome, _ = sweep_and_send(services, TODAY + dt.timedelta(days=2))
    mails = inbox.new_by_recipient()
    assert set(mails) == {"b@duelmen.example", coordinator}  # "Morgen" is overdue now
    assert "Nachweis" not in mails["b@duelmen.example"].body
    assert "Nachweis" not in mails[coordinator].body


def test_rerun_on_the_same_day_sends_nothing(services: Services, inbox: Inbox) -> None:
    add_deadline(services, 7)
    add_deadline(services, -4, "c@olfen.example")
    first, report = sweep_and_send(services, TODAY)
    assert len(first.digests) == 3 and report.ok
    assert len(inbox.new()) == 3
    for _ in range(2):
        again, report = sweep_and_send(services, TODAY)
        assert again.reminded == 0 and again.digests == [] and report.sent == []
    assert inbox.new() == []
    with services.sessions() as session:
        assert session.scalar(select(OutboxMail.id).where(OutboxMail.status != "sent")) is None


def test_deadline_added_after_the_morning_sweep_comes_as_supplement(
    services: Services, inbox: Inbox
) -> None:
    add_deadline(services, 14, title="Morgens")
    sweep_and_send(services, TODAY)
    assert len(inbox.new()) == 1
    add_deadline(services, 2, title="Nachmittags")
    outcome, _ = sweep_and_send(services, TODAY)
    assert [d.supplement for d in outcome.digests] == [True]
    mail = inbox.new()[0]
    assert mail.subject.startswith("Nachtrag – Fristen am Montag, 01.03.2027: 1 Frist")
    assert "Nachmittags" in mail.body and "Morgens" not in mail.body
    with services.sessions() as session:
        keys = set(session.scalars(select(OutboxMail.key)))
    assert keys == {
        "fristen-digest:2027-03-01:a@coesfeld.example",
        "fristen-digest:2027-03-01:a@coesfeld.example:nachtrag-2",
    }


# --- Failures --------------------------------------------------------------------------------


def test_smtp_down_keeps_digests_pending_then_delivers_them_once(
    services: Services, smtp: LocalInbox, inbox: Inbox
) -> None:
    coordinator = services.settings.central_coordinator_email
    add_deadline(services, 14)
    add_deadline(services, -2, "b@duelmen.example")
    port = smtp.port
    smtp.stop()

    outcome, report = sweep_and_send(services, TODAY)
    assert len(outcome.digests) == 3
    assert report.sent == [] and sorted(report.pending) == sorted(outcome.outbox_ids)
    assert "Mailserver nicht erreichbar" in report.errors[0]
    # Same day again, still down: nothing new is queued, nothing is lost.
    again, report = sweep_and_send(services, TODAY)
    assert again.reminded == 0 and len(report.pending) == 3
    # Next day, still down: the next day's digests join the queue.
    next_day, report = sweep_and_send(services, TODAY + dt.timedelta(days=1))
    assert len(next_day.digests) == 2  # b and the coordinator (overdue daily)
    assert len(report.pending) == 5
    with services.sessions() as session:
        pending = session.execute(
            select(OutboxMail.status, OutboxMail.attempts, OutboxMail.last_error)
        ).all()
    assert {row.status for row in pending} == {"pending"}
    assert all(row.last_error for row in pending if row.attempts)

    restarted = LocalInbox(smtp.maildir, "127.0.0.1", port).start()
    smtp.controller = restarted.controller  # the fixture's teardown stops the running server
    retry, report = sweep_and_send(services, TODAY + dt.timedelta(days=1))
    assert retry.reminded == 0
    assert len(report.sent) == 5 and report.ok
    mails = inbox.new()
    assert sorted((m.recipients[0], m.subject.split(":")[0]) for m in mails) == sorted(
        [
            ("a@coesfeld.example", "Fristen am Montag, 01.03.2027"),
            ("b@duelmen.example", "Fristen am Montag, 01.03.2027"),
            (coordinator, "Fristen am Montag, 01.03.2027"),
            ("b@duelmen.example", "Fristen am Dienstag, 02.03.2027"),
            (coordinator, "Fristen am Dienstag, 02.03.2027"),
        ]
    )
    assert len({m.message_id for m in mails}) == 5
    _, report = sweep_and_send(services, TODAY + dt.timedelta(days=1))
    assert report.sent == [] and inbox.new() == []


# --- Scale properties ------------------------------------------------------------------------


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    captured: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        captured.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    yield captured
    event.remove(engine, "before_cursor_execute", capture)


def test_one_query_for_the_deadlines_and_one_smtp_connection(
    settings: Settings, sessions: sessionmaker[Session], statements: list[str], inbox: Inbox
) -> None:
    connections: list[MailTransport] = []

    def counting_factory(s: Settings) -> MailTransport:
        transport = YagmailTransport(s)
        connections.append(transport)
        return transport

    services = Services(settings, sessions, counting_factory)
    for index in range(30):
        add_deadline(services, index % 10 - 3, f"person{index % 6}@coesfeld.example")
    statements.clear()
    outcome, report = sweep_and_send(services, TODAY)
    assert len(outcome.digests) == 7 and len(report.sent) == 7  # 6 contacts + coordinator
    deadline_reads = [s for s in statements if "FROM deadlines" in s]
    assert len(deadline_reads) == 1
    reminder_inserts = [s for s in statements if s.startswith("INSERT INTO reminders_sent")]
    assert len(reminder_inserts) == 1
    assert len(connections) == 1
    assert len(inbox.new()) == 7


def test_due_reminders_query_can_use_the_status_due_index(engine: Engine) -> None:
    """The sweep's one query reaches deadlines through ix_deadlines_status_due and
    reminders_sent through its unique index (sequential scans off, as on a large table)."""
    query = due_reminders_query(TODAY, [28, 14, 7, 2, 0])
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = " | ".join(str(row[0]) for row in conn.execute(text(f"EXPLAIN {sql}")))
    assert "ix_deadlines_status_due" in plan
    assert "Seq Scan on deadlines" not in plan
    assert "Seq Scan on reminders_sent" not in plan


@pytest.mark.parametrize(
    ("later", "earlier", "days"),
    [
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1), 0),
        (dt.date(2027, 3, 1), dt.date(2027, 2, 28), 1),
        (dt.date(2028, 3, 1), dt.date(2028, 2, 28), 2),  # leap year
        (dt.date(2027, 1, 1), dt.date(2026, 12, 31), 1),
        (dt.date(2027, 2, 20), dt.date(2027, 3, 1), -9),
        (dt.date(2030, 1, 1), dt.date(2027, 1, 1), 1096),
    ],
)
def test_days_between_in_sql(engine: Engine, later: dt.date, earlier: dt.date, days: int) -> None:
    with engine.connect() as conn:
        value = conn.execute(select(days_between(literal(later), literal(earlier)))).scalar()
    assert value == days == (later - earlier).days


def test_overview_lists_open_deadlines_of_the_next_60_days_and_all_overdue(
    services: Services,
) -> None:
    late = add_deadline(services, -40, title="Alt")
    soon = add_deadline(services, 60, title="In 60 Tagen", is_termin=True)
    add_deadline(services, 61, title="Zu spät für die Liste")
    done = add_deadline(services, 3, title="Erledigt")
    with services.sessions.begin() as session:
        complete_deadline(session, session.get_one(Deadline, done), done_on=TODAY, done_by="X")
    with services.sessions() as session:
        rows = overview_table(session.execute(overview_query(TODAY)).all(), TODAY)
    assert [row["Nr."] for row in rows] == [late, soon]
    assert rows[0] == {
        "Nr.": late,
        "Fällig am": "Mittwoch, 20.01.2027",
        "Restlaufzeit": "seit 40 Tagen überfällig",
        "Art": "Verwendungsnachweis",
        "Aktenzeichen": "FA-2026-003",
        "Betreff": "Alt",
        "Körperschaft": "–",
        "Verantwortlich": "a@coesfeld.example",
        "Frist/Termin": "Frist",
    }
    assert rows[1]["Restlaufzeit"] == "noch 60 Tage" and rows[1]["Frist/Termin"] == "Termin"


def test_digests_share_one_smtp_connection(
    services: Services, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects: list[tuple[Any, ...]] = []
    original = smtplib.SMTP.connect

    def counting_connect(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        connects.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    for index in range(5):
        add_deadline(services, 7, f"person{index}@coesfeld.example")
    _, report = sweep_and_send(services, TODAY)
    assert len(report.sent) == 5 and len(inbox.new()) == 5
    assert len(connects) == 1


def test_sql_decision_matches_the_pure_window_rules(services: Services) -> None:
    """The query decides in SQL what ``tightest_window``/``needs_reminder`` state in Python."""
    windows = [28, 14, 7, 2, 0]
    expected: dict[int, int] = {}
    with services.sessions.begin() as session:
        for days_left in range(-6, 36):
            for min_recorded in (None, 28, 14, 7, 2, 0, -1, -3):
                deadline_id, _ = ensure_deadline(
                    session,
                    DeadlineSpec(
                        key=f"matrix:{days_left}:{min_recorded}",
                        kind=DeadlineKind.SONSTIGE,
                        title="Matrix",
                        due_date=TODAY + dt.timedelta(days=days_left),
                        contact_email="a@x.example",
                    ),
                )
                if min_recorded is not None:
                    session.add(
                        ReminderSent(
                            deadline_id=deadline_id, window_days=min_recorded, sweep_date=TODAY
                        )
                    )
                window = tightest_window(days_left, windows)
                if needs_reminder(window, min_recorded):
                    assert window is not None
                    expected[deadline_id] = window
    with services.sessions() as session:
        due = collect_due_reminders(session, TODAY, windows)
    assert {r.deadline_id: r.window for r in due} == expected
    assert all(r.days_left == (r.due_date - TODAY).days for r in due)
