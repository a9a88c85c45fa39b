import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as load_docx
from support import docx_text

from models.application import Stage
from models.bodies import BodyView, ProgrammeView
from models.documents import projektskizze_context
from models.views import ApplicationView, PartnerView
from tasks.documents import document_filename, render_docx
from tasks.template_lint import lint_templates

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

LEAD = BodyView(
    id=1,
    slug="duelmen",
    name="Dülmen",
    official_name="Stadt Dülmen",
    kind="stadt",
    council="Rat der Stadt Dülmen",
    legal_basis="§ 41 (1) GO NRW",
    email="d@example.org",
    population=47300,
)
OLFEN = LEAD.model_copy(
    update={"id": 2, "slug": "olfen", "name": "Olfen", "official_name": "Stadt Olfen"}
)
HEIMAT = ProgrammeView(
    id=1,
    slug="heimat-2-0",
    name="Heimat 2.0",
    funder="BMI/BBSR",
    funding_rate_percent=Decimal("90"),
    min_grant_cents=20_000_000,
    max_grant_cents=60_000_000,
    max_duration_months=36,
    call_deadline=dt.date(2027, 2, 28),
)
NASTY = 'Smart & Co <Pilot> "Süd" {{ 7*7 }} {% if x %}x{% endif %} Ärger'


def _context(title: str = NASTY, costs: int = 50_000_000):
    app = ApplicationView(
        id=7,
        reference="FA-2026-007",
        year=2026,
        stage=Stage.IDEE,
        title=title,
        summary="Zeile eins.\nZeile zwei <b>.",
        lead=LEAD,
        partners=[
            PartnerView(body=LEAD, is_lead=True, position=0, decision="zugesagt"),
            PartnerView(body=OLFEN, is_lead=False, position=1, decision="offen"),
        ],
        programme=HEIMAT,
        estimated_costs_cents=costs,
        coordinator_email="k@example.org",
        created_by="Anna",
        created_on=dt.date(2026, 12, 20),
    )
    return projektskizze_context(app, dt.date(2026, 12, 24))


def test_projektskizze_holds_facts_verbatim_and_german_formats() -> None:
    text = docx_text(render_docx(TEMPLATES / "projektskizze.docx", _context()))
    assert NASTY in text  # autoescaped, never evaluated as a template
    assert "49" not in text.split("Ärger")[0].split("Smart")[1]
    assert "Stadt Dülmen" in text and "Stadt Olfen" in text
    assert "500.000,00\u00a0€" in text  # costs
    assert "450.000,00\u00a0€" in text  # 90 % grant
    assert "50.000,00\u00a0€" in text  # own share
    assert "24.12.2026" in text and "28.02.2027" in text
    assert "Zeile eins.\nZeile zwei <b>." in text


def test_cap_and_minimum_notes() -> None:
    capped_ctx = _context(costs=90_000_000)
    assert capped_ctx.capped and not capped_ctx.below_minimum
    capped = docx_text(render_docx(TEMPLATES / "projektskizze.docx", capped_ctx))
    assert "600.000,00\u00a0€" in capped  # the cap is named (and is the grant)
    assert "200.000,00\u00a0€" not in capped
    small_ctx = _context(costs=10_000_000)
    assert small_ctx.below_minimum and not small_ctx.capped
    small = docx_text(render_docx(TEMPLATES / "projektskizze.docx", small_ctx))
    assert "200.000,00\u00a0€" in small  # the minimum the grant falls short of
    assert "600.000,00\u00a0€" not in small


def test_rendered_document_opens_as_word_file(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(render_docx(TEMPLATES / "projektskizze.docx", _context("A\x01B\x0bC")))
    assert "ABC" in "\n".join(p.text for p in load_docx(str(path)).paragraphs)


def test_filename_uses_identifiers_only() -> None:
    assert document_filename("FA-2026-001", "sitzungsvorlage", "duelmen", 2) == (
        "FA-2026-001_sitzungsvorlage_duelmen_v2.docx"
    )


def test_committed_templates_pass_the_lint() -> None:
    assert lint_templates(TEMPLATES) == []


def test_lint_finds_unknown_variable_and_missing_model(tmp_path: Path) -> None:
    from docxtpl import DocxTemplate

    shutil.copy(TEMPLATES / "projektskizze.docx", tmp_path / "projektskizze.docx")
    tpl = load_docx(str(tmp_path / "projektskizze.docx"))
    tpl.add_paragraph("{{ gibt_es_nicht }}")
    tpl.save(str(tmp_path / "projektskizze.docx"))
    shutil.copy(TEMPLATES / "projektskizze.docx", tmp_path / "unbekannt.docx")
    assert (
        "gibt_es_nicht"
        in DocxTemplate(str(tmp_path / "projektskizze.docx")).get_undeclared_template_variables()
    )
    problems = lint_templates(tmp_path)
    assert any("gibt_es_nicht" in p for p in problems)
    assert any(p.startswith("unbekannt.docx: kein Kontextmodell") for p in problems)


def test_lint_finds_typos_in_attributes_and_lists_variables(tmp_path: Path) -> None:
    from tasks.template_lint import template_reports

    tpl = load_docx(str(TEMPLATES / "projektskizze.docx"))
    tpl.add_paragraph("{{ lead.dativx }} {{ mandant.kreis.nam }} {{ mandant.strategie.name }}")
    tpl.save(str(tmp_path / "projektskizze.docx"))
    problems = lint_templates(tmp_path)
    assert any("lead.dativx" in p and "mandant.kreis.nam" in p for p in problems)
    assert not any("mandant.strategie.name" in p for p in problems)
    (report,) = [r for r in template_reports(tmp_path) if r.name == "projektskizze.docx"]
    assert report.own and "lead.dativ" in report.variables
    assert "mandant.strategie.name" in report.variables and "title" in report.variables
    shipped = [r for r in template_reports(tmp_path) if r.name == "nachweis.docx"]
    assert shipped and not shipped[0].own and shipped[0].problems == []


def test_lint_reports_jinja_syntax_errors(tmp_path: Path) -> None:
    tpl = load_docx(str(TEMPLATES / "projektskizze.docx"))
    tpl.add_paragraph("{% if title %}ohne Ende")
    tpl.save(str(tmp_path / "projektskizze.docx"))
    assert any(
        p.startswith("projektskizze.docx: Jinja-Syntaxfehler") for p in lint_templates(tmp_path)
    )


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_every_template_is_a_real_docx(name: str) -> None:
    assert load_docx(str(TEMPLATES / name)).paragraphs


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_every_template_defines_the_styles_it_uses(name: str) -> None:
    """The templates carry only the styles they use (not python-docx's 164 defaults, which
    made every document 800 KB of XML to parse and compress): each style a paragraph, run,
    table or list level refers to is defined, with the styles it builds on."""
    import re
    import zipfile

    with zipfile.ZipFile(TEMPLATES / name) as package:
        styles = package.read("word/styles.xml").decode()
        parts = [
            package.read(n).decode()
            for n in package.namelist()
            if n.startswith("word/") and n.endswith(".xml") and "styles" not in n
        ]
    defined = set(re.findall(r'<w:style [^>]*w:styleId="([^"]+)"', styles))
    attribute = r'<w:(?:pStyle|rStyle|tblStyle|basedOn|link|next) w:val="([^"]+)"'
    used = {style for xml in [*parts, styles] for style in re.findall(attribute, xml)}
    assert used and used <= defined, sorted(used - defined)
    assert {"Normal", "Heading2", "TableGrid", "ListBullet"} <= used
    assert len(styles) < 40_000
