"""Reporting: a Sachstandsbericht over 300 projects and 500 applications, and its charts.

* report, ours: ``tasks.reporting.report.create_report`` in a fresh child process (queries,
  aggregation, four charts, the Mitteilungsvorlage with pictures, the documents row, the
  outbox mail), timed inside the child; its peak RSS (``VmHWM`` of its own address space)
  is the memory figure.
  Target: under 10 s and under 300 MB.
* report, bare: ``DocxTemplate(...).render(context.model_dump())`` of the same template with
  the same context, without database, charts and pictures.
* charts, ours: ``render_charts`` (four styled charts, German formats, PNG) in-process.
* charts, bare: four unstyled matplotlib bar charts of the same data saved as PNG.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from docxtpl import DocxTemplate
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from benchmarks.common import ROOT, Row, bench_postgres, log, median, temp_dir
from benchmarks.strategy_setup import _grow_projects, settings_for
from foerderflow.db import make_engine, migrate
from foerderflow.settings import get_tenant
from foerderflow.wiring import Services
from models.reporting.period import ReportPeriod
from models.reporting.sachstand import SachstandFacts, sachstand_context, sachstand_facts
from models.tables import Application, ApplicationPartner, Body, Deadline, Programme, Project
from tasks.mail import YagmailTransport
from tasks.reference_data import seed_reference_data
from tasks.reporting.charts import render_charts
from tasks.reporting.queries import report_data

APPLICATIONS = 500
STICHTAG = "2031-04-01"
STAGES = ["idee", "partnerpruefung", "entwurf", "freigegeben", "eingereicht", "bewilligt",
          "abgelehnt", "berichtspflicht", "abgeschlossen", "zurueckgezogen"]  # fmt: skip

CHILD = """
import datetime as dt, json, sys, time
from sqlalchemy.orm import sessionmaker
from benchmarks.proc_status import status_mb
from foerderflow.db import make_engine
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.reporting.inputs import BerichtSachstandInput
from tasks.mail import YagmailTransport
url, var_dir, day = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3])
settings = Settings(var_dir=var_dir, database_url=url, _env_file=None)
services = Services(settings, sessionmaker(bind=make_engine(url), expire_on_commit=False),
                    YagmailTransport)
from tasks.reporting.report import create_report
started = time.perf_counter()
out = create_report(services, BerichtSachstandInput(stichtag=day), day)
seconds = time.perf_counter() - started
peak = status_mb("VmHWM")  # not ru_maxrss: see benchmarks.proc_status
print(json.dumps({"seconds": seconds, "peak_mb": peak, "version": dict(out.facts)["Fassung"]}))
"""


def _applications(services: Services, rnd: random.Random) -> None:
    with services.sessions.begin() as session:
        bodies = list(session.scalars(select(Body).order_by(Body.id)))
        programmes = list(session.scalars(select(Programme.id)))
        projects = list(session.scalars(select(Project.id)))
        for n in range(1, APPLICATIONS + 1):
            reference = f"FA-2030-{n:03d}"
            stage = rnd.choice(STAGES)
            requested = rnd.randrange(10_000_000, 90_000_000)
            granted = requested - rnd.randrange(0, 1_000_000)
            eligible = requested * 10 // 9
            lead = rnd.choice(bodies)
            app = Application(
                reference=reference, year=rnd.choice([2029, 2030, 2031]), stage=stage,
                title=f"Förderantrag {n}: digitale Infrastruktur", summary="Benchmark.",
                lead_body_id=lead.id, programme_id=rnd.choice(programmes),
                estimated_costs_cents=eligible, coordinator_email=f"k{n}@coesfeld.example",
                created_by="Benchmark", fingerprint=hashlib.sha256(reference.encode()).hexdigest(),
                eligible_costs_cents=eligible, requested_grant_cents=requested,
                granted_cents=granted if stage in ("bewilligt", "berichtspflicht", "abgeschlossen")
                else None, project_id=rnd.choice(projects),
            )  # fmt: skip
            session.add(app)
            session.flush()
            partners = [lead, *rnd.sample([b for b in bodies if b.id != lead.id], 3)]
            own = eligible - granted
            for position, body in enumerate(partners):
                share = own // 4 + (own % 4 if position == 0 else 0)
                session.add(
                    ApplicationPartner(
                        application_id=app.id, body_id=body.id, position=position,
                        is_lead=position == 0, decision="zugesagt", final_share_cents=share,
                    )
                )  # fmt: skip
            if n % 5 == 0:
                session.add(
                    Deadline(
                        key=f"bench-{n}", kind="zwischennachweis", title=f"Zwischennachweis {n}",
                        due_date=dt.date(2031, 4, 1) + dt.timedelta(days=rnd.randrange(-20, 120)),
                        owner=reference, application_id=app.id, contact_email="k@x.example",
                    )
                )  # fmt: skip


def _prepare(work: Path) -> tuple[str, Path]:
    pg = bench_postgres()
    database = pg.create("bericht")
    url = pg.url(database)
    migrate(url)
    var_dir = work / "var"
    engine = make_engine(url)
    services = Services(
        settings_for(var_dir, url), sessionmaker(bind=engine, expire_on_commit=False),
        YagmailTransport,
    )  # fmt: skip
    rnd = random.Random(13)
    with services.sessions.begin() as session:
        seed_reference_data(session, services.settings.data_dir)
    _grow_projects(services, rnd)
    _applications(services, rnd)
    engine.dispose()
    return url, var_dir


def _bare_charts(facts: SachstandFacts) -> int:
    total = 0
    series = [
        ([r.label for r in facts.by_body], [r.granted_cents / 100 for r in facts.by_body]),
        ([s.stage.value for s in facts.stages], [s.count for s in facts.stages]),
        ([f.field for f in facts.fields], [f.total for f in facts.fields]),
        ([d.title for d in facts.outlook.upcoming], [1] * len(facts.outlook.upcoming)),
    ]
    for labels, values in series:
        fig = Figure()
        fig.add_subplot(1, 1, 1).barh(labels, values)
        buffer = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buffer)
        total += len(buffer.getvalue())
    return total


def run(repetitions: int = 3) -> list[Row]:
    day = dt.date.fromisoformat(STICHTAG)
    with temp_dir("reporting") as work:
        url, var_dir = _prepare(work)
        engine = make_engine(url)
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        with sessions() as session:
            data = report_data(session)
        assert len(data.projects) >= 300 and len(data.applications) == APPLICATIONS
        period = ReportPeriod(start=dt.date(2031, 1, 1), end=day)
        facts = sachstand_facts(data, day, period, None)
        context = sachstand_context(facts, committee="Ausschuss", committee_body="Kreistag")
        template = ROOT / "templates" / "sachstandsbericht.docx"
        render_charts(facts, "Quelle")  # warm-up
        mandant = get_tenant().model_dump(mode="json")
        chart_s, bare_chart_s, bare_docx_s, report_s, peaks = [], [], [], [], []
        for rep in range(repetitions):
            started = time.perf_counter()
            render_charts(facts, "Quelle: Benchmark")
            chart_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            _bare_charts(facts)
            bare_chart_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            tpl = DocxTemplate(str(template))
            values = context.model_dump()
            tpl.render({**values, "mandant": mandant}, autoescape=True)
            tpl.save(io.BytesIO())
            bare_docx_s.append(time.perf_counter() - started)
            child = subprocess.run(
                [sys.executable, "-c", CHILD, url, str(var_dir),
                 (day + dt.timedelta(days=rep)).isoformat()],
                cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                raise RuntimeError(f"Kindprozess fehlgeschlagen:\n{child.stderr[-4000:]}")
            result = json.loads(child.stdout.strip().splitlines()[-1])
            report_s.append(result["seconds"])
            peaks.append(result["peak_mb"])
            log(
                f"  Bericht {result['seconds']:.2f} s, Spitze {result['peak_mb']:.0f} MB; "
                f"Diagramme {chart_s[-1]:.2f} s (pur {bare_chart_s[-1]:.2f} s)"
            )
        engine.dispose()
    report = median(report_s)
    peak = max(peaks)
    return [
        Row("reporting", "Sachstandsbericht (300 Projekte, 500 Anträge)", report,
            baseline=median(bare_docx_s), baseline_label="docxtpl pur, ohne DB/Bilder",
            target="< 10 s", ok=report < 10, samples=report_s),
        Row("reporting", "  Spitzen-RSS des Berichts", peak, unit="MB", target="< 300 MB",
            ok=peak < 300, samples=peaks),
        Row("reporting", "  vier Diagramme", median(chart_s), baseline=median(bare_chart_s),
            baseline_label="matplotlib pur, ohne Gestaltung", samples=chart_s),
    ]  # fmt: skip
