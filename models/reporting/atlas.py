"""The public Projektatlas as page contexts: only what ``models.reporting.public`` allows.

Every value is a finished German string; the HTML templates under ``templates/site/`` place
them (with autoescape). Page file names come from controlled identifiers only (project codes,
body slugs), never from user text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from models.deadlines import format_date_de
from models.reporting.aggregate import field_order
from models.reporting.formatting import eur, format_count
from models.reporting.public import public_funding, public_projects, redact
from models.reporting.records import ApplicationRecord, BodyRecord, ProjectRecord, ReportData
from models.strategy import ProjectStatus


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)


def page_name(identifier: str) -> str:
    """``HF1-01`` -> ``hf1-01.html``: lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", identifier.lower()).strip("-") + ".html"


def status_label(status: str) -> str:
    try:
        return ProjectStatus(status).label
    except ValueError:
        return status


class FundingLine(_Page):
    title: str
    programme: str
    funder: str
    granted: str
    year: str


class ProjectLink(_Page):
    href: str
    code: str
    title: str
    status: str
    lead: str


class ProjectPage(_Page):
    file: str
    code: str
    title: str
    field: str
    lead: str
    lead_href: str
    participants: list[tuple[str, str]]  # (name, href)
    status: str
    description: str
    funding: list[FundingLine]
    funding_total: str


class FieldSection(_Page):
    name: str
    anchor: str
    projects: list[ProjectLink]


class BodyPage(_Page):
    file: str
    name: str
    official_name: str
    led: list[ProjectLink]
    participating: list[ProjectLink]
    granted: str


class KeyFigure(_Page):
    label: str
    value: str


class Chart(_Page):
    file: str
    title: str
    alt: str


class Atlas(_Page):
    stand: str
    key_figures: list[KeyFigure]
    fields: list[FieldSection]
    projects: list[ProjectPage]
    bodies: list[BodyPage]
    charts: list[Chart] = Field(default_factory=list)


def public_data(data: ReportData) -> ReportData:
    """The part of ``data`` the public may see (the charts of the atlas are drawn from it)."""
    return ReportData(
        bodies=data.bodies,
        applications=public_funding(data.applications),
        projects=public_projects(data.projects),
    )


def _link(p: ProjectRecord, prefix: str) -> ProjectLink:
    return ProjectLink(
        href=prefix + page_name(p.code),
        code=p.code,
        title=p.title,
        status=status_label(p.status),
        lead=p.lead,
    )


def _funding(app: ApplicationRecord) -> FundingLine:
    return FundingLine(
        title=app.title,
        programme=app.programme,
        funder=app.funder,
        granted=eur(app.granted_cents or 0),
        year=str(app.year),
    )


def build_atlas(data: ReportData, today: dt.date) -> Atlas:
    projects = public_projects(data.projects)
    funding = public_funding(data.applications)
    body_files = {b.name: page_name(b.slug or b.name) for b in data.bodies}

    def body_href(name: str, prefix: str) -> str:
        return prefix + body_files[name] if name in body_files else ""

    pages = []
    for p in projects:
        mine = [a for a in funding if a.project_code == p.code]
        pages.append(
            ProjectPage(
                file=page_name(p.code),
                code=p.code,
                title=p.title,
                field=p.field,
                lead=p.lead,
                lead_href=body_href(p.lead, "../koerperschaften/"),
                participants=[(n, body_href(n, "../koerperschaften/")) for n in p.participants],
                status=status_label(p.status),
                description=redact(p.description),
                funding=[_funding(a) for a in mine],
                funding_total=eur(sum(a.granted_cents or 0 for a in mine)),
            )
        )
    fields = [
        FieldSection(
            name=name,
            anchor="hf-" + page_name(name).removesuffix(".html"),
            projects=[_link(p, "projekte/") for p in projects if p.field == name],
        )
        for name in field_order(projects)
    ]
    bodies = [_body_page(b, projects, funding, body_files[b.name]) for b in data.bodies]
    total = sum(a.granted_cents or 0 for a in funding)
    figures = [
        KeyFigure(label="Projekte", value=format_count(len(projects))),
        KeyFigure(label="Handlungsfelder", value=format_count(len(fields))),
        KeyFigure(label="Beteiligte Körperschaften", value=format_count(len(data.bodies))),
        KeyFigure(label="Eingeworbene Fördermittel", value=eur(total)),
        KeyFigure(label="Bewilligte Förderanträge", value=format_count(len(funding))),
    ]
    return Atlas(
        stand=format_date_de(today),
        key_figures=figures,
        fields=fields,
        projects=pages,
        bodies=bodies,
    )


def _body_page(
    body: BodyRecord,
    projects: Sequence[ProjectRecord],
    funding: Sequence[ApplicationRecord],
    file: str,
) -> BodyPage:
    return BodyPage(
        file=file,
        name=body.name,
        official_name=body.official_name,
        led=[_link(p, "../projekte/") for p in projects if p.lead == body.name],
        participating=[_link(p, "../projekte/") for p in projects if body.name in p.participants],
        granted=eur(sum(a.granted_cents or 0 for a in funding if a.lead == body.name)),
    )
