"""Matching with data from the database: profiles of calls, bodies and projects, hits per
project and per body, and the ``foerder-radar`` table artifact."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models.errors import NotFoundError
from models.radar.catalogue import (
    ApplicantType,
    CallStatus,
    DeadlineModel,
    Source,
)
from models.radar.matching import (
    BodyProfile,
    CallProfile,
    Hit,
    Matcher,
    MatchRules,
    ProjectProfile,
)
from models.radar.tables import RadarCall
from models.read_models import read_model
from models.tables import Application, Body, Project, ProjectParticipant
from tasks.artifacts import publish_table

ACTIVE = [CallStatus.OPEN.value, CallStatus.FORTHCOMING.value, CallStatus.ROLLING.value]


def call_profile(row: RadarCall) -> CallProfile:
    import datetime as dt

    return CallProfile(
        call_id=row.call_id,
        title=row.title,
        status=CallStatus(row.status),
        deadline_model=DeadlineModel(row.deadline_model),
        deadline=row.deadline,
        cut_off_dates=tuple(dt.date.fromisoformat(d) for d in row.cut_off_dates or []),
        deadline_extracted=row.deadline_extracted,
        applicant_types=tuple(ApplicantType(a) for a in row.applicant_types or []),
        regions=tuple(row.regions or []),
        themes=tuple(row.themes or []),
        keywords=tuple(row.keywords or []),
        summary=row.summary[:2000],
        rate_percent=Decimal(row.rate_percent) if row.rate_percent is not None else None,
        max_rate_percent=Decimal(row.max_rate_percent)
        if row.max_rate_percent is not None
        else None,
        max_grant_cents=row.max_grant_cents,
        max_cost_cents=row.max_cost_cents,
        min_partners=row.min_partners,
        source_label=Source(row.source).label,
        entfallen=row.entfallen_on is not None,
    )


def load_calls(session: Session, only_active: bool = True) -> list[CallProfile]:
    query = select(RadarCall).where(RadarCall.entfallen_on.is_(None))
    if only_active:
        query = query.where(RadarCall.status.in_(ACTIVE))
    return [call_profile(row) for row in session.scalars(query.order_by(RadarCall.call_id))]


def load_bodies(session: Session) -> dict[str, BodyProfile]:
    return {
        b.name: BodyProfile(
            name=b.name,
            kind=b.kind,
            regionalschluessel=b.regionalschluessel,
            leader_region=b.leader_region,
        )
        for b in session.scalars(select(Body).order_by(Body.name))
    }


def load_projects(session: Session) -> list[ProjectProfile]:
    names: dict[int, str] = {i: n for i, n in session.execute(select(Body.id, Body.name))}
    participants: dict[int, list[str]] = {}
    for project_id, body_id in session.execute(
        select(ProjectParticipant.project_id, ProjectParticipant.body_id)
    ):
        participants.setdefault(project_id, []).append(names[body_id])
    costs: dict[int | None, int] = {
        pid: cost
        for pid, cost in session.execute(
            select(Application.project_id, func.max(Application.estimated_costs_cents))
            .where(Application.project_id.is_not(None))
            .group_by(Application.project_id)
        )
    }
    return [
        read_model(
            ProjectProfile,
            p,
            lead=names[p.lead_body_id],
            participants=tuple(sorted(participants.get(p.id, []))),
            estimated_costs_cents=costs.get(p.id),
        )
        for p in session.scalars(
            select(Project)
            .where(Project.status.in_(["geplant", "in_umsetzung"]))
            .order_by(Project.code)
        )
    ]


def matcher(session: Session, rules: MatchRules) -> tuple[Matcher, list[ProjectProfile]]:
    projects = load_projects(session)
    return Matcher(load_calls(session), load_bodies(session), projects, rules), projects


def hits_for_key(sessions: sessionmaker[Session], key: str, rules: MatchRules) -> list[Hit]:
    """The hits of a project (by code) or of a body (by name), best first."""
    key = key.strip()
    with sessions() as session:
        m, projects = matcher(session, rules)
    project = next((p for p in projects if p.code.lower() == key.lower()), None)
    if project is not None:
        return m.for_project(project)
    body = next((name for name in m.bodies if name.lower() == key.lower()), None)
    if body is not None:
        return m.for_body(body)
    raise NotFoundError(
        f"„{key}“ ist weder ein Projekt der Projektliste (z. B. HF2-01, in Umsetzung oder "
        "geplant) noch eine Körperschaft."
    )


def applicants_text(types: Sequence[str]) -> str:
    if not types:
        return "nicht eingeschränkt"
    return ", ".join(ApplicantType(t).label for t in types)


def overview_rows(
    sessions: sessionmaker[Session], rules: MatchRules, per_project: int = 3
) -> list[dict[str, object]]:
    """The best current hits per project, with who may apply and the source attribution."""
    from models.deadlines import format_date_de

    with sessions() as session:
        m, projects = matcher(session, rules)
        calls = {
            c.call_id: c
            for c in session.scalars(select(RadarCall).where(RadarCall.entfallen_on.is_(None)))
        }
    rows: list[dict[str, object]] = []
    for project in projects:
        for hit in m.for_project(project)[:per_project]:
            call = calls[hit.call_id]
            rows.append(
                {
                    "Projekt": project.code,
                    "Punkte": hit.score,
                    "Aufruf": hit.call_id,
                    "Titel": hit.title,
                    "Antragsberechtigt": applicants_text(call.applicant_types),
                    "Frist": format_date_de(hit.deadline) if hit.deadline else "laufend",
                    "Gründe": hit.reason_text,
                    "Quelle": call.licence or Source(call.source).label,
                    "Zuletzt geprüft": format_date_de(call.last_checked_at.date()),
                    "Link": call.url,
                }
            )
    return rows


@task(name="foerder-radar-tabelle", cache_policy=NO_CACHE)
def publish_overview_task(rules: MatchRules) -> int:
    from foerderflow.wiring import get_services

    rows = overview_rows(get_services().sessions, rules)
    publish_table(
        "foerder-radar",
        rows,
        "Förder-Radar: die besten aktuellen Treffer je Projekt der Digitalisierungsstrategie "
        "(mit Quelle; Texte der Förderdatenbank unter CC BY-ND 4.0, © BMWE).",
    )
    return len(rows)
