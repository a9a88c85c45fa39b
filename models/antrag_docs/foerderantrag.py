"""Förderantrag: the draft of the funding application, versioned (v1, v2, …)."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import (
    TOTAL_PERCENT,
    ApplicationFacts,
    ShareRow,
    application_facts,
    confirmed_partners,
    share_rows,
)
from models.money import FinancingPlan
from models.views import ApplicationView

TEMPLATE = "foerderantrag.docx"


class FoerderantragContext(ApplicationFacts):
    version: int
    previous_version: int
    summary: str
    lead_email: str
    partners: list[str]  # confirmed partners besides the lead, official names
    duration_months: int | None  # the programme's maximum duration
    shares: list[ShareRow]
    total_percent: str
    coordinator_email: str
    notes: str
    changes: list[str]


def change_lines(change_note: str) -> list[str]:
    """One comment per line; list markers typed by the coordinator are dropped."""
    lines: list[str] = []
    for raw in change_note.splitlines():
        line = raw.strip()
        for marker in ("- ", "* ", "• ", "– "):
            if line.startswith(marker):
                line = line[len(marker) :].strip()
                break
        if line:
            lines.append(line)
    return lines


def foerderantrag_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
    notes: str = "",
    change_note: str = "",
) -> FoerderantragContext:
    """Draft of the funding application, version *version* (``change_note`` from the review)."""
    return FoerderantragContext(
        **application_facts(app, plan, today),
        version=version,
        previous_version=max(version - 1, 1),
        summary=app.summary,
        lead_email=app.lead.email,
        partners=[b.official_name for b in confirmed_partners(app)],
        duration_months=app.programme.max_duration_months,
        shares=share_rows(app, plan),
        total_percent=TOTAL_PERCENT,
        coordinator_email=app.coordinator_email,
        notes=notes.strip(),
        changes=change_lines(change_note),
    )
