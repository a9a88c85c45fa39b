"""Sitzungsvorlage of an application: one per participating council, in the seed's structure
(Beschlussvorschlag, I. Sachdarstellung … IV. Zuständigkeit)."""

from __future__ import annotations

import datetime as dt

from models.antrag_docs.common import (
    ApplicationFacts,
    application_facts,
    confirmed_partners,
    share_of,
)
from models.bodies import BodyView
from models.deadlines import format_date_de
from models.grammar import BodyForms, body_forms
from models.money import FinancingPlan, format_eur, format_percent
from models.views import ApplicationView

TEMPLATE = "sitzungsvorlage_antrag.docx"


class SitzungsvorlageAntragContext(ApplicationFacts):
    """A council paper asking *body*'s council to approve participation and its own share."""

    number: str
    version: int
    summary: str
    body: BodyForms  # the council's body
    is_lead: bool  # the council's body leads the application
    partners: list[BodyForms]  # confirmed partners besides the lead
    declined: list[BodyForms]  # candidates that declined
    duration_months: int | None
    call_deadline: str  # the call's deadline, "" when none or already past
    share_amount: str
    share_percent: str
    municipality_count: int | None = None  # the Kreis's Städte und Gemeinden, when known
    restriction: str = ""  # Sperrvermerk; the paragraph appears only when set


def sitzungsvorlage_antrag_context(
    app: ApplicationView,
    plan: FinancingPlan,
    body: BodyView,
    number: str,
    version: int,
    today: dt.date,
    *,
    municipality_count: int | None = None,
) -> SitzungsvorlageAntragContext:
    """Council paper for *body*; ``municipality_count`` is the number of the Kreis's
    municipalities (from the bodies' data), named in the Sachdarstellung when given."""
    share = share_of(plan, body)
    deadline = app.programme.call_deadline
    return SitzungsvorlageAntragContext(
        **application_facts(app, plan, today),
        number=number,
        version=version,
        summary=app.summary,
        body=body_forms(body),
        is_lead=body.name == app.lead.name,
        partners=[body_forms(b) for b in confirmed_partners(app)],
        declined=[
            body_forms(p.body) for p in app.partners if not p.is_lead and p.decision == "abgesagt"
        ],
        duration_months=app.programme.max_duration_months,
        call_deadline=format_date_de(deadline) if deadline and deadline >= today else "",
        share_amount=format_eur(share.amount),
        share_percent=format_percent(share.percent),
        municipality_count=municipality_count,
    )
