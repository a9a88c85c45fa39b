"""Forms of the deadline flows (``frist-erledigt``, ``frist-anlegen``, ``fristen-waechter``).

Titles and descriptions are German: ``models.forms.form_field`` copies them into the
Prefect UI form of each deployment.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from models.bodies import OptionalBodyChoice
from models.deadline_types import DeadlineKind
from models.deadlines import (
    DeadlineResult,
    fixed_date,
    format_day_de,
    holiday_name,
    next_working_day,
)
from models.fields import PlainText, Title, catch_up_day, remark
from models.forms import EnteredBy, FormModel

# Who entered it: kept on the deadline and in the audit trail.
DeadlineEnteredBy = Annotated[
    EnteredBy,
    Field(description="Ihr Name; er wird an der Frist und im Verlauf (Audit) festgehalten."),
]

REFERENCE_OR_CYCLE_PATTERN = r"^(FA-\d{4}-\d{3,}|strategie-\d{4})$"
# The reference of an application or of a strategy cycle a deadline belongs to; may stay empty.
OptionalReferenceOrCycle = Annotated[
    str | None, Field(pattern=REFERENCE_OR_CYCLE_PATTERN, max_length=40)
]


class DeadlineOutcome(StrEnum):
    # How an open deadline is closed (the docstring is shown in the Prefect form).
    """Wie eine offene Frist abgeschlossen wird."""

    ERLEDIGT = "erledigt"
    VERZICHTET = "verzichtet"


class FristErledigtInput(FormModel):
    """The form of ``frist-erledigt``: close one open deadline."""

    deadline_id: int | None = Field(default=None, title="Frist-Nr.", ge=1)
    """Die Nummer der Frist, wie sie in der Erinnerungsmail und in der Tabelle „fristen“ steht.
    Alternativ Aktenzeichen und Art der Frist angeben."""
    reference: OptionalReferenceOrCycle = Field(default=None, title="Aktenzeichen")
    """Aktenzeichen des Antrags (z. B. FA-2026-003) oder des Strategiezyklus (z. B. strategie-2027);
    nur zusammen mit der Art der Frist, wenn keine Frist-Nr. angegeben ist."""
    kind: DeadlineKind | None = Field(default=None, title="Art der Frist")
    """Zusammen mit dem Aktenzeichen: welche Frist erledigt ist, z. B. „verwendungsnachweis“."""
    outcome: DeadlineOutcome = Field(default=DeadlineOutcome.ERLEDIGT, title="Ergebnis")
    """„erledigt“: die Frist ist eingehalten (z. B. Nachweis eingereicht). „verzichtet“: die Frist
    entfällt (z. B. vom Fördergeber erlassen). In beiden Fällen gibt es keine weiteren
    Erinnerungen."""
    done_on: dt.date | None = Field(default=None, title="Erledigt am")
    """Tag der Erledigung; leer bedeutet heute."""
    entered_by: DeadlineEnteredBy
    note: PlainText = remark("Bemerkung", max_length=2000)
    """Optional, z. B. „per Post am 28.04. eingereicht“; steht im Verlauf."""

    @model_validator(mode="after")
    def _id_or_reference(self) -> FristErledigtInput:
        if self.deadline_id is None and (self.reference is None or self.kind is None):
            raise ValueError(
                "Bitte die Frist-Nr. angeben oder Aktenzeichen und Art der Frist zusammen."
            )
        return self


class FristAnlegenInput(FormModel):
    """The form of ``frist-anlegen``: a coordinator adds a deadline by hand."""

    kind: DeadlineKind = Field(title="Art der Frist")
    """Zum Beispiel „gremientermin“ für eine Rats- oder Kreistagssitzung oder „sonstige“ für eine
    besondere Frist aus einem Bescheid."""
    title: Title = Field(title="Bezeichnung")
    """Worum es geht, z. B. „Ratssitzung: Beschluss über den Eigenanteil“. Erscheint in
    Erinnerungen und im Kalender."""
    due_date: dt.date = Field(title="Fällig am")
    """Das Datum der Frist oder des Termins."""
    is_termin: bool = Field(default=False, title="Fester Termin")
    """Ja: ein festgesetzter Termin (z. B. eine Sitzung); er wird nie verschoben. Nein: eine Frist;
    fällt sie auf einen Samstag, Sonntag oder Feiertag in NRW, endet sie am nächsten Werktag
    (§ 31 Abs. 3 VwVfG NRW)."""
    reference: OptionalReferenceOrCycle = Field(default=None, title="Aktenzeichen")
    """Optional: Aktenzeichen des Antrags (z. B. FA-2026-003) oder des Strategiezyklus
    (z. B. strategie-2027), zu dem die Frist gehört."""
    body: OptionalBodyChoice = Field(default=None, title="Körperschaft")
    """Optional: die Körperschaft, zu der die Frist gehört; sie erscheint dann auch im Kalender
    dieser Körperschaft."""
    contact_email: EmailStr | None = Field(
        default=None, title="Verantwortlich (E-Mail)", json_schema_extra={"format": "email"}
    )
    """Erhält die Erinnerungen. Leer: die Koordination des Antrags, sonst die Adresse der
    Körperschaft, sonst die zentrale Koordination."""
    note: PlainText = remark("Grundlage / Hinweis", max_length=2000)
    """Optional, z. B. „laut Bescheid vom 12.03.2027, Nr. 4.2“. Erscheint in der Erläuterung der
    Frist und im Kalender."""
    entered_by: DeadlineEnteredBy


class FristenWaechterInput(BaseModel):
    """The form of ``fristen-waechter`` (normally started by its daily schedule)."""

    model_config = ConfigDict(extra="forbid")

    today: dt.date | None = catch_up_day("der Fristenwächter")


def _move_reason(raw_end: dt.date, end: dt.date) -> str:
    names: list[str] = []
    current = raw_end
    while current < end:
        name = holiday_name(current)
        if name is not None:
            names.append(f"{name} ist Feiertag")
        current += dt.timedelta(days=1)
    return ", ".join(names) if names else "Wochenende"


def resolve_due_date(due_date: dt.date, *, is_termin: bool, note: str = "") -> DeadlineResult:
    """The effective due date of a deadline entered by hand, with a German explanation.

    A Termin never moves. A Frist that ends on a Saturday, Sunday or NRW holiday moves to the
    next working day (§ 31 Abs. 3 VwVfG NRW, § 193 BGB). Raises ``DeadlineError`` for years
    without holiday data.
    """
    if is_termin:
        result = fixed_date(due_date)
    else:
        end = next_working_day(due_date)
        if end == due_date:
            line = f"Fristende: {format_day_de(end)} (Werktag)"
        else:
            line = (
                f"Fristende fällt auf {format_day_de(due_date)} → nächster Werktag: "
                f"{format_day_de(end)} ({_move_reason(due_date, end)})"
            )
        lines = [f"Von Hand eingetragene Frist zum {format_day_de(due_date)}", line]
        result = DeadlineResult(
            start=due_date,
            raw_end=due_date,
            end=end,
            is_termin=False,
            moved=end != due_date,
            explanation="\n".join(lines),
        )
    if note:
        explanation = f"{result.explanation}\nGrundlage: {note}"
        result = result.model_copy(update={"explanation": explanation})
    return result
