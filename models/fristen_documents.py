"""Mail contexts of the deadline sweep (filled in by the deadlines work)."""

from __future__ import annotations

from models.documents import DocumentContext
from models.mail import MailContext

TEMPLATES: dict[str, type[DocumentContext]] = {}
MAILS: dict[str, type[MailContext]] = {}
