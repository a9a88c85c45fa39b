"""The local inbox reader: delivery order, and each message parsed once however often the
inbox is polled."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from foerderflow import inbox


def _deliver(box: mailbox.Maildir, subject: str) -> str:
    msg = EmailMessage()
    msg["From"] = "digitalagentur@example.org"
    msg["To"] = "kaemmerei@example.org"
    msg["Subject"] = subject
    msg.set_content(f"Inhalt von {subject}")
    return box.add(msg)


def test_polling_parses_each_mail_once_and_forgets_removed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = mailbox.Maildir(str(tmp_path / "mail"), create=True)
    parsed: list[str] = []
    real_parse = inbox.parse_message

    def counting_parse(raw: bytes, key: str = "") -> tuple[inbox.ReceivedMail, EmailMessage]:
        parsed.append(key)
        return real_parse(raw, key)

    monkeypatch.setattr(inbox, "parse_message", counting_parse)
    first = _deliver(box, "Fristerinnerung FA-2026-001")
    assert [m.subject for m, _ in inbox.read_inbox(tmp_path / "mail")] == [
        "Fristerinnerung FA-2026-001"
    ]
    second = _deliver(box, "Projektskizze FA-2026-002")
    for _ in range(3):
        mails = inbox.read_inbox(tmp_path / "mail")
    assert [(m.subject, m.recipients, m.body.strip()) for m, _ in mails] == [
        (
            "Fristerinnerung FA-2026-001",
            ["kaemmerei@example.org"],
            "Inhalt von Fristerinnerung FA-2026-001",
        ),
        (
            "Projektskizze FA-2026-002",
            ["kaemmerei@example.org"],
            "Inhalt von Projektskizze FA-2026-002",
        ),
    ]
    assert sorted(parsed) == sorted([first, second])

    box.remove(first)
    assert [m.key for m, _ in inbox.read_inbox(tmp_path / "mail")] == [second]
    assert inbox.read_inbox(tmp_path / "nirgends") == []
