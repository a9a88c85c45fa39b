"""The draft "Fortschreibung der Digitalisierungsstrategie <year>": the consolidated list."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models.grammar import join_de
from models.money import format_eur
from models.strategy import Handlungsfeld, ProjectStatus, status_counts
from models.strategy_docs.common import (
    Count,
    CycleDocumentContext,
    CycleFacts,
    count,
    cycle_document_fields,
    missing_bodies,
)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectRow(_Row):
    code: str
    title: str
    lead: str  # short name of the lead body
    participants: str  # short names, "" without further participants
    all_others: bool  # every other body takes part
    previous: str  # last year's status label, "" for a new project
    current: str
    proposer: str  # genitive of the proposing body for a new project, else ""
    note: str  # the deciding report's note as a sentence
    conflicts: str  # differing reports: "Stadt Billerbeck: in Umsetzung; …"
    unreported: bool  # nobody reported: last year's status carried over


class FieldSection(_Row):
    heading: str  # "HF2 Verwaltung & Bürgerservice"
    name: str  # "Verwaltung & Bürgerservice"
    projects: Count
    running: Count  # projects in Umsetzung
    rows: list[ProjectRow]


class CountRow(_Row):
    status: str
    count: str


class Codes(_Row):
    count: Count
    codes: str  # "HF2-03, HF5-02 und HF6-02"


class FundingTableRow(_Row):
    body: str
    applications: str
    requested: str
    granted: str


class FundingApplicationRow(_Row):
    reference: str
    title: str
    project: str
    lead: str
    requested: str
    granted: str  # "–" while not granted


class EntwurfContext(CycleDocumentContext):
    previous_year: int
    missing: list[str]  # official names of the bodies without a report
    counts: list[CountRow]  # the status table, in the order of ProjectStatus
    counts_total: str
    fields: list[FieldSection]
    closed_done: Codes  # completed in earlier years, no longer listed
    closed_dropped: Codes  # dropped in earlier years, no longer listed
    funding_rows: list[FundingTableRow]
    funding_applications: list[FundingApplicationRow]


def _short(facts: CycleFacts, name: str) -> str:
    body = facts.by_name.get(name)
    return body.name if body else name


def _field_sections(facts: CycleFacts) -> list[FieldSection]:
    sections: list[FieldSection] = []
    others = len(facts.bodies) - 1
    for field in Handlungsfeld:
        rows = [r for r in facts.listed if r.project.field is field]
        if not rows:
            continue
        items = []
        for r in rows:
            ref = facts.project_ref(r)
            participants = r.project.participants
            items.append(
                ProjectRow(
                    code=ref.code,
                    title=ref.title,
                    lead=_short(facts, r.project.lead),
                    participants=", ".join(_short(facts, n) for n in participants),
                    all_others=len(participants) >= others and len(facts.bodies) > 2,
                    previous=ref.previous,
                    current=ref.current,
                    proposer=ref.proposer if r.is_new else "",
                    note=ref.note,
                    conflicts="; ".join(c.strip().rstrip(".") for c in r.conflicts),
                    unreported=not r.reported_by and not r.is_new,
                )
            )
        running = sum(1 for r in rows if r.current is ProjectStatus.IN_UMSETZUNG)
        sections.append(
            FieldSection(
                heading=f"{field.prefix} {field.value}",
                name=field.value,
                projects=count(len(rows)),
                running=count(running),
                rows=items,
            )
        )
    return sections


def _closed(facts: CycleFacts, status: ProjectStatus) -> Codes:
    codes = [r.project.code for r in facts.rows if not r.listed and r.current is status]
    return Codes(count=count(len(codes)), codes=join_de(codes))


def entwurf_context(facts: CycleFacts) -> EntwurfContext:
    """The draft "Fortschreibung der Digitalisierungsstrategie <year>" (``facts.version``)."""
    names = facts.by_name
    f = facts.funding
    return EntwurfContext(
        **cycle_document_fields(facts),
        previous_year=facts.year - 1,
        missing=missing_bodies(facts),
        counts=[
            CountRow(status=s.label, count=str(n))
            for s, n in status_counts(facts.rows).items()
            if n
        ],
        counts_total=str(len(facts.listed)),
        fields=_field_sections(facts),
        closed_done=_closed(facts, ProjectStatus.ABGESCHLOSSEN),
        closed_dropped=_closed(facts, ProjectStatus.VERWORFEN),
        funding_rows=[
            FundingTableRow(
                body=names[r.body].official_name if r.body in names else r.body,
                applications=str(r.applications),
                requested=format_eur(r.requested_cents),
                granted=format_eur(r.granted_cents),
            )
            for r in f.rows
        ],
        funding_applications=[
            FundingApplicationRow(
                reference=a.reference,
                title=a.title,
                project=a.project_code,
                lead=_short(facts, a.lead),
                requested=format_eur(a.requested),
                granted=format_eur(a.granted) if a.granted else "–",
            )
            for a in f.applications
        ],
    )
