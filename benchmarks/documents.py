"""Documents: one strategy draft and 12 Sitzungsvorlagen, our path against bare docxtpl.

The contexts are built once with the real builders (``cycle_facts`` on a prepared cycle with
300 projects, ``entwurf_context`` and ``sitzungsvorlage_strategie_context``); both sides render
exactly these 13 context objects.

* ours: ``tasks.documents.store_document`` for each document inside one transaction (render
  through ``render_docx``, atomic write with fsync, the ``documents`` row), committed;
* bare: ``DocxTemplate(path).render(context.model_dump(), autoescape=True)`` and
  ``save(path)`` for each document.

The two sides alternate (ours first on even repetitions, bare first on odd ones).
"""

from __future__ import annotations

import gc
import io
import time
from pathlib import Path

import docx
from docxtpl import DocxTemplate
from jinja2 import Environment
from sqlalchemy.orm import sessionmaker

from benchmarks.common import Row, bench_postgres, log, median, temp_dir
from benchmarks.strategy_setup import CONSOLIDATION_DAY, YEAR, prepare_cycle, settings_for
from foerderflow.db import make_engine
from foerderflow.settings import get_tenant
from models.documents import DocumentContext
from models.grammar import TEMPLATE_FILTERS
from models.strategy_docs import (
    ENTWURF_TEMPLATE,
    VORLAGE_TEMPLATE,
    entwurf_context,
    sitzungsvorlage_strategie_context,
)
from tasks.documents import TENANT_VARIABLE, store_document
from tasks.store import body_view
from tasks.strategy import all_bodies, find_cycle
from tasks.strategy_consolidate import cycle_facts

Job = tuple[str, str, str, DocumentContext]  # template, kind, subject, context


def build_jobs(sessions: sessionmaker) -> tuple[list[Job], float, list[str]]:
    """The 13 contexts, built by the real builders; returns them, the build time and the
    project codes of the cycle."""
    with sessions() as session:
        cycle = find_cycle(session, YEAR)
        assert cycle is not None
        started = time.perf_counter()
        facts = cycle_facts(session, cycle, version=1, today=CONSOLIDATION_DAY)
        jobs: list[Job] = [(ENTWURF_TEMPLATE, "entwurf", "", entwurf_context(facts))]
        for number, body in enumerate(all_bodies(session), start=1):
            context = sitzungsvorlage_strategie_context(
                facts, body_view(body), f"SV-{YEAR % 100}-{number:04d}"
            )
            jobs.append((VORLAGE_TEMPLATE, "sitzungsvorlage", body.slug, context))
        elapsed = time.perf_counter() - started
    assert len(facts.rows) >= 300, len(facts.rows)
    return jobs, elapsed, [row.project.code for row in facts.rows]


def ours(sessions: sessionmaker, templates: Path, out: Path, owner: str, jobs: list[Job]) -> int:
    with sessions.begin() as session:
        total = 0
        for template, kind, subject, context in jobs:
            view = store_document(
                session,
                documents_dir=out,
                templates_dir=templates,
                template=template,
                owner=owner,
                kind=kind,
                subject=subject,
                version=1,
                title=f"{kind} {subject}".strip(),
                context=context,
            )
            assert view.created
            total += Path(view.path).stat().st_size
    return total


def bare(templates: Path, out: Path, jobs: list[Job]) -> int:
    """Plain docxtpl: a new Jinja environment with the filters the templates use, the
    context's fields and the tenant's facts as they are."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    tenant = get_tenant().model_dump(mode="json")
    for template, kind, subject, context in jobs:
        tpl = DocxTemplate(str(templates / template))
        env = Environment(autoescape=True)
        env.filters.update(TEMPLATE_FILTERS)
        tpl.render({**context.model_dump(), TENANT_VARIABLE: tenant}, env, autoescape=True)
        path = out / f"{kind}_{subject or 'gesamt'}.docx"
        tpl.save(str(path))
        total += path.stat().st_size
    return total


def _text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _codes_in_draft(path: Path, codes: list[str]) -> int:
    text = _text(path)
    return sum(1 for code in codes if code in text)


def run(repetitions: int = 5) -> list[Row]:
    with temp_dir("documents") as work:
        pg = bench_postgres()
        prepared = prepare_cycle(pg, work)
        settings = settings_for(prepared.var_dir, prepared.url)
        engine = make_engine(prepared.url)
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        jobs, build_s, project_codes = build_jobs(sessions)
        templates = settings.templates_dir
        # Warm-up (imports, first template parse), not counted.
        ours(sessions, templates, work / "warm", "warm-ours", jobs)
        bare(templates, work / "warm" / "bare", jobs)
        ours_s: list[float] = []
        bare_s: list[float] = []
        sizes: tuple[int, int] = (0, 0)
        for rep in range(repetitions):
            order = ["ours", "bare"] if rep % 2 == 0 else ["bare", "ours"]
            for side in order:
                gc.collect()  # same collector state for both sides (GC stays enabled)
                start = time.perf_counter()
                if side == "ours":
                    size_ours = ours(sessions, templates, work / "ours", f"bench-{rep}", jobs)
                    ours_s.append(time.perf_counter() - start)
                else:
                    size_bare = bare(templates, work / "bare" / str(rep), jobs)
                    bare_s.append(time.perf_counter() - start)
            sizes = (size_ours, size_bare)
            log(f"  Dokumente: unser Weg {ours_s[-1]:.2f} s, docxtpl pur {bare_s[-1]:.2f} s")
        draft = work / "ours" / "bench-0" / "bench-0_entwurf_v1.docx"
        codes = _codes_in_draft(draft, project_codes)
        engine.dispose()
        pg.drop(prepared.database)
    o, b = median(ours_s), median(bare_s)
    return [
        Row(
            "Dokumente",
            f"1 Strategieentwurf + 12 Sitzungsvorlagen, 300 Projekte "
            f"({sizes[0] / 1024:.0f} KiB; {codes} Projektcodes im Entwurf)",
            o,
            baseline=b,
            baseline_label="docxtpl pur",
            target="≤ 1,3×",
            ok=o <= 1.3 * b,
            samples=ours_s,
        ),
        Row(
            "Dokumente",
            "  Kontexte bauen (cycle_facts + 13 Builder; nicht im Vergleich)",
            build_s,
        ),
    ]
