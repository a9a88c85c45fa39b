"""The forms of the strategy flows and the check of a status report against the project list.

Titles and descriptions are German: ``models.forms.form_field`` copies them into the Prefect UI
form of each deployment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Annotated

from pydantic import (
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from models.bodies import MAX_BODIES_IN_FORM, BodyChoice
from models.deadlines import DeadlineError, compute_deadline
from models.errors import InputError, NotFoundError
from models.fields import PlainText, Title, remark, upper_key
from models.forms import EnteredBy, FormModel
from models.strategy import (
    CLOSED_STATUSES,
    FOLLOW_UP_WEEKS,
    PROJECT_CODE_PATTERN,
    Handlungsfeld,
    ProjectStatus,
    ProjectView,
    ResolutionOutcome,
)

YEAR_MIN = 2020


YEAR_MAX = 2100


def year_of(value: object) -> int | None:
    """The year a form sent (a number, or text from the year dropdown), None if it is none."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and YEAR_MIN <= value <= YEAR_MAX:
        return value
    return None


# A year of the strategy's revision (Fortschreibung).
RevisionYear = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]

Year = Annotated[
    RevisionYear,
    Field(
        title="Jahr der Fortschreibung",
        description="Das Jahr, dessen Fortschreibung bearbeitet wird, z. B. 2027 (steht in der "
        "Betreffzeile jeder Mail und im Tag strategie-JJJJ der Läufe).",
        examples=[2027],
    ),
]


BodyField = Annotated[
    BodyChoice,
    Field(title="Körperschaft", description="Die Stadt, die Gemeinde oder der Kreis."),
]


class StatusEntryInput(FormModel):
    """One line of a status report: a project of the list and its new status."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        extra="forbid",
        title="Projektstand",
        json_schema_extra={"description": "Ein Projekt der Statusabfrage mit seinem neuen Stand."},
    )

    project_code: str = Field(
        title="Projekt-Code", pattern=PROJECT_CODE_PATTERN, examples=["HF2-04"]
    )
    """Das Projekt aus der Projektliste (Code · Titel · Federführung), wie in der Statusabfrage; von
    Hand genügt der Code, z. B. HF2-04."""
    status: ProjectStatus = Field(title="Stand")
    """geplant, in_umsetzung, abgeschlossen, zurueckgestellt oder verworfen."""
    note: PlainText = remark("Vermerk", max_length=1000)
    """Optional: kurzer Sachstand, z. B. Meilensteine oder Gründe einer Zurückstellung. Erscheint in
    der Projektliste."""

    @field_validator("project_code", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return upper_key(value)


class NewProjectInput(FormModel):
    """A project a body proposes for the list; it gets the next code in its Handlungsfeld."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        extra="forbid",
        title="Neuer Projektvorschlag",
        json_schema_extra={
            "description": "Ein neues Projekt; die meldende Körperschaft übernimmt die "
            "Federführung."
        },
    )

    title: Title = Field(title="Titel des neuen Projekts")
    """Kurzer, sprechender Titel, wie er in der Projektliste stehen soll."""
    handlungsfeld: Handlungsfeld = Field(title="Handlungsfeld")
    """Das Handlungsfeld der Strategie."""
    participants: list[BodyChoice] = Field(
        default_factory=list,
        title="Weitere beteiligte Körperschaften",
        max_length=MAX_BODIES_IN_FORM,
    )
    """Ohne die meldende Körperschaft; sie übernimmt die Federführung."""
    description: PlainText = remark("Kurzbeschreibung", max_length=2000)
    """Ein bis drei Sätze zu Ziel und Inhalt."""


class FortschreibungInput(FormModel):
    """The form of ``strategie-fortschreibung``."""

    year: RevisionYear | None = Field(default=None, title="Jahr der Fortschreibung")
    """Leer lassen: das laufende Jahr (so startet auch der Jahreslauf am 15. Januar)."""
    response_due: dt.date | None = Field(default=None, title="Rückmeldefrist der Körperschaften")
    """Leer lassen: 6 Wochen ab heute nach den Fristregeln (Wochenende und Feiertage in NRW
    verschieben auf den nächsten Werktag). Ein eingetragenes Datum gilt unverändert."""
    entered_by: EnteredBy = "Jahreslauf (automatisch)"

    def for_year(self, today: dt.date) -> int:
        """The year to open: as entered, else the current one."""
        return self.year if self.year is not None else today.year


class StatusmeldungInput(FormModel):
    """The form of ``strategie-statusmeldung``: one body's report."""

    year: Year
    body: BodyField
    entries: list[StatusEntryInput] = Field(default_factory=list, title="Projekte", max_length=100)
    """Je Projekt aus der Statusabfrage: Code, neuer Stand und optional ein Vermerk. Nicht gemeldete
    Projekte behalten ihren bisherigen Stand."""
    new_projects: list[NewProjectInput] = Field(
        default_factory=list, title="Neue Projektvorschläge", max_length=20
    )
    """Optional: Vorschläge für neue Projekte. Sie erhalten einen neuen Code im jeweiligen
    Handlungsfeld."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _consistent(self) -> StatusmeldungInput:
        if not self.entries and not self.new_projects:
            raise ValueError(
                "Die Meldung enthält weder Projekte noch neue Vorschläge. Bitte mindestens ein "
                "Projekt melden."
            )
        codes = [e.project_code for e in self.entries]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"{', '.join(duplicates)} ist mehrfach gemeldet.")
        titles = [p.title.casefold() for p in self.new_projects]
        if len(set(titles)) != len(titles):
            raise ValueError("Ein neuer Projektvorschlag ist doppelt angegeben.")
        return self


class KonsolidierungInput(FormModel):
    """The form of ``strategie-konsolidierung``."""

    year: Year
    entered_by: EnteredBy


class BeschlussInput(FormModel):
    """The form of ``strategie-beschluss``: one council's resolution."""

    year: Year
    body: BodyField
    outcome: ResolutionOutcome = Field(title="Beschluss")
    """beschlossen, geaendert_beschlossen (mit Änderungen, bitte im Vermerk beschreiben), abgelehnt
    oder vertagt."""
    meeting_date: dt.date = Field(title="Sitzungsdatum")
    """Datum der Rats- bzw. Kreistagssitzung."""
    next_meeting: dt.date | None = Field(default=None, title="Nächster Sitzungstermin")
    """Nur bei „vertagt“: der Termin, an dem erneut beraten wird. Leer lassen: 8 Wochen nach der
    Sitzung (nach den Fristregeln)."""
    note: PlainText = remark("Vermerk", max_length=3000)
    """Bei „geaendert_beschlossen“ Pflicht: welche Änderungen beschlossen wurden. Sonst optional,
    z. B. Gründe einer Vertagung oder Ablehnung."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _consistent(self) -> BeschlussInput:
        if self.next_meeting is not None:
            if self.outcome is not ResolutionOutcome.VERTAGT:
                raise ValueError("Ein nächster Sitzungstermin wird nur bei „vertagt“ erfasst.")
            if self.next_meeting <= self.meeting_date:
                raise ValueError("Der nächste Sitzungstermin muss nach der Sitzung liegen.")
        if self.outcome is ResolutionOutcome.VERTAGT and self.next_meeting is None:
            try:  # the follow-up meeting is computed from the meeting date
                compute_deadline(self.meeting_date, weeks=FOLLOW_UP_WEEKS)
            except DeadlineError as exc:
                raise ValueError(
                    f"Der nächste Sitzungstermin lässt sich nicht berechnen: {exc} Bitte den "
                    "Termin angeben."
                ) from None
        if self.outcome is ResolutionOutcome.GEAENDERT_BESCHLOSSEN and not self.note:
            raise ValueError(
                "Bitte beschreiben Sie unter „Vermerk“, mit welchen Änderungen beschlossen wurde."
            )
        return self


def check_report(
    body: str,
    body_label: str,
    projects: dict[str, ProjectView],
    entries: Sequence[StatusEntryInput],
) -> list[str]:
    """Refuse unknown codes and projects ``body`` does not take part in (German messages).

    Returns the codes of ``body``'s projects it did not report on (they keep their status).
    """
    unknown = [e.project_code for e in entries if e.project_code not in projects]
    if unknown:
        raise NotFoundError(
            f"{_plural(len(unknown), 'Der Projekt-Code', 'Die Projekt-Codes')} "
            f"{', '.join(unknown)} {'ist' if len(unknown) == 1 else 'sind'} in der Projektliste "
            "nicht bekannt. Es wurde nichts gespeichert."
        )
    foreign = [
        projects[e.project_code] for e in entries if not projects[e.project_code].takes_part(body)
    ]
    if foreign:
        own = sorted(code for code, p in projects.items() if p.takes_part(body))
        listing = "; ".join(f"{p.code} „{p.title}“" for p in foreign)
        raise InputError(
            f"{body_label} ist an {listing} nicht beteiligt und kann dafür keinen Stand melden. "
            f"Gemeldet werden können nur die eigenen Projekte: {', '.join(own) or '–'}. Es wurde "
            "nichts gespeichert."
        )
    reported = {e.project_code for e in entries}
    return sorted(
        code
        for code, p in projects.items()
        if p.takes_part(body) and code not in reported and p.status not in CLOSED_STATUSES
    )


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def report_fingerprint(entries: Sequence[StatusEntryInput], new: Sequence[NewProjectInput]) -> str:
    """Content hash of a report: the same report twice is recognised and changes nothing."""
    payload = {
        "entries": sorted(
            ([e.project_code, e.status.value, e.note] for e in entries), key=lambda x: x[0]
        ),
        "new": sorted(
            (
                [
                    p.title.casefold(),
                    p.handlungsfeld.value,
                    sorted(p.participants),
                    p.description,
                ]
                for p in new
            ),
            key=lambda x: str(x[0]),
        ),
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
