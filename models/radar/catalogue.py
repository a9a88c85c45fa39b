"""The catalogue's vocabulary: programmes and calls as imported records, and the code lists of
the Förderdatenbank des Bundes mapped onto it.

A *programme* (Förderprogramm) can have many *calls* (Aufrufe, rounds, cut-off dates). The
Förderdatenbank only knows programmes; each of its programmes becomes one programme with one
standing call. EU topics (SEDIA) and manual entries carry real calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from models.labels import LabelledEnum


class Source(LabelledEnum):
    FDB = "fdb", "Förderdatenbank des Bundes"
    SEDIA = "sedia", "EU Funding & Tenders Portal"
    MANUAL = "manual", "manuell erfasst"


FDB_LICENCE = "Quelle: Förderdatenbank des Bundes (BMWE), CC BY-ND 4.0"
SEDIA_LICENCE = "Quelle: Europäische Kommission, Funding & Tenders Portal (© Europäische Union)"


class CallStatus(LabelledEnum):
    FORTHCOMING = "forthcoming", "angekündigt"
    OPEN = "open", "offen"
    ROLLING = "rolling", "laufend (ohne Stichtag)"
    CLOSED = "closed", "geschlossen"
    UNKNOWN = "unknown", "unbekannt"


ACTIVE_STATUSES = frozenset({CallStatus.FORTHCOMING, CallStatus.OPEN, CallStatus.ROLLING})


class DeadlineModel(LabelledEnum):
    SINGLE = "single", "einstufig"
    TWO_STAGE = "two_stage", "zweistufig (Skizze zuerst)"
    MULTIPLE_CUT_OFF = "multiple_cut_off", "mehrere Stichtage"
    ROLLING = "rolling", "laufend"


class ApplicantType(LabelledEnum):
    GEMEINDE = "gemeinde", "Gemeinde"
    KREIS = "kreis", "Kreis"
    ZWECKVERBAND = "zweckverband", "Zweckverband"
    KOMMUNALES_UNTERNEHMEN = "kommunales_unternehmen", "kommunales Unternehmen"
    VEREIN = "verein", "Verein"
    UNTERNEHMEN = "unternehmen", "Unternehmen"
    OEFFENTLICHE_EINRICHTUNG = "oeffentliche_einrichtung", "öffentliche Einrichtung"
    BILDUNGSEINRICHTUNG = "bildungseinrichtung", "Bildungseinrichtung"
    FORSCHUNGSEINRICHTUNG = "forschungseinrichtung", "Forschungseinrichtung"
    PRIVATPERSON = "privatperson", "Privatperson"


# --- Förderdatenbank code lists --------------------------------------------------------------

# Foerderberechtigte: there is no code for Kreise, a Kreis counts as Kommune.
FDB_APPLICANTS: dict[str, tuple[ApplicantType, ...]] = {
    "kommune": (ApplicantType.GEMEINDE, ApplicantType.KREIS),
    "oeffentliche_einrichtung": (
        ApplicantType.OEFFENTLICHE_EINRICHTUNG,
        ApplicantType.ZWECKVERBAND,
        ApplicantType.KOMMUNALES_UNTERNEHMEN,
    ),
    "unternehmen": (ApplicantType.UNTERNEHMEN,),
    "existenzgruenderin": (ApplicantType.UNTERNEHMEN,),
    "verband_vereinigung": (ApplicantType.VEREIN,),
    "bildungseinrichtung": (ApplicantType.BILDUNGSEINRICHTUNG,),
    "hochschule": (ApplicantType.FORSCHUNGSEINRICHTUNG,),
    "forschungseinrichtung": (ApplicantType.FORSCHUNGSEINRICHTUNG,),
    "privatperson": (ApplicantType.PRIVATPERSON,),
}

# Foerdergebiet -> region: "DE" (whole country), "EU", a Land's Regionalschlüssel prefix.
FDB_REGIONS: dict[str, str] = {
    "_bundesweit": "DE",
    "bundesweit": "DE",
    "eu": "EU",
    "europaeische_union": "EU",
    "schleswig_holstein": "01",
    "de_sh": "01",
    "hamburg": "02",
    "de_hh": "02",
    "niedersachsen": "03",
    "de_ni": "03",
    "bremen": "04",
    "de_hb": "04",
    "nordrhein_westfalen": "05",
    "de_nw": "05",
    "hessen": "06",
    "de_he": "06",
    "rheinland_pfalz": "07",
    "de_rp": "07",
    "baden_wuerttemberg": "08",
    "de_bw": "08",
    "bayern": "09",
    "de_by": "09",
    "saarland": "10",
    "de_sl": "10",
    "berlin": "11",
    "de_be": "11",
    "brandenburg": "12",
    "de_bb": "12",
    "mecklenburg_vorpommern": "13",
    "de_mv": "13",
    "sachsen": "14",
    "de_sn": "14",
    "sachsen_anhalt": "15",
    "de_st": "15",
    "thueringen": "16",
    "de_th": "16",
    "sonstige": "ausland",
}
LAND_NAMES: dict[str, str] = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

# Foerderbereich (the export's 23 codes) -> German label used as theme.
FDB_THEMES: dict[str, str] = {
    "arbeit": "Arbeit",
    "aus_weiterbildung": "Aus- & Weiterbildung",
    "aussenwirtschaft": "Außenwirtschaft",
    "beratung": "Beratung",
    "corona": "Corona-Hilfe",
    "digitalisierung": "Digitalisierung",
    "energieeffizienz_erneuerbare_energien": "Energieeffizienz & Erneuerbare Energien",
    "existenzgruendung_festigung": "Existenzgründung & -festigung",
    "forschung_innovation_themenoffen": "Forschung & Innovation (themenoffen)",
    "forschung_innovation_themenspezifisch": "Forschung & Innovation (themenspezifisch)",
    "frauenfoerderung": "Frauenförderung",
    "gesundheit_soziales": "Gesundheit & Soziales",
    "infrastruktur": "Infrastruktur",
    "kultur_medien_sport": "Kultur, Medien & Sport",
    "landwirtschaft_laendliche_entwicklung": "Landwirtschaft & Ländliche Entwicklung",
    "messen_ausstellungen": "Messen & Ausstellungen",
    "mobilitaet": "Mobilität",
    "regionalfoerderung": "Regionalförderung",
    "smart_cities_regionen": "Smart Cities & Regionen",
    "staedtebau_stadterneuerung": "Städtebau & Stadterneuerung",
    "umwelt_naturschutz": "Umwelt- & Naturschutz",
    "unternehmensfinanzierung": "Unternehmensfinanzierung",
    "wohnungsbau_modernisierung": "Wohnungsbau & Modernisierung",
}
FDB_FUNDING_TYPES: dict[str, str] = {
    "zuschuss": "Zuschuss",
    "darlehen": "Darlehen",
    "buergschaft": "Bürgschaft",
    "beteiligung": "Beteiligung",
    "garantie": "Garantie",
    "sonstige": "Sonstige",
}
FDB_FUNDERS: dict[str, str] = {"bund": "Bund", "land": "Land", "eu": "EU"}


def fdb_code(href: str) -> str:
    """The code of a code-list entry: only the last path segment counts."""
    return href.rstrip("/").rsplit("/", 1)[-1].strip().lower()


# --- Imported records ------------------------------------------------------------------------


class CatalogueRecord(BaseModel):
    """What a programme and a call both carry as an importer delivers them: where it comes
    from and what it is (stored in the columns of ``models.radar.tables._CatalogueEntry``)."""

    model_config = ConfigDict(frozen=True)

    source_ref: str = ""
    url: str = ""
    title: str
    summary: str = ""
    funder: str = ""
    granting_body: str = ""


class CallRecord(CatalogueRecord):
    """One call as an importer delivers it (before it meets the database)."""

    call_id: str = Field(min_length=2, max_length=120)
    status: CallStatus = CallStatus.UNKNOWN
    deadline_model: DeadlineModel = DeadlineModel.SINGLE
    open_date: dt.date | None = None
    deadline: dt.date | None = None
    cut_off_dates: tuple[dt.date, ...] = ()
    deadline_text: str = ""
    deadline_extracted: bool = False  # found in free text: a hint, never certain
    applicant_types: tuple[ApplicantType, ...] = ()
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    funding_type: str = ""
    rate_percent: Decimal | None = None
    max_rate_percent: Decimal | None = None
    max_grant_cents: int | None = None
    max_cost_cents: int | None = None
    min_partners: int | None = None


class ProgrammeRecord(CatalogueRecord):
    """One programme with its calls, as an importer delivers it."""

    key: str = Field(min_length=3, max_length=300)  # unique per source, e.g. the FDB path
    source: Source
    licence: str = ""
    application_programme: str | None = None  # name in the application's programme list
    raw: dict[str, Any] = Field(default_factory=dict)
    calls: tuple[CallRecord, ...] = ()


class Snapshot(BaseModel):
    """What one import read. ``full``: everything of ``source`` is in it, so what is missing
    is gone (``entfallen``)."""

    model_config = ConfigDict(frozen=True)

    source: Source
    location: str
    full: bool
    programmes: tuple[ProgrammeRecord, ...]
    warnings: tuple[str, ...] = ()


# --- Change detection ------------------------------------------------------------------------

TRACKED_FIELDS: dict[str, str] = {
    "title": "Titel",
    "status": "Status",
    "deadline": "Frist",
    "cut_off_dates": "Stichtage",
    "open_date": "Beginn",
    "rate_percent": "Förderquote",
    "max_rate_percent": "Förderquote bis",
    "max_grant_cents": "Höchstförderung",
    "max_cost_cents": "Höchstkosten",
    "applicant_types": "Antragsberechtigte",
    "regions": "Fördergebiet",
    "min_partners": "Mindestzahl Partner",
    "deadline_model": "Fristmodell",
}


def comparable(value: Any) -> Any:
    """A value as it is stored (JSON-safe) and compared."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return [comparable(v) for v in value]
    return value


def call_values(call: CallRecord) -> dict[str, Any]:
    """Every stored field of a call, in comparable form."""
    return {name: comparable(getattr(call, name)) for name in CallRecord.model_fields}


def content_fingerprint(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return TRACKED_FIELDS.get(self.field, self.field)


def diff_call(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The tracked fields that differ between two stored versions of a call."""
    return [
        FieldChange(field=name, old=old.get(name), new=new.get(name))
        for name in TRACKED_FIELDS
        if old.get(name) != new.get(name)
    ]


def is_material(changes: list[FieldChange]) -> bool:
    """A change that brings a muted call back: a new deadline or a higher rate."""
    for change in changes:
        if change.field in ("deadline", "cut_off_dates") and change.new:
            return True
        if change.field not in ("rate_percent", "max_rate_percent") or change.new is None:
            continue
        if change.old is None or Decimal(str(change.new)) > Decimal(str(change.old)):
            return True
    return False


def format_change_value(field: str, value: Any) -> str:
    """A stored value as a reader sees it (German dates, percent, euro)."""
    from models.deadlines import format_date_de
    from models.money import format_eur, format_percent

    if value is None or value == [] or value == "":
        return "–"
    if field in ("deadline", "open_date"):
        return format_date_de(dt.date.fromisoformat(value))
    if field == "cut_off_dates":
        return ", ".join(format_date_de(dt.date.fromisoformat(v)) for v in value)
    if field in ("rate_percent", "max_rate_percent"):
        return format_percent(Decimal(str(value)))
    if field in ("max_grant_cents", "max_cost_cents"):
        return format_eur(int(value))
    if field == "status":
        return CallStatus(value).label
    if field == "applicant_types":
        return ", ".join(ApplicantType(v).label for v in value)
    if field == "deadline_model":
        return DeadlineModel(value).label
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
