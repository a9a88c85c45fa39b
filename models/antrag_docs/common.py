"""What every document of an application shares: the financing plan matched to the bodies.

Amounts come from a :class:`~models.money.FinancingPlan`; its shares are keyed by
``BodyView.name`` (e.g. ``"Dülmen"``) and are matched to the application's bodies by that
name. The contexts carry facts (formatted amounts, dates, the split key, counts, the bodies'
grammatical forms); the sentences are in the Word templates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.grammar import BodyForms, body_forms, format_int
from models.money import FinancingPlan, PartnerShare, SplitKey, format_eur, format_percent
from models.views import ApplicationView, PartnerView


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShareRow(Row):
    """One body's part of the own share (Eigenanteil)."""

    body: str  # official name, e.g. "Stadt Dülmen"
    population: str  # "47.300" (the key figure when split by population)
    agreed_percent: str  # "40 %" as agreed (split by percentages), else the computed share
    percent: str  # share of the own share, "60,94 %"
    amount: str  # "5.179,90 €"


class GrantFacts(DocumentContext):
    """The grant of an application, as every financing paragraph needs it."""

    eligible_costs: str
    funding_rate: str
    grant: str
    own_share: str
    own_share_rate: str  # own share / eligible costs, to two places: "10 %"
    own_share_rate_rounded: bool  # the rate above is rounded ("rund 9,87 %")
    capped: bool  # the grant is limited by the programme's maximum
    cap: str
    below_minimum: bool
    minimum: str
    key: str  # split key of the own share: "gleich" | "einwohner" | "prozent"
    body_count: int  # bodies sharing the own share
    population_total: str  # their population together, "81.500"


class ApplicationFacts(GrantFacts):
    """What every document of an application names: the application, its lead body, its
    programme and the grant."""

    reference: str
    date: str
    title: str
    lead: BodyForms
    programme: str
    funder: str


def plan_body(app: ApplicationView, share: PartnerShare) -> BodyView:
    bodies = {p.body.name: p.body for p in app.partners}
    bodies.setdefault(app.lead.name, app.lead)
    body = bodies.get(share.body)
    if body is None:
        raise ValueError(
            f"Der Finanzierungsplan enthält „{share.body}“, die Körperschaft ist aber nicht "
            f"am Förderantrag {app.reference} beteiligt."
        )
    return body


def share_of(plan: FinancingPlan, body: BodyView) -> PartnerShare:
    for share in plan.shares:
        if share.body == body.name:
            return share
    article = "den" if body.is_kreis else "die"
    raise ValueError(
        f"Für {article} {body.official_name} ist im Finanzierungsplan kein Eigenanteil ausgewiesen."
    )


def checked(plan: FinancingPlan) -> FinancingPlan:
    total = sum(s.amount for s in plan.shares)
    if total != plan.grant.own_share:
        raise ValueError(
            f"Die Anteile des Finanzierungsplans ({format_eur(total)}) ergeben nicht den "
            f"Eigenanteil ({format_eur(plan.grant.own_share)})."
        )
    return plan


def partner_view(app: ApplicationView, body: BodyView) -> PartnerView | None:
    for partner in app.partners:
        if partner.body.name == body.name:
            return partner
    return None


def confirmed_partners(app: ApplicationView) -> list[BodyView]:
    """The confirmed partners without the lead, in order."""
    return [p.body for p in app.confirmed if not p.is_lead]


def share_rows(app: ApplicationView, plan: FinancingPlan) -> list[ShareRow]:
    rows = []
    for share in plan.shares:
        body = plan_body(app, share)
        partner = partner_view(app, body)
        agreed = partner.share_percent if partner and partner.share_percent is not None else None
        rows.append(
            ShareRow(
                body=body.official_name,
                population=format_int(body.population),
                agreed_percent=format_percent(agreed if agreed is not None else share.percent),
                percent=format_percent(share.percent),
                amount=format_eur(share.amount),
            )
        )
    return rows


def _rate(part: int, whole: int) -> tuple[str, bool]:
    if whole == 0:
        return format_percent(Decimal(0)), False
    exact = Decimal(part) * 100 / Decimal(whole)
    shown = exact.quantize(Decimal("0.01"))
    return format_percent(shown), shown != exact


def grant_facts(app: ApplicationView, plan: FinancingPlan) -> dict[str, object]:
    """The fields of :class:`GrantFacts` for *plan* (checked: the shares add up)."""
    grant = checked(plan).grant
    rate, rounded = _rate(grant.own_share, grant.eligible_costs)
    return {
        "eligible_costs": format_eur(grant.eligible_costs),
        "funding_rate": format_percent(grant.funding_rate),
        "grant": format_eur(grant.grant),
        "own_share": format_eur(grant.own_share),
        "own_share_rate": rate,
        "own_share_rate_rounded": rounded,
        "capped": grant.capped and grant.cap is not None,
        "cap": format_eur(grant.cap) if grant.cap is not None else "",
        "below_minimum": grant.below_minimum and grant.minimum is not None,
        "minimum": format_eur(grant.minimum) if grant.minimum is not None else "",
        "key": SplitKey(plan.key).value,
        "body_count": len(plan.shares),
        "population_total": format_int(sum(plan_body(app, s).population for s in plan.shares)),
    }


TOTAL_PERCENT = format_percent(Decimal(100))


def application_facts(
    app: ApplicationView, plan: FinancingPlan, today: dt.date
) -> dict[str, object]:
    """The fields of :class:`ApplicationFacts` for *app* and *plan*, dated *today*."""
    return {
        **grant_facts(app, plan),
        "reference": app.reference,
        "date": format_date_de(today),
        "title": app.title,
        "lead": body_forms(app.lead),
        "programme": app.programme.name,
        "funder": app.programme.funder,
    }
