"""Forms of the reporting flows. Every field has a default, so an empty form works.

Titles and descriptions are German: ``models.forms.form_field`` copies them into the Prefect
UI form. The committee field is a dropdown of the tenant's committees (``data/mandant.yaml``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from models.application_inputs import OptionalReference
from models.fields import OptionalProjectCode, PlainText, remark
from models.forms import EnteredBy, FormModel, plain_text

ENTERED_BY_DEFAULT = "Digitalagentur (Zeitplan)"

# Who started a reporting run (for the audit trail). Unlike ``models.forms.EnteredBy`` it has
# a default: the quarterly schedule and an empty form run without a name.
ReportEnteredBy = PlainText


def _entered_by(title: str) -> Any:
    return Field(default=ENTERED_BY_DEFAULT, title=title, min_length=1, max_length=200)


def committee_json_schema() -> dict[str, Any]:
    """The form field of the committee: a dropdown of the tenant's committees
    (``data/mandant.yaml``, read when the flow's form is built), or a text field when the
    tenant file cannot be read."""
    schema: dict[str, Any] = {"type": "string"}
    from foerderflow.settings import get_tenant
    from foerderflow.tenant import TenantError

    try:
        schema["enum"] = get_tenant().committee_names
    except TenantError:  # the flow itself reports a broken tenant file in German
        return schema
    return schema


class CommitteeDropdown:
    """JSON schema of the committee field, read when the schema is built."""

    def __get_pydantic_json_schema__(
        self, core_schema: Any, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return committee_json_schema()


def _plausible_date(value: dt.date) -> dt.date:
    """A report or edition date a coordinator can mean (a year like 9999 is a typo)."""
    if not 2000 <= value.year <= 2100:
        raise ValueError("muss zwischen 2000 und 2100 liegen")
    return value


ReportDate = Annotated[dt.date, AfterValidator(_plausible_date)]


class BerichtSachstandInput(FormModel):
    stichtag: ReportDate | None = Field(default=None, title="Stichtag")
    """Stand des Berichts; leer bedeutet heute."""
    committee: Annotated[str | None, CommitteeDropdown()] = Field(
        default=None, title="Ausschuss", max_length=300
    )
    """Das Gremium, dem berichtet wird; leer bedeutet der erste Ausschuss aus den Mandantendaten."""
    period_start: ReportDate | None = Field(default=None, title="Berichtszeitraum ab")
    """Beginn des Berichtszeitraums; leer bedeutet seit dem letzten Bericht (beim ersten Bericht
    seit dem 1. Januar des Stichtagsjahres)."""
    entered_by: ReportEnteredBy = _entered_by("Erstellt von")
    """Wer den Bericht veranlasst (für den Verlauf)."""

    @field_validator("committee")
    @classmethod
    def _committee_text(cls, value: str | None) -> str | None:
        """Typed text (the dropdown also takes free text): no control characters."""
        return None if value is None else plain_text(value)


class NewsletterEntwurfInput(FormModel):
    edition_date: ReportDate | None = Field(default=None, title="Ausgabe vom")
    """Datum der Ausgabe; leer bedeutet heute. Die Ausgabe umfasst die Zeit seit der letzten
    Ausgabe."""
    editorial: PlainText = remark("Editorial")
    """Freier Text der Koordination am Anfang des Newsletters (optional). Wird als Text übernommen,
    nicht als HTML."""
    entered_by: ReportEnteredBy = _entered_by("Erstellt von")
    """Wer die Ausgabe verfasst."""


class NewsletterVersandInput(FormModel):
    number: int | None = Field(default=None, title="Ausgabe Nr.", ge=1)
    """Die Nummer der Ausgabe, die versendet wird; leer bedeutet die neueste noch nicht versendete
    Ausgabe."""
    entered_by: ReportEnteredBy = _entered_by("Freigegeben von")
    """Wer die Ausgabe freigibt."""


class ProjektatlasInput(FormModel):
    entered_by: ReportEnteredBy = _entered_by("Erstellt von")
    """Wer den Projektatlas neu schreibt (für den Verlauf)."""


class AtlasSichtbarkeitInput(FormModel):
    """Mark a project of the strategy or an application as (not) shown in the Projektatlas."""

    project_code: OptionalProjectCode = Field(default=None, title="Projekt")
    """Das Projekt der Projektliste, z. B. HF2-04 (Auswahlliste). Entweder ein Projekt oder ein
    Antrag."""
    reference: OptionalReference = Field(default=None, title="Aktenzeichen")
    """Aktenzeichen des Antrags, z. B. FA-2026-001 (Auswahlliste). Entweder ein Projekt oder ein
    Antrag."""
    publish: bool = Field(title="Veröffentlichen")
    """Ja: erscheint im Projektatlas. Nein: „nicht veröffentlichen“ – die Seite verschwindet beim
    nächsten Lauf von projektatlas."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _exactly_one(self) -> AtlasSichtbarkeitInput:
        if (self.project_code is None) == (self.reference is None):
            raise ValueError("Bitte genau eines angeben: ein Projekt oder einen Antrag")
        return self
