"""Trigger to inbox, on a real local stack started as ``make up`` starts it (embedded
PostgreSQL under the stack's var/postgres for Prefect's and the application's database).

``run_deployment("antrag-idee/antrag-idee", timeout=0)`` until the Projektskizze mail is in
the stack's Maildir (polled every 50 ms), against an empty deployment (``benchmarks/
empty_flow.py:leer``, deployed by the benchmark into the same work pool) from trigger to
Completed. Both go through the same server, work pool and process worker; the two kinds
alternate, after one uncounted warm-up run of each.

Target: the mail is in the Maildir within 1.5× the empty deployment's time plus 1 s, and the
median is below 5 s.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from benchmarks.common import ROOT, Row, log, median, tests_on_path

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

POLL_S = 0.05
RUN_TIMEOUT_S = 180
IDEA = "antrag-idee/antrag-idee"
EMPTY = "leer/leer"
MAX_MEDIAN_S = 5.0


@contextmanager
def running_stack(var_dir: Path) -> Iterator[Any]:
    """A stack as ``foerderflow up`` starts it (tests/stack_support.py), stopped afterwards."""
    tests_on_path()
    from stack_support import start_stack, stop_stack

    started = time.perf_counter()
    stack = start_stack(var_dir)
    log(f"  Stack bereit ({time.perf_counter() - started:.1f} s): {stack.ui_url}")
    try:
        yield stack
    finally:
        stop_stack(stack)


def deploy_empty() -> None:
    """Deploy ``benchmarks/empty_flow.py:leer`` into the stack's work pool (output to stderr:
    stdout carries only the result table)."""
    from prefect import Flow, flow

    empty = cast(
        Flow[[], None],
        flow.from_source(source=str(ROOT), entrypoint="benchmarks/empty_flow.py:leer"),
    )
    with redirect_stdout(sys.stderr):
        empty.deploy(
            name="leer",
            work_pool_name="foerderflow",
            print_next_steps=False,
            ignore_warnings=True,
        )


def _state(flow_run_id: UUID) -> Any:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).state


def _wait_final(flow_run_id: UUID, started: float) -> float:
    deadline = started + RUN_TIMEOUT_S
    while time.perf_counter() < deadline:
        state = _state(flow_run_id)
        if state is not None and state.is_final():
            if not state.is_completed():
                raise RuntimeError(f"Flow-Lauf {flow_run_id} endete mit {state.type}: {state}")
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise TimeoutError(f"Flow-Lauf {flow_run_id} nach {RUN_TIMEOUT_S} s nicht fertig")


def _mail_count(maildir: Path) -> int:
    try:
        return sum(1 for _ in os.scandir(maildir / "new")) + sum(
            1 for _ in os.scandir(maildir / "cur")
        )
    except FileNotFoundError:
        return 0


def _sync_run(name: str, parameters: dict[str, Any]) -> FlowRun:
    from prefect.deployments import run_deployment

    return cast("FlowRun", run_deployment(name, parameters=parameters, timeout=0))


def run_empty() -> float:
    from prefect.deployments import run_deployment

    started = time.perf_counter()
    flow_run = cast("FlowRun", run_deployment(EMPTY, timeout=0))
    return _wait_final(flow_run.id, started)


def run_idea(maildir: Path, index: int) -> tuple[float, float]:
    """Seconds from the trigger until the mail is in the Maildir, and until Completed."""
    before = _mail_count(maildir)
    started = time.perf_counter()
    flow_run = _sync_run(
        IDEA,
        parameters={
            "title": f"Messlauf {index}: Smarte Wege – Mobilitätsplattform",
            "summary": "Digitale Mobilitätsplattform für Pendler zwischen den Kommunen.",
            "lead_body": "Lüdinghausen",
            "partner_bodies": ["Olfen", "Nordkirchen", "Ascheberg"],
            "programme": "Heimat 2.0",
            "estimated_costs_eur": 612345.67,
            "coordinator_email": "koordination@luedinghausen.example",
            "entered_by": "Benchmark",
        },
    )
    deadline = started + RUN_TIMEOUT_S
    while _mail_count(maildir) <= before:
        if time.perf_counter() > deadline:
            raise TimeoutError("Die Projektskizze kam nicht im Posteingang an")
        time.sleep(POLL_S)
    mail_s = time.perf_counter() - started
    return mail_s, _wait_final(flow_run.id, started)


def run(stack: Any, repetitions: int = 5) -> list[Row]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    idea_mail: list[float] = []
    idea_done: list[float] = []
    empty: list[float] = []
    with temporary_settings({PREFECT_API_URL: stack.api_url}):
        deploy_empty()
        run_empty()  # warm-up
        run_idea(stack.maildir, 0)  # warm-up
        for rep in range(1, repetitions + 1):
            for kind in ("empty", "idea") if rep % 2 else ("idea", "empty"):
                if kind == "empty":
                    empty.append(run_empty())
                else:
                    mail_s, done_s = run_idea(stack.maildir, rep)
                    idea_mail.append(mail_s)
                    idea_done.append(done_s)
            log(
                f"  Auslösen→Posteingang {idea_mail[-1]:.2f} s (Completed {idea_done[-1]:.2f} s), "
                f"leerer Flow {empty[-1]:.2f} s"
            )
    mail_median, empty_median = median(idea_mail), median(empty)
    limit = 1.5 * empty_median + 1.0
    return [
        Row(
            "Auslösen→Posteingang",
            "antrag-idee als Deployment bis die Mail im Maildir liegt",
            mail_median,
            baseline=empty_median,
            baseline_label="leeres Deployment bis Completed",
            target=f"≤ 1,5× + 1 s (= {limit:.2f} s) und < {MAX_MEDIAN_S:.0f} s",
            ok=mail_median <= limit and mail_median < MAX_MEDIAN_S,
            samples=idea_mail,
        ),
        Row(
            "Auslösen→Posteingang",
            "  antrag-idee bis Completed (Portfolio, Menü)",
            median(idea_done),
            baseline=empty_median,
            baseline_label="leeres Deployment",
            samples=idea_done,
        ),
    ]
