"""Fault: `make up` is stopped with Ctrl-C in the middle of a sweep, then started again.

A real stack (``foerderflow up``) gets 20,000 open deadlines for 300 recipients, all due for a
reminder on the same day. ``fristen-waechter`` runs as a deployment; while it delivers the
digests, the stack receives SIGINT (Ctrl-C) and shuts down. After a restart on the same
``var`` directory the same sweep runs again for the same day. Nothing may be lost and
nothing duplicated: every due reminder is recorded exactly once, every recipient's digest
for the day arrives exactly once in the Maildir, no mail is left in the outbox.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from stack_support import RunningStack, start_stack, stop_stack

from foerderflow.inbox import read_inbox

pytestmark = pytest.mark.integration

TODAY = dt.date(2027, 3, 1)  # a Monday
DEADLINES = 20_000
RECIPIENTS = 300
OVERDUE_EVERY = 200  # every 200th deadline is overdue (escalated to the coordination)
COORDINATOR = "koordination@digitalagentur-coe.example"
DEPLOYMENT = "fristen-waechter/fristen-waechter"


def _recipient(i: int) -> str:
    return f"frist{i % RECIPIENTS:03d}@kreis-coesfeld.example"


def _bulk_insert(db: Path) -> None:
    rows = []
    for i in range(DEADLINES):
        days = -1 - (i % 5) if i % OVERDUE_EVERY == 0 else i % 29  # 0..28: in a window
        rows.append(
            (
                f"bulk:{i}",
                "sonstige",
                f"Massenfrist {i}",
                (TODAY + dt.timedelta(days=days)).isoformat(),
                0,
                "Lasttest",
                _recipient(i),
                "offen",
                "Lasttest",
            )
        )
    con = sqlite3.connect(db, timeout=30)
    with con:
        con.executemany(
            "INSERT INTO deadlines (key, kind, title, due_date, is_termin, explanation, "
            "contact_email, status, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    con.close()


def _query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _mail_count(maildir: Path) -> int:
    new, cur = maildir / "new", maildir / "cur"
    return sum(len(list(d.iterdir())) for d in (new, cur) if d.exists())


def _flow_state(run_id: Any) -> Any:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state


def test_ctrl_c_during_the_sweep_then_restart_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    db = var / "foerderflow.db"
    started = time.monotonic()
    stack: RunningStack | None = start_stack(var)
    try:
        _bulk_insert(db)
        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            run = run_deployment(DEPLOYMENT, parameters={"today": TODAY.isoformat()}, timeout=0)
            # Wait until the digests are being delivered, then press Ctrl-C.
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                state = _flow_state(run.id)
                if _mail_count(stack.maildir) >= 5 or (state is not None and state.is_final()):
                    break
                time.sleep(0.05)
            else:
                pytest.fail(f"fristen-waechter kam nicht in Gang: {state}")
        delivered_before_stop = _mail_count(stack.maildir)
        assert stop_stack(stack) == 0, stack.text()
        assert "foerderflow ist beendet." in stack.text()
    finally:
        if stack is not None and stack.process.poll() is None:
            stop_stack(stack)
        stack = None
    print(f"Strg-C nach {delivered_before_stop} zugestellten Sammelmails")

    # Stopped cleanly: no mail is left claimed ("sending") by the run that was stopped, and
    # every mail the server accepted is marked sent.
    statuses = dict(_query(db, "SELECT status, count(*) FROM outbox GROUP BY status"))
    assert statuses.get("sending", 0) == 0, statuses
    assert statuses.get("sent", 0) == _mail_count(var / "mail"), statuses

    stack = start_stack(var)
    try:
        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            rerun = run_deployment(DEPLOYMENT, parameters={"today": TODAY.isoformat()}, timeout=300)
            assert rerun.state is not None and rerun.state.type == StateType.COMPLETED, rerun.state
            after_rerun = _mail_count(stack.maildir)
            again = run_deployment(DEPLOYMENT, parameters={"today": TODAY.isoformat()}, timeout=300)
            assert again.state is not None and again.state.type == StateType.COMPLETED
            assert _mail_count(stack.maildir) == after_rerun  # a third run sends nothing
    finally:
        stop_stack(stack)

    # Every due reminder recorded exactly once (one row carrying the digest per deadline).
    recorded = _query(
        db,
        "SELECT count(*), count(DISTINCT deadline_id) FROM reminders_sent "
        "WHERE sweep_date = ? AND outbox_id IS NOT NULL",
        TODAY.isoformat(),
    )
    assert recorded == [(DEADLINES, DEADLINES)]
    duplicates = _query(
        db,
        "SELECT deadline_id, window_days, count(*) FROM reminders_sent "
        "GROUP BY deadline_id, window_days HAVING count(*) > 1",
    )
    assert duplicates == []

    # The outbox is empty, with one digest per recipient for the day and no "Nachtrag".
    outbox = _query(db, "SELECT key, status, recipients, message_id FROM outbox")
    assert {status for _, status, _, _ in outbox} == {"sent"}
    digests = {key: (recipients, mid) for key, _, recipients, mid in outbox}
    assert all(key.startswith(f"fristen-digest:{TODAY.isoformat()}:") for key in digests)
    assert not [key for key in digests if ":nachtrag-" in key]
    expected_recipients = {_recipient(i) for i in range(RECIPIENTS)} | {COORDINATOR}
    assert len(digests) == len(expected_recipients) == RECIPIENTS + 1

    # Each recipient's digest arrived exactly once: by Message-ID and by subject+recipient.
    mails = [mail for mail, _ in read_inbox(var / "mail")]
    assert len(mails) == len(digests)
    assert Counter(m.message_id for m in mails) == Counter({mid: 1 for _, mid in digests.values()})
    by_recipient = Counter(r for m in mails for r in m.recipients)
    assert by_recipient == Counter({r: 1 for r in expected_recipients})
    assert max(Counter((m.subject, tuple(m.recipients)) for m in mails).values()) == 1

    # ... and it lists exactly that recipient's deadlines, each once; the coordination gets
    # the overdue ones as escalations.
    own: dict[str, set[int]] = {}
    overdue: set[int] = set()
    for deadline_id, contact, due in _query(
        db, "SELECT id, contact_email, due_date FROM deadlines"
    ):
        own.setdefault(contact, set()).add(deadline_id)
        if due < TODAY.isoformat():
            overdue.add(deadline_id)
    assert len(overdue) == DEADLINES // OVERDUE_EVERY
    listed: list[int] = []
    for mail in mails:
        (recipient,) = mail.recipients
        numbers = [int(n) for n in re.findall(r"^\s*Frist-Nr\. (\d+)$", mail.body, re.M)]
        assert len(numbers) == len(set(numbers)), recipient
        if recipient == COORDINATOR:
            assert set(numbers) == overdue
            continue
        assert set(numbers) == own[recipient], recipient
        listed.extend(numbers)
    assert sorted(listed) == sorted(i for ids in own.values() for i in ids)
    assert len(listed) == DEADLINES
    print(f"Dauer: {time.monotonic() - started:.0f} s")
