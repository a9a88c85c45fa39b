"""Aggregations of the Sachstandsbericht: exact cent sums, counts and the deadline outlook.

Every figure is computed from the same numbers the application documents use: the grant
requested and granted (``requested_grant_cents``, ``granted_cents``) and each body's own
share from the Finanzierungsplan (``final_share_cents``). Grants are attributed to the lead
body (Federführung) and own shares to the body that carries them, so the rows of every table
add up exactly to its total – no joint application is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from models.application import Stage
from models.reporting.period import ReportPeriod
from models.reporting.records import (
    ApplicationRecord,
    DeadlineRecord,
    ProjectRecord,
    StageChange,
)
from models.strategy import GRANTED_STAGES, SUBMITTED_STAGES, Handlungsfeld, ProjectStatus

OPEN_DECISION = frozenset({Stage.EINGEREICHT.value})
REJECTED = frozenset({Stage.ABGELEHNT.value})
PREPARATION = frozenset(
    {Stage.IDEE.value, Stage.PARTNERPRUEFUNG.value, Stage.ENTWURF.value, Stage.FREIGEGEBEN.value}
)
OUTLOOK_DAYS = 90


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- Funding -------------------------------------------------------------------------------


def requested(app: ApplicationRecord) -> int:
    return app.requested_cents or 0


def granted(app: ApplicationRecord) -> int:
    return (app.granted_cents or 0) if app.stage in GRANTED_STAGES else 0


def own_shares(app: ApplicationRecord) -> dict[str, int]:
    """Each body's own share of a granted application, as its Finanzierungsplan states it.

    Empty for an application that is not granted. Without a recorded plan the lead carries
    the whole own share (eligible costs minus grant)."""
    if app.stage not in GRANTED_STAGES:
        return {}
    shares = {
        s.body: s.share_cents
        for s in app.shares
        if s.share_cents is not None and (s.is_lead or s.decision == "zugesagt")
    }
    if shares:
        return shares
    if app.eligible_costs_cents is not None:
        return {app.lead: app.eligible_costs_cents - granted(app)}
    return {}


class FundingTotals(_Row):
    """Applied for, granted, rejected and open, over all applications."""

    applied_count: int
    applied_cents: int  # requested grant of every submitted application
    granted_count: int
    granted_cents: int
    own_share_cents: int  # own shares of the granted applications
    rejected_count: int
    rejected_cents: int  # requested grant of the rejected applications
    open_count: int
    open_cents: int  # requested grant awaiting the notice
    preparation_count: int
    withdrawn_count: int


def funding_totals(apps: Sequence[ApplicationRecord]) -> FundingTotals:
    submitted = [a for a in apps if a.stage in SUBMITTED_STAGES]
    approved = [a for a in apps if a.stage in GRANTED_STAGES]
    rejected = [a for a in apps if a.stage in REJECTED]
    pending = [a for a in apps if a.stage in OPEN_DECISION]
    return FundingTotals(
        applied_count=len(submitted),
        applied_cents=sum(requested(a) for a in submitted),
        granted_count=len(approved),
        granted_cents=sum(granted(a) for a in approved),
        own_share_cents=sum(sum(own_shares(a).values()) for a in approved),
        rejected_count=len(rejected),
        rejected_cents=sum(requested(a) for a in rejected),
        open_count=len(pending),
        open_cents=sum(requested(a) for a in pending),
        preparation_count=sum(1 for a in apps if a.stage in PREPARATION),
        withdrawn_count=sum(1 for a in apps if a.stage == Stage.ZURUECKGEZOGEN.value),
    )


class FundingRow(_Row):
    """One line of a funding table (a body, a programme or a year)."""

    label: str
    applications: int  # submitted applications in this line
    requested_cents: int
    granted_cents: int
    own_share_cents: int


def _sum_row(label: str, rows: Iterable[FundingRow]) -> FundingRow:
    items = list(rows)
    return FundingRow(
        label=label,
        applications=sum(r.applications for r in items),
        requested_cents=sum(r.requested_cents for r in items),
        granted_cents=sum(r.granted_cents for r in items),
        own_share_cents=sum(r.own_share_cents for r in items),
    )


def total_row(rows: Sequence[FundingRow], label: str = "Summe") -> FundingRow:
    return _sum_row(label, rows)


def funding_by_body(apps: Sequence[ApplicationRecord], bodies: Sequence[str]) -> list[FundingRow]:
    """Per body, in the given order: the applications it leads (count, requested, granted)
    and its own shares in granted applications (also as a partner)."""
    submitted = [a for a in apps if a.stage in SUBMITTED_STAGES]
    shares: Counter[str] = Counter()
    for app in submitted:
        shares.update(own_shares(app))
    rows = []
    for body in bodies:
        led = [a for a in submitted if a.lead == body]
        rows.append(
            FundingRow(
                label=body,
                applications=len(led),
                requested_cents=sum(requested(a) for a in led),
                granted_cents=sum(granted(a) for a in led),
                own_share_cents=shares.get(body, 0),
            )
        )
    unknown = sorted({a.lead for a in submitted} - set(bodies))
    if unknown:  # a lead that is no longer in the data: still counted, after the others
        rows.extend(funding_by_body([a for a in submitted if a.lead in unknown], unknown))
    return rows


def _grouped(apps: Sequence[ApplicationRecord], key: str) -> list[FundingRow]:
    submitted = [a for a in apps if a.stage in SUBMITTED_STAGES]
    groups: dict[str, list[ApplicationRecord]] = {}
    for app in submitted:
        groups.setdefault(str(getattr(app, key)), []).append(app)
    return [
        FundingRow(
            label=label,
            applications=len(items),
            requested_cents=sum(requested(a) for a in items),
            granted_cents=sum(granted(a) for a in items),
            own_share_cents=sum(sum(own_shares(a).values()) for a in items),
        )
        for label, items in sorted(groups.items())
    ]


def funding_by_programme(apps: Sequence[ApplicationRecord]) -> list[FundingRow]:
    return _grouped(apps, "programme")


def funding_by_year(apps: Sequence[ApplicationRecord]) -> list[FundingRow]:
    return _grouped(apps, "year")


# --- Stages and changes ----------------------------------------------------------------------


class StageCount(_Row):
    stage: Stage
    count: int
    new_in_period: int  # reached this stage within the period


def stage_counts(
    apps: Sequence[ApplicationRecord], changes: Sequence[StageChange], period: ReportPeriod
) -> list[StageCount]:
    """Every stage in process order with its number of applications and how many reached it
    within the period (a new idea counts as reaching ``idee``)."""
    now = Counter(a.stage for a in apps)
    reached = Counter(c.to_stage for c in changes_in_period(changes, period))
    reached[Stage.IDEE.value] += sum(1 for a in apps if period.contains(a.created_on))
    return [StageCount(stage=s, count=now[s.value], new_in_period=reached[s.value]) for s in Stage]


def changes_in_period(changes: Sequence[StageChange], period: ReportPeriod) -> list[StageChange]:
    """Stage changes within the period, oldest first (the drafts' own re-versions excluded)."""
    return sorted(
        (c for c in changes if period.contains(c.on) and c.from_stage != c.to_stage),
        key=lambda c: (c.on, c.reference),
    )


# --- Projects --------------------------------------------------------------------------------

REPORTED_STATUSES: tuple[ProjectStatus, ...] = tuple(ProjectStatus)


def field_order(projects: Sequence[ProjectRecord]) -> list[str]:
    """The Handlungsfelder in the strategy's order; unknown fields follow alphabetically."""
    present = {p.field for p in projects}
    known = [f.value for f in Handlungsfeld if f.value in present]
    return known + sorted(present - set(known))


class FieldRow(_Row):
    field: str
    counts: list[int]  # in the order of REPORTED_STATUSES
    total: int


def project_matrix(projects: Sequence[ProjectRecord]) -> list[FieldRow]:
    """Handlungsfeld × status, one row per field that has projects."""
    rows = []
    for field in field_order(projects):
        mine = Counter(p.status for p in projects if p.field == field)
        counts = [mine[s.value] for s in REPORTED_STATUSES]
        rows.append(FieldRow(field=field, counts=counts, total=sum(mine.values())))
    return rows


def status_totals(projects: Sequence[ProjectRecord]) -> list[int]:
    counts = Counter(p.status for p in projects)
    return [counts[s.value] for s in REPORTED_STATUSES]


def new_projects(projects: Sequence[ProjectRecord], period: ReportPeriod) -> list[ProjectRecord]:
    """Projects proposed in a status report (not from the original list) within the period."""
    proposed = [p for p in projects if p.source == "vorschlag" and p.created_on is not None]
    return sorted(
        (p for p in proposed if p.created_on is not None and period.contains(p.created_on)),
        key=lambda p: p.code,
    )


# --- Deadlines -------------------------------------------------------------------------------


class DeadlineOutlook(_Row):
    upcoming: list[DeadlineRecord]  # due within the next ``days`` days, soonest first
    overdue: list[DeadlineRecord]  # due before the Stichtag and still open, oldest first


def deadline_outlook(
    deadlines: Sequence[DeadlineRecord], stichtag: dt.date, days: int = OUTLOOK_DAYS
) -> DeadlineOutlook:
    """``deadlines`` are the open ones; sorted by due date, then title."""
    horizon = stichtag + dt.timedelta(days=days)
    ordered = sorted(deadlines, key=lambda d: (d.due, d.title))
    return DeadlineOutlook(
        upcoming=[d for d in ordered if stichtag <= d.due <= horizon],
        overdue=[d for d in ordered if d.due < stichtag],
    )
