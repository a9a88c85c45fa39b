"""Fault: the SMTP server is down.

A lifecycle step (antrag-idee, then antrag-partnercheck) and the deadline sweep
(fristen-waechter) run in-process against the real database while nothing listens on the
configured SMTP port. The runs must not lose anything: the state changes are committed and
every mail waits in the outbox, pending, with the error recorded. Then a real SMTP server
starts on that very port and the same runs are repeated with the same parameters: every
mail arrives exactly once (by Message-ID and by subject and recipients), none twice, also
after a further retry.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support import attachments, docx_text, free_port, inbox

from flows.antrag_idee import antrag_idee
from flows.antrag_partnercheck import antrag_partnercheck
from flows.fristen_waechter import fristen_waechter
from foerderflow.inbox import LocalInbox
from foerderflow.settings import Settings
from foerderflow.wiring import Services, use_services
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.forms import today_berlin
from models.tables import (
    Application,
    AuditEvent,
    Deadline,
    Document,
    OutboxMail,
    ReminderSent,
    StepRequest,
)
from tasks.deadlines import ensure_deadline
from tasks.mail import YagmailTransport, deliver
from tasks.reference_data import seed_reference_data

pytestmark = [
    pytest.mark.usefixtures("prefect_harness"),
    pytest.mark.xdist_group("harness"),
    pytest.mark.slow,  # a fault test of the long matrix (make test-all)
]

IDEA = {
    "title": "Störungsfreie Post & <Ausfall> im „Kreishaus“",
    "summary": "Wenn der Mailserver ausfällt, darf keine Nachricht verloren gehen.",
    "lead_body": "Coesfeld",
    "partner_bodies": ["Billerbeck", "Rosendahl"],
    "programme": "Heimat 2.0",
    "estimated_costs_eur": 300000,
    "coordinator_email": "koordination@coesfeld.example",
    "entered_by": "Dora Ausfall",
}
CHECK = {"split_key": "gleich", "entered_by": "Dora Ausfall"}
ALICE = "frist.alice@nottuln.example"
BOB = "frist.bob@senden.example"


def _refused(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def down(tmp_path: Path, db_url: str, sessions: sessionmaker[Session]) -> Iterator[Services]:
    """Services whose SMTP port has no server behind it."""
    port = free_port()
    assert _refused(port)
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=db_url,
        mail_dir=tmp_path / "mail",
        local_smtp_port=port,
        smtp_timeout_seconds=5,
        ui_url="http://127.0.0.1:4200",
        _env_file=None,  # type: ignore[call-arg]
    )
    with use_services(Services(settings, sessions, YagmailTransport)) as services:
        with services.sessions.begin() as session:
            seed_reference_data(session, settings.data_dir)
        yield services


def _outbox(services: Services) -> list[OutboxMail]:
    with services.sessions() as session:
        return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def _counts(services: Services) -> dict[str, int]:
    with services.sessions() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t))
            for t in (
                Application,
                AuditEvent,
                Deadline,
                Document,
                OutboxMail,
                ReminderSent,
                StepRequest,
            )
        }


def _add_deadline(services: Services, key: str, due: dt.date, contact: str, title: str) -> None:
    with services.sessions.begin() as session:
        ensure_deadline(
            session,
            DeadlineSpec(
                key=key,
                kind=DeadlineKind.SONSTIGE,
                title=title,
                due_date=due,
                explanation="Testfrist bei ausgefallenem Mailserver",
                contact_email=contact,
            ),
        )


def _maildir_count(maildir: Path) -> int:
    return len(inbox(maildir)) if maildir.exists() else 0


def test_smtp_down_then_retry_delivers_every_mail_exactly_once(down: Services) -> None:
    services = down
    settings = services.settings
    maildir = settings.resolved_mail_dir
    port = settings.local_smtp_port
    today = today_berlin()

    # --- 1. The server is down: the runs complete, nothing is lost ---------------------------
    idea = antrag_idee(**IDEA)
    ref = idea.reference
    assert idea.created and idea.stage == "idee"
    check = antrag_partnercheck(reference=ref, **CHECK)
    assert check.stage == "partnerpruefung" and not check.repeated
    assert len(check.outbox_ids) == 2  # one letter of intent per partner

    _add_deadline(services, "ausfall:1", today, ALICE, "Heute fällig: Ratsvorlage")
    _add_deadline(services, "ausfall:2", today + dt.timedelta(days=2), ALICE, "Bald fällig")
    _add_deadline(services, "ausfall:3", today - dt.timedelta(days=3), BOB, "Überfällig")
    sweep = fristen_waechter(today=today)
    assert sweep.reminded >= 3 and sweep.overdue >= 1
    digest_recipients = {d.recipient for d in sweep.digests}
    assert {ALICE, BOB, settings.central_coordinator_email} <= digest_recipients

    assert _refused(port)
    assert _maildir_count(maildir) == 0
    rows = _outbox(services)
    # idea mail + two letters of intent + one digest per recipient
    assert len(rows) == 1 + 2 + len(sweep.digests)
    for row in rows:
        assert row.status == "pending", (row.key, row.status)
        assert row.attempts >= 1 and row.sent_at is None and row.claimed_at is None
        assert row.last_error and "Mailserver nicht erreichbar" in row.last_error
    assert not [r for r in rows if r.key.startswith("fehler:")]  # the runs did not fail
    # The state changes are committed.
    with services.sessions() as session:
        app = session.scalar(select(Application).where(Application.reference == ref))
        assert app is not None and app.stage == "partnerpruefung"
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.owner == ref).order_by(AuditEvent.id)
        ).all()
        assert actions == ["Idee angelegt", "Partnerprüfung starten"]
        recorded = session.scalars(
            select(ReminderSent.deadline_id).where(ReminderSent.sweep_date == today)
        ).all()
        assert len(set(recorded)) == sweep.reminded
    before_retry = _counts(services)

    # --- 2. The server is back on the same port: retry the same runs ------------------------
    server = LocalInbox(maildir, "127.0.0.1", port).start()
    try:
        again = antrag_idee(**IDEA)
        assert again.reference == ref and not again.created
        arrived = inbox(maildir)
        assert len(arrived) == 1  # exactly the idea's own mail
        mail, message = arrived[0]
        assert mail.recipients == [IDEA["coordinator_email"]]
        assert mail.subject == f"Projektskizze {ref}: {IDEA['title']}"
        ((name, (_, data)),) = attachments(message).items()
        assert name == f"{ref}_projektskizze_v1.docx"
        assert IDEA["title"] in docx_text(data)

        repeated = antrag_partnercheck(reference=ref, **CHECK)
        assert repeated.repeated and repeated.outbox_ids == check.outbox_ids
        assert _maildir_count(maildir) == 3

        rerun = fristen_waechter(today=today)
        assert rerun.reminded == 0 and rerun.digests == []  # nothing new recorded
        assert _counts(services) == before_retry  # the retries wrote nothing new

        first_round = inbox(maildir)
        # A further retry of everything sends nothing again.
        antrag_idee(**IDEA)
        antrag_partnercheck(reference=ref, **CHECK)
        fristen_waechter(today=today)
        report = deliver(services.sessions, settings, services.transport_factory)
        assert report.sent == [] and report.pending == []
        final = inbox(maildir)
    finally:
        server.stop()

    assert [m.key for m, _ in final] == [m.key for m, _ in first_round]
    rows = _outbox(services)
    assert [r.status for r in rows] == ["sent"] * len(rows)
    assert all(r.sent_at is not None for r in rows)
    # Exactly once, by Message-ID ...
    ids = Counter(m.message_id for m, _ in final)
    assert ids == Counter({r.message_id: 1 for r in rows})
    # ... and by subject and recipients.
    pairs = Counter((m.subject, tuple(sorted(m.recipients))) for m, _ in final)
    assert max(pairs.values()) == 1
    assert len(pairs) == len(rows)
    expected = {(r.subject, tuple(sorted([*r.recipients, *(r.cc or [])]))) for r in rows}
    assert set(pairs) == expected
    # Every digest recipient got exactly one digest for the day, listing its deadlines.
    digests = [m for m, _ in final if m.subject.startswith("Fristen am ")]
    assert sorted(r for m in digests for r in m.recipients) == sorted(digest_recipients)
    alice = next(m for m in digests if m.recipients == [ALICE])
    assert "Heute fällig: Ratsvorlage" in alice.body and "Bald fällig" in alice.body
    bob = next(m for m in digests if m.recipients == [BOB])
    assert "Überfällig" in bob.body
