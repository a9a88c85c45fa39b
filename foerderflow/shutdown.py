"""Stopping a local worker's flow runs gracefully, before the worker itself.

A process worker starts each flow run in a session of its own. When the worker is stopped,
the runs it started end with SIGKILL, in the middle of a step: a mail the SMTP server has
just accepted stays unmarked and claimed, so it goes out only after the claim lease and
possibly twice. Sending the runs SIGTERM first lets each of them finish the mail in hand,
give the rest back to the outbox and report its end to the Prefect server, which is still up.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of ``pid`` from /proc, or None when it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[1].split()  # "pid (name) state ppid ..."
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def child_pids(parents: Iterable[int]) -> list[int]:
    """The living direct children of ``parents`` (Linux; elsewhere an empty list)."""
    wanted = set(parents)
    if not wanted or not PROC.is_dir():
        return []
    children = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[1] in wanted and stat[0] not in ("Z", "X"):
            children.append(int(entry.name))
    return sorted(children)


def stop_flow_runs(worker_pids: Iterable[int], grace_seconds: float = 20.0) -> list[int]:
    """SIGTERM every flow run the workers started and wait up to ``grace_seconds`` for them to
    end. Returns the pids that were asked to stop."""
    runs = child_pids(worker_pids)
    for pid in runs:
        try:
            os.killpg(pid, signal.SIGTERM)  # the run's own session: the run and its children
        except ProcessLookupError:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        except PermissionError:
            continue
    deadline = time.monotonic() + grace_seconds
    while any(_alive(pid) for pid in runs) and time.monotonic() < deadline:
        time.sleep(0.1)
    return runs
