"""Sweep at scale: the fristen-waechter's work against a bare indexed select plus composition.

Set-up (once per size, then copied for every repetition so no reminder is recorded yet): a
PostgreSQL database on the benchmark's embedded server (``benchmarks.common.bench_postgres``:
the wheel's server, as under ``foerderflow up``), migrated with ``foerderflow.db.migrate``, the
12 seeded bodies and 2 programmes, 10,000 applications, 100,000 deadlines due uniformly between
-30 and +400 days around the sweep day, 500 recipient addresses. Deadlines in the past are
mostly done (90 %), a few future ones too (5 %): the sweep day finds a few thousand open
deadlines in a reminder window plus the overdue ones that nobody marked as done. The prepared
database is vacuumed and analysed once; every repetition works on its own copy (``CREATE
DATABASE … TEMPLATE``, then a checkpoint).

Measured per repetition, on that fresh copy:

* baseline: plain ``psycopg`` (no SQLAlchemy; autocommit, so one round trip) select of the
  open deadlines up to the widest window (``status = 'offen' AND due_date <= …``, served by
  ``ix_deadlines_status_due``; the plan is logged), the same rows the sweep finds on a fresh
  database, turned into ``DueReminder``s, grouped by ``build_digests`` and rendered by
  ``compose_digest_mails``;
* ``run_sweep``: the real query, digests, outbox rows and ``reminders_sent`` rows in one
  transaction (what the ``fristen-pruefen`` task does, without Prefect's per-run overhead);
* delivery: ``tasks.mail.deliver`` of all digests over one SMTP connection to a real
  ``LocalInbox`` (aiosmtpd writing a Maildir) on a free port.

Before the timed part both connections (the baseline's psycopg connection and the engine's
pooled one) have read the deadlines once, so both sides start with warm buffers and a warm
backend, as a running worker's connection pool is.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import random
import shutil
import smtplib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import psycopg
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import sessionmaker

from benchmarks.common import (
    BenchPostgres,
    Row,
    bench_postgres,
    inbox_process,
    log,
    median,
    temp_dir,
)
from foerderflow.db import make_engine, migrate
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.application import Stage
from models.deadline_types import DeadlineKind
from models.fristen_documents import DueReminder, build_digests, tightest_window
from models.tables import Application, Body, Deadline, OutboxMail, Programme
from tasks.calendar import write_feeds
from tasks.mail import YagmailTransport, build_mime, deliver
from tasks.mail import prepare as prepare_mail
from tasks.reference_data import seed_reference_data
from tasks.sweep import compose_digest_mails, run_sweep

TODAY = dt.date(2027, 3, 1)  # a Monday
SPREAD = (-30, 400)  # due dates, days around TODAY
RECIPIENTS = 500
CHUNK = 5_000  # rows per executemany


@dataclass(frozen=True)
class Size:
    deadlines: int
    applications: int


FULL = Size(100_000, 10_000)
GROWTH = [Size(1_000, 100), Size(10_000, 1_000), FULL]


def _settings(var_dir: Path, url: str, smtp_port: int) -> Settings:
    return Settings(
        var_dir=var_dir,
        database_url=url,
        mail_dir=var_dir / "mail",
        local_smtp_port=smtp_port,
        ui_url="http://127.0.0.1:4200",
        _env_file=None,
    )


def prepare(pg: BenchPostgres, size: Size, seed: int = 7) -> str:
    """A new database, migrated, seeded, with the applications and deadlines bulk-inserted
    (Core executemany), then vacuumed and analysed; returns its name (the template of every
    repetition)."""
    started = time.perf_counter()
    database = pg.create(f"sweep_prepared_{size.deadlines}")
    url = pg.url(database)
    migrate(url)
    engine = make_engine(url)
    rnd = random.Random(seed)
    with sessionmaker(bind=engine).begin() as session:
        seed_reference_data(session, Path(__file__).resolve().parent.parent / "data")
    with engine.begin() as conn:
        bodies = list(conn.execute(select(Body.id, Body.slug)))
        programmes = list(conn.scalars(select(Programme.id)))
        recipients = [
            f"person{i:03d}@{bodies[i % len(bodies)].slug}.example" for i in range(RECIPIENTS)
        ]
        stages = [s.value for s in Stage]
        now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
        apps: list[dict[str, Any]] = []
        for n in range(1, size.applications + 1):
            year = 2024 + n % 3
            reference = f"FA-{year}-{n:05d}"
            apps.append(
                {
                    "reference": reference,
                    "year": year,
                    "stage": rnd.choice(stages),
                    "title": f"Digitalprojekt {n}",
                    "summary": "Ein Vorhaben aus dem Benchmark.",
                    "lead_body_id": rnd.choice(bodies).id,
                    "programme_id": rnd.choice(programmes),
                    "estimated_costs_cents": rnd.randrange(50_000_00, 2_000_000_00),
                    "coordinator_email": rnd.choice(recipients),
                    "created_by": "Benchmark",
                    "fingerprint": hashlib.sha256(reference.encode()).hexdigest(),
                    "created_at": now,
                    "updated_at": now,
                    "draft_version": 0,
                }
            )
        table = cast(Table, Application.__table__)
        for start in range(0, len(apps), CHUNK):
            conn.execute(insert(table), apps[start : start + CHUNK])
        app_rows = list(conn.execute(select(Application.id, Application.reference)))
        kinds = [k.value for k in DeadlineKind]
        deadlines: list[dict[str, Any]] = []
        table = cast(Table, Deadline.__table__)
        for n in range(1, size.deadlines + 1):
            offset = rnd.randint(*SPREAD)
            done = rnd.random() < (0.9 if offset < 0 else 0.05)
            app = rnd.choice(app_rows)
            deadlines.append(
                {
                    "key": f"bench:{n}",
                    "kind": rnd.choice(kinds),
                    "title": f"Frist {n} zum Vorhaben {app.reference}",
                    "due_date": TODAY + dt.timedelta(days=offset),
                    "is_termin": rnd.random() < 0.1,
                    "explanation": "",
                    "owner": app.reference,
                    "application_id": app.id,
                    "body_id": rnd.choice(bodies).id,
                    "contact_email": rnd.choice(recipients),
                    "status": "erledigt" if done else "offen",
                    "done_on": TODAY if done else None,
                    "created_by": "Benchmark",
                    "created_at": now,
                }
            )
            if len(deadlines) == CHUNK:
                conn.execute(insert(table), deadlines)
                deadlines = []
        if deadlines:
            conn.execute(insert(table), deadlines)
    engine.dispose()  # a template must have no open connections
    pg.finish(database)
    log(
        f"  sweep: {size.deadlines:,} Fristen / {size.applications:,} Anträge vorbereitet "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return database


# --- the baseline: bare indexed select + the pure composition ---------------------------------

BASELINE_SQL = (
    "SELECT id, kind, title, owner, due_date, is_termin, contact_email "
    "FROM deadlines "
    "WHERE status = 'offen' AND due_date <= %s ORDER BY due_date, id"
)


def baseline_plan(conn: psycopg.Connection, windows: list[int]) -> str:
    """The access path PostgreSQL chooses for the baseline select (first plan lines)."""
    horizon = TODAY + dt.timedelta(days=max(windows))
    with conn.cursor() as cursor:
        cursor.execute("EXPLAIN " + BASELINE_SQL, (horizon,))
        lines = [str(row[0]).strip() for row in cursor.fetchall()]
    scans = [line.lstrip("-> ").split("  (")[0] for line in lines if "Scan" in line]
    return "; ".join(scans) or lines[0]


def baseline_select(conn: psycopg.Connection, windows: list[int]) -> list[DueReminder]:
    horizon = TODAY + dt.timedelta(days=max(windows))
    out = []
    with conn.cursor() as cursor:
        cursor.execute(BASELINE_SQL, (horizon,))
        rows = cursor.fetchall()
    for id_, kind, title, owner, due_date, is_termin, contact in rows:
        days_left = (due_date - TODAY).days
        window = tightest_window(days_left, windows)
        assert window is not None
        out.append(
            DueReminder(
                deadline_id=id_,
                kind=kind,
                title=title,
                reference=owner,
                due_date=due_date,
                is_termin=bool(is_termin),
                contact_email=contact,
                days_left=days_left,
                window=window,
            )
        )
    return out


def baseline_compose(reminders: list[DueReminder], settings: Settings) -> int:
    digests = build_digests(
        reminders,
        today=TODAY,
        coordinator_email=settings.central_coordinator_email,
        ui_url=settings.resolved_ui_url,
    )
    return len(compose_digest_mails(digests, settings.templates_dir, {}))


def bare_smtp(services: Services, port: int) -> float:
    """The delivery baseline: the very messages of the outbox, composed beforehand, sent with
    plain ``smtplib`` over one connection to the same server (no claims, no bookkeeping)."""
    with services.sessions() as session:
        rows = session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        messages = [
            (
                list(row.recipients),
                build_mime(prepare_mail(session, row, services.settings)).as_string(),
            )
            for row in rows
        ]
    sender = services.settings.mail_from
    gc.collect()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        for recipients, text in messages:
            client.sendmail(sender, recipients, text)
    return time.perf_counter() - started


@dataclass
class Repetition:
    select_s: float
    compose_s: float
    sweep_s: float
    deliver_s: float
    smtp_s: float
    calendar_s: float
    reminded: int
    digests: int
    sent: int

    @property
    def baseline_s(self) -> float:
        return self.select_s + self.compose_s


def one_repetition(
    pg: BenchPostgres,
    prepared: str,
    work: Path,
    smtp_port: int,
    with_delivery: bool,
) -> Repetition:
    database = pg.copy(prepared, "sweep_rep")
    url = pg.url(database)
    settings = _settings(work / "var", url, smtp_port)
    windows = list(settings.reminder_days)

    conn = pg.connect(database, autocommit=True)  # one round trip per select, no BEGIN
    baseline_select(conn, windows)  # untimed: warm buffers and backend for both sides
    gc.collect()  # both sides start from the same garbage-collector state (GC stays enabled)
    t0 = time.perf_counter()
    reminders = baseline_select(conn, windows)
    t1 = time.perf_counter()
    composed = baseline_compose(reminders, settings)
    t2 = time.perf_counter()
    conn.close()

    engine = make_engine(url)
    with engine.connect() as warm:  # the connection pool is warm in a running worker, too
        warm.execute(text("SELECT count(*) FROM deadlines WHERE status = 'offen'"))
    services = Services(
        settings, sessionmaker(bind=engine, expire_on_commit=False), YagmailTransport
    )
    gc.collect()
    t3 = time.perf_counter()
    outcome = run_sweep(services, TODAY)
    t4 = time.perf_counter()
    sent = 0
    if with_delivery:
        report = deliver(services.sessions, settings, services.transport_factory)
        sent = len(report.sent)
        assert not report.errors, report.errors
    t5 = time.perf_counter()
    smtp_s = bare_smtp(services, smtp_port) if with_delivery else 0.0
    calendar_dir = work / "var" / "calendar"
    shutil.rmtree(calendar_dir, ignore_errors=True)  # feeds are only written when changed
    write_feeds(services.sessions, calendar_dir)
    t6 = time.perf_counter()
    engine.dispose()
    if outcome.reminded != len(reminders) or len(outcome.digests) != composed:
        raise AssertionError(
            f"sweep and baseline disagree: {outcome.reminded} vs {len(reminders)} reminders, "
            f"{len(outcome.digests)} vs {composed} digests"
        )
    pg.drop(database)
    return Repetition(
        select_s=t1 - t0,
        compose_s=t2 - t1,
        sweep_s=t4 - t3,
        deliver_s=t5 - t4,
        smtp_s=smtp_s,
        calendar_s=t6 - t5,
        reminded=outcome.reminded,
        digests=len(outcome.digests),
        sent=sent,
    )


def run(repetitions: int = 5, growth_repetitions: int = 3) -> list[Row]:
    rows: list[Row] = []
    pg = bench_postgres()
    plans: dict[int, str] = {}
    with temp_dir("sweep") as work, inbox_process(work / "var" / "mail") as smtp_port:
        per_size: dict[int, list[Repetition]] = {}
        for size in GROWTH:
            prepared = prepare(pg, size)
            windows = list(_settings(work / "var", pg.url(prepared), smtp_port).reminder_days)
            with pg.connect(prepared, autocommit=True) as conn:
                plans[size.deadlines] = baseline_plan(conn, windows)
            log(f"  sweep {size.deadlines:>7,}: Plan der Baseline: {plans[size.deadlines]}")
            n = repetitions if size == FULL else growth_repetitions
            reps = []
            # One warm-up run (imports, template compilation) that is not counted.
            one_repetition(pg, prepared, work, smtp_port, with_delivery=False)
            for _ in range(n):
                rep = one_repetition(pg, prepared, work, smtp_port, with_delivery=True)
                log(
                    f"  sweep {size.deadlines:>7,}: select {rep.select_s:.3f} s, "
                    f"compose {rep.compose_s:.3f} s, run_sweep {rep.sweep_s:.3f} s, "
                    f"deliver {rep.deliver_s:.3f} s (smtplib pur {rep.smtp_s:.3f} s), "
                    f"Kalender {rep.calendar_s:.3f} s "
                    f"({rep.reminded} Erinnerungen, "
                    f"{rep.digests} Sammelmails)"
                )
                reps.append(rep)
            per_size[size.deadlines] = reps
            pg.drop(prepared)

    full = per_size[FULL.deadlines]
    sweep_s = median([r.sweep_s for r in full])
    base_s = median([r.baseline_s for r in full])
    deliver_s = median([r.deliver_s for r in full])
    total_s = median([r.sweep_s + r.deliver_s for r in full])
    reminded, digests = full[0].reminded, full[0].digests
    scale = f"{FULL.deadlines:,} Fristen, {reminded:,} fällig, {digests} Sammelmails"
    rows.append(
        Row(
            "Sweep",
            f"run_sweep ({scale})",
            sweep_s,
            baseline=base_s,
            baseline_label="select + Komposition",
            target="≤ 2× und < 3 s",
            ok=sweep_s <= 2 * base_s and sweep_s < 3,
            samples=[r.sweep_s for r in full],
        )
    )
    rows.append(
        Row(
            "Sweep",
            "  davon Baseline: indizierter select (psycopg pur)",
            median([r.select_s for r in full]),
            samples=[r.select_s for r in full],
            note=f"Plan: {plans[FULL.deadlines]}",
        )
    )
    rows.append(
        Row(
            "Sweep",
            "  davon Baseline: build_digests + compose_digest_mails",
            median([r.compose_s for r in full]),
            samples=[r.compose_s for r in full],
        )
    )
    rows.append(
        Row(
            "Sweep",
            f"Zustellung deliver() ({digests} Mails, eine SMTP-Verbindung, LocalInbox)",
            deliver_s,
            baseline=median([r.smtp_s for r in full]),
            baseline_label="smtplib pur, fertige Nachrichten",
            samples=[r.deliver_s for r in full],
        )
    )
    rows.append(
        Row(
            "Sweep",
            "run_sweep + Zustellung",
            total_s,
            baseline=base_s,
            baseline_label="select + Komposition",
            target="< 3 s",
            ok=total_s < 3,
            samples=[r.sweep_s + r.deliver_s for r in full],
        )
    )
    calendar_s = median([r.calendar_s for r in full])
    rows.append(
        Row(
            "Sweep",
            "Kalenderdateien (write_feeds, alle offenen Fristen; nicht Teil des Ziels)",
            calendar_s,
            samples=[r.calendar_s for r in full],
        )
    )
    everything = [r.sweep_s + r.deliver_s + r.calendar_s for r in full]
    rows.append(
        Row(
            "Sweep",
            "run_sweep + Zustellung + Kalender (die ganze Arbeit ohne Prefect)",
            median(everything),
            samples=everything,
        )
    )
    smallest = GROWTH[0].deadlines
    first = median([r.sweep_s for r in per_size[smallest]]) / (smallest / 1000)
    for size in GROWTH:
        reps = per_size[size.deadlines]
        s = median([r.sweep_s for r in reps])
        per_k = s / (size.deadlines / 1000)
        base = median([r.baseline_s for r in reps])
        rows.append(
            Row(
                "Sweep-Wachstum",
                f"{size.deadlines:>7,} Fristen: run_sweep je 1.000 Fristen "
                f"({reps[0].reminded:,} fällig; gesamt {s:.3f} s, Zustellung "
                f"{median([r.deliver_s for r in reps]):.2f} s)",
                per_k,
                baseline=base / (size.deadlines / 1000),
                baseline_label="select + Komposition je 1.000",
                target="linear oder besser",
                ok=per_k <= first * 1.2,
                samples=[r.sweep_s for r in reps],
            )
        )
    return rows
