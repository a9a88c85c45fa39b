"""The Projektatlas files: only public facts, working links, escaped text, no addresses."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reporting.atlas_setup import FUNDED_CODE, HIDDEN_CODE, PERSON, prepare_atlas_data
from sqlalchemy import select

from foerderflow.wiring import Services
from models.money import format_eur
from models.tables import Body, Project
from tasks.reporting.site import write_site

TODAY = dt.date(2031, 4, 1)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)', html)


def test_site_shows_only_public_facts(seeded: Services) -> None:
    prepare_atlas_data(seeded)
    out = write_site(seeded, TODAY)
    root = Path(out.site_dir)
    with seeded.sessions() as session:
        public = sorted(
            session.scalars(
                select(Project.code).where(Project.publish, Project.status != "verworfen")
            )
        )
        bodies = session.scalar(select(Body).limit(1))
    assert HIDDEN_CODE not in public and out.projects == len(public)

    index = (root / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in index
    linked = {href for href in _links(index) if href.startswith("projekte/")}
    assert linked == {f"projekte/{code.lower()}.html" for code in public}
    assert (
        f"{HIDDEN_CODE}" not in index
        and not (root / f"projekte/{HIDDEN_CODE.lower()}.html").exists()
    )
    assert format_eur(42_000_000) in index  # funding acquired: public granted only
    assert 'alt="' in index and "bilder/funding.png" in index

    # Every link of every page resolves to a file of the site.
    for page in root.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in _links(html):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page.name}: {href}"
        assert not ADDRESS.search(html), f"{page.name} nennt eine Adresse"
        assert "Interner Vermerk" not in html and "Geheimes Vorhaben" not in html

    funded = (root / f"projekte/{FUNDED_CODE.lower()}.html").read_text(encoding="utf-8")
    assert PERSON not in funded and "[Adresse entfernt]" in funded
    assert "&lt;script&gt;" in funded and "<script>" not in funded
    assert "Regionaler Online-Marktplatz" in funded and format_eur(42_000_000) in funded
    assert "Heimat 2.0" in funded
    assert bodies is not None

    # A project that stops being public disappears on the next run.
    with seeded.sessions.begin() as session:
        project = session.scalar(select(Project).where(Project.code == FUNDED_CODE))
        assert project is not None
        project.publish = False
    again = write_site(seeded, TODAY)
    assert again.removed == 1 and not (root / f"projekte/{FUNDED_CODE.lower()}.html").exists()


def test_empty_installation_site(services: Services) -> None:
    out = write_site(services, TODAY)
    index = Path(out.index).read_text(encoding="utf-8")
    assert out.projects == 0 and "<h1>" in index
