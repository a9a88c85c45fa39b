"""Fault: concurrent writers have to wait for a lock another connection holds.

Concurrent writers (threads sharing one engine, and separate processes with their own
engines) create ideas while a foreign psycopg connection holds the lock they need: in an open
transaction it has inserted this year's reference counter row (and an audit row of its own),
so every writer's ``INSERT … ON CONFLICT DO UPDATE`` on the counter (``tasks.store.next_number``)
must wait until that transaction commits, about two seconds later. Every writer must succeed,
finish only after the blocker committed, and no write may be lost or duplicated: N
applications with the references FA-2026-001..N, each with its document, its audit event and
its queued mail, plus the blocking transaction's own audit row.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from foerderflow.db import make_engine
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.application import IdeaInput
from models.tables import Application, AuditEvent, Document, OutboxMail, ReferenceCounter
from tasks.idea import record_idea
from tasks.steps import StepOutcome

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

TODAY = dt.date(2026, 11, 16)
THREADS = 8
PROCESSES = 2
PER_PROCESS = 3
HOLD_SECONDS = 2.0
BLOCKER_OWNER = "sperr-test"
BLOCKER_ACTION = "hält die Zählersperre"


def _idea(title: str) -> IdeaInput:
    return IdeaInput(
        title=title,
        summary="Nebenläufige Erfassung, während eine fremde Transaktion den Zähler sperrt.",
        lead_body="Dülmen",
        partner_bodies=["Olfen"],
        programme="Heimat 2.0",
        estimated_costs_eur=Decimal("250000"),
        coordinator_email="koordination@duelmen.example",
        entered_by="Sperrtest",
    )


def _connect(db_url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A plain psycopg connection (no SQLAlchemy, no pool) to the database of ``db_url``."""
    url = make_url(db_url)
    params = {
        "host": url.query.get("host") or url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, **kwargs)


def _process_writer(
    db_url: str,
    var_dir: str,
    titles: list[str],
    ready: Any,
    go: Any,
    queue: multiprocessing.Queue,
) -> None:
    """Runs in a separate process: its own engine, its own connection pool."""
    from sqlalchemy import text
    from sqlalchemy.orm import sessionmaker

    from tasks.mail import YagmailTransport

    engine = make_engine(db_url)
    services = Services(
        Settings(var_dir=Path(var_dir), database_url=db_url, _env_file=None),  # type: ignore[call-arg]
        sessionmaker(bind=engine, expire_on_commit=False),
        YagmailTransport,
    )
    with engine.connect() as conn:  # connected and imported before the lock is taken
        conn.execute(text("select 1"))
    ready.set()
    if not go.wait(120):
        queue.put(("error", "", "kein Startsignal", 0.0, time.time()))
        return
    for title in titles:
        began = time.time()
        try:
            outcome = record_idea(services, _idea(title), TODAY)
            queue.put(("ok", title, outcome.reference, began, time.time()))
        except BaseException as exc:
            queue.put(("error", title, f"{type(exc).__name__}: {exc}", began, time.time()))
    engine.dispose()


def _waiting_for(watch: psycopg.Connection[Any], blocker_pid: int) -> int:
    """How many sessions are blocked by the blocker's transaction right now."""
    row = watch.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
        (blocker_pid,),
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_concurrent_writers_wait_for_the_lock_and_lose_nothing(
    db_url: str, seeded: Services
) -> None:
    services = seeded
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = ctx.Queue()
    go = ctx.Event()
    process_titles = [
        [f"Prozess {p} Vorhaben {i}" for i in range(PER_PROCESS)] for p in range(PROCESSES)
    ]
    readies = [ctx.Event() for _ in range(PROCESSES)]
    procs = [
        ctx.Process(
            target=_process_writer,
            args=(db_url, str(services.settings.var_dir), titles, ready, go, queue),
        )
        for titles, ready in zip(process_titles, readies, strict=True)
    ]
    for proc in procs:
        proc.start()
    assert all(ready.wait(120) for ready in readies), "Schreibprozesse nicht bereit"

    results: dict[str, StepOutcome | BaseException] = {}
    began_at: dict[str, float] = {}
    finished_at: dict[str, float] = {}
    gate = threading.Barrier(THREADS + 1)

    def writer(title: str) -> None:
        gate.wait()
        began_at[title] = time.time()
        try:
            results[title] = record_idea(services, _idea(title), TODAY)
        except BaseException as exc:
            results[title] = exc
        finished_at[title] = time.time()

    thread_titles = [f"Thread-Vorhaben {i:02d} & <Sperre>" for i in range(THREADS)]
    threads = [threading.Thread(target=writer, args=(t,)) for t in thread_titles]
    for thread in threads:
        thread.start()

    try:
        with (
            _connect(db_url) as blocker,
            _connect(db_url, autocommit=True) as watch,
        ):
            # The foreign transaction: this year's counter row and an audit row, not committed.
            blocker.execute(
                "INSERT INTO reference_counters (prefix, year, last_value) VALUES ('FA', %s, 0)",
                (TODAY.year,),
            )
            blocker.execute(
                "INSERT INTO audit_events (owner, actor, action, reason, details) "
                "VALUES (%s, 'Sperre', %s, '', '{}')",
                (BLOCKER_OWNER, BLOCKER_ACTION),
            )
            blocker_pid = blocker.info.backend_pid

            # The lock is real: a writer that does not wait gives up.
            with _connect(db_url) as probe:
                probe.execute("SET lock_timeout = '200ms'")
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    probe.execute(
                        "INSERT INTO reference_counters (prefix, year, last_value) "
                        "VALUES ('FA', %s, 1) ON CONFLICT (prefix, year) "
                        "DO UPDATE SET last_value = reference_counters.last_value + 1",
                        (TODAY.year,),
                    )
                probe.rollback()

            go_at = time.time()
            go.set()
            gate.wait()
            # Every writer (eight threads, one idea at a time in each process) queues up behind
            # the blocker, then waits on for HOLD_SECONDS.
            deadline = time.monotonic() + 60
            waiting = 0
            while waiting < THREADS + PROCESSES and time.monotonic() < deadline:
                waiting = _waiting_for(watch, blocker_pid)
                time.sleep(0.05)
            time.sleep(HOLD_SECONDS)
            still_waiting = _waiting_for(watch, blocker_pid)
            finished_while_locked = dict(finished_at)
            commit_at = time.time()
            blocker.commit()
    finally:  # never leave a writer waiting for a start signal
        go.set()
        gate.abort()

    for thread in threads:
        thread.join(120)
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    process_results = [queue.get(timeout=10) for _ in range(PROCESSES * PER_PROCESS)]

    # Every writer succeeded.
    errors = {t: r for t, r in results.items() if isinstance(r, BaseException)}
    assert not errors, errors
    assert len(results) == THREADS
    assert [r for r in process_results if r[0] != "ok"] == []
    # All of them were blocked by the foreign transaction at once, and still after two seconds.
    assert waiting == still_waiting == THREADS + PROCESSES
    assert finished_while_locked == {}
    # They started while the lock was held and finished only after the blocker committed.
    all_began = list(began_at.values()) + [r[3] for r in process_results]
    all_finished = list(finished_at.values()) + [r[4] for r in process_results]
    first_per_process = [min(r[3] for r in process_results if r[1] in ts) for ts in process_titles]
    assert max(list(began_at.values()) + first_per_process) < commit_at
    assert min(all_finished) > commit_at
    assert min(all_finished) - go_at >= HOLD_SECONDS
    assert min(all_began) >= go_at

    n = THREADS + PROCESSES * PER_PROCESS
    all_titles = thread_titles + [t for titles in process_titles for t in titles]
    expected_refs = [f"FA-2026-{i:03d}" for i in range(1, n + 1)]
    with services.sessions() as session:
        apps = session.execute(
            select(Application.reference, Application.title).order_by(Application.reference)
        ).all()
        counter = session.scalar(
            select(ReferenceCounter.last_value).where(
                ReferenceCounter.prefix == "FA", ReferenceCounter.year == TODAY.year
            )
        )
        documents = session.execute(select(Document.owner, Document.kind, Document.version)).all()
        outbox = session.execute(select(OutboxMail.owner, OutboxMail.key)).all()
        audit = session.execute(select(AuditEvent.owner, AuditEvent.action)).all()
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Application, Document, OutboxMail, AuditEvent)
        }
    # No lost write and no duplicate: exactly N applications, references 001..N, no gap.
    assert [ref for ref, _ in apps] == expected_refs
    assert sorted(title for _, title in apps) == sorted(all_titles)
    assert counter == n  # counted on from the blocker's row (0): nothing skipped
    thread_refs = [r.reference for r in results.values()]  # type: ignore[union-attr]
    process_refs = [r[2] for r in process_results]
    assert sorted(thread_refs + process_refs) == expected_refs
    by_title = dict(zip([r[1] for r in process_results], process_refs, strict=True))
    by_title |= {t: r.reference for t, r in results.items()}  # type: ignore[union-attr]
    assert {ref: title for ref, title in apps} == {ref: t for t, ref in by_title.items()}
    # Each idea committed whole: its Projektskizze, its audit event, its queued mail.
    assert sorted(documents) == [(ref, "projektskizze", 1) for ref in expected_refs]
    assert sorted(outbox) == [
        (ref, f"{ref}:projektskizze:v1:koordination") for ref in expected_refs
    ]
    assert sorted(owner for owner, action in audit if action == "Idee angelegt") == expected_refs
    # The blocking transaction's own write survived too; nothing else was written.
    assert [tuple(a) for a in audit if a.owner == BLOCKER_OWNER] == [
        (BLOCKER_OWNER, BLOCKER_ACTION)
    ]
    assert counts == {"applications": n, "documents": n, "outbox": n, "audit_events": n + 1}
