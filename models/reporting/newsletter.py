"""The newsletter "<Agentur> aktuell": what an edition reports, as a pure function.

An edition covers the time since the last released edition: applications submitted and
granted in that time, the deadlines of the next six weeks, the state of the strategy revision
and the coordinator's editorial. Its wording is in ``templates/mail/newsletter.*.j2``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from models.deadline_types import DeadlineKind
from models.deadlines import format_date_de
from models.read_models import read_model
from models.reporting.formatting import eur
from models.reporting.period import ReportPeriod
from models.reporting.records import ApplicationRecord, ReportData
from models.strategy import GRANTED_STAGES, CycleStatus

HORIZON_DAYS = 42  # deadlines of the next six weeks


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True)


class NewsApplication(_Item):
    reference: str
    title: str
    lead: str
    programme: str
    amount: str
    date: str


class NewsDeadline(_Item):
    due: str
    title: str
    kind: str


class NewsRadarCall(_Item):
    """A new or changed call of the Förder-Radar (once that feature exists)."""

    title: str
    programme: str
    deadline: str


class StrategyState(_Item):
    year: int
    status: str  # CycleStatus value
    reported: int
    adopted: int
    bodies: int


class NewsletterContext(_Item):
    number: int
    edition_date: str
    period: str
    editorial: str
    submitted: list[NewsApplication]
    granted: list[NewsApplication]
    granted_total: str
    deadlines: list[NewsDeadline]
    horizon_weeks: int
    strategy_year: str  # "" without a revision
    strategy_status: str
    strategy_reported: str
    strategy_adopted: str
    body_count: str
    radar: list[NewsRadarCall] = Field(default_factory=list)


def _kind(value: str) -> str:
    try:
        return DeadlineKind(value).label
    except ValueError:
        return value


def _news(a: ApplicationRecord, cents: int | None, day: dt.date | None) -> NewsApplication:
    """An application as the newsletter lists it: with the amount and date of its news."""
    return read_model(
        NewsApplication, a, amount=eur(cents or 0), date=format_date_de(day) if day else ""
    )


def newsletter_context(
    data: ReportData,
    *,
    number: int,
    edition_date: dt.date,
    period: ReportPeriod,
    editorial: str,
    strategy: StrategyState | None,
) -> NewsletterContext:
    submitted = sorted(
        (a for a in data.applications if a.submitted_on and period.contains(a.submitted_on)),
        key=lambda a: (a.submitted_on or edition_date, a.reference),
    )
    granted = sorted(
        (
            a
            for a in data.applications
            if a.stage in GRANTED_STAGES and a.notice_date and period.contains(a.notice_date)
        ),
        key=lambda a: (a.notice_date or edition_date, a.reference),
    )
    horizon = edition_date + dt.timedelta(days=HORIZON_DAYS)
    deadlines = sorted(
        (d for d in data.deadlines if edition_date <= d.due <= horizon),
        key=lambda d: (d.due, d.title),
    )
    return NewsletterContext(
        number=number,
        edition_date=format_date_de(edition_date),
        period=period.label,
        editorial=editorial,
        submitted=[_news(a, a.requested_cents, a.submitted_on) for a in submitted],
        granted=[_news(a, a.granted_cents, a.notice_date) for a in granted],
        granted_total=eur(sum(a.granted_cents or 0 for a in granted)),
        deadlines=[
            NewsDeadline(due=format_date_de(d.due), title=d.title, kind=_kind(d.kind))
            for d in deadlines
        ],
        horizon_weeks=HORIZON_DAYS // 7,
        strategy_year=str(strategy.year) if strategy else "",
        strategy_status=CycleStatus(strategy.status).label if strategy else "",
        strategy_reported=str(strategy.reported) if strategy else "0",
        strategy_adopted=str(strategy.adopted) if strategy else "0",
        body_count=str(strategy.bodies if strategy else len(data.bodies)),
    )
