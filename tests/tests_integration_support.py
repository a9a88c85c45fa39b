"""Polling helpers for tests against a running stack."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from foerderflow.inbox import ReceivedMail, read_inbox

POLL_S = 0.2  # one cheap read of the run per poll; a run takes 1.5–3 s on the stack
RUN_TIMEOUT_S = 240


def run_completed(name: str, **parameters: Any) -> Any:
    """Run the deployment ``name`` on the configured Prefect API (the test's stack) and
    require it to complete."""
    (run,) = runs_completed((name, parameters))
    return run


def runs_completed(*calls: tuple[str, dict[str, Any]]) -> list[Any]:
    """Start the deployments of ``calls`` (name, parameters) at once, as coordinators who
    click one after the other, and require each run to complete. Only for steps that do not
    depend on each other; the worker runs them side by side."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment

    started = [
        (name, run_deployment(f"{name}/{name}", parameters=parameters, timeout=0).id)
        for name, parameters in calls
    ]
    ids = FlowRunFilter(id=FlowRunFilterId(any_=[run_id for _, run_id in started]))
    deadline = time.monotonic() + RUN_TIMEOUT_S
    with get_client(sync_client=True) as client:
        while True:  # one read of all the runs per poll
            current = {run.id: run for run in client.read_flow_runs(flow_run_filter=ids)}
            if time.monotonic() > deadline or all(
                run.state is not None and run.state.is_final() for run in current.values()
            ):
                break
            time.sleep(POLL_S)
    runs = [current.get(run_id) for _, run_id in started]
    for (name, _), run in zip(started, runs, strict=True):
        state = run.state if run is not None else None
        assert state is not None and state.type == StateType.COMPLETED, (name, state)
    return runs


def wait_for_mails(
    maildir: Path, count: int, timeout: float = 60
) -> list[tuple[ReceivedMail, EmailMessage]]:
    deadline = time.monotonic() + timeout
    while True:
        mails = read_inbox(maildir)
        if len(mails) >= count or time.monotonic() > deadline:
            return mails
        time.sleep(0.2)


class MailWatch:
    """The mails of one test on the shared stack. Tests on it run at the same time, so a test
    finds its mails by its own marks (a text of the subject, a recipient) among those that
    arrived since it started watching, never by counting the inbox."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        self.seen = {m.key for m, _ in read_inbox(maildir)}

    def _matching(self, subject: str, to: str | None) -> list[tuple[ReceivedMail, EmailMessage]]:
        return [
            (m, msg)
            for m, msg in read_inbox(self.maildir)
            if m.key not in self.seen
            and subject in m.subject
            and (to is None or to in m.recipients)
        ]

    def wait(
        self, count: int, subject: str = "", to: str | None = None, timeout: float = 60
    ) -> list[tuple[ReceivedMail, EmailMessage]]:
        """At least ``count`` new matching mails (or what came within ``timeout``); they count
        as seen from now on."""
        deadline = time.monotonic() + timeout
        while True:
            mails = self._matching(subject, to)
            if len(mails) >= count or time.monotonic() > deadline:
                self.seen.update(m.key for m, _ in mails)
                return mails
            time.sleep(0.2)


def db_rows(db_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one query on the stack's application database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()
