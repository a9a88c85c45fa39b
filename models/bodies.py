"""The bodies (Körperschaften) and funding programmes as typed reference data.

The bodies and the programmes are the tenant's data (``koerperschaften.yaml`` and
``programme.yaml`` of ``FOERDERFLOW_DATA_DIR``): no code names or counts them. The Förder-Radar
adds programmes to the programme table at runtime; ``tasks`` tell this module their names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

from foerderflow.settings import body_names, programme_names

# --- A body chosen in a form: the tenant's bodies, as data --------------------------------

# Marks a form field whose dropdown lists the tenant's bodies; ``tasks.menu`` fills its enum
# from the database, the schema below fills it from the data folder at deploy time.
BODY_DROPDOWN = "x-foerderflow-koerperschaft"


def known_body(value: str) -> str:
    """Accept only a body of the tenant (``koerperschaften.yaml``); the message is the one of
    a dropdown, so pydantic's error becomes German in ``models.forms``."""
    names = body_names()
    if names and value not in names:
        raise _enum_error(names)
    return value


class Dropdown:
    """JSON schema of a form field chosen from the tenant's data: a string marked ``mark``
    whose enum lists ``names()``, read when the schema is built (``prefect deploy``, the
    stack's start) and refreshed from the database by ``tasks.menu``."""

    def __init__(self, mark: str, names: Callable[[], tuple[str, ...]]) -> None:
        self.mark = mark
        self.names = names

    def __get_pydantic_json_schema__(
        self, core_schema: Any, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = {"type": "string", self.mark: True}
        names = self.names()
        if names:
            schema["enum"] = list(names)
        return schema


# A bound against runaway input in a list of bodies, not their number: unknown and repeated
# bodies are refused anyway.
MAX_BODIES_IN_FORM = 100

# A body by the name coordinators use ("Bocholt", "Kreis Borken"), one of the tenant's.
BodyChoice = Annotated[str, AfterValidator(known_body), Dropdown(BODY_DROPDOWN, body_names)]
# The same, optional: an empty field means "no body".
OptionalBodyChoice = Annotated[BodyChoice | None, Dropdown(BODY_DROPDOWN, body_names)]


# --- A programme chosen in a form: programme.yaml and the programme table, as data -------

# Marks a form field whose dropdown lists the programmes; ``tasks.menu`` fills its enum.
PROGRAMME_DROPDOWN = "x-foerderflow-programm"
# Names of the programme table beyond programme.yaml (e.g. from the Förder-Radar's
# catalogue), told by ``tasks.menu.remember_programme_table`` before a form is validated.
_TABLE_PROGRAMMES: set[str] = set()


def remember_programmes(names: Iterable[str]) -> None:
    """Accept these programme names too (they are in the programme table)."""
    _TABLE_PROGRAMMES.update(names)


def forget_programmes() -> None:
    """Forget the remembered names: for a process that goes on with another database (the
    tests: each has a fresh one). The table itself only ever gains programmes."""
    _TABLE_PROGRAMMES.clear()


def known_programmes() -> tuple[str, ...]:
    """The programmes of ``programme.yaml`` and those the programme table adds."""
    names = programme_names()
    return (*names, *sorted(_TABLE_PROGRAMMES - set(names)))


def _enum_error(names: tuple[str, ...]) -> PydanticCustomError:
    expected = ", ".join(f"'{n}'" for n in names[:-1]) + f" or '{names[-1]}'"
    return PydanticCustomError("enum", "Input should be {expected}", {"expected": expected})


def known_programme(value: str) -> str:
    """Accept only a known programme; the message is the one of a dropdown (German in
    ``models.forms``)."""
    names = known_programmes()
    if names and value not in names:
        raise _enum_error(names)
    return value


# A Förderprogramm by its name ("Heimat 2.0"), one of programme.yaml or the programme table
# (its dropdown lists programme.yaml; ``tasks.menu`` refreshes it from the table).
ProgrammeChoice = Annotated[
    str, AfterValidator(known_programme), Dropdown(PROGRAMME_DROPDOWN, programme_names)
]


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
    name: str = Field(min_length=1, max_length=100)
    official_name: str = Field(min_length=1)
    kind: BodyKind
    council: str
    legal_basis: str = Field(min_length=1)
    email: EmailStr
    population: int = Field(gt=0)
    regionalschluessel: str = Field(default="", pattern=r"^(\d{12})?$")
    leader_region: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")
    contacts: list[ContactRecord] = Field(default_factory=list)

    @field_validator("council")
    @classmethod
    def _has_council(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(
                "ist leer – jede Körperschaft braucht ihr beschließendes Gremium, z. B. "
                "„Rat der Stadt …“ oder „Kreistag des Kreises …“"
            )
        return value


class ProgrammeRecord(BaseModel):
    """One entry of ``data/programme.yaml``."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=200)
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
