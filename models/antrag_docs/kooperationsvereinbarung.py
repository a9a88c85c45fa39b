"""Kooperationsvereinbarung: the agreement among the bodies of the financing plan."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import (
    TOTAL_PERCENT,
    ApplicationFacts,
    ShareRow,
    application_facts,
    plan_body,
    share_rows,
)
from models.grammar import BodyForms, body_forms
from models.money import FinancingPlan
from models.views import ApplicationView

TEMPLATE = "kooperationsvereinbarung.docx"


class PartyRow(BodyForms):
    """A contracting body of the Kooperationsvereinbarung: its forms and its role."""

    is_lead: bool


class KooperationsvereinbarungContext(ApplicationFacts):
    version: int
    summary: str
    duration_months: int | None
    parties: list[PartyRow]  # the lead first
    shares: list[ShareRow]
    total_percent: str


def kooperationsvereinbarung_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
) -> KooperationsvereinbarungContext:
    """Cooperation agreement among the bodies of the financing plan (lead first)."""
    facts = application_facts(app, plan, today)
    lead = app.lead
    bodies = [plan_body(app, s) for s in plan.shares]
    if all(b.name != lead.name for b in bodies):
        bodies.insert(0, lead)
    else:
        bodies.sort(key=lambda b: b.name != lead.name)  # stable: lead first, order kept
    return KooperationsvereinbarungContext(
        **facts,
        version=version,
        summary=app.summary,
        duration_months=app.programme.max_duration_months,
        parties=[
            PartyRow(**body_forms(b).model_dump(), is_lead=b.name == lead.name) for b in bodies
        ],
        shares=share_rows(app, plan),
        total_percent=TOTAL_PERCENT,
    )
