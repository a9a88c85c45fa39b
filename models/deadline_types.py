"""Deadline kinds and the specification of a deadline to create."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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


class DeadlineSpec(BaseModel):
    """A deadline a flow wants to exist. ``key`` makes creation idempotent."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(max_length=200)
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
