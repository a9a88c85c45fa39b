"""Funding application: stages, legal transitions and the idea's input model."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import EmailStr, Field, field_validator, model_validator

from models.bodies import MAX_BODIES_IN_FORM, BodyChoice, ProgrammeChoice
from models.errors import StageError
from models.fields import OptionalProjectCode, PlainText, Title
from models.forms import EnteredBy, FormModel


class Stage(StrEnum):
    IDEE = "idee"
    PARTNERPRUEFUNG = "partnerpruefung"
    ENTWURF = "entwurf"
    FREIGEGEBEN = "freigegeben"
    EINGEREICHT = "eingereicht"
    BEWILLIGT = "bewilligt"
    ABGELEHNT = "abgelehnt"
    BERICHTSPFLICHT = "berichtspflicht"
    ABGESCHLOSSEN = "abgeschlossen"
    ZURUECKGEZOGEN = "zurueckgezogen"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.IDEE: "Idee",
    Stage.PARTNERPRUEFUNG: "Partnerprüfung",
    Stage.ENTWURF: "Entwurf",
    Stage.FREIGEGEBEN: "Freigegeben",
    Stage.EINGEREICHT: "Eingereicht",
    Stage.BEWILLIGT: "Bewilligt",
    Stage.ABGELEHNT: "Abgelehnt",
    Stage.BERICHTSPFLICHT: "Berichtspflicht",
    Stage.ABGESCHLOSSEN: "Abgeschlossen",
    Stage.ZURUECKGEZOGEN: "Zurückgezogen",
}

# Stages from which an application can still be withdrawn.
OPEN_STAGES: frozenset[Stage] = frozenset(
    {Stage.IDEE, Stage.PARTNERPRUEFUNG, Stage.ENTWURF, Stage.FREIGEGEBEN, Stage.EINGEREICHT}
)
CLOSED_STAGES: frozenset[Stage] = frozenset(
    {Stage.ABGELEHNT, Stage.ABGESCHLOSSEN, Stage.ZURUECKGEZOGEN}
)

# (from, to) -> the action a coordinator takes, in the words of the UI.
TRANSITIONS: dict[tuple[Stage, Stage], str] = {
    (Stage.IDEE, Stage.PARTNERPRUEFUNG): "Partnerprüfung starten",
    (Stage.PARTNERPRUEFUNG, Stage.ENTWURF): "Entwurf erstellen",
    (Stage.ENTWURF, Stage.ENTWURF): "Änderungen anfordern (neue Fassung)",
    (Stage.ENTWURF, Stage.FREIGEGEBEN): "Entwurf freigeben",
    (Stage.FREIGEGEBEN, Stage.EINGEREICHT): "Einreichung erfassen",
    (Stage.EINGEREICHT, Stage.BEWILLIGT): "Bescheid erfassen (Bewilligung)",
    (Stage.EINGEREICHT, Stage.ABGELEHNT): "Bescheid erfassen (Ablehnung)",
    (Stage.BEWILLIGT, Stage.BERICHTSPFLICHT): "Berichtspflichten anlegen",
    (Stage.BERICHTSPFLICHT, Stage.ABGESCHLOSSEN): "Verwendungsnachweis als eingereicht erfassen",
}
for _stage in OPEN_STAGES:
    TRANSITIONS[(_stage, Stage.ZURUECKGEZOGEN)] = "zurückziehen"


def allowed_actions(current: Stage) -> list[str]:
    """The German actions possible from ``current``, in process order."""
    order = list(Stage)
    targets = sorted(
        (to for (frm, to) in TRANSITIONS if frm == current), key=lambda s: order.index(s)
    )
    return [TRANSITIONS[(current, to)] for to in targets]


def check_transition(reference: str, current: Stage, target: Stage) -> str:
    """Return the action label for a legal step, or raise :class:`StageError` in German."""
    action = TRANSITIONS.get((current, target))
    if action is not None:
        return action
    possible = allowed_actions(current)
    options = ", ".join(possible) if possible else "keine weiteren Schritte (Verfahren beendet)"
    raise StageError(
        f"Antrag {reference} steht in Stufe '{current.value}'; möglich sind: {options}"
    )


def format_reference(year: int, number: int) -> str:
    return f"FA-{year}-{number:03d}"


REFERENCE_PATTERN = r"^FA-\d{4}-\d{3,}$"


class IdeaInput(FormModel):
    """The form of ``antrag-idee``: a new project idea for a funding application."""

    title: Title = Field(title="Titel des Vorhabens")
    """Kurzer, sprechender Titel, wie er im Antrag stehen soll, z. B. „Digitale Dorfplätze in den
    Ortskernen“."""
    summary: PlainText = Field(title="Kurzbeschreibung", min_length=10, max_length=5000)
    """Worum geht es, welches Problem wird gelöst, was soll am Ende stehen? Zwei bis fünf Sätze; sie
    erscheinen in der Projektskizze."""
    lead_body: BodyChoice = Field(title="Federführende Körperschaft")
    """Die Körperschaft, die den Antrag stellt und das Vorhaben federführend betreut."""
    partner_bodies: list[BodyChoice] = Field(
        default_factory=list, title="Partnerkommunen", max_length=MAX_BODIES_IN_FORM
    )
    """Körperschaften, die sich voraussichtlich beteiligen (ohne die federführende). Sie erhalten in
    der Partnerprüfung eine Absichtserklärung."""
    programme: ProgrammeChoice = Field(title="Förderprogramm")
    """Das Programm, bei dem der Antrag gestellt werden soll."""
    estimated_costs_eur: Decimal = Field(
        title="Geschätzte Gesamtkosten (EUR)",
        ge=0,
        le=Decimal("1000000000"),
        max_digits=14,
        decimal_places=2,
    )
    """Geschätzte zuwendungsfähige Gesamtausgaben in Euro, z. B. 450000 oder 450000.50."""
    coordinator_email: EmailStr = Field(
        title="E-Mail der Koordination", json_schema_extra={"format": "email"}
    )
    """An diese Adresse geht die Projektskizze; sie ist Ansprechpartner im weiteren Verfahren."""
    project_code: OptionalProjectCode = Field(
        default=None, title="Projekt der Digitalisierungsstrategie"
    )
    """Optional: das Projekt der Projektliste, zu dem der Antrag gehört. Die Fördermittel zählen
    dann in der Fortschreibung bei diesem Projekt."""
    entered_by: EnteredBy

    @field_validator("estimated_costs_eur")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("Die geschätzten Kosten müssen größer als 0 € sein.")
        return value

    @field_validator("partner_bodies")
    @classmethod
    def _unique_partners(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        duplicates = [b for b in value if b in seen or seen.add(b)]  # type: ignore[func-returns-value]
        if duplicates:
            raise ValueError(f"{', '.join(duplicates)} ist mehrfach als Partner angegeben.")
        return value

    @model_validator(mode="after")
    def _lead_not_partner(self) -> IdeaInput:
        if self.lead_body in self.partner_bodies:
            raise ValueError(
                f"{self.lead_body} ist federführend und darf nicht zusätzlich als "
                "Partnerkommune angegeben werden."
            )
        return self
