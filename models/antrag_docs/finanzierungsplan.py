"""Kosten- und Finanzierungsplan: the grant and each body's part of the own share."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import (
    TOTAL_PERCENT,
    ApplicationFacts,
    ShareRow,
    application_facts,
    share_rows,
)
from models.money import FinancingPlan
from models.views import ApplicationView

TEMPLATE = "finanzierungsplan.docx"


class FinanzierungsplanContext(ApplicationFacts):
    version: int
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
        **application_facts(app, plan, today),
        version=version,
        shares=share_rows(app, plan),
        total_percent=TOTAL_PERCENT,
        note=note.strip(),
    )
