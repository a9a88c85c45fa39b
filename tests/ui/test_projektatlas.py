"""The public Projektatlas in a real browser (Debian's Chromium via Playwright), from files.

The site is written by the real code over the seeded data (one project marked "nicht
veröffentlichen", a granted application, a description with a person's address). The test
opens var/site/index.html, follows the link to every project and every body, checks that each
page renders and that no address of a person appears, and saves the screenshots (and the
report's charts) for the README tour under docs/rundgang/.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from reporting.atlas_setup import HIDDEN_CODE, PERSON, prepare_atlas_data
from sqlalchemy import select

from foerderflow.wiring import Services
from models.reporting.inputs import BerichtSachstandInput
from models.tables import Deadline, Project
from tasks.reporting.report import create_report
from tasks.reporting.site import write_site

pytestmark = [pytest.mark.browser]

CHROMIUM = os.environ.get("FOERDERFLOW_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip
DOCS = Path(__file__).resolve().parents[2] / "docs" / "rundgang"
TODAY = dt.date(2031, 4, 1)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium fehlt: `make test` installiert es (scripts/ensure_chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _check_page(page: Any) -> str:
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    text = page.locator("body").inner_text()
    assert not ADDRESS.search(text), f"{page.url} nennt eine Adresse"
    assert not ADDRESS.search(page.content()), f"{page.url} enthält eine Adresse"
    for img in page.locator("img").all():
        assert img.get_attribute("alt"), f"{page.url}: Bild ohne Alternativtext"
        assert page.evaluate("(i) => i.naturalWidth", img.element_handle()) > 0
    return text


# make test-all: the site in Chromium; projektatlas runs as a deployment in make test and
# the site's facts are checked without a browser (tests/reporting/test_projektatlas.py).
@pytest.mark.slow
def test_atlas_in_chromium(seeded: Services, browser: Any) -> None:
    prepare_atlas_data(seeded)
    out = write_site(seeded, TODAY)
    with seeded.sessions() as session:
        public = sorted(
            session.scalars(
                select(Project.code).where(Project.publish, Project.status != "verworfen")
            )
        )
    DOCS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(Path(out.index).as_uri())
    _check_page(page)
    page.screenshot(path=str(DOCS / "20-projektatlas-start.png"), full_page=False)

    links = page.locator("a[href^='projekte/']")
    codes = [links.nth(i).locator(".code").inner_text() for i in range(links.count())]
    assert sorted(codes) == public and HIDDEN_CODE not in codes
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    index_url = page.url
    for number, (code, href) in enumerate(zip(codes, hrefs, strict=True)):
        page.goto(index_url)
        page.locator(f"a[href='{href}']").click()
        text = _check_page(page)
        assert code in text and PERSON not in text
        if code == "HF4-01":
            assert "Regionaler Online-Marktplatz" in text and "Heimat 2.0" in text
            page.screenshot(path=str(DOCS / "21-projektatlas-projekt.png"), full_page=True)
        if number == 0:  # from a project page to its lead body's overview
            page.locator("dl.steckbrief a").first.click()
            _check_page(page)

    page.goto(index_url)
    page.locator("nav a", has_text="Städte, Gemeinden und Kreis").click()
    _check_page(page)
    bodies = page.locator("table a")
    assert bodies.count() == out.bodies
    page.screenshot(path=str(DOCS / "22-projektatlas-koerperschaften.png"), full_page=False)
    for href in [bodies.nth(i).get_attribute("href") for i in range(bodies.count())]:
        page.goto(index_url.replace("index.html", str(href)))
        _check_page(page)
    page.close()


def test_report_pictures_for_the_tour(seeded: Services) -> None:
    """The report's charts, taken out of the Word document, for the README."""
    prepare_atlas_data(seeded)
    with seeded.sessions.begin() as session:
        for days, kind, title in [
            (9, "zwischennachweis", "Zwischennachweis FA-2030-001"),
            (23, "aufrufstichtag", "Stichtag Förderaufruf Heimat 2.0"),
            (41, "partnerantwort", "Rückmeldung Olfen zu FA-2031-004"),
            (67, "verwendungsnachweis", "Verwendungsnachweis FA-2029-007"),
        ]:
            session.add(
                Deadline(key=f"tour-{days}", kind=kind, title=title, contact_email="k@x.example",
                         due_date=TODAY + dt.timedelta(days=days))
            )  # fmt: skip
    outcome = create_report(seeded, BerichtSachstandInput(), TODAY)
    document = docx.Document(io.BytesIO(Path(outcome.documents[0].path).read_bytes()))
    shapes = document.inline_shapes
    assert len(shapes) == 4
    DOCS.mkdir(parents=True, exist_ok=True)
    names = ["10-bericht-foerdermittel.png", "11-bericht-stufen.png",
             "12-bericht-handlungsfelder.png", "13-bericht-fristen.png"]  # fmt: skip
    for name, shape in zip(names, shapes, strict=True):
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        (DOCS / name).write_bytes(document.part.related_parts[blip.embed].blob)
