"""Helpers for tests (importable as ``support`` thanks to pytest's pythonpath setting)."""

from __future__ import annotations

import io
import socket
from email.message import EmailMessage
from pathlib import Path

import docx

from foerderflow.inbox import ReceivedMail, read_inbox


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def inbox(maildir: Path) -> list[tuple[ReceivedMail, EmailMessage]]:
    return read_inbox(maildir)


def inbox_mails(maildir: Path) -> list[ReceivedMail]:
    return [mail for mail, _ in read_inbox(maildir)]


def docx_text(data: bytes | Path) -> str:
    """All text of a .docx (paragraphs, tables, header, footer), read back with python-docx."""
    document = docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def attachments(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    """filename -> (content type, bytes)"""
    out: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        out[part.get_filename() or ""] = (part.get_content_type(), payload)
    return out
