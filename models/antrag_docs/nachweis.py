"""Zwischen- und Verwendungsnachweis: drafts with the Sachbericht skeleton and the
zahlenmäßiger Nachweis ("laut Bescheid" filled in, "laut Abrechnung" left to the coordinator)."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import ShareRow, checked, share_rows
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.grammar import BodyForms, body_forms
from models.money import FinancingPlan, format_eur
from models.views import ApplicationView

TEMPLATE = "nachweis.docx"
NACHWEIS_KINDS = ("zwischennachweis", "verwendungsnachweis")


class NachweisContext(DocumentContext):
    final: bool  # Verwendungsnachweis (else Zwischennachweis)
    year: int | None  # the Zwischennachweis's year
    reference: str
    date: str
    title: str
    recipient: BodyForms  # the lead body, Zuwendungsempfänger
    programme: str
    funder: str
    funder_reference: str  # "" while not recorded
    notice_date: str  # "" while not recorded
    period_start: str  # Bewilligungszeitraum; "" while not recorded
    period_end: str
    reporting_start: str  # Berichtszeitraum; "" while not recorded
    reporting_end: str
    granted: str  # the granted amount, or the requested grant while none is recorded
    granted_recorded: bool
    shares: list[ShareRow]  # the own shares laut Bescheid
    income_total: str
    eligible_costs: str
    income_matches_costs: bool


def _reporting_period(app: ApplicationView, final: bool, year: int | None) -> tuple[str, str]:
    start, end = app.period_start, app.period_end
    if not final and year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        start = max(start, first) if start else first
        end = min(end, last) if end else last
    if start is None or end is None:
        return "", ""
    return format_date_de(start), format_date_de(end)


def nachweis_context(
    app: ApplicationView,
    kind: str,
    year: int | None,
    plan: FinancingPlan,
    today: dt.date,
) -> NachweisContext:
    """Zwischennachweis (for *year*) or Verwendungsnachweis draft.

    ``laut Bescheid`` comes from the notice (granted amount) and the plan (own shares,
    eligible costs); the ``laut Abrechnung`` column is left empty for the coordinator.
    """
    if kind not in NACHWEIS_KINDS:
        raise ValueError(
            f"Unbekannte Nachweisart „{kind}“ (erlaubt: Zwischennachweis, Verwendungsnachweis)."
        )
    if kind == "zwischennachweis" and year is None:
        raise ValueError("Für einen Zwischennachweis muss das Berichtsjahr angegeben werden.")
    grant = checked(plan).grant
    final = kind == "verwendungsnachweis"
    granted = app.granted_cents if app.granted_cents is not None else grant.grant
    income_total = grant.own_share + granted
    recorded = app.period_start is not None and app.period_end is not None
    reporting_start, reporting_end = _reporting_period(app, final, year)
    return NachweisContext(
        final=final,
        year=None if final else year,
        reference=app.reference,
        date=format_date_de(today),
        title=app.title,
        recipient=body_forms(app.lead),
        programme=app.programme.name,
        funder=app.programme.funder,
        funder_reference=app.funder_reference or "",
        notice_date=format_date_de(app.notice_date) if app.notice_date else "",
        period_start=format_date_de(app.period_start) if recorded and app.period_start else "",
        period_end=format_date_de(app.period_end) if recorded and app.period_end else "",
        reporting_start=reporting_start,
        reporting_end=reporting_end,
        granted=format_eur(granted),
        granted_recorded=app.granted_cents is not None,
        shares=share_rows(app, plan),
        income_total=format_eur(income_total),
        eligible_costs=format_eur(grant.eligible_costs),
        income_matches_costs=income_total == grant.eligible_costs,
    )
