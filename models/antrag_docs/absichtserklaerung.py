"""Absichtserklärung: the draft letter of intent a partner receives with its proposed share."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import ApplicationFacts, application_facts, share_of
from models.deadlines import format_date_de
from models.grammar import BodyForms, body_forms
from models.money import FinancingPlan, format_eur, format_percent
from models.views import ApplicationView, PartnerView

TEMPLATE = "absichtserklaerung.docx"


class AbsichtserklaerungContext(ApplicationFacts):
    summary: str
    partner: BodyForms  # the addressee
    is_lead: bool  # the addressee is the lead body itself
    share_amount: str
    share_percent: str
    response_due: str
    coordinator_email: str


def absichtserklaerung_context(
    app: ApplicationView,
    partner: PartnerView,
    plan: FinancingPlan,
    response_due: dt.date,
    today: dt.date,
) -> AbsichtserklaerungContext:
    """Draft letter of intent for *partner* with its proposed share of the own share."""
    share = share_of(plan, partner.body)
    return AbsichtserklaerungContext(
        **application_facts(app, plan, today),
        summary=app.summary,
        partner=body_forms(partner.body),
        is_lead=partner.is_lead,
        share_amount=format_eur(share.amount),
        share_percent=format_percent(share.percent),
        response_due=format_date_de(response_due),
        coordinator_email=app.coordinator_email,
    )
