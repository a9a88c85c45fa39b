"""Every variable of the newsletter and site templates exists in their context."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

from models.reporting.newsletter import NewsletterContext
from tasks.template_lint import lint_templates

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SITE_NAMES = {"atlas", "mandant", "root", "project", "body"}


def _variables(folder: Path, name: str) -> set[str]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True)
    return set(meta.find_undeclared_variables(env.parse((folder / name).read_text("utf-8"))))


@pytest.mark.parametrize("name", ["newsletter.html.j2", "newsletter.txt.j2"])
def test_newsletter_variables(name: str) -> None:
    unknown = _variables(TEMPLATES / "mail", name) - set(NewsletterContext.model_fields)
    assert unknown <= {"mandant"}


@pytest.mark.parametrize("name", sorted(p.name for p in (TEMPLATES / "site").glob("*.j2")))
def test_site_variables(name: str) -> None:
    assert _variables(TEMPLATES / "site", name) <= SITE_NAMES


def test_report_template_lint() -> None:
    assert [p for p in lint_templates(TEMPLATES) if "sachstand" in p] == []
