"""Polling helpers for tests against a running stack."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from foerderflow.inbox import ReceivedMail, read_inbox


def run_completed(name: str, **parameters: Any) -> Any:
    """Run the deployment ``name`` on the configured Prefect API (the test's stack) and
    require it to complete."""
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment

    run = run_deployment(f"{name}/{name}", parameters=parameters, timeout=240, poll_interval=0.5)
    assert run.state is not None and run.state.type == StateType.COMPLETED, (name, run.state)
    return run


def wait_for_mails(
    maildir: Path, count: int, timeout: float = 60
) -> list[tuple[ReceivedMail, EmailMessage]]:
    deadline = time.monotonic() + timeout
    while True:
        mails = read_inbox(maildir)
        if len(mails) >= count or time.monotonic() > deadline:
            return mails
        time.sleep(0.2)
