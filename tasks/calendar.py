"""iCalendar feeds of the open deadlines: ``fristen.ics`` and one feed per body.

Every open deadline is an all-day event with a stable UID (``frist-<id>@foerderflow``), so a
subscribed calendar updates an event instead of duplicating it. A deadline that is done or
waived is no longer open and leaves the feeds with the next write. Files are replaced
atomically and only when their content changed.

A deadline belongs to the feed of its body, or, without one, to the feed of its
application's lead body.

The events are defined with the ``icalendar`` package (:func:`deadline_event`), and so is the
calendar around them. Serialising tens of thousands of ``icalendar.Event`` objects costs
about 0.1 ms each, too slow for the daily sweep at 100,000 deadlines, so
:func:`event_ical` writes the same bytes directly; a test proves both byte-identical for
arbitrary text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from icalendar import Calendar, Event
from prefect import task
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from foerderflow.settings import get_tenant
from foerderflow.wiring import get_services
from models.deadline_types import DeadlineHead, DeadlineStatus
from models.fristen_documents import deadline_subject, kind_label
from models.tables import Application, Body, Deadline
from tasks.deadlines import DEADLINE_HEAD

MAIN_FEED = "fristen.ics"
CALENDAR_TIMEZONE = "Europe/Berlin"
_DONE_HINT = "Erledigt? In foerderflow den Schritt „frist-erledigt“ mit der Frist-Nr. starten."
_NO_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_FOLD_LIMIT = 74  # octets per physical line, as icalendar folds (RFC 5545: at most 75)


@dataclass(slots=True)
class CalendarEvent(DeadlineHead):
    """One open deadline as the feeds need it (there may be 100,000)."""

    explanation: str
    contact_email: str
    stamp: dt.datetime | None  # when the deadline was entered (DTSTAMP); naive means UTC
    body_id: int | None  # the deadline's body, else the lead body of its application


class FeedFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    events: int
    changed: bool


class CalendarReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    directory: str
    feeds: list[FeedFile]

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.feeds]


# --- Reading ------------------------------------------------------------------------------------


def _utc(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return _NO_STAMP
    if value.tzinfo is None:  # naive timestamps are UTC
        return value.replace(tzinfo=dt.UTC, microsecond=0)
    return value.astimezone(dt.UTC).replace(microsecond=0)


def open_events(session: Session) -> list[CalendarEvent]:
    """Every open deadline, earliest first (one query)."""
    rows: Sequence[Sequence[Any]] = (  # the column order is CalendarEvent's
        session.connection()
        .execute(  # Core rows: no ORM overhead
            select(
                *DEADLINE_HEAD,
                Deadline.explanation,
                Deadline.contact_email,
                Deadline.created_at,
                func.coalesce(Deadline.body_id, Application.lead_body_id).label("body_id"),
            )
            .outerjoin(Application, Application.id == Deadline.application_id)
            .where(Deadline.status == DeadlineStatus.OFFEN.value)
            .order_by(Deadline.due_date, Deadline.id)
        )
        .all()
    )
    return [CalendarEvent(*row) for row in rows]


# --- Events ------------------------------------------------------------------------------------


def event_uid(deadline_id: int) -> str:
    """The stable UID of a deadline's event."""
    return f"frist-{deadline_id}@foerderflow"


def event_summary(event: CalendarEvent) -> str:
    """``Verwendungsnachweis FA-2026-003`` (kind and reference), else kind and title."""
    return deadline_subject(event.kind, event.reference, event.title)


def event_description(event: CalendarEvent) -> str:
    lines = [event.title]
    if event.reference:
        lines.append(f"Aktenzeichen: {event.reference}")
    lines.append(f"{'Termin' if event.is_termin else 'Frist'}, Frist-Nr. {event.deadline_id}")
    lines.append(f"Verantwortlich: {event.contact_email}")
    if event.explanation:
        lines += ["", event.explanation]
    lines += ["", _DONE_HINT]
    return "\n".join(lines)


def event_categories(event: CalendarEvent) -> list[str]:
    return [kind_label(event.kind), "Termin" if event.is_termin else "Frist"]


def deadline_event(event: CalendarEvent) -> Event:
    """The deadline as an all-day ``icalendar`` event (the definition of every feed entry)."""
    component = Event()
    component.add("summary", event_summary(event))
    component.add("dtstart", event.due_date)
    component.add("dtend", event.due_date + dt.timedelta(days=1))
    component.add("dtstamp", _utc(event.stamp))
    component.add("uid", event_uid(event.deadline_id))
    component.add("categories", event_categories(event))
    component.add("description", event_description(event))
    component.add("status", "CONFIRMED")
    component.add("transp", "TRANSPARENT")
    return component


def _escape(text: str) -> str:
    # RFC 5545 TEXT escaping, in the order icalendar applies it.
    if not ("\\" in text or ";" in text or "," in text or "\n" in text or "\r" in text):
        return text
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line exactly like icalendar: at most 74 octets per physical line, never
    inside a UTF-8 character, and never right after a backslash or caret."""
    if len(line) <= _FOLD_LIMIT and line.isascii():
        return line
    data = line.encode()
    if len(data) <= _FOLD_LIMIT:
        return line
    parts: list[bytes] = []
    start, size = 0, len(data)
    while size - start > _FOLD_LIMIT:
        end = start + _FOLD_LIMIT
        while data[end] & 0xC0 == 0x80:  # continuation byte: the character starts earlier
            end -= 1
        if data[end - 1] in (0x5C, 0x5E) and end - start > 1:  # "\" or "^" moves along
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


@lru_cache(maxsize=8192)
def _date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


@lru_cache(maxsize=256)
def _categories_line(kind: str, is_termin: bool) -> str:
    labels = [kind_label(kind), "Termin" if is_termin else "Frist"]
    return _fold(f"CATEGORIES:{','.join(_escape(label) for label in labels)}")


def event_ical(event: CalendarEvent) -> bytes:
    """``deadline_event(event).to_ical()``, written directly (byte-identical, much faster)."""
    stamp = event.stamp or _NO_STAMP
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    lines = (
        "BEGIN:VEVENT",
        _fold(f"SUMMARY:{_escape(event_summary(event))}"),
        f"DTSTART;VALUE=DATE:{_date(event.due_date)}",
        f"DTEND;VALUE=DATE:{_date(event.due_date + dt.timedelta(days=1))}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%S}Z",
        _fold(f"UID:{_escape(event_uid(event.deadline_id))}"),
        _categories_line(event.kind, event.is_termin),
        _fold(f"DESCRIPTION:{_escape(event_description(event))}"),
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "",
    )
    return "\r\n".join(lines).encode()


# --- Feeds ------------------------------------------------------------------------------------


def feed_ical(name: str, description: str, events: Iterable[bytes]) -> bytes:
    """A VCALENDAR (built with ``icalendar``) holding the serialised ``events``."""
    calendar = Calendar()
    calendar.add("prodid", get_tenant().agentur.kalender_prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", CALENDAR_TIMEZONE)
    envelope = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    head = envelope[: -len(end)]
    return head + b"".join(events) + end


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically; False (and no write) if it is unchanged."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return True


class BodyFeed(NamedTuple):
    id: int
    slug: str
    official_name: str


def render_feeds(
    events: Sequence[CalendarEvent], bodies: Sequence[BodyFeed]
) -> dict[str, tuple[bytes, int]]:
    """file name → (feed bytes, event count): ``fristen.ics`` and ``<body-slug>.ics``."""
    serialised = [event_ical(event) for event in events]
    per_body: dict[int, list[bytes]] = {body.id: [] for body in bodies}
    for event, blob in zip(events, serialised, strict=True):
        if event.body_id in per_body:
            per_body[event.body_id].append(blob)
    agency = get_tenant().agentur.name
    feeds = {
        MAIN_FEED: (
            feed_ical(
                f"Fristen – {agency}",
                f"Alle offenen Fristen und Termine der {agency} (foerderflow).",
                serialised,
            ),
            len(serialised),
        )
    }
    for body in bodies:
        blobs = per_body[body.id]
        feeds[f"{body.slug}.ics"] = (
            feed_ical(
                f"Fristen – {body.official_name}",
                f"Offene Fristen und Termine: {body.official_name} (foerderflow).",
                blobs,
            ),
            len(blobs),
        )
    return feeds


def write_feeds(factory: sessionmaker[Session], calendar_dir: Path) -> CalendarReport:
    """Write ``fristen.ics`` and one feed per body into ``calendar_dir``."""
    with factory() as session:
        events = open_events(session)
        bodies = [
            BodyFeed(row.id, row.slug, row.official_name)
            for row in session.execute(
                select(Body.id, Body.slug, Body.official_name).order_by(Body.slug)
            )
        ]
    files: list[FeedFile] = []
    for name, (data, count) in render_feeds(events, bodies).items():
        path = calendar_dir / name
        changed = write_atomic(path, data)
        files.append(FeedFile(path=str(path), events=count, changed=changed))
    return CalendarReport(directory=str(calendar_dir), feeds=files)


@task(name="kalender-schreiben", retries=1, retry_delay_seconds=2)
def write_feeds_task() -> CalendarReport:
    services = get_services()
    return write_feeds(services.sessions, services.settings.resolved_calendar_dir)
