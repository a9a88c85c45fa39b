"""Read models handed between tasks and into document builders (never ORM objects)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.application import Stage
from models.bodies import BodyView, ProgrammeView


class PartnerView(BaseModel):
    """A participating body; the lead is included with ``is_lead=True`` at position 0."""

    model_config = ConfigDict(frozen=True)

    body: BodyView
    is_lead: bool
    position: int
    decision: str  # offen | zugesagt | abgesagt (the lead is always zugesagt)
    proposed_share_cents: int | None = None
    share_percent: Decimal | None = None
    final_share_cents: int | None = None
    council_paper_number: str | None = None


class ApplicationView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    year: int
    stage: Stage
    title: str
    summary: str
    lead: BodyView
    partners: list[PartnerView]  # lead first, then partners in the order entered
    programme: ProgrammeView
    estimated_costs_cents: int
    coordinator_email: str
    created_by: str
    created_on: dt.date
    funding_rate_percent: Decimal | None = None
    eligible_costs_cents: int | None = None
    split_key: str | None = None
    requested_grant_cents: int | None = None
    draft_version: int = 0
    submitted_on: dt.date | None = None
    funder_reference: str | None = None
    outcome: str | None = None
    granted_cents: int | None = None
    notice_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    closing_note: str | None = None

    @property
    def confirmed(self) -> list[PartnerView]:
        """Lead plus every partner that confirmed (zugesagt), in order."""
        return [p for p in self.partners if p.is_lead or p.decision == "zugesagt"]

    @property
    def candidates(self) -> list[PartnerView]:
        return [p for p in self.partners if not p.is_lead]
