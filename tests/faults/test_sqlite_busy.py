"""Fault: the SQLite database is locked or busy.

Concurrent writers (threads sharing one engine, and separate processes with their own
engines) create ideas while another connection holds the write lock for two seconds. Every
writer must succeed through the busy timeout and the retries of ``run_in_transaction``;
no write may be lost: N applications with the references 001..N, each with its document,
its audit event and its queued mail, plus the blocking transaction's own row.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from foerderflow.db import SQLITE_BUSY_TIMEOUT_MS, make_engine
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.application import IdeaInput
from models.tables import Application, AuditEvent, Document, OutboxMail
from tasks.idea import IdeaOutcome, record_idea

TODAY = dt.date(2026, 11, 16)
THREADS = 8
PROCESSES = 2
PER_PROCESS = 3
HOLD_SECONDS = 2.0
BLOCKER_OWNER = "sperr-test"


def _idea(title: str) -> IdeaInput:
    return IdeaInput(
        title=title,
        summary="Nebenläufige Erfassung während die Datenbank gesperrt ist.",
        lead_body="Dülmen",
        partner_bodies=["Olfen"],
        programme="Heimat 2.0",
        estimated_costs_eur=Decimal("250000"),
        coordinator_email="koordination@duelmen.example",
        entered_by="Sperrtest",
    )


def _process_writer(
    db_url: str, var_dir: str, titles: list[str], start_at: float, queue: multiprocessing.Queue
) -> None:
    """Runs in a separate process: its own engine, its own connection pool."""
    from sqlalchemy.orm import sessionmaker

    from tasks.mail import YagmailTransport

    engine = make_engine(db_url)
    services = Services(
        Settings(var_dir=Path(var_dir), database_url=db_url, _env_file=None),  # type: ignore[call-arg]
        sessionmaker(bind=engine, expire_on_commit=False),
        YagmailTransport,
    )
    time.sleep(max(0.0, start_at - time.time()))
    for title in titles:
        try:
            outcome = record_idea(services, _idea(title), TODAY)
            queue.put(("ok", title, outcome.application.reference, time.time()))
        except BaseException as exc:
            queue.put(("error", title, f"{type(exc).__name__}: {exc}", time.time()))
    engine.dispose()


@pytest.fixture
def sqlite_url(db_url: str) -> str:
    if not db_url.startswith("sqlite"):
        pytest.skip("Sperren und busy timeout betreffen nur SQLite")
    return db_url


def test_concurrent_writers_wait_for_the_lock_and_lose_nothing(
    sqlite_url: str, seeded: Services, tmp_path: Path
) -> None:
    services = seeded
    path = sqlite_url.split("///", 1)[1]

    # The engine really runs with WAL and the busy timeout foerderflow relies on.
    with services.sessions() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS

    # A foreign connection takes the write lock and keeps it for HOLD_SECONDS.
    locked = threading.Event()
    released_at: list[float] = []

    def blocker() -> None:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO audit_events (owner, actor, action, reason, details, created_at) "
            "VALUES (?, 'Sperre', 'hält die Schreibsperre', '', '{}', CURRENT_TIMESTAMP)",
            (BLOCKER_OWNER,),
        )
        locked.set()
        time.sleep(HOLD_SECONDS)
        conn.execute("COMMIT")
        released_at.append(time.time())
        conn.close()

    hold = threading.Thread(target=blocker)
    hold.start()
    assert locked.wait(10)
    # While the lock is held, a plain write without waiting fails: the lock is real.
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        probe.execute("BEGIN IMMEDIATE")
    probe.close()

    start_at = time.time() + 0.2
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = ctx.Queue()
    process_titles = [
        [f"Prozess {p} Vorhaben {i}" for i in range(PER_PROCESS)] for p in range(PROCESSES)
    ]
    procs = [
        ctx.Process(
            target=_process_writer,
            args=(sqlite_url, str(services.settings.var_dir), titles, start_at, queue),
        )
        for titles in process_titles
    ]
    for proc in procs:
        proc.start()

    results: dict[str, IdeaOutcome | BaseException] = {}
    finished_at: dict[str, float] = {}
    gate = threading.Barrier(THREADS)

    def writer(title: str) -> None:
        gate.wait()
        try:
            results[title] = record_idea(services, _idea(title), TODAY)
        except BaseException as exc:
            results[title] = exc
        finished_at[title] = time.time()

    thread_titles = [f"Thread-Vorhaben {i:02d} & <Sperre>" for i in range(THREADS)]
    started = time.time()
    threads = [threading.Thread(target=writer, args=(t,)) for t in thread_titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    hold.join(30)
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0

    process_results = [queue.get(timeout=10) for _ in range(PROCESSES * PER_PROCESS)]

    # Every writer succeeded (none saw "database is locked").
    errors = {t: r for t, r in results.items() if isinstance(r, BaseException)}
    assert not errors, errors
    assert [r for r in process_results if r[0] != "ok"] == []
    # The thread writers started while the lock was held and had to wait for it.
    assert released_at and started < released_at[0]
    assert min(finished_at.values()) >= released_at[0] - 0.05

    n = THREADS + PROCESSES * PER_PROCESS
    all_titles = thread_titles + [t for titles in process_titles for t in titles]
    with services.sessions() as session:
        apps = session.execute(
            select(Application.reference, Application.title).order_by(Application.reference)
        ).all()
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Document, OutboxMail)
        }
        audit = session.execute(select(AuditEvent.owner, AuditEvent.action)).all()
    # No lost write and no duplicate: exactly N applications, references 001..N.
    assert [ref for ref, _ in apps] == [f"FA-2026-{i:03d}" for i in range(1, n + 1)]
    assert sorted(title for _, title in apps) == sorted(all_titles)
    thread_refs = {r.application.reference for r in results.values()}  # type: ignore[union-attr]
    process_refs = {r[2] for r in process_results}
    assert len(thread_refs) == THREADS and len(process_refs) == PROCESSES * PER_PROCESS
    assert thread_refs | process_refs == {ref for ref, _ in apps}
    # Each idea committed whole: its Projektskizze, its audit event, its queued mail.
    assert counts == {"documents": n, "outbox": n}
    assert sorted(owner for owner, action in audit if action == "Idee angelegt") == [
        ref for ref, _ in apps
    ]
    # The blocking transaction's own write survived too.
    assert [a for a in audit if a.owner == BLOCKER_OWNER] == [
        (BLOCKER_OWNER, "hält die Schreibsperre")
    ]
