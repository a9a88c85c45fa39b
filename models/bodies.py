"""The bodies (Körperschaften) and funding programmes as typed reference data.

The enums feed the dropdowns of the Prefect UI forms. ``data/*.yaml`` holds the details;
a test keeps both in step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class BodyName(StrEnum):
    # The 12 bodies of Kreis Coesfeld, by the name coordinators use (the docstring is
    # shown in the Prefect form, so it is German).
    """Der Kreis Coesfeld und seine elf Städte und Gemeinden."""

    KREIS_COESFELD = "Kreis Coesfeld"
    ASCHEBERG = "Ascheberg"
    BILLERBECK = "Billerbeck"
    COESFELD = "Coesfeld"
    DUELMEN = "Dülmen"
    HAVIXBECK = "Havixbeck"
    LUEDINGHAUSEN = "Lüdinghausen"
    NORDKIRCHEN = "Nordkirchen"
    NOTTULN = "Nottuln"
    OLFEN = "Olfen"
    ROSENDAHL = "Rosendahl"
    SENDEN = "Senden"


class ProgrammeName(StrEnum):
    """Förderprogramme, für die foerderflow Anträge führt."""

    SMARTE_LAND_REGIONEN = "Smarte.Land.Regionen"
    HEIMAT_2_0 = "Heimat 2.0"


class BodyKind(StrEnum):
    KREIS = "kreis"
    STADT = "stadt"
    GEMEINDE = "gemeinde"


class ContactRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    role: str
    email: EmailStr
    phone: str | None = None
    primary: bool = False


class BodyRecord(BaseModel):
    """One entry of ``data/koerperschaften.yaml``."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: BodyName
    official_name: str
    kind: BodyKind
    council: str
    legal_basis: str
    email: EmailStr
    population: int = Field(gt=0)
    regionalschluessel: str = Field(default="", pattern=r"^(\d{12})?$")
    leader_region: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")
    contacts: list[ContactRecord] = Field(default_factory=list)


class ProgrammeRecord(BaseModel):
    """One entry of ``data/programme.yaml``."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: ProgrammeName
    funder: str
    funding_rate_percent: Decimal = Field(gt=0, le=100)
    min_grant_eur: Decimal | None = Field(default=None, ge=0)
    max_grant_eur: Decimal | None = Field(default=None, gt=0)
    max_duration_months: int | None = Field(default=None, gt=0)
    call_deadline: dt.date | None = None
    description: str = ""


class BodyView(BaseModel):
    """A body as flows and documents see it (no ORM object crosses a task boundary)."""

    model_config = ConfigDict(frozen=True)

    id: int
    slug: str
    name: str
    official_name: str
    kind: str
    council: str
    legal_basis: str
    email: str
    population: int

    @property
    def is_kreis(self) -> bool:
        return self.kind == BodyKind.KREIS


class ProgrammeView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    slug: str
    name: str
    funder: str
    funding_rate_percent: Decimal
    min_grant_cents: int | None
    max_grant_cents: int | None
    max_duration_months: int | None
    call_deadline: dt.date | None
