"""Fault: `make up` is stopped with Ctrl-C in the middle of a sweep, then started again.

A real stack (``foerderflow up``) gets 20,000 open deadlines for 300 recipients, all due for a
reminder on the same day. ``fristen-waechter`` runs as a deployment; while it delivers the
digests, the stack receives SIGINT (Ctrl-C) and shuts down. After a restart on the same
``var`` directory the same sweep runs again for the same day. Nothing may be lost and
nothing duplicated: every due reminder is recorded exactly once, every recipient's digest
for the day arrives exactly once in the Maildir, no mail is left in the outbox. The
database is read while no stack runs (its embedded PostgreSQL server started on its own), so
what is checked is what the stack left on disk.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import Engine, text
from stack_support import RunningStack, start_stack, stop_stack, stopped_stack_database

from foerderflow.db import make_engine
from foerderflow.inbox import read_inbox
from models.tables import Deadline

pytestmark = [pytest.mark.integration, pytest.mark.slow]  # restarts stacks: make test-all

TODAY = dt.date(2027, 3, 1)  # a Monday
DEADLINES = 20_000
RECIPIENTS = 300
OVERDUE_EVERY = 200  # every 200th deadline is overdue (escalated to the coordination)
COORDINATOR = "koordination@digitalagentur-coe.example"
DEPLOYMENT = "fristen-waechter/fristen-waechter"


def _recipient(i: int) -> str:
    return f"frist{i % RECIPIENTS:03d}@kreis-coesfeld.example"


def _bulk_insert(db_url: str) -> None:
    rows = []
    for i in range(DEADLINES):
        days = -1 - (i % 5) if i % OVERDUE_EVERY == 0 else i % 29  # 0..28: in a window
        rows.append(
            {
                "key": f"bulk:{i}",
                "kind": "sonstige",
                "title": f"Massenfrist {i}",
                "due_date": TODAY + dt.timedelta(days=days),
                "is_termin": False,
                "explanation": "Lasttest",
                "contact_email": _recipient(i),
                "status": "offen",
                "created_by": "Lasttest",
            }
        )
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(Deadline.__table__.insert(), rows)
            count = conn.execute(text("SELECT count(*) FROM deadlines")).scalar()
    finally:
        engine.dispose()
    assert count == DEADLINES


def _query(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def _mail_count(maildir: Path) -> int:
    new, cur = maildir / "new", maildir / "cur"
    return sum(len(list(d.iterdir())) for d in (new, cur) if d.exists())


def _flow_state(run_id: Any) -> Any:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state


def test_ctrl_c_during_the_sweep_then_restart_loses_and_duplicates_nothing(stack_var: Path) -> None:
    var = stack_var
    started = time.monotonic()
    stack: RunningStack | None = start_stack(var)
    try:
        _bulk_insert(stack.db_url)
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
    # every mail the server accepted is marked sent. The 20,000 deadlines are still there.
    with stopped_stack_database(var) as db:
        statuses = dict(_query(db, "SELECT status, count(*) FROM outbox GROUP BY status"))
        deadlines = _query(db, "SELECT count(*) FROM deadlines WHERE key LIKE 'bulk:%'")
    assert deadlines == [(DEADLINES,)]
    assert statuses.get("sending", 0) == 0, statuses
    assert statuses.get("sent", 0) == _mail_count(var / "mail"), statuses

    stack = start_stack(var)
    try:
        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            rerun = run_deployment(
                DEPLOYMENT, parameters={"today": TODAY.isoformat()}, timeout=300, poll_interval=0.5
            )
            assert rerun.state is not None and rerun.state.type == StateType.COMPLETED, rerun.state
            after_rerun = _mail_count(stack.maildir)
            again = run_deployment(
                DEPLOYMENT, parameters={"today": TODAY.isoformat()}, timeout=300, poll_interval=0.5
            )
            assert again.state is not None and again.state.type == StateType.COMPLETED
            assert _mail_count(stack.maildir) == after_rerun  # a third run sends nothing
    finally:
        code = stop_stack(stack)
    assert code == 0, stack.text()

    with stopped_stack_database(var) as db:
        recorded = _query(
            db,
            "SELECT count(*), count(DISTINCT deadline_id) FROM reminders_sent "
            "WHERE sweep_date = :d AND outbox_id IS NOT NULL",
            d=TODAY,
        )
        duplicates = _query(
            db,
            "SELECT deadline_id, window_days, count(*) FROM reminders_sent "
            "GROUP BY deadline_id, window_days HAVING count(*) > 1",
        )
        outbox = _query(db, "SELECT key, status, recipients, message_id FROM outbox")
        deadline_rows = _query(db, "SELECT id, contact_email, due_date FROM deadlines")

    # Every due reminder recorded exactly once (one row carrying the digest per deadline).
    assert recorded == [(DEADLINES, DEADLINES)]
    assert duplicates == []

    # The outbox is empty, with one digest per recipient for the day and no "Nachtrag".
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
    for deadline_id, contact, due in deadline_rows:
        own.setdefault(contact, set()).add(deadline_id)
        if due < TODAY:
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
