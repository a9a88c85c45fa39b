"""Template contexts: one pydantic model per Word template, plus pure builders.

Contexts carry facts: amounts as ``1.234,56 €``, dates as ``24.12.2027``, lists, counts and
the bodies' grammatical forms (:mod:`models.grammar`). The sentences live in the Word
templates, which also see the tenant's facts as ``{{ mandant.* }}``. ``TEMPLATES`` maps each
template file to its context model; the template lint checks every variable against it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from models.bodies import BodyView
from models.deadlines import format_date_de
from models.grammar import BodyForms, body_forms
from models.money import compute_grant, format_eur, format_percent
from models.views import ApplicationView


class DocumentContext(BaseModel):
    """The base of every Word template's context. The agency, the Kreis and the letterhead
    are not fields: every template takes them from the tenant as ``{{ mandant.* }}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjektskizzeContext(DocumentContext):
    reference: str
    created_on: str
    title: str
    summary: str
    lead: BodyForms
    partners: list[str]  # candidate partners, official names
    body_count: int  # lead and candidate partners
    programme: str
    funder: str
    funding_rate: str
    estimated_costs: str
    expected_grant: str
    expected_own_share: str
    capped: bool  # the expected grant is limited by the programme's maximum
    max_grant: str
    below_minimum: bool
    min_grant: str
    duration_months: int | None
    call_deadline: str
    coordinator_email: str
    entered_by: str


def projektskizze_context(app: ApplicationView, created_on: dt.date) -> ProjektskizzeContext:
    """The Projektskizze of the new application ``app``, dated ``created_on``."""
    programme = app.programme
    partners = [p.body for p in app.candidates]
    grant = compute_grant(
        app.estimated_costs_cents,
        programme.funding_rate_percent,
        cap=programme.max_grant_cents,
        minimum=programme.min_grant_cents,
    )
    return ProjektskizzeContext(
        reference=app.reference,
        created_on=format_date_de(created_on),
        title=app.title,
        summary=app.summary,
        lead=body_forms(app.lead),
        partners=[p.official_name for p in partners],
        body_count=1 + len(partners),
        programme=programme.name,
        funder=programme.funder,
        funding_rate=format_percent(programme.funding_rate_percent),
        estimated_costs=format_eur(app.estimated_costs_cents),
        expected_grant=format_eur(grant.grant),
        expected_own_share=format_eur(grant.own_share),
        capped=grant.capped and programme.max_grant_cents is not None,
        max_grant=format_eur(programme.max_grant_cents) if programme.max_grant_cents else "",
        below_minimum=grant.below_minimum and programme.min_grant_cents is not None,
        min_grant=format_eur(programme.min_grant_cents) if programme.min_grant_cents else "",
        duration_months=programme.max_duration_months,
        call_deadline=format_date_de(programme.call_deadline) if programme.call_deadline else "",
        coordinator_email=app.coordinator_email,
        entered_by=app.created_by,
    )


def percent_of(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else Decimal(0)


# --- the generic Sitzungsvorlage (``sitzungsvorlage.docx``) --------------------------------
# Still used by the strategy revision, whose builder writes the paragraphs itself; the
# application's council paper has its own template with the wording (sitzungsvorlage_antrag).


class SitzungsvorlageContext(DocumentContext):
    """A council paper in the structure of the seed (SV-10-0123). Generic: any subject."""

    number: str
    date: str
    body: str  # "Stadt Dülmen"
    council: str  # "Rat der Stadt Dülmen"
    visibility: str = "öffentlich"
    department: str = ""  # "Vorbereitet durch"; empty: the tenant's agency
    draft_note: str = ""
    subject: str
    proposal: str
    restriction: str = ""  # Sperrvermerk; the paragraph appears only when set
    facts: list[str]  # I. Sachdarstellung
    alternatives: list[str]  # II. Entscheidungsalternativen
    finances: str  # III. Finanzen
    personnel: str  # III. Personal
    it: str  # III. IT
    climate: str  # III. Klima
    competence: str  # IV., see competence_sentence()
    attachments: list[str] = Field(default_factory=list)


def competence_sentence(body: BodyView) -> str:
    """Section IV of the generic Sitzungsvorlage: the council and its legal basis (from the
    body's data: § 26 (1) KrO NRW for the Kreistag, § 41 (1) GO NRW for a Rat)."""
    organ = "der Kreistag" if body.is_kreis else "der Rat"
    return f"Zuständig für die Entscheidung ist {organ} gem. {body.legal_basis}."


# template file name (in templates/) -> context model; merged in models/registry.py
TEMPLATES: dict[str, type[DocumentContext]] = {
    "projektskizze.docx": ProjektskizzeContext,
    "sitzungsvorlage.docx": SitzungsvorlageContext,
}
