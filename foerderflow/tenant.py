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

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foerderflow.settings import get_settings

TENANT_FILE = "mandant.yaml"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KreisRecord(_Record):
    name: str = Field(description="„Kreis Coesfeld“, as used in running text.")
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
    """The tenant file is missing or invalid; the message is German and names the file."""


def load_tenant(data_dir: Path) -> Tenant:
    path = data_dir / TENANT_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise TenantError(f"{path}: Datei nicht lesbar ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise TenantError(f"{path}: kein gültiges YAML ({exc}).") from exc
    if not isinstance(data, dict):
        raise TenantError(f"{path}: erwartet wird eine Zuordnung (Schlüssel: Wert).")
    try:
        return parse_tenant(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise TenantError(f"{path}: {problems}") from exc


@lru_cache(maxsize=4)
def _cached(data_dir: str) -> Tenant:
    return load_tenant(Path(data_dir))


def get_tenant() -> Tenant:
    """The tenant of the configured data folder (``FOERDERFLOW_DATA_DIR``), loaded once."""
    return _cached(str(get_settings().data_dir))
