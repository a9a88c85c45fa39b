"""``python -m benchmarks`` (``make bench``): run the benchmarks and print a table.

    python -m benchmarks                 # everything (~10 min); updates benchmarks/RESULTS.md
    python -m benchmarks --quick         # fewer repetitions, no stack-based benchmarks
    python -m benchmarks --only sweep    # one benchmark (repeatable: --only a --only b)
    python -m benchmarks --quick --only trigger   # a stack-based one, fewer repetitions

Progress goes to stderr, the result table to stdout. Only a full run rewrites the generated
part of RESULTS.md (between the markers); the verdict around it is written by hand.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

# Before anything imports Prefect: a private home, no telemetry, quiet logs, and no state
# under the project's var/.
_HOME = Path(tempfile.mkdtemp(prefix="foerderflow-bench-home-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["PREFECT_HOME"] = str(_HOME / "prefect")
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["FOERDERFLOW_VAR_DIR"] = str(_HOME / "var")
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("FOERDERFLOW_SMTP_HOST", None)
os.environ.pop("FOERDERFLOW_DATABASE_URL", None)

from benchmarks.common import Row, fmt, log, machine, table, temp_dir  # noqa: E402

NAMES = ["sweep", "documents", "trigger", "memory", "cold-start", "radar", "reporting"]
STACK_BASED = {"trigger", "cold-start"}
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN = "<!-- BEGIN: von `python -m benchmarks` erzeugt, nicht von Hand ändern -->"
END = "<!-- END: erzeugt -->"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="weniger Wiederholungen; ohne die Messungen am laufenden Stack (trigger, "
        "cold-start), außer sie sind mit --only gewählt",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="NAME",
        help=f"nur diese Messung ({', '.join(NAMES)}); mehrfach angebbar",
    )
    return parser.parse_args(argv)


class Runner:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.rows: list[Row] = []
        self.failures: list[str] = []
        self.timeline: list[str] = []
        self.load_at_start = os.getloadavg()

    def measure(self, name: str, func: Callable[[], list[Row]]) -> None:
        load = os.getloadavg()[0]
        log(f"▶ {name} (Last {load:.2f}) …")
        started = time.perf_counter()
        try:
            rows = func()
        except Exception as exc:
            traceback.print_exc()
            self.failures.append(f"{name}: {type(exc).__name__}: {exc}")
            rows = [Row(name, f"FEHLER: {type(exc).__name__}", float("nan"), ok=False)]
        elapsed = time.perf_counter() - started
        after = os.getloadavg()[0]
        self.timeline.append(
            f"{name}: {elapsed:.0f} s, Last (1 min) vorher {load:.2f}, nachher {after:.2f}"
        )
        log(f"◀ {name}: {elapsed:.0f} s")
        self.rows.extend(rows)


def run(selected: list[str], quick: bool) -> Runner:
    runner = Runner(quick)
    if "sweep" in selected:
        from benchmarks import sweep

        runner.measure(
            "sweep",
            lambda: sweep.run(repetitions=2 if quick else 5, growth_repetitions=1 if quick else 3),
        )
    if "documents" in selected:
        from benchmarks import documents

        runner.measure("documents", lambda: documents.run(repetitions=2 if quick else 7))
    if "trigger" in selected:
        from benchmarks import memory, trigger

        # One stack for both: the memory benchmark's flow run then talks to a real server,
        # as a worker's flow-run process does.
        with temp_dir("stack") as work, trigger.running_stack(work / "var") as stack:
            runner.measure("trigger", lambda: trigger.run(stack, repetitions=2 if quick else 5))
            if "memory" in selected:
                runner.measure(
                    "memory",
                    lambda: memory.run(api_url=stack.api_url, repetitions=1 if quick else 2),
                )
    elif "memory" in selected:
        from benchmarks import memory

        runner.measure("memory", lambda: memory.run(api_url=None, repetitions=1))
    if "radar" in selected:
        from benchmarks import radar

        runner.measure("radar", lambda: radar.run(repetitions=1 if quick else 3))
    if "reporting" in selected:
        from benchmarks import reporting

        runner.measure("reporting", lambda: reporting.run(repetitions=1 if quick else 3))
    if "cold-start" in selected:
        from benchmarks import cold_start

        runner.measure("cold-start", lambda: cold_start.run(repetitions=1 if quick else 3))
    return runner


def _samples(rows: list[Row]) -> str:
    lines = []
    for r in rows:
        if len(r.samples) > 1 or r.note:
            values = ", ".join(fmt(v, r.unit) for v in r.samples)
            note = f" ({r.note})" if r.note else ""
            lines.append(f"- {r.benchmark} – {r.measure.strip()}: {values}{note}")
    return "\n".join(lines)


def generated(runner: Runner, started: dt.datetime, seconds: float, selected: list[str]) -> str:
    info = machine(runner.load_at_start)
    mode = "--quick" if runner.quick else "voll"
    parts = [
        BEGIN,
        "",
        f"Lauf vom {started:%d.%m.%Y %H:%M} Uhr, Modus {mode}, Messungen: {', '.join(selected)}, "
        f"Dauer {seconds / 60:.1f} min.",
        "",
        "| Maschine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in info.items()),
        "",
        table(runner.rows),
        "",
        "Einzelwerte (alle Wiederholungen):",
        "",
        _samples(runner.rows),
        "",
        "Dauer und Last je Messung (die Maschine wird mit anderen geteilt):",
        "",
        *(f"- {line}" for line in runner.timeline),
        "",
        END,
    ]
    return "\n".join(parts)


def write_results(section: str) -> None:
    if RESULTS.exists():
        text = RESULTS.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            RESULTS.write_text(head + section + tail, encoding="utf-8")
            return
        RESULTS.write_text(text.rstrip() + "\n\n" + section + "\n", encoding="utf-8")
        return
    RESULTS.write_text(
        "# Benchmarks\n\n`make bench` (`python -m benchmarks`) – Messwerte:\n\n" + section + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    selected = [n for n in NAMES if n in (args.only or NAMES)]
    if args.quick and not args.only:
        selected = [n for n in selected if n not in STACK_BASED]
    started_at = dt.datetime.now()
    started = time.perf_counter()
    runner = run(selected, args.quick)
    seconds = time.perf_counter() - started
    print(table(runner.rows))
    print()
    print(f"Dauer: {seconds / 60:.1f} min")
    if not args.quick and not args.only:
        write_results(generated(runner, started_at, seconds, selected))
        log(f"Ergebnisse geschrieben: {RESULTS}")
    missed = [r for r in runner.rows if r.ok is False]
    if missed:
        print("Ziel verfehlt: " + "; ".join(f"{r.benchmark}: {r.measure.strip()}" for r in missed))
    for failure in runner.failures:
        print(f"Fehler: {failure}", file=sys.stderr)
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
