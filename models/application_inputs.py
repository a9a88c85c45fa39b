"""Form models of the lifecycle steps after the idea (one per deployment)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from models.application import REFERENCE_PATTERN
from models.bodies import BodyChoice
from models.deadlines import DeadlineError, final_report_date, interim_report_dates
from models.fields import (
    OptionalEuroAmount,
    OptionalPercent,
    PlainText,
    optional_upper_key,
    remark,
)
from models.forms import EnteredBy, FormModel, dropdown_key
from models.money import SplitKey

Reference = Annotated[
    str,
    BeforeValidator(dropdown_key),
    Field(
        title="Aktenzeichen",
        description="Aktenzeichen des Antrags, z. B. FA-2026-001 (steht in der Betreffzeile "
        "jeder Mail und in der Tabelle „antraege“ unter Artifacts).",
        pattern=REFERENCE_PATTERN,
        examples=["FA-2026-001"],
    ),
]
# An application chosen from the dropdown or typed (upper-cased); an empty field means none.
OptionalReference = Annotated[
    str | None, Field(pattern=REFERENCE_PATTERN), BeforeValidator(optional_upper_key)
]


class ApplicationForm(FormModel):
    """The form of a step on one application: its first field is the application's
    Aktenzeichen (a dropdown in the Prefect UI)."""

    reference: Reference


class PartnerDecision(StrEnum):
    ZUGESAGT = "zugesagt"
    ABGESAGT = "abgesagt"


class NoticeOutcome(StrEnum):
    BEWILLIGT = "bewilligt"
    TEILBEWILLIGT = "teilbewilligt"
    ABGELEHNT = "abgelehnt"


class ReportKind(StrEnum):
    ZWISCHENNACHWEIS = "zwischennachweis"
    VERWENDUNGSNACHWEIS = "verwendungsnachweis"


class PartnerCheckInput(ApplicationForm):
    split_key: SplitKey = Field(title="Aufteilungsschlüssel Eigenanteil")
    """gleich: zu gleichen Teilen; einwohner: nach Einwohnerzahl; prozent: jede Partnerkommune nennt
    bei ihrer Antwort ihren Prozentanteil, den Rest trägt die Federführung."""
    eligible_costs_eur: OptionalEuroAmount = Field(
        default=None, title="Zuwendungsfähige Ausgaben (EUR)"
    )
    """Leer lassen, um die geschätzten Kosten aus der Idee zu übernehmen."""
    funding_rate_percent: OptionalPercent = Field(default=None, title="Förderquote (%)")
    """Leer lassen, um die Quote des Förderprogramms zu übernehmen (z. B. 90)."""
    response_due: dt.date | None = Field(default=None, title="Rückmeldefrist der Partner")
    """Leer lassen: 21 Tage ab heute, nach den Fristregeln (Wochenende und Feiertage in NRW
    verschieben auf den nächsten Werktag)."""
    entered_by: EnteredBy


class PartnerAnswerInput(ApplicationForm):
    body: BodyChoice = Field(title="Partnerkommune")
    """Die Körperschaft, deren Antwort Sie erfassen."""
    decision: PartnerDecision = Field(title="Antwort")
    """zugesagt: beteiligt sich und trägt ihren Eigenanteil; abgesagt: beteiligt sich nicht."""
    share_percent: Decimal | None = Field(
        default=None, title="Prozentanteil am Eigenanteil", gt=0, lt=100, decimal_places=2
    )
    """Nur beim Schlüssel „prozent“ und bei einer Zusage: der Anteil, den die Kommune übernimmt,
    z. B. 25."""
    entered_by: EnteredBy


class DraftInput(ApplicationForm):
    notes: PlainText = remark("Hinweise zum Entwurf")
    """Optional: Hinweise, die im Förderantrag unter „Hinweise“ erscheinen."""
    entered_by: EnteredBy


class ApprovalInput(ApplicationForm):
    approved: bool = Field(title="Entwurf freigeben?")
    """Ja: der Entwurf ist freigegeben und kann eingereicht werden. Nein: es wird eine neue Fassung
    mit Ihren Anmerkungen erstellt."""
    comments: PlainText = remark("Anmerkungen / Änderungswünsche")
    """Pflicht, wenn Sie nicht freigeben: erscheint als Änderungsvermerk in der neuen Fassung."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _comments_for_changes(self) -> ApprovalInput:
        if not self.approved and not self.comments.strip():
            raise ValueError("Bitte beschreiben Sie unter „Anmerkungen“, was geändert werden soll.")
        return self


class SubmissionInput(ApplicationForm):
    submitted_on: dt.date = Field(title="Eingereicht am")
    """Datum der Einreichung beim Zuwendungsgeber."""
    funder_reference: PlainText = Field(
        title="Aktenzeichen des Zuwendungsgebers", min_length=1, max_length=120
    )
    """Das Geschäftszeichen oder die Vorgangsnummer aus der Eingangsbestätigung."""
    entered_by: EnteredBy


class NoticeInput(ApplicationForm):
    outcome: NoticeOutcome = Field(title="Ergebnis des Bescheids")
    """bewilligt, teilbewilligt (gekürzte Zuwendung) oder abgelehnt."""
    granted_eur: OptionalEuroAmount = Field(default=None, title="Bewilligte Zuwendung (EUR)")
    """Bei Teilbewilligung Pflicht; bei voller Bewilligung leer lassen (= beantragte Zuwendung)."""
    notice_date: dt.date = Field(title="Datum des Bescheids")
    """Bescheiddatum."""
    period_start: dt.date | None = Field(default=None, title="Bewilligungszeitraum von")
    """Beginn des Bewilligungszeitraums (bei Ablehnung leer lassen)."""
    period_end: dt.date | None = Field(default=None, title="Bewilligungszeitraum bis")
    """Ende des Bewilligungszeitraums (bei Ablehnung leer lassen)."""
    interim_report_dates: list[dt.date] = Field(
        default_factory=list, title="Abweichende Termine Zwischennachweis", max_length=10
    )
    """Nur wenn der Bescheid eigene Termine nennt; sonst leer lassen (Standard: 30. April für jedes
    Jahr außer dem letzten)."""
    final_report_months: int = Field(
        default=6, title="Frist Verwendungsnachweis (Monate)", ge=1, le=24
    )
    """Monate nach Ende des Bewilligungszeitraums (Standard nach ANBest: 6)."""
    note: PlainText = remark("Vermerk")
    """Optional, z. B. Ablehnungsgründe oder Auflagen aus dem Bescheid."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _consistent(self) -> NoticeInput:
        if self.outcome == NoticeOutcome.ABGELEHNT:
            return self
        if self.period_start is None or self.period_end is None:
            raise ValueError("Bei einer Bewilligung ist der Bewilligungszeitraum anzugeben.")
        if self.period_end <= self.period_start:
            raise ValueError("Das Ende des Bewilligungszeitraums muss nach dessen Beginn liegen.")
        if self.outcome == NoticeOutcome.TEILBEWILLIGT and self.granted_eur is None:
            raise ValueError("Bei einer Teilbewilligung ist die bewilligte Zuwendung anzugeben.")
        try:  # the reporting deadlines must be computable (holiday data, date range)
            if not self.interim_report_dates:
                interim_report_dates(self.period_start, self.period_end)
            final_report_date(self.period_end, months=self.final_report_months)
        except DeadlineError as exc:
            raise ValueError(f"Die Berichtsfristen lassen sich nicht berechnen: {exc}") from None
        return self


class ReportInput(ApplicationForm):
    kind: ReportKind = Field(title="Nachweis")
    """Zwischennachweis oder Verwendungsnachweis."""
    year: int | None = Field(default=None, title="Berichtsjahr", ge=2000, le=2100)
    """Nur beim Zwischennachweis: das Kalenderjahr, über das berichtet wird."""
    submitted_on: dt.date | None = Field(default=None, title="Eingereicht am")
    """Leer lassen, um nur den Entwurf zu erstellen. Mit Datum wird der Nachweis als eingereicht
    erfasst (der Verwendungsnachweis schließt den Antrag ab)."""
    entered_by: EnteredBy

    @model_validator(mode="after")
    def _year_for_interim(self) -> ReportInput:
        if self.kind == ReportKind.ZWISCHENNACHWEIS and self.year is None:
            raise ValueError("Für einen Zwischennachweis ist das Berichtsjahr anzugeben.")
        return self


class WithdrawalInput(ApplicationForm):
    reason: PlainText = Field(title="Begründung", min_length=3, max_length=2000)
    """Warum wird der Antrag zurückgezogen? Erscheint im Verlauf und in der Mail."""
    entered_by: EnteredBy
