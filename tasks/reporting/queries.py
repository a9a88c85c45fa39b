"""Reading the database into the pure records of ``models.reporting.records``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.read_models import read_model
from models.reporting.records import (
    ApplicationRecord,
    BodyRecord,
    DeadlineRecord,
    ProjectRecord,
    ReportData,
    ShareRecord,
    StageChange,
)
from models.tables import (
    Application,
    ApplicationPartner,
    AuditEvent,
    Body,
    Deadline,
    Project,
    ProjectParticipant,
    StrategyBodyReport,
    StrategyCycle,
    StrategyResolution,
)
from models.tables_reporting import SachstandReport

BERLIN = ZoneInfo("Europe/Berlin")


def _day(value: dt.datetime) -> dt.date:
    return value.astimezone(BERLIN).date()


def bodies(session: Session) -> list[BodyRecord]:
    """The bodies, the Kreis first, then by name (as the strategy orders them)."""
    rows = session.scalars(select(Body)).all()
    ordered = sorted(rows, key=lambda b: (b.kind != "kreis", b.name))
    return [read_model(BodyRecord, b) for b in ordered]


def applications_with_parties(session: Session, *order_by: Any) -> Sequence[Application]:
    """Every application with its lead body, partners (and their bodies) and programme."""
    return session.scalars(
        select(Application)
        .options(
            selectinload(Application.partners).selectinload(ApplicationPartner.body),
            selectinload(Application.lead_body),
            selectinload(Application.programme),
        )
        .order_by(*order_by)
    ).all()


def applications(session: Session) -> list[ApplicationRecord]:
    apps = applications_with_parties(session, Application.reference)
    codes: dict[int, str] = {
        pid: code for pid, code in session.execute(select(Project.id, Project.code))
    }
    return [
        read_model(
            ApplicationRecord,
            a,
            lead=a.lead_body.name,
            programme=a.programme.name,
            funder=a.programme.funder,
            created_on=_day(a.created_at),
            requested_cents=a.requested_grant_cents,
            project_code=codes.get(a.project_id) if a.project_id else None,
            shares=[
                ShareRecord(
                    body=p.body.name,
                    is_lead=p.is_lead,
                    decision="zugesagt" if p.is_lead else p.decision,
                    share_cents=p.final_share_cents,
                )
                for p in sorted(a.partners, key=lambda p: p.position)
            ],
            public=a.publish,
        )
        for a in apps
    ]


def projects(session: Session) -> list[ProjectRecord]:
    rows = session.scalars(
        select(Project)
        .options(
            selectinload(Project.lead_body),
            selectinload(Project.participants).selectinload(ProjectParticipant.body),
        )
        .order_by(Project.code)
    ).all()
    return [
        read_model(
            ProjectRecord,
            p,
            lead=p.lead_body.name,
            participants=sorted(x.body.name for x in p.participants),
            created_on=_day(p.created_at),
            public=p.publish,
        )
        for p in rows
    ]


def stage_changes(session: Session, since: dt.date | None = None) -> list[StageChange]:
    query = (
        select(AuditEvent, Application.title)
        .join(Application, Application.reference == AuditEvent.owner)
        .where(AuditEvent.to_stage.is_not(None))
        .order_by(AuditEvent.id)
    )
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=BERLIN)
        query = query.where(AuditEvent.created_at >= start)
    return [
        StageChange(
            reference=event.owner,
            title=title,
            on=_day(event.created_at),
            from_stage=event.from_stage,
            to_stage=event.to_stage or "",
        )
        for event, title in session.execute(query)
    ]


def open_deadlines(session: Session) -> list[DeadlineRecord]:
    rows = session.execute(
        select(Deadline, Body.name)
        .outerjoin(Body, Body.id == Deadline.body_id)
        .where(Deadline.status == "offen")
        .order_by(Deadline.due_date, Deadline.id)
    )
    return [read_model(DeadlineRecord, d, due=d.due_date, body=body) for d, body in rows]


def report_data(session: Session, since: dt.date | None = None) -> ReportData:
    return ReportData(
        bodies=bodies(session),
        applications=applications(session),
        projects=projects(session),
        changes=stage_changes(session, since),
        deadlines=open_deadlines(session),
    )


def last_report_date(session: Session) -> dt.date | None:
    return session.scalar(select(func.max(SachstandReport.stichtag)))


def strategy_state(session: Session) -> tuple[int, str, int, int, int] | None:
    """The latest strategy revision: (year, status, bodies reported, bodies adopted, bodies)."""
    cycle = session.scalar(select(StrategyCycle).order_by(StrategyCycle.year.desc()).limit(1))
    if cycle is None:
        return None
    reports = session.scalars(
        select(StrategyBodyReport).where(StrategyBodyReport.cycle_id == cycle.id)
    ).all()
    latest: dict[int, str] = {}
    for res in session.scalars(
        select(StrategyResolution)
        .where(StrategyResolution.cycle_id == cycle.id)
        .order_by(StrategyResolution.meeting_date, StrategyResolution.id)
    ):
        latest[res.body_id] = res.outcome
    adopted = sum(1 for o in latest.values() if o in ("beschlossen", "geaendert_beschlossen"))
    reported = sum(1 for r in reports if r.state == "gemeldet")
    total = session.scalar(select(func.count()).select_from(Body)) or 0
    return cycle.year, cycle.status, reported, adopted, total
