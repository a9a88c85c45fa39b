"""A strategy cycle at scale, prepared through the real functions of foerderflow.

A migrated and seeded PostgreSQL database on the benchmark's embedded server
(``benchmarks.common.bench_postgres``), the project list grown to 300 projects (the 32 of
``data/projektliste.yaml`` plus generated ones in all eight Handlungsfelder), 40 funding
applications linked to projects, the cycle opened with ``open_cycle`` and one status report
per body recorded with ``record_report``. What remains is the consolidation: the draft and
the 12 Sitzungsvorlagen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import sessionmaker

from benchmarks.common import BenchPostgres, log
from foerderflow.db import make_engine, migrate
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.strategy import Handlungsfeld, ProjectStatus
from models.strategy_inputs import FortschreibungInput, StatusEntryInput, StatusmeldungInput
from models.tables import (
    Application,
    ApplicationPartner,
    Body,
    Programme,
    Project,
    ProjectParticipant,
)
from tasks.mail import YagmailTransport
from tasks.reference_data import seed_reference_data
from tasks.strategy_open import open_cycle
from tasks.strategy_report import record_report

YEAR = 2031
TODAY = dt.date(2031, 1, 15)
RESPONSE_DUE = dt.date(2031, 2, 28)
CONSOLIDATION_DAY = dt.date(2031, 3, 3)
PROJECTS = 300
APPLICATIONS = 40


@dataclass(frozen=True)
class PreparedCycle:
    database: str  # on the benchmark's PostgreSQL server; no open connections (a template)
    url: str  # SQLAlchemy URL (psycopg)
    var_dir: Path


def settings_for(var_dir: Path, url: str, smtp_port: int = 8025) -> Settings:
    return Settings(
        var_dir=var_dir,
        database_url=url,
        local_smtp_port=smtp_port,
        ui_url="http://127.0.0.1:4200",
        _env_file=None,
    )


def _grow_projects(services: Services, rnd: random.Random) -> None:
    with services.sessions.begin() as session:
        bodies = list(session.scalars(select(Body).order_by(Body.id)))
        codes = set(session.scalars(select(Project.code)))
        fields = list(Handlungsfeld)
        statuses = [ProjectStatus.GEPLANT, ProjectStatus.IN_UMSETZUNG, ProjectStatus.IN_UMSETZUNG]
        rows: list[dict[str, Any]] = []
        index = 0
        while len(codes) + len(rows) < PROJECTS:
            field = fields[index % len(fields)]
            index += 1
            number = 1
            while f"HF{field.number}-{number:02d}" in codes or any(
                r["code"] == f"HF{field.number}-{number:02d}" for r in rows
            ):
                number += 1
            lead = rnd.choice(bodies)
            rows.append(
                {
                    "code": f"HF{field.number}-{number:02d}",
                    "title": f"{field.value}: Vorhaben {len(rows) + 1} – digitale Dienste "
                    f"für Bürgerinnen, Bürger und Betriebe",
                    "field": field.value,
                    "lead_body_id": lead.id,
                    "status": rnd.choice(statuses).value,
                    "description": "Gemeinsames Vorhaben der Körperschaften im Kreis Coesfeld: "
                    "Bedarfe erheben, Lösung beschaffen, einführen und betreiben. " * 2,
                    "source": "projektliste",
                }
            )
        table = cast(Table, Project.__table__)
        session.execute(insert(table), rows)
        created = session.scalars(
            select(Project).where(Project.code.in_([r["code"] for r in rows]))
        )
        participants = []
        for project in created:
            others = [b for b in bodies if b.id != project.lead_body_id]
            for body in rnd.sample(others, rnd.randint(0, 4)):
                participants.append({"project_id": project.id, "body_id": body.id})
        if participants:
            session.execute(insert(cast(Table, ProjectParticipant.__table__)), participants)


def _applications(services: Services, rnd: random.Random) -> None:
    with services.sessions.begin() as session:
        bodies = list(session.scalars(select(Body).order_by(Body.id)))
        programme_ids = list(session.scalars(select(Programme.id)))
        project_ids = list(session.scalars(select(Project.id).order_by(Project.id)))
        for n in range(1, APPLICATIONS + 1):
            reference = f"FA-2030-{n:03d}"
            lead = rnd.choice(bodies)
            requested = rnd.randrange(100_000_00, 900_000_00)
            app = Application(
                reference=reference,
                year=2030,
                stage=rnd.choice(["eingereicht", "bewilligt", "berichtspflicht"]),
                title=f"Förderantrag {n}: digitale Infrastruktur",
                summary="Antrag aus dem Benchmark.",
                lead_body_id=lead.id,
                programme_id=rnd.choice(programme_ids),
                estimated_costs_cents=requested * 10 // 9,
                coordinator_email=f"koordination{n}@coesfeld.example",
                created_by="Benchmark",
                fingerprint=hashlib.sha256(reference.encode()).hexdigest(),
                requested_grant_cents=requested,
                granted_cents=requested if rnd.random() < 0.5 else None,
                project_id=rnd.choice(project_ids),
            )
            session.add(app)
            session.flush()
            session.add(
                ApplicationPartner(application_id=app.id, body_id=lead.id, position=0, is_lead=True)
            )
            others = [b for b in bodies if b.id != lead.id]
            for position, body in enumerate(rnd.sample(others, rnd.randint(1, 5)), start=1):
                session.add(
                    ApplicationPartner(
                        application_id=app.id,
                        body_id=body.id,
                        position=position,
                        decision=rnd.choice(["zugesagt", "zugesagt", "abgesagt"]),
                    )
                )


def _reports(services: Services, rnd: random.Random) -> None:
    with services.sessions() as session:
        led: dict[str, list[str]] = {}
        for code, body_name in session.execute(
            select(Project.code, Body.name)
            .join(Body, Body.id == Project.lead_body_id)
            .order_by(Project.code)
        ):
            led.setdefault(body_name, []).append(code)
    statuses = list(ProjectStatus)
    for body_name, codes in led.items():
        entries = [
            StatusEntryInput(
                project_code=code,
                status=rnd.choice(statuses),
                note=rnd.choice(["", "Ausschreibung läuft", "Förderbescheid liegt vor"]),
            )
            for code in codes[:100]
        ]
        record_report(
            services,
            StatusmeldungInput.model_validate(
                {
                    "year": YEAR,
                    "body": body_name,
                    "entries": entries,
                    "entered_by": "Benchmark",
                }
            ),
            TODAY + dt.timedelta(days=20),
        )


def prepare_cycle(pg: BenchPostgres, work: Path, seed: int = 11) -> PreparedCycle:
    """Everything up to the consolidation, in a new database on ``pg`` (documents and other
    files under ``work``; takes a few seconds)."""
    started = time.perf_counter()
    database = pg.create("strategie")
    url = pg.url(database)
    var_dir = work / "var"
    migrate(url)
    engine = make_engine(url)
    settings = settings_for(var_dir, url)
    services = Services(
        settings, sessionmaker(bind=engine, expire_on_commit=False), YagmailTransport
    )
    rnd = random.Random(seed)
    with services.sessions.begin() as session:
        seed_reference_data(session, settings.data_dir)
    _grow_projects(services, rnd)
    _applications(services, rnd)
    open_cycle(
        services,
        FortschreibungInput(year=YEAR, response_due=RESPONSE_DUE, entered_by="Benchmark"),
        TODAY,
    )
    _reports(services, rnd)
    engine.dispose()
    pg.finish(database)
    log(
        f"  Strategiezyklus {YEAR} mit {PROJECTS} Projekten und 12 Statusmeldungen vorbereitet "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return PreparedCycle(database=database, url=url, var_dir=var_dir)
