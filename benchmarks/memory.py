"""Memory: peak resident memory of the flow run of the largest document job.

The strategy consolidation of a cycle with 300 projects renders the draft and 12
Sitzungsvorlagen and mails them (13 mails, the draft attached to each). A child process
imports ``flows.strategie_konsolidierung`` and calls the flow, as a worker's flow-run process
does, against a Prefect API:

* with a running stack (the full run): the stack's Prefect server, so the child holds only
  what a worker's flow-run process holds;
* without one (``--quick``): ``prefect_test_harness``, which also imports Prefect's server
  database layer into the child; the figure is then a little higher than a worker's.

The child reports ``VmHWM`` (peak RSS of its own address space) from ``/proc/self/status``
before the flow (after the imports) and at the end. ``ru_maxrss`` (``getrusage``/``wait4``)
is no use here: Linux carries the high-water mark of the address space replaced at exec into
it, so a child of this large benchmark process reports the parent's size (measured: 361 MB
for a flow run whose own peak was 163 MB; 414 MB for ``python -c`` under a 400 MB parent).
The SMTP server (``LocalInbox``) runs in the parent, as the inbox runs in ``foerderflow up``.
The application database is a fresh copy (``CREATE DATABASE … TEMPLATE``) of the prepared cycle
on the benchmark's embedded PostgreSQL server; the child gets its psycopg URL as
``FOERDERFLOW_DATABASE_URL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, Row, bench_postgres, free_port, log, temp_dir
from benchmarks.strategy_setup import YEAR, prepare_cycle
from foerderflow.inbox import LocalInbox, read_inbox

CHILD_TIMEOUT_S = 600
CHILD = r"""
import json, sys, time
from benchmarks.proc_status import status_mb as status

started = time.perf_counter()
from flows.strategie_konsolidierung import strategie_konsolidierung
harness = sys.argv[1] == "harness"
if harness:
    from prefect.testing.utilities import prefect_test_harness
    context = prefect_test_harness(server_startup_timeout=120)
else:
    from contextlib import nullcontext
    context = nullcontext()
with context:
    before = status("VmHWM")
    rss_before = status("VmRSS")
    t0 = time.perf_counter()
    outcome = strategie_konsolidierung(year=int(sys.argv[2]), entered_by="Benchmark")
    seconds = time.perf_counter() - t0
print(json.dumps({
    "imports_hwm_mb": before,
    "imports_rss_mb": rss_before,
    "peak_mb": status("VmHWM"),
    "flow_s": seconds,
    "documents": len(outcome.documents),
    "mails": len(outcome.outbox_ids),
}))
"""


def _child_env(work: Path, db_url: str, smtp_port: int, api_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "FOERDERFLOW_VAR_DIR": str(work / "var"),
        "FOERDERFLOW_DATABASE_URL": db_url,
        "FOERDERFLOW_LOCAL_SMTP_PORT": str(smtp_port),
        "FOERDERFLOW_UI_URL": "http://127.0.0.1:4200",
        "PREFECT_HOME": str(work / "prefect-home"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("FOERDERFLOW_SMTP_HOST", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    else:
        env.pop("PREFECT_API_URL", None)
    return env


def run(api_url: str | None = None, repetitions: int = 1) -> list[Row]:
    mode = "stack" if api_url else "harness"
    peaks: list[float] = []
    imports: list[float] = []
    flow_s: list[float] = []
    mails = 0
    pg = bench_postgres()
    with temp_dir("memory") as work:
        prepared = prepare_cycle(pg, work)
        inbox = LocalInbox(work / "mail", "127.0.0.1", free_port()).start()
        try:
            for rep in range(repetitions):
                database = pg.copy(prepared.database, "memory_run")
                started = time.perf_counter()
                out, err = work / f"child-{rep}.out", work / f"child-{rep}.err"
                with out.open("wb") as stdout, err.open("wb") as stderr:
                    child = subprocess.Popen(
                        [sys.executable, "-c", CHILD, mode, str(YEAR)],
                        cwd=ROOT,
                        env=_child_env(
                            work / f"child-{rep}", pg.url(database), inbox.port, api_url
                        ),
                        stdout=stdout,
                        stderr=stderr,
                    )
                    try:
                        child.wait(timeout=CHILD_TIMEOUT_S)
                    except subprocess.TimeoutExpired:
                        child.kill()
                        child.wait()
                pg.drop(database)
                if child.returncode != 0:
                    text = err.read_text(errors="replace")[-4000:]
                    raise RuntimeError(f"Kindprozess fehlgeschlagen:\n{text}")
                data = json.loads(out.read_text().strip().splitlines()[-1])
                peaks.append(data["peak_mb"])
                imports.append(data["imports_hwm_mb"])
                flow_s.append(data["flow_s"])
                log(
                    f"  Speicher ({mode}): Spitze {data['peak_mb']:.0f} MB, nach Importen "
                    f"{data['imports_hwm_mb']:.0f} MB, Flow {data['flow_s']:.1f} s, "
                    f"{data['documents']} Dokumente, {data['mails']} Mails "
                    f"(Kindprozess gesamt {time.perf_counter() - started:.1f} s)"
                )
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                mails = len(read_inbox(work / "mail"))
                if mails >= 13 * repetitions:
                    break
                time.sleep(0.2)
        finally:
            inbox.stop()
            pg.drop(prepared.database)
    peak = max(peaks)
    where = "API des laufenden Stacks" if api_url else "prefect_test_harness"
    return [
        Row(
            "Speicher",
            f"Spitzen-RSS (Maximum) Flow-Lauf strategie-konsolidierung (300 Projekte, "
            f"13 Dokumente, {mails // repetitions} Mails je Lauf angekommen; {where})",
            peak,
            unit="MB",
            target="< 300 MB",
            ok=peak < 300,
            samples=peaks,
        ),
        Row(
            "Speicher",
            "  davon schon nach den Importen (Prefect, Flow-Modul), vor dem Lauf",
            max(imports),
            unit="MB",
            samples=imports,
        ),
    ]
