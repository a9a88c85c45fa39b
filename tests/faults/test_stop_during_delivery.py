"""Fault: the delivery is stopped (Ctrl-C, SIGTERM) while the SMTP server accepts a mail.

The precise moment of ``test_restart``, reproduced deterministically: the stop arrives right
after the server accepted a mail and before the outbox marks it sent. The mail must count as
sent (otherwise it goes out a second time), the unsent rest must go back to the outbox at once
(not stay claimed until the lease ends), and the next delivery sends each remaining mail
exactly once. Also: ``foerderflow up`` stops the worker's flow runs with SIGTERM first, so
they can end this way instead of being killed with the worker.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from support import inbox_mails

from foerderflow.inbox import LocalInbox
from foerderflow.shutdown import stop_flow_runs
from foerderflow.wiring import Services
from models.mail import OutgoingMail
from models.tables import OutboxMail
from tasks.mail import YagmailTransport, deliver, queue_mail


class Stop(BaseException):
    """Like Prefect's TerminationSignal: raised by the SIGTERM handler of a flow run."""


def _raise_stop(signum: int, _frame: Any) -> None:
    raise Stop(signum)


def _queue(services: Services, count: int) -> list[int]:
    with services.sessions.begin() as session:
        return [
            queue_mail(
                session,
                OutgoingMail(
                    key=f"stopp:{n}",
                    owner="system",
                    to=[f"empfaenger{n}@olfen.example"],
                    subject=f"Stopptest {n}",
                    body=f"Mail {n}",
                ),
            )
            for n in range(1, count + 1)
        ]


def _rows(services: Services) -> dict[int, OutboxMail]:
    with services.sessions() as session:
        return {row.id: row for row in session.scalars(select(OutboxMail))}


def test_stop_right_after_the_server_accepted_a_mail(services: Services, smtp: LocalInbox) -> None:
    ids = _queue(services, 5)

    class StoppedAfterSecond(YagmailTransport):
        handed_over = 0

        def send(self, message: EmailMessage) -> None:
            super().send(message)  # the server has accepted the mail ...
            StoppedAfterSecond.handed_over += 1
            if StoppedAfterSecond.handed_over == 2:
                signal.raise_signal(signal.SIGTERM)  # ... and now the stop arrives

    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        with pytest.raises(Stop):
            deliver(services.sessions, services.settings, StoppedAfterSecond)
    finally:
        signal.signal(signal.SIGTERM, previous)

    rows = _rows(services)
    # The mail the server accepted is marked sent; nothing stays claimed.
    assert [rows[i].status for i in ids] == ["sent", "sent", "pending", "pending", "pending"]
    for i in ids[2:]:
        assert rows[i].claimed_at is None
        assert rows[i].last_error is not None and "Versand unterbrochen" in rows[i].last_error
    arrived = inbox_mails(smtp.maildir)
    assert sorted(m.subject for m in arrived) == ["Stopptest 1", "Stopptest 2"]

    # The next delivery sends the rest at once (no waiting for the claim lease), once each.
    report = deliver(services.sessions, services.settings, services.transport_factory)
    assert report.sent == ids[2:] and report.pending == []
    arrived = inbox_mails(smtp.maildir)
    assert sorted(m.subject for m in arrived) == [f"Stopptest {n}" for n in range(1, 6)]
    assert len({m.message_id for m in arrived}) == 5
    assert {m.message_id for m in arrived} == {r.message_id for r in _rows(services).values()}


def test_ctrl_c_while_handing_over_waits_for_the_mark(services: Services, smtp: LocalInbox) -> None:
    """The same with SIGINT and Python's own KeyboardInterrupt."""
    ids = _queue(services, 3)

    class Interrupted(YagmailTransport):
        def send(self, message: EmailMessage) -> None:
            super().send(message)
            signal.raise_signal(signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            deliver(services.sessions, services.settings, Interrupted)
    finally:
        signal.signal(signal.SIGINT, previous)
    rows = _rows(services)
    assert [rows[i].status for i in ids] == ["sent", "pending", "pending"]
    assert len(inbox_mails(smtp.maildir)) == 1


WORKER = """
import signal, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]], start_new_session=True)
print(child.pid, flush=True)
time.sleep(120)
"""
FLOW_RUN = """
import pathlib, signal, sys, time
def stop(signum, frame):
    pathlib.Path(sys.argv[1]).write_text("SIGTERM")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
pathlib.Path(sys.argv[1] + ".ready").write_text("")
time.sleep(120)
"""


def test_stack_stops_flow_runs_with_sigterm_before_the_worker(tmp_path: Path) -> None:
    """A worker's flow run lives in its own session; stop_flow_runs finds it by its parent
    and lets it end gracefully."""
    marker = tmp_path / "flow-run"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, FLOW_RUN, str(marker)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout is not None
        run_pid = int(worker.stdout.readline())
        deadline = time.monotonic() + 30
        while not Path(f"{marker}.ready").exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert stop_flow_runs([worker.pid], grace_seconds=10) == [run_pid]
        assert marker.read_text() == "SIGTERM"  # ended by its own handler, not killed
        assert worker.poll() is None  # the worker itself is left to the stack
        assert stop_flow_runs([worker.pid]) == []  # nothing left to stop
    finally:
        worker.kill()
        worker.wait()
