"""What the deadline sweep says, and to whom: reminder windows and the daily digests.

Everything here is pure. The sweep (``tasks.sweep``) reads the due reminders with one query,
hands them to :func:`build_digests` and renders the returned contexts with
``templates/mail/fristen_digest.txt``.

Reminder windows are whole days before the due date (28, 14, 7, 2, 0 by default). A
deadline whose days left drop to a window or below has *entered* that window. Only the
tightest window entered produces a reminder; the wider ones are recorded as sent without a
mail, so a deadline created five days before it is due gets one 7-day reminder, not three.
Past the due date every day is its own window (-1, -2, …): overdue deadlines are reminded
daily, and each of those reminders is also escalated to the central coordinator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from models.deadline_types import DEADLINE_KIND_LABELS, DeadlineHead
from models.deadlines import format_day_de
from models.documents import DocumentContext
from models.mail import MailContext

DIGEST_TEMPLATE = "fristen_digest.txt"
NEW_DEADLINE_TEMPLATE = "fristen_neu.txt"

_KIND_LABELS: dict[str, str] = {kind.value: label for kind, label in DEADLINE_KIND_LABELS.items()}


def kind_label(kind: str) -> str:
    """German label of a stored deadline kind (unknown kinds are shown as stored)."""
    return _KIND_LABELS.get(kind, kind)


def deadline_subject(kind: str, reference: str | None, title: str) -> str:
    """Short name of a deadline, e.g. ``Verwendungsnachweis FA-2026-003``."""
    label = kind_label(kind)
    return f"{label} {reference}" if reference else f"{label}: {title}"


def days_left_text(days_left: int) -> str:
    """``noch 14 Tage`` · ``noch 1 Tag`` · ``heute fällig`` · ``seit 3 Tagen überfällig``."""
    if days_left > 1:
        return f"noch {days_left} Tage"
    if days_left == 1:
        return "noch 1 Tag"
    if days_left == 0:
        return "heute fällig"
    if days_left == -1:
        return "seit 1 Tag überfällig"
    return f"seit {-days_left} Tagen überfällig"


# --- Reminder windows ---------------------------------------------------------------------


def tightest_window(days_left: int, windows: Collection[int]) -> int | None:
    """The tightest reminder window a deadline with ``days_left`` has entered.

    ``days_left`` itself when overdue (negative); ``None`` while it is outside every window.
    """
    if days_left < 0:
        return days_left
    entered = [w for w in windows if w >= days_left]
    return min(entered) if entered else None


def needs_reminder(window: int | None, min_recorded: int | None) -> bool:
    """Whether ``window`` still has to fire, given the tightest window recorded so far.

    Windows are recorded from wide to tight and every wider window is recorded with the one
    that fires, so the minimum recorded window tells everything that was sent.
    """
    return window is not None and (min_recorded is None or window < min_recorded)


def windows_to_record(window: int, windows: Collection[int], min_recorded: int | None) -> list[int]:
    """``window`` (first) plus every wider configured window not recorded yet (skipped)."""
    skipped = sorted(
        (w for w in windows if w > window and (min_recorded is None or w < min_recorded)),
        reverse=True,
    )
    return [window, *skipped]


# --- Digest composition ---------------------------------------------------------------------


@dataclass(slots=True)
class DueReminder(DeadlineHead):
    """One deadline that gets a reminder today (a row of the sweep query)."""

    contact_email: str
    days_left: int
    window: int
    min_recorded: int | None = None


class DigestEntry(BaseModel):
    """One line of a digest: finished German strings, the template only places them."""

    model_config = ConfigDict(frozen=True)

    deadline_id: int
    kind_label: str
    subject: str  # e.g. "Verwendungsnachweis FA-2026-003"
    title: str
    reference: str
    due_date: dt.date
    due_text: str  # "Dienstag, 02.05.2028"
    days_left: int
    days_left_text: str
    is_termin: bool
    overdue: bool
    escalation: bool  # shown to the central coordinator for someone else's deadline
    responsible: str


class FristenDigestContext(MailContext):
    """``fristen_digest.txt``: one recipient's reminders of one day."""

    recipient: str
    today: dt.date
    today_text: str
    entries: list[DigestEntry]
    overdue_count: int
    escalation_count: int
    is_supplement: bool = False
    ui_url: str


class NewDeadlineMailContext(MailContext):
    """``fristen_neu.txt``: a coordinator entered a deadline for the recipient."""

    deadline_id: int
    subject: str
    kind_label: str
    title: str
    reference: str
    body: str
    due_text: str
    is_termin: bool
    explanation: str
    entered_by: str
    ui_url: str


def normalize_email(address: str) -> str:
    return address.strip().lower()


@lru_cache(maxsize=4096)
def plausible_email(address: str) -> bool:
    """A minimal check: a digest to an address the server must refuse would block the outbox."""
    local, at, domain = address.partition("@")
    return bool(local and at and "." in domain and not any(c.isspace() for c in address))


_day_text = lru_cache(maxsize=4096)(format_day_de)


def _entry_fields(item: DueReminder) -> dict[str, object]:
    label = kind_label(item.kind)
    return dict(
        deadline_id=item.deadline_id,
        kind_label=label,
        subject=f"{label} {item.reference}" if item.reference else label,
        title=item.title,
        reference=item.reference or "",
        due_date=item.due_date,
        due_text=_day_text(item.due_date),
        days_left=item.days_left,
        days_left_text=days_left_text(item.days_left),
        is_termin=item.is_termin,
        overdue=item.days_left < 0,
        responsible=item.contact_email,
    )


def _sort_key(entry: DigestEntry) -> tuple[dt.date, str, str, str, int]:
    return (entry.due_date, entry.kind_label, entry.reference, entry.title, entry.deadline_id)


def build_digests(
    reminders: Iterable[DueReminder],
    *,
    today: dt.date,
    coordinator_email: str,
    ui_url: str,
    supplements: Collection[str] = (),
) -> list[FristenDigestContext]:
    """Group today's reminders into one digest per recipient (recipients sorted by address).

    Each deadline goes to its responsible contact; an overdue one also goes to the central
    coordinator, marked as an escalation (once, if the coordinator is the contact). A deadline
    without a usable contact address goes to the coordinator as an escalation right away.
    Entries are sorted by due date. ``supplements`` names recipients who already got today's
    digest: theirs is marked as a Nachtrag.
    """
    coordinator = normalize_email(coordinator_email)
    by_recipient: dict[str, list[DigestEntry]] = {}
    escalations: list[DigestEntry] = []
    for item in reminders:
        fields = _entry_fields(item)
        contact = normalize_email(item.contact_email)
        if not plausible_email(contact):
            # Nobody reachable is responsible: the central coordinator gets it as an escalation.
            escalations.append(DigestEntry(**fields, escalation=True))
            continue
        by_recipient.setdefault(contact, []).append(DigestEntry(**fields, escalation=False))
        if item.days_left < 0 and contact != coordinator:
            escalations.append(DigestEntry(**fields, escalation=True))
    if escalations:
        by_recipient.setdefault(coordinator, []).extend(escalations)
    today_text = format_day_de(today)
    supplement_set = {normalize_email(s) for s in supplements}
    digests: list[FristenDigestContext] = []
    for recipient in sorted(by_recipient):
        entries = sorted(by_recipient[recipient], key=_sort_key)
        digests.append(
            FristenDigestContext(
                recipient=recipient,
                today=today,
                today_text=today_text,
                entries=entries,
                overdue_count=sum(1 for e in entries if e.overdue),
                escalation_count=sum(1 for e in entries if e.escalation),
                is_supplement=recipient in supplement_set,
                ui_url=ui_url,
            )
        )
    return digests


def digest_key(today: dt.date, recipient: str, sequence: int = 1) -> str:
    """Outbox key of a recipient's digest; a later sweep on the same day adds a Nachtrag."""
    address = normalize_email(recipient)
    if len(address) > 120:  # keys are at most 200 characters
        address = hashlib.sha256(address.encode()).hexdigest()[:32]
    base = f"fristen-digest:{today.isoformat()}:{address}"
    return base if sequence == 1 else f"{base}:nachtrag-{sequence}"


TEMPLATES: dict[str, type[DocumentContext]] = {}
MAILS: dict[str, type[MailContext]] = {
    DIGEST_TEMPLATE: FristenDigestContext,
    NEW_DEADLINE_TEMPLATE: NewDeadlineMailContext,
}
