"""Förder-Radar: import of a synthetic FDB export (2,500 programmes in the real XML layout),
its re-import, and matching 2,500 calls against 300 projects and 12 bodies.

* import (ours): ``tasks.radar.importing.run_import`` on the ZIP in a fresh process (spawn), so
  its peak RSS is the import's own; target < 20 s and < 300 MB;
* re-import of the same ZIP: target < 5 s and 0 changes;
* bare baseline for both: ``xml.etree.ElementTree.fromstring`` of the same documents from the
  same ZIP (control characters stripped, else the strict parser rejects the dirty files);
* matching (ours): ``models.radar.matching.Matcher`` (hard filters, score, reasons) over the
  calls from the database, per project (300) and per body (12); target < 2 s;
* bare baseline: a plain loop over the same pairs (eligible? region? shared keywords?).
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from benchmarks.common import Row, bench_postgres, log, median, temp_dir
from benchmarks.proc_status import status_mb
from benchmarks.radar_export import synthetic, write_zip

PROGRAMMES = 2_500
PROJECTS = 300
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _settings(url: str, var: Path):  # type: ignore[no-untyped-def]
    from foerderflow.settings import Settings

    return Settings(var_dir=var, database_url=url, _env_file=None)  # type: ignore[call-arg]


def _import_in_child(url: str, var: str, archive: str, queue: multiprocessing.Queue) -> None:
    import datetime as dt

    from foerderflow.db import make_engine, session_factory
    from foerderflow.wiring import Services
    from tasks.mail import YagmailTransport
    from tasks.radar.importing import run_import

    services = Services(
        _settings(url, Path(var)), session_factory(make_engine(url)), YagmailTransport
    )
    gc.collect()
    started = time.perf_counter()
    report = run_import(services, archive, entered_by="bench", today=dt.date(2026, 12, 7))
    elapsed = time.perf_counter() - started
    peak_mb = status_mb("VmHWM")  # not ru_maxrss: see benchmarks.proc_status
    queue.put((elapsed, peak_mb, report.summary_line))


def bare_parse(archive: Path) -> int:
    count = 0
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if "/Foerderprogramm/" in name and name.endswith(".xml"):
                root = ET.fromstring(_CONTROL.sub(b"", z.read(name)))  # noqa: S314 - our file
                count += len(root.findall("property"))
    return count


def _projects(real: list, count: int) -> list:  # type: ignore[type-arg]
    """``count`` projects: the real list, repeated with numbered codes."""
    out = []
    for i in range(count):
        base = real[i % len(real)]
        out.append(base.model_copy(update={"code": f"HF{(i % 8) + 1}-{i + 1:03d}"}))
    return out


def bare_match(calls: list, bodies: dict, projects: list) -> int:  # type: ignore[type-arg]
    """A plain loop over the same pairs: eligible, in the region, words shared."""
    hits = 0
    for project in projects:
        body = bodies[project.lead]
        kind = "kreis" if body.kind == "kreis" else "gemeinde"
        words = set(f"{project.title} {project.description}".lower().split())
        for call in calls:
            if call.applicant_types and kind not in call.applicant_types:
                continue
            if call.regions and not any(
                r in ("DE", "EU") or body.regionalschluessel.startswith(r) for r in call.regions
            ):
                continue
            hits += 1 + len(words & {k.lower() for k in call.keywords})
    for body in bodies.values():
        kind = "kreis" if body.kind == "kreis" else "gemeinde"
        for call in calls:
            hits += not call.applicant_types or kind in call.applicant_types
    return hits


def run(repetitions: int = 3) -> list[Row]:
    import datetime as dt

    from foerderflow.db import make_engine, migrate, session_factory
    from foerderflow.wiring import Services
    from models.radar.matching import Matcher, MatchRules
    from tasks.mail import YagmailTransport
    from tasks.radar.importing import run_import
    from tasks.radar.matching import load_bodies, load_calls, load_projects
    from tasks.reference_data import seed_reference_data

    pg = bench_postgres()
    rows: list[Row] = []
    with temp_dir("radar") as work:
        archive = write_zip(work / "export.zip", synthetic(PROGRAMMES))
        log(f"  Export: {PROGRAMMES} Programme, {archive.stat().st_size / 1e6:.1f} MB ZIP")
        database = pg.create("radar")
        url = pg.url(database)
        migrate(url)
        engine = make_engine(url)
        services = Services(_settings(url, work / "var"), session_factory(engine), YagmailTransport)
        with services.sessions.begin() as session:
            seed_reference_data(session, services.settings.data_dir)
        ctx = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = ctx.Queue()
        child = ctx.Process(
            target=_import_in_child, args=(url, str(work / "var"), str(archive), queue)
        )
        child.start()
        elapsed, peak_mb, line = queue.get(timeout=600)
        child.join()
        assert line.startswith(f"neu={PROGRAMMES} "), line
        bare_first = []
        for _ in range(repetitions):
            gc.collect()
            bare_first.append(_timed(lambda: bare_parse(archive)))
        rows.append(
            Row(
                "radar",
                "Import 2.500 Programme (ZIP)",
                elapsed,
                baseline=median(bare_first),
                baseline_label="xml.etree",
                target="< 20 s",
                ok=elapsed < 20,
                samples=[elapsed],
                note=line,
            )
        )
        rows.append(
            Row(
                "radar",
                "  Spitzen-RSS des Imports",
                peak_mb,
                unit="MB",
                target="< 300 MB",
                ok=peak_mb < 300,
                samples=[peak_mb],
            )
        )
        again: list[float] = []
        for _ in range(repetitions):
            gc.collect()
            started = time.perf_counter()
            report = run_import(
                services, str(archive), entered_by="bench", today=dt.date(2026, 12, 7)
            )
            again.append(time.perf_counter() - started)
            assert report.new == report.changed == report.gone == 0, report.summary_line
        rows.append(
            Row(
                "radar",
                "Re-Import desselben Stands",
                median(again),
                baseline=median(bare_first),
                baseline_label="xml.etree",
                target="< 5 s, 0 Änderungen",
                ok=median(again) < 5,
                samples=again,
                note=report.summary_line,
            )
        )
        with services.sessions() as session:
            calls = load_calls(session)
            bodies = load_bodies(session)
            projects = _projects(load_projects(session), PROJECTS)
        rules = MatchRules(today=dt.date(2026, 12, 7))
        ours: list[float] = []
        bare: list[float] = []
        hits = 0
        for i in range(repetitions):
            gc.collect()

            def match() -> int:
                m = Matcher(calls, bodies, projects, rules)
                return sum(len(m.for_project(p)) for p in projects) + sum(
                    len(m.for_body(b)) for b in bodies
                )

            def plain() -> int:
                return bare_match(calls, bodies, projects)

            first, second = (match, plain) if i % 2 == 0 else (plain, match)
            t1 = _timed(first)
            gc.collect()
            t2 = _timed(second)
            ours.append(t1 if first is match else t2)
            bare.append(t2 if first is match else t1)
            hits = match() if i == 0 else hits
        rows.append(
            Row(
                "radar",
                f"Matching {len(calls)} Aufrufe × {PROJECTS} Projekte × 12 Körperschaften",
                median(ours),
                baseline=median(bare),
                baseline_label="einfache Schleife",
                target="< 2 s",
                ok=median(ours) < 2,
                samples=ours,
                note=f"{hits} Treffer",
            )
        )
        engine.dispose()
        pg.drop(database)
    return rows


def _timed(func) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    func()
    return time.perf_counter() - started
