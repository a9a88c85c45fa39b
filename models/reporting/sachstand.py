"""The Sachstandsbericht (a Mitteilungsvorlage "zur Kenntnis"): its facts and its context.

:func:`sachstand_facts` computes every figure; :func:`sachstand_context` turns them into the
finished German strings of ``templates/sachstandsbericht.docx``. The wording is in the
template; here are only amounts, dates, names, counts and lists.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from models.application import Stage
from models.deadline_types import DeadlineKind
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.reporting.aggregate import (
    OUTLOOK_DAYS,
    REPORTED_STATUSES,
    DeadlineOutlook,
    FieldRow,
    FundingRow,
    FundingTotals,
    StageCount,
    changes_in_period,
    deadline_outlook,
    funding_by_body,
    funding_by_programme,
    funding_by_year,
    funding_totals,
    new_projects,
    project_matrix,
    stage_counts,
    status_totals,
    total_row,
)
from models.reporting.formatting import eur, format_count
from models.reporting.period import ReportPeriod
from models.reporting.records import DeadlineRecord, ProjectRecord, ReportData, StageChange

TEMPLATE = "sachstandsbericht.docx"


class SachstandFacts(BaseModel):
    """The figures of one report (exact cents and counts)."""

    model_config = ConfigDict(frozen=True)

    stichtag: dt.date
    period: ReportPeriod
    last_report: dt.date | None
    bodies: list[str]
    totals: FundingTotals
    by_body: list[FundingRow]
    by_programme: list[FundingRow]
    by_year: list[FundingRow]
    stages: list[StageCount]
    changes: list[StageChange]
    fields: list[FieldRow]
    status_totals: list[int]
    projects_total: int
    new_projects: list[ProjectRecord]
    outlook: DeadlineOutlook


def sachstand_facts(
    data: ReportData, stichtag: dt.date, period: ReportPeriod, last_report: dt.date | None
) -> SachstandFacts:
    bodies = [b.name for b in data.bodies]
    return SachstandFacts(
        stichtag=stichtag,
        period=period,
        last_report=last_report,
        bodies=bodies,
        totals=funding_totals(data.applications),
        by_body=funding_by_body(data.applications, bodies),
        by_programme=funding_by_programme(data.applications),
        by_year=funding_by_year(data.applications),
        stages=stage_counts(data.applications, data.changes, period),
        changes=changes_in_period(data.changes, period),
        fields=project_matrix(data.projects),
        status_totals=status_totals(data.projects),
        projects_total=len(data.projects),
        new_projects=new_projects(data.projects, period),
        outlook=deadline_outlook(data.deadlines, stichtag),
    )


# --- Context of the Word template -----------------------------------------------------------


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True)


class MoneyLine(_Line):
    label: str
    applications: str
    requested: str
    granted: str
    own_share: str


class KeyFigure(_Line):
    label: str
    count: str
    amount: str


class StageLine(_Line):
    stage: str
    count: str
    new: str


class ChangeLine(_Line):
    date: str
    reference: str
    title: str
    change: str


class FieldLine(_Line):
    field: str
    counts: list[str]
    total: str


class ProjectLine(_Line):
    code: str
    title: str
    field: str
    lead: str


class DeadlineLine(_Line):
    due: str
    title: str
    kind: str
    owner: str


class ChartSlot(_Line):
    """Where a chart goes: the renderer puts the picture into ``image``."""

    key: str
    title: str
    alt: str
    image: str = ""


class RadarLine(_Line):
    """A call of the Förder-Radar (filled once that feature exists; empty lists leave the
    section out of the document)."""

    call: str
    programme: str
    deadline: str
    applications: str


class SachstandContext(DocumentContext):
    stichtag: str
    period: str
    committee: str
    committee_body: str
    last_report: str  # "" for the first report
    body_count: str
    key_figures: list[KeyFigure]
    own_share_total: str
    by_body: list[MoneyLine]
    by_body_total: MoneyLine
    by_programme: list[MoneyLine]
    by_programme_total: MoneyLine
    by_year: list[MoneyLine]
    by_year_total: MoneyLine
    stages: list[StageLine]
    stages_total: str
    changes: list[ChangeLine]
    status_labels: list[str]
    fields: list[FieldLine]
    fields_total: FieldLine
    new_projects: list[ProjectLine]
    upcoming: list[DeadlineLine]
    overdue: list[DeadlineLine]
    outlook_days: str
    chart_funding: ChartSlot
    chart_stages: ChartSlot
    chart_fields: ChartSlot
    chart_deadlines: ChartSlot
    radar: list[RadarLine] = Field(default_factory=list)
    anlagen: list[str]


def _money(row: FundingRow) -> MoneyLine:
    return MoneyLine(
        label=row.label,
        applications=format_count(row.applications),
        requested=eur(row.requested_cents),
        granted=eur(row.granted_cents),
        own_share=eur(row.own_share_cents),
    )


def _stage_label(value: str | None) -> str:
    if value is None:
        return "–"
    try:
        return Stage(value).label
    except ValueError:
        return value


def _kind_label(value: str) -> str:
    try:
        return DeadlineKind(value).label
    except ValueError:
        return value


def _deadline(d: DeadlineRecord) -> DeadlineLine:
    return DeadlineLine(
        due=format_date_de(d.due), title=d.title, kind=_kind_label(d.kind), owner=d.owner or "–"
    )


CHART_TITLES = {
    "funding": "Fördermittel je Körperschaft: Zuwendung und Eigenanteil",
    "stages": "Förderanträge nach Stufe",
    "fields": "Projekte nach Handlungsfeld und Stand",
    "deadlines": f"Fristen der nächsten {OUTLOOK_DAYS} Tage",
}


def chart_alts(facts: SachstandFacts) -> dict[str, str]:
    """Alt texts of the four charts: what a reader who cannot see the picture needs."""
    t = facts.totals
    busiest = max(facts.stages, key=lambda s: s.count)
    largest = max(facts.fields, key=lambda f: f.total, default=None)
    upcoming = facts.outlook.upcoming
    return {
        "funding": (
            f"Gestapeltes Balkendiagramm je Körperschaft. Bewilligte Zuwendungen insgesamt "
            f"{eur(t.granted_cents)}, Eigenanteile insgesamt {eur(t.own_share_cents)}. Die "
            "genauen Beträge stehen in der Tabelle „Fördermittel je Körperschaft“."
        ),
        "stages": (
            f"Balkendiagramm der Förderanträge nach Stufe, insgesamt "
            f"{format_count(sum(s.count for s in facts.stages))} Anträge"
            + (
                f"; die meisten in der Stufe „{busiest.stage.label}“ ({busiest.count})."
                if busiest.count
                else "."
            )
        ),
        "fields": (
            f"Gestapeltes Balkendiagramm der {format_count(facts.projects_total)} Projekte nach "
            "Handlungsfeld und Stand"
            + (
                f"; die meisten im Handlungsfeld „{largest.field}“ ({largest.total})."
                if largest
                else "."
            )
        ),
        "deadlines": (
            f"Zeitleiste der {format_count(len(upcoming))} Fristen der nächsten {OUTLOOK_DAYS} Tage"
            + (
                f", die erste am {format_date_de(upcoming[0].due)} ({upcoming[0].title})."
                if upcoming
                else "."
            )
        ),
    }


def sachstand_context(
    facts: SachstandFacts, *, committee: str, committee_body: str
) -> SachstandContext:
    t = facts.totals
    alts = chart_alts(facts)
    slots = {
        key: ChartSlot(key=key, title=title, alt=alts[key]) for key, title in CHART_TITLES.items()
    }
    stage_total = sum(s.count for s in facts.stages)
    return SachstandContext(
        stichtag=format_date_de(facts.stichtag),
        period=facts.period.label,
        committee=committee,
        committee_body=committee_body,
        last_report=format_date_de(facts.last_report) if facts.last_report else "",
        body_count=format_count(len(facts.bodies)),
        key_figures=[
            KeyFigure(
                label="Beantragt (eingereicht)",
                count=format_count(t.applied_count),
                amount=eur(t.applied_cents),
            ),
            KeyFigure(
                label="Bewilligt", count=format_count(t.granted_count), amount=eur(t.granted_cents)
            ),
            KeyFigure(
                label="Abgelehnt",
                count=format_count(t.rejected_count),
                amount=eur(t.rejected_cents),
            ),
            KeyFigure(
                label="Offen (Bescheid steht aus)",
                count=format_count(t.open_count),
                amount=eur(t.open_cents),
            ),
            KeyFigure(label="In Vorbereitung", count=format_count(t.preparation_count), amount="–"),
        ],
        own_share_total=eur(t.own_share_cents),
        by_body=[_money(r) for r in facts.by_body],
        by_body_total=_money(total_row(facts.by_body)),
        by_programme=[_money(r) for r in facts.by_programme],
        by_programme_total=_money(total_row(facts.by_programme)),
        by_year=[_money(r) for r in facts.by_year],
        by_year_total=_money(total_row(facts.by_year)),
        stages=[
            StageLine(
                stage=s.stage.label, count=format_count(s.count), new=format_count(s.new_in_period)
            )
            for s in facts.stages
        ],
        stages_total=format_count(stage_total),
        changes=[
            ChangeLine(
                date=format_date_de(c.on),
                reference=c.reference,
                title=c.title,
                change=f"{_stage_label(c.from_stage)} → {_stage_label(c.to_stage)}",
            )
            for c in facts.changes
        ],
        status_labels=[s.label for s in REPORTED_STATUSES],
        fields=[
            FieldLine(
                field=f.field,
                counts=[format_count(n) for n in f.counts],
                total=format_count(f.total),
            )
            for f in facts.fields
        ],
        fields_total=FieldLine(
            field="Summe",
            counts=[format_count(n) for n in facts.status_totals],
            total=format_count(facts.projects_total),
        ),
        new_projects=[
            ProjectLine(code=p.code, title=p.title, field=p.field, lead=p.lead)
            for p in facts.new_projects
        ],
        upcoming=[_deadline(d) for d in facts.outlook.upcoming],
        overdue=[_deadline(d) for d in facts.outlook.overdue],
        outlook_days=str(OUTLOOK_DAYS),
        chart_funding=slots["funding"],
        chart_stages=slots["stages"],
        chart_fields=slots["fields"],
        chart_deadlines=slots["deadlines"],
        anlagen=[CHART_TITLES[k] for k in CHART_TITLES],
    )


TEMPLATES: dict[str, type[DocumentContext]] = {TEMPLATE: SachstandContext}
