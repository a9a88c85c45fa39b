"""Form models of the radar flows (one per deployment): one source for the Prefect form and
its German validation (see :mod:`models.forms`)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from models import forms
from models.application_inputs import OptionalReference
from models.bodies import BodyChoice
from models.fields import (
    OptionalEuroAmount,
    OptionalPercent,
    OptionalProjectCode,
    PlainText,
    Title,
    catch_up_day,
    remark,
)
from models.forms import FormModel, dropdown_key
from models.labels import LabelledEnum
from models.radar.catalogue import ApplicantType, CallStatus, DeadlineModel
from models.radar.matching import DEFAULT_LEAD_DAYS


def _blank_none(value: object) -> object:
    """An optional field left empty in the form ("") means "not given"."""
    return None if isinstance(value, str) and not value.strip() else value


_call_key = dropdown_key  # a dropdown entry "call-id · Titel (Frist)" as its id
EnteredBy = Annotated[
    forms.EnteredBy, Field(description="Ihr Name; er wird im Verlauf festgehalten.")
]
CallId = Annotated[
    str,
    BeforeValidator(_call_key),
    Field(
        title="Aufruf",
        description="Der Förderaufruf (Auswahlliste; die Kennung steht auch in der Tabelle "
        "„foerder-radar“ und im Wochenüberblick).",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{1,119}$",
    ),
]


class Rating(LabelledEnum):
    INTERESSIERT = "interessiert", "interessiert"
    BEANTRAGT = "beantragt", "beantragt"
    PASST_NICHT = "passt_nicht", "passt nicht"
    STUMM = "stumm", "stumm geschaltet"


MUTING = frozenset({Rating.PASST_NICHT, Rating.STUMM})


class NotFitReason(StrEnum):
    NICHT_ANTRAGSBERECHTIGT = "nicht_antragsberechtigt"
    KEIN_EIGENANTEIL = "kein_eigenanteil"
    KEINE_KAPAZITAET = "keine_kapazitaet"
    FRIST_ZU_KURZ = "frist_zu_kurz"
    THEMA_PASST_NICHT = "thema_passt_nicht"
    SONSTIGES = "sonstiges"


class RadarImportInput(FormModel):
    source: str = Field(default="", title="Quelle", max_length=1000)
    """Leer lassen für den offiziellen Export der Förderdatenbank des Bundes (braucht Internet).
    Sonst eine Adresse (https://…) oder ein Pfad auf dem Server: ZIP oder Ordner der
    Förderdatenbank, .json des EU Funding & Tenders Portals, eigene .yaml/.jsonl-Liste."""
    threshold: int = Field(default=70, title="Schwelle Sofortmeldung", ge=0, le=101)
    """Neue Aufrufe mit mindestens so vielen Punkten (0–100) für ein Projekt werden sofort an die
    Federführung des Handlungsfelds gemeldet."""
    lead_days: int = Field(default=DEFAULT_LEAD_DAYS, title="Mindestvorlauf (Tage)", ge=0, le=365)
    """So viele Tage muss die Frist eines einstufigen Aufrufs mindestens entfernt sein (Zeit für
    einen Ratsbeschluss)."""
    today: dt.date | None = catch_up_day()


class RadarDigestInput(FormModel):
    today: dt.date | None = catch_up_day("der Wochenüberblick")
    lead_days: int = Field(
        default=DEFAULT_LEAD_DAYS, title="Mindestvorlauf und Fristenfenster (Tage)", ge=1, le=365
    )
    """Neue Treffer brauchen so viele Tage bis zur Frist; Fristen vorgemerkter Aufrufe innerhalb
    dieses Fensters werden gemeldet."""


class CallEntryInput(FormModel):
    """``radar-aufruf``: a call seen in a newsletter or on a ministry's page."""

    programme_title: Title = Field(title="Name des Förderprogramms")
    """Name des Programms, z. B. „Heimat-Förderprogramm NRW“."""
    title: Title = Field(title="Titel des Aufrufs")
    """z. B. „Förderaufruf 2027“."""
    call_id: Annotated[str | None, BeforeValidator(_blank_none)] = Field(
        default=None, title="Kennung", pattern=r"^[a-z0-9][a-z0-9-]{1,80}$"
    )
    """Optional, z. B. ikz-nrw-2027; leer: aus dem Titel gebildet."""
    funder: PlainText = Field(title="Fördergeber", min_length=2, max_length=300)
    """Ministerium oder Stelle."""
    url: str = Field(title="Link zur Quelle", pattern=r"^https?://\S+$", max_length=500)
    """Wo der Aufruf veröffentlicht ist (https://…)."""
    summary: PlainText = remark("Kurzbeschreibung")
    """Was gefördert wird, in zwei bis fünf Sätzen."""
    status: CallStatus = Field(default=CallStatus.OPEN, title="Status")
    """forthcoming: angekündigt; open: offen; rolling: laufend ohne Stichtag; closed: geschlossen;
    unknown: unklar."""
    deadline_model: DeadlineModel = Field(default=DeadlineModel.SINGLE, title="Fristmodell")
    """single: ein Stichtag; two_stage: zuerst Skizze (Frist = Skizzenfrist); multiple_cut_off:
    mehrere Stichtage; rolling: laufend."""
    open_date: dt.date | None = Field(default=None, title="Beginn")
    """Ab wann Anträge möglich sind (optional)."""
    deadline: dt.date | None = Field(default=None, title="Frist")
    """Einreichungsfrist (bei zweistufigen Aufrufen die Skizzenfrist)."""
    applicant_types: list[ApplicantType] = Field(
        default_factory=lambda: [ApplicantType.GEMEINDE, ApplicantType.KREIS],
        title="Antragsberechtigt",
        min_length=1,
    )
    """Wer Anträge stellen darf."""
    regions: list[str] = Field(default_factory=lambda: ["DE"], title="Fördergebiet")
    """DE (bundesweit), EU, Anfang des Regionalschlüssels (05 = NRW, 055 = Reg.-Bez. Münster) oder
    leader:REGION, z. B. leader:baumberge."""
    themes: list[str] = Field(
        default_factory=lambda: ["Digitalisierung"], title="Themen", max_length=20
    )
    """z. B. Digitalisierung, Verwaltung, Mobilität, Smart Cities & Regionen."""
    keywords: list[str] = Field(default_factory=list, title="Stichworte", max_length=30)
    """Begriffe aus dem Aufruf, z. B. interkommunal, Onlinezugang."""
    rate_percent: OptionalPercent = Field(default=None, title="Förderquote (%)")
    """Höchste Förderquote, z. B. 90."""
    max_grant_eur: OptionalEuroAmount = Field(default=None, title="Höchstförderung (EUR)")
    """Höchste Zuwendung je Vorhaben in Euro."""
    min_partners: int | None = Field(default=None, title="Mindestzahl Partner", ge=1, le=50)
    """Wie viele Körperschaften mindestens gemeinsam beantragen müssen."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _consistent(self) -> CallEntryInput:
        for region in self.regions:
            if not re.fullmatch(r"DE|EU|\d{2,12}|leader:[a-z0-9-]+", region):
                raise ValueError(f"Fördergebiet „{region}“ ist ungültig (DE, EU, 05, leader:…).")
        dated = self.status in (CallStatus.OPEN, CallStatus.FORTHCOMING)
        if dated and self.deadline_model is not DeadlineModel.ROLLING and self.deadline is None:
            raise ValueError("Für einen offenen oder angekündigten Aufruf fehlt die Frist.")
        if self.open_date and self.deadline and self.open_date > self.deadline:
            raise ValueError("Der Beginn liegt nach der Frist.")
        return self


class RatingInput(FormModel):
    """``radar-bewertung``: a body marks a call."""

    body: BodyChoice = Field(title="Körperschaft")
    """Wer den Aufruf bewertet."""
    call_id: CallId
    rating: Rating = Field(title="Bewertung")
    """interessiert: vormerken (Fristen im Wochenüberblick); beantragt: mit Aktenzeichen;
    passt_nicht: mit Grund – erscheint nicht mehr im Wochenüberblick; stumm: nicht mehr melden.
    Neue Frist oder höhere Quote melden ihn wieder."""
    reason: Annotated[NotFitReason | None, BeforeValidator(_blank_none)] = Field(
        default=None, title="Grund (bei passt_nicht)"
    )
    """nicht antragsberechtigt, kein Eigenanteil, keine Kapazität, Frist zu kurz, Thema passt nicht,
    sonstiges."""
    note: PlainText = remark("Anmerkung", max_length=2000)
    """Optional, für den Verlauf."""
    application_reference: OptionalReference = Field(
        default=None, title="Aktenzeichen (bei beantragt)"
    )
    """Aktenzeichen des Antrags, z. B. FA-2026-001."""
    create_idea: bool = Field(default=False, title="Antragsidee anlegen")
    """Nur bei „interessiert“: legt sofort eine Antragsidee (antrag-idee) an – mit Programm,
    Projekt, Federführung und Beteiligten als Partnern; die Frist des Aufrufs wird der Stichtag
    des Antrags."""
    project_code: OptionalProjectCode = Field(default=None, title="Projekt (für die Antragsidee)")
    """Leer: das am besten passende Projekt der Körperschaft."""
    estimated_costs_eur: OptionalEuroAmount = Field(
        default=None, title="Geschätzte Kosten (EUR, für die Antragsidee)"
    )
    """Leer: die Kosten, die die Höchstförderung ausschöpfen."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _consistent(self) -> RatingInput:
        if self.rating is Rating.PASST_NICHT and self.reason is None:
            raise ValueError("Bei „passt_nicht“ fehlt der Grund.")
        if self.rating is Rating.BEANTRAGT and not self.application_reference:
            raise ValueError("Bei „beantragt“ fehlt das Aktenzeichen des Antrags.")
        if self.create_idea and self.rating is not Rating.INTERESSIERT:
            raise ValueError("Eine Antragsidee wird nur mit „interessiert“ angelegt.")
        return self
