"""Polling helpers for tests against a running stack."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

from foerderflow.inbox import ReceivedMail, read_inbox


def wait_for_mails(
    maildir: Path, count: int, timeout: float = 60
) -> list[tuple[ReceivedMail, EmailMessage]]:
    deadline = time.monotonic() + timeout
    while True:
        mails = read_inbox(maildir)
        if len(mails) >= count or time.monotonic() > deadline:
            return mails
        time.sleep(0.2)
