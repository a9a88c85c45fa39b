"""Shared helpers: timing, result rows, the machine description, free ports, temp dirs."""

from __future__ import annotations

import multiprocessing
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
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
    """nproc, RAM, CPU model, Python/SQLite/Prefect versions, load at the start and now."""
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
    import docxtpl
    import prefect
    import sqlalchemy

    load = os.getloadavg()
    return {
        "nproc": str(os.cpu_count()),
        "RAM": ram,
        "CPU": cpu,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "SQLAlchemy": sqlalchemy.__version__,
        "Prefect": prefect.__version__,
        "docxtpl": getattr(docxtpl, "__version__", "?"),
        "Last (1/5/15 min) beim Start": " / ".join(f"{v:.2f}" for v in load_at_start or load),
        "Last (1/5/15 min) am Ende": " / ".join(f"{v:.2f}" for v in load),
    }


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
