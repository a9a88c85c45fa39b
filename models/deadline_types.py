"""Deadline kinds, the specification of a deadline to create and the head of a deadline row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from models.deadlines import DeadlineResult
from models.keyed import Keyed


class DeadlineKind(StrEnum):
    PARTNERANTWORT = "partnerantwort"
    AUFRUFSTICHTAG = "aufrufstichtag"
    EINREICHUNG = "einreichung"
    ZWISCHENNACHWEIS = "zwischennachweis"
    VERWENDUNGSNACHWEIS = "verwendungsnachweis"
    MITTELABRUF = "mittelabruf"
    STATUSMELDUNG = "statusmeldung"
    GREMIENTERMIN = "gremientermin"
    SONSTIGE = "sonstige"

    @property
    def label(self) -> str:
        return DEADLINE_KIND_LABELS[self]


DEADLINE_KIND_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.PARTNERANTWORT: "Rückmeldung Partner",
    DeadlineKind.AUFRUFSTICHTAG: "Stichtag Förderaufruf",
    DeadlineKind.EINREICHUNG: "Einreichung",
    DeadlineKind.ZWISCHENNACHWEIS: "Zwischennachweis",
    DeadlineKind.VERWENDUNGSNACHWEIS: "Verwendungsnachweis",
    DeadlineKind.MITTELABRUF: "Mittelabruf",
    DeadlineKind.STATUSMELDUNG: "Statusmeldung",
    DeadlineKind.GREMIENTERMIN: "Gremientermin",
    DeadlineKind.SONSTIGE: "Sonstige Frist",
}


class DeadlineStatus(StrEnum):
    OFFEN = "offen"
    ERLEDIGT = "erledigt"
    VERZICHTET = "verzichtet"


class DeadlineSpec(Keyed):
    """A deadline a flow wants to exist (created once per ``key``)."""

    kind: DeadlineKind
    title: str
    due_date: dt.date
    is_termin: bool = False
    explanation: str = ""
    owner: str | None = None  # FA-2026-001 or strategie-2027
    application_id: int | None = None
    body_id: int | None = None
    contact_email: str
    created_by: str = "foerderflow"

    @classmethod
    def falling_due(cls, due: DeadlineResult, **fields: Any) -> DeadlineSpec:
        """A deadline due as ``due`` computed it: its end, whether it is a Termin, and why."""
        return cls(due_date=due.end, is_termin=due.is_termin, explanation=due.explanation, **fields)


@dataclass(slots=True)
class DeadlineHead:
    """What every list of open deadlines reads first, in the order of the query columns
    ``tasks.deadlines.DEADLINE_HEAD``; the calendar's events and the sweep's reminders add
    their own columns behind it.

    A slotted, not a frozen dataclass: the feeds build one per open deadline (100,000 in the
    benchmark), and a frozen one costs several times as much to build.
    """

    deadline_id: int
    kind: str
    title: str
    reference: str | None  # the deadline's owner: an application's reference or a cycle
    due_date: dt.date
    is_termin: bool
