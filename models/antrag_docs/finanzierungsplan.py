"""Kosten- und Finanzierungsplan: the grant and each body's part of the own share."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import TOTAL_PERCENT, GrantFacts, ShareRow, grant_facts, share_rows
from models.deadlines import format_date_de
from models.grammar import BodyForms, body_forms
from models.money import FinancingPlan
from models.views import ApplicationView

TEMPLATE = "finanzierungsplan.docx"


class FinanzierungsplanContext(GrantFacts):
    reference: str
    date: str
    version: int
    title: str
    lead: BodyForms
    programme: str
    funder: str
    shares: list[ShareRow]
    total_percent: str
    note: str


def finanzierungsplan_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
    note: str = "",
) -> FinanzierungsplanContext:
    """Kosten- und Finanzierungsplan: grant summary and each body's share of the own share."""
    return FinanzierungsplanContext(
        **grant_facts(app, plan),
        reference=app.reference,
        date=format_date_de(today),
        version=version,
        title=app.title,
        lead=body_forms(app.lead),
        programme=app.programme.name,
        funder=app.programme.funder,
        shares=share_rows(app, plan),
        total_percent=TOTAL_PERCENT,
        note=note.strip(),
    )
