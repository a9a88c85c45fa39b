"""Tables of reporting and communication: the Sachstandsberichte sent, and the newsletter
editions ("Digitalagentur COE aktuell") with their release."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, Timestamp


class SachstandReport(Timestamp, Base):
    """One Sachstandsbericht. The latest ``stichtag`` is "the last report" that the next
    report's default period starts from."""

    __tablename__ = "sachstand_reports"
    __table_args__ = (UniqueConstraint("stichtag", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stichtag: Mapped[dt.date] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[dt.date] = mapped_column(Date)
    committee: Mapped[str] = mapped_column(String(300))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entered_by: Mapped[str] = mapped_column(String(200))


class NewsletterEdition(Timestamp, Base):
    """One edition of the newsletter. ``number`` counts editions; ``released_on`` is set
    exactly once, by the release that queues the mails to all bodies."""

    __tablename__ = "newsletter_editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    edition_date: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    draft_outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    released_by: Mapped[str | None] = mapped_column(String(200))
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    entered_by: Mapped[str] = mapped_column(String(200))
