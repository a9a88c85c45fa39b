"""Template contexts: one pydantic model per Word template, plus pure builders.

Every value is a finished German string (amounts as ``1.234,56 €``, dates as ``24.12.2027``).
The template only places them; it computes nothing. ``TEMPLATE_CONTEXTS`` maps each template
file to its context model; the template lint checks that every variable exists there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView, ProgrammeView
from models.deadlines import format_date_de
from models.money import compute_grant, format_eur, format_percent

AGENCY = "Digitalagentur COE"
AGENCY_FULL = "Digitalagentur COE – Kreis Coesfeld und seine Städte und Gemeinden"


class DocumentContext(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agency: str = AGENCY_FULL


class ProjektskizzeContext(DocumentContext):
    reference: str
    created_on: str
    title: str
    summary: str
    lead_body: str
    lead_council: str
    partners: list[str]
    body_count: int
    programme: str
    funder: str
    funding_rate: str
    estimated_costs: str
    expected_grant: str
    expected_own_share: str
    grant_notes: list[str]
    max_duration: str
    call_deadline: str
    coordinator_email: str
    entered_by: str


def projektskizze_context(
    *,
    reference: str,
    title: str,
    summary: str,
    lead: BodyView,
    partners: list[BodyView],
    programme: ProgrammeView,
    estimated_costs_cents: int,
    coordinator_email: str,
    entered_by: str,
    created_on: dt.date,
) -> ProjektskizzeContext:
    grant = compute_grant(
        estimated_costs_cents,
        programme.funding_rate_percent,
        cap=programme.max_grant_cents,
        minimum=programme.min_grant_cents,
    )
    notes: list[str] = []
    if grant.capped and programme.max_grant_cents is not None:
        notes.append(
            "Die Zuwendung ist auf den Förderhöchstbetrag des Programms von "
            f"{format_eur(programme.max_grant_cents)} begrenzt; der übersteigende Betrag "
            "erhöht den Eigenanteil."
        )
    if grant.below_minimum and programme.min_grant_cents is not None:
        notes.append(
            "Achtung: Die voraussichtliche Zuwendung liegt unter der Mindestzuwendung des "
            f"Programms von {format_eur(programme.min_grant_cents)}. Das Vorhaben müsste "
            "erweitert oder mit weiteren Partnern gebündelt werden."
        )
    return ProjektskizzeContext(
        reference=reference,
        created_on=format_date_de(created_on),
        title=title,
        summary=summary,
        lead_body=lead.official_name,
        lead_council=lead.council,
        partners=[p.official_name for p in partners],
        body_count=1 + len(partners),
        programme=programme.name,
        funder=programme.funder,
        funding_rate=format_percent(programme.funding_rate_percent),
        estimated_costs=format_eur(estimated_costs_cents),
        expected_grant=format_eur(grant.grant),
        expected_own_share=format_eur(grant.own_share),
        grant_notes=notes,
        max_duration=(
            f"bis zu {programme.max_duration_months} Monate"
            if programme.max_duration_months
            else "keine Vorgabe des Programms"
        ),
        call_deadline=format_date_de(programme.call_deadline) if programme.call_deadline else "",
        coordinator_email=coordinator_email,
        entered_by=entered_by,
    )


def percent_of(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else Decimal(0)


# template file name (in templates/) -> context model; merged in models/registry.py
TEMPLATES: dict[str, type[DocumentContext]] = {
    "projektskizze.docx": ProjektskizzeContext,
}
