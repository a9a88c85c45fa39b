"""Mail contexts of reporting (templates/mail/sachstand.txt and the newsletter)."""

from __future__ import annotations

from models.mail import MailContext


class SachstandMailContext(MailContext):
    stichtag: str
    committee: str
    period: str
    figures: list[str]
    document: str
    entered_by: str


MAILS: dict[str, type[MailContext]] = {"sachstand.txt": SachstandMailContext}
