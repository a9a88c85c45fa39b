"""The public Projektatlas: a static website (plain HTML and CSS) under ``var/site/``.

Pages are rendered from ``templates/site/*.j2`` with autoescape: every value is text, so user
text (titles, descriptions) cannot inject markup. File names come from project codes and body
slugs only. The charts are the report's charts, drawn from the public data alone.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import jinja2
from prefect import task
from pydantic import BaseModel, ConfigDict

from foerderflow.settings import SHIPPED_TEMPLATES_DIR, Settings, get_tenant
from foerderflow.wiring import Services, get_services
from models.reporting.atlas import Atlas, Chart, build_atlas, public_data
from models.reporting.period import ReportPeriod
from models.reporting.sachstand import CHART_TITLES, chart_alts, sachstand_facts
from tasks.calendar import write_atomic  # atomic, and an unchanged page is not rewritten
from tasks.reporting.charts import draw_chart
from tasks.reporting.queries import report_data
from tasks.reporting.report import source_line

SITE_CHARTS = ("funding", "fields")


class AtlasOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    site_dir: str
    index: str
    pages: int
    projects: int
    bodies: int
    removed: int


@lru_cache(maxsize=4)
def _environment(site_dir: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([site_dir, str(SHIPPED_TEMPLATES_DIR / "site")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def site_dir(settings: Settings) -> Path:
    return settings.var_dir / "site"


def _style(settings: Settings) -> bytes:
    own = settings.templates_dir / "site" / "style.css"
    path = own if own.is_file() else SHIPPED_TEMPLATES_DIR / "site" / "style.css"
    return path.read_bytes()


def render_site(settings: Settings, atlas: Atlas, charts: dict[str, bytes]) -> dict[str, bytes]:
    """All files of the site: relative path -> content."""
    env = _environment(str(settings.templates_dir / "site"))
    mandant = get_tenant().model_dump(mode="json")
    files: dict[str, bytes] = {"style.css": _style(settings)}

    def page(template: str, root: str, **extra: object) -> bytes:
        html = env.get_template(template).render(atlas=atlas, mandant=mandant, root=root, **extra)
        return html.encode("utf-8")

    for chart in atlas.charts:
        files[chart.file] = charts[chart.file.removeprefix("bilder/").removesuffix(".png")]
    files["index.html"] = page("index.html.j2", "")
    files["koerperschaften.html"] = page("koerperschaften.html.j2", "")
    for project in atlas.projects:
        files[f"projekte/{project.file}"] = page("projekt.html.j2", "../", project=project)
    for body in atlas.bodies:
        files[f"koerperschaften/{body.file}"] = page("koerperschaft.html.j2", "../", body=body)
    return files


def write_site(services: Services, today: dt.date) -> AtlasOutcome:
    settings = services.settings
    with services.sessions() as session:
        data = public_data(report_data(session))
    atlas = build_atlas(data, today)
    facts = sachstand_facts(data, today, ReportPeriod(start=today, end=today), None)
    alts = chart_alts(facts)
    source = source_line(get_tenant(), today)
    charts = {key: draw_chart(key, facts, source) for key in SITE_CHARTS}
    atlas = atlas.model_copy(
        update={
            "charts": [
                Chart(file=f"bilder/{key}.png", title=CHART_TITLES[key], alt=alts[key])
                for key in SITE_CHARTS
            ]
        }
    )
    files = render_site(settings, atlas, charts)
    root = site_dir(settings)
    for relative, content in files.items():
        write_atomic(root / relative, content)
    removed = 0
    for folder in ("projekte", "koerperschaften", "bilder"):
        for old in (root / folder).glob("*"):
            if old.is_file() and f"{folder}/{old.name}" not in files:
                old.unlink()  # a project no longer public disappears from the site
                removed += 1
    return AtlasOutcome(
        site_dir=str(root),
        index=str(root / "index.html"),
        pages=sum(1 for name in files if name.endswith(".html")),
        projects=len(atlas.projects),
        bodies=len(atlas.bodies),
        removed=removed,
    )


@task(name="projektatlas-schreiben")
def write_site_task(today: dt.date) -> AtlasOutcome:
    return write_site(get_services(), today)
