"""Forms of the reporting flows. Every field has a default, so an empty form works.

Titles and descriptions are German: ``models.forms.form_field`` copies them into the Prefect
UI form. The committee field is a dropdown of the tenant's committees (``data/mandant.yaml``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.forms import plain_text as _plain_text

ENTERED_BY_DEFAULT = "Digitalagentur (Zeitplan)"


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


class _Form(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class BerichtSachstandInput(_Form):
    stichtag: dt.date | None = Field(
        default=None,
        title="Stichtag",
        description="Stand des Berichts; leer bedeutet heute.",
    )
    committee: str | None = Field(
        default=None,
        title="Ausschuss",
        description="Das Gremium, dem berichtet wird; leer bedeutet der erste Ausschuss aus "
        "den Mandantendaten.",
        max_length=300,
    )
    period_start: dt.date | None = Field(
        default=None,
        title="Berichtszeitraum ab",
        description="Beginn des Berichtszeitraums; leer bedeutet seit dem letzten Bericht "
        "(beim ersten Bericht seit dem 1. Januar des Stichtagsjahres).",
    )
    entered_by: str = Field(
        default=ENTERED_BY_DEFAULT,
        title="Erstellt von",
        description="Wer den Bericht veranlasst (für den Verlauf).",
        min_length=1,
        max_length=200,
    )


class NewsletterEntwurfInput(_Form):
    edition_date: dt.date | None = Field(
        default=None,
        title="Ausgabe vom",
        description="Datum der Ausgabe; leer bedeutet heute. Die Ausgabe umfasst die Zeit "
        "seit der letzten Ausgabe.",
    )
    editorial: str = Field(
        default="",
        title="Editorial",
        description="Freier Text der Koordination am Anfang des Newsletters (optional). "
        "Wird als Text übernommen, nicht als HTML.",
        max_length=5000,
    )
    entered_by: str = Field(
        default=ENTERED_BY_DEFAULT,
        title="Erstellt von",
        description="Wer die Ausgabe verfasst.",
        min_length=1,
        max_length=200,
    )

    @field_validator("editorial")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _plain_text(value)


class NewsletterVersandInput(_Form):
    number: int | None = Field(
        default=None,
        title="Ausgabe Nr.",
        description="Die Nummer der Ausgabe, die versendet wird; leer bedeutet die neueste "
        "noch nicht versendete Ausgabe.",
        ge=1,
    )
    entered_by: str = Field(
        default=ENTERED_BY_DEFAULT,
        title="Freigegeben von",
        description="Wer die Ausgabe freigibt.",
        min_length=1,
        max_length=200,
    )


class ProjektatlasInput(_Form):
    entered_by: str = Field(
        default=ENTERED_BY_DEFAULT,
        title="Erstellt von",
        description="Wer den Projektatlas neu schreibt (für den Verlauf).",
        min_length=1,
        max_length=200,
    )
