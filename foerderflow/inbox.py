"""The embedded local SMTP inbox: aiosmtpd on 127.0.0.1, every message into a Maildir."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox
import re
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from pydantic import BaseModel


class LocalInbox:
    """A running SMTP server that stores every message it accepts in ``maildir``."""

    def __init__(self, maildir: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.maildir = maildir
        maildir.mkdir(parents=True, exist_ok=True)
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(exist_ok=True)
        self.controller = Controller(Mailbox(maildir), hostname=host, port=port, ready_timeout=10)

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def start(self) -> LocalInbox:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> LocalInbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ReceivedMail(BaseModel):
    """A message as it arrived in the local inbox."""

    key: str
    date: dt.datetime | None
    sender: str
    recipients: list[str]
    subject: str
    body: str
    attachments: list[str]
    message_id: str

    model_config = {"arbitrary_types_allowed": True}


def parse_message(raw: bytes, key: str = "") -> tuple[ReceivedMail, EmailMessage]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    date_header = msg.get("Date")
    try:
        date = parsedate_to_datetime(str(date_header)) if date_header else None
    except (TypeError, ValueError):
        date = None
    rcpt = str(msg.get("X-RcptTo") or msg.get("To") or "")
    body_part = msg.get_body(preferencelist=("plain",))
    body = body_part.get_content() if body_part is not None else ""
    attachments = [part.get_filename() or "" for part in msg.iter_attachments()]
    return (
        ReceivedMail(
            key=key,
            date=date,
            sender=str(msg.get("From") or ""),
            recipients=[r.strip() for r in rcpt.split(",") if r.strip()],
            subject=str(msg.get("Subject") or ""),
            body=body,
            attachments=attachments,
            message_id=str(msg.get("Message-ID") or ""),
        ),
        msg,
    )


# Parsed messages per Maildir, by key. A delivered message never changes (its key names it
# for good), so each is parsed once per process however often the inbox is read: pollers
# read the whole inbox every few hundred milliseconds, and parsing a mail with a Word
# attachment costs far more than listing the folder.
_parsed: dict[str, dict[str, tuple[ReceivedMail, EmailMessage]]] = {}


def read_inbox(maildir: Path) -> list[tuple[ReceivedMail, EmailMessage]]:
    """All messages in ``maildir``, oldest first."""
    if not maildir.exists():
        return []
    box = mailbox.Maildir(str(maildir), create=False)
    known = _parsed.get(str(maildir), {})
    current: dict[str, tuple[ReceivedMail, EmailMessage]] = {}
    for key in box.iterkeys():
        if key in known:
            current[key] = known[key]
            continue
        with box.get_file(key) as handle:
            current[key] = parse_message(handle.read(), key)
    _parsed[str(maildir)] = current  # only what is still there: removed mails are forgotten
    return sorted(current.values(), key=lambda item: _delivery_order(item[0]))


_MAILDIR_KEY = re.compile(r"^(\d+)\.M(\d+)")


def _delivery_order(mail: ReceivedMail) -> tuple[float, dt.datetime, str]:
    """The order mails arrived in: the Maildir key holds the delivery time to the microsecond
    (``<seconds>.M<microseconds>P…``); the Date header has only whole seconds, and two mails
    of one step often share it."""
    match = _MAILDIR_KEY.match(mail.key)
    delivered = int(match[1]) + int(match[2]) / 1_000_000 if match else 0.0
    return delivered, mail.date or dt.datetime.min.replace(tzinfo=dt.UTC), mail.key
