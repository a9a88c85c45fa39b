"""The tenant (Mandant): the Kreis, its agency, its strategy and committees, as typed data.

``data/mandant.yaml`` of the configured data folder (``FOERDERFLOW_DATA_DIR``) holds the
values. Like the settings, this is configuration of the core: every layer may read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foerderflow.yamlfile import YamlFile, YamlFileError, read_yaml

TENANT_FILE = "mandant.yaml"
BODIES_FILE = "koerperschaften.yaml"
BODIES_KEY = "koerperschaften"
PROGRAMMES_FILE = "programme.yaml"
PROGRAMMES_KEY = "programme"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KreisRecord(_Record):
    name: str = Field(description="The Kreis as named in running text, e.g. „Kreis Borken“.")
    rechtsform: str = "Kreis"
    sitz: str = Field(description="Seat of the Kreis administration, for „Ort, Datum“.")
    regionalschluessel: str = Field(pattern=r"^\d{5}(\d{7})?$")
    land: str
    kreistag: str
    rechtsgrundlage_kreistag: str
    rechtsgrundlage_rat: str


class AgencyRecord(_Record):
    name: str
    langname: str
    absender_name: str
    absender_email: str
    koordination_name: str
    koordination_email: str
    signatur: str
    kalender_prodid: str


class StrategyRecord(_Record):
    name: str
    kurzname: str


class CommitteeRecord(_Record):
    name: str
    gremium: str


class BudgetRecord(_Record):
    produkt: str
    sachkonto: str


class LetterheadRecord(_Record):
    zeile1: str
    zeile2: str = ""


class Tenant(_Record):
    """Everything tenant-specific besides bodies, programmes and the project list."""

    kreis: KreisRecord
    agentur: AgencyRecord
    strategie: StrategyRecord
    ausschuesse: list[CommitteeRecord] = Field(min_length=1)
    einwohner_stichtag: dt.date
    haushalt: BudgetRecord
    briefkopf: LetterheadRecord

    @property
    def committee_names(self) -> list[str]:
        return [c.name for c in self.ausschuesse]


def parse_tenant(data: Mapping[str, Any]) -> Tenant:
    """Validate the parsed YAML of ``mandant.yaml`` (raises pydantic's ValidationError)."""
    return Tenant.model_validate(dict(data))


class TenantError(ValueError):
    """The tenant file is missing or invalid; the message is German and names file and line."""


def validation_problems(
    source: YamlFile, exc: ValidationError, base: tuple[str | int, ...] = ()
) -> list[str]:
    """One German line per pydantic error, each with file and line of the value."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        name = ".".join(str(p) for p in loc) or "Eintrag"
        text = "fehlt" if err["type"] == "missing" else f"ungültig ({err['msg']})"
        problems.append(f"{source.at((*base, *loc))}: Feld „{name}“ {text}")
    return problems


def load_tenant(data_dir: Path) -> Tenant:
    path = data_dir / TENANT_FILE
    try:
        source = read_yaml(path)
    except YamlFileError as exc:
        raise TenantError(str(exc)) from None
    if not isinstance(source.data, dict):
        raise TenantError(f"{path}: erwartet wird eine Zuordnung (Schlüssel: Wert).")
    try:
        return parse_tenant(source.data)
    except ValidationError as exc:
        raise TenantError("; ".join(validation_problems(source, exc))) from None


@lru_cache(maxsize=8)
def _cached(data_dir: str, mtime_ns: int) -> Tenant:
    return load_tenant(Path(data_dir))


def load_tenant_cached(data_dir: Path) -> Tenant:
    """:func:`load_tenant`, read again only when mandant.yaml changes."""
    try:
        mtime = (data_dir / TENANT_FILE).stat().st_mtime_ns
    except OSError:
        mtime = 0
    return _cached(str(data_dir), mtime)


# --- The bodies' names: the dropdowns of the forms and their validation -------------------


@lru_cache(maxsize=16)
def _names(path: str, mtime_ns: int, key: str = BODIES_KEY) -> tuple[str, ...]:
    try:
        source = read_yaml(Path(path))
    except YamlFileError:
        return ()
    items = source.data.get(key) if isinstance(source.data, dict) else None
    if not isinstance(items, list):
        return ()
    names = (item.get("name") for item in items if isinstance(item, dict))
    return tuple(dict.fromkeys(str(n) for n in names if n))


def body_names_in(data_dir: Path) -> tuple[str, ...]:
    """The names of the bodies in ``data_dir/koerperschaften.yaml``, in its order (the Kreis
    first by convention); empty when the file is missing or unreadable – ``foerderflow seed``
    reports that. Read again when the file changes."""
    path = data_dir / BODIES_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return ()
    return _names(str(path), mtime)


def programme_names_in(data_dir: Path) -> tuple[str, ...]:
    """The names of the programmes in ``data_dir/programme.yaml`` (empty when missing)."""
    path = data_dir / PROGRAMMES_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return ()
    return _names(str(path), mtime, PROGRAMMES_KEY)
