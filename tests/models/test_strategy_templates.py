"""The strategy templates belong to the tenant: reworded in Word, for another Kreis, on the page.

* a reworded copy of a template in the tenant's templates folder renders without code changes,
* another Kreis with another number of municipalities gets its own names and counts,
* no word of a table (header, project name, body, status) is wider than its column.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
from pathlib import Path

import docx
import pytest
import yaml
from strategy_support import all_bodies, body_named, cycle_facts, status_request
from support import docx_text

import tasks.documents
from foerderflow.settings import SHIPPED_TEMPLATES_DIR, Settings
from foerderflow.tenant import Tenant, parse_tenant
from models.bodies import BodyView
from models.strategy import (
    BodyCycleView,
    ProjectView,
    ReportedStatus,
    ReportState,
    ResolutionView,
    consolidate,
    funding_by_body,
)
from models.strategy_docs import (
    ENTWURF_TEMPLATE,
    FREIGABE_TEMPLATE,
    STATUSABFRAGE_TEMPLATE,
    VORLAGE_TEMPLATE,
    CycleFacts,
    CycleStanding,
    ResolutionRecord,
    entwurf_context,
    freigabe_context,
    sitzungsvorlage_strategie_context,
    statusabfrage_context,
)
from tasks.documents import render_docx

ROOT = Path(__file__).resolve().parents[2]


def _reword(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the runs of a .docx, as an edit in Word would."""
    document = docx.Document(str(path))
    hits = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                hits += 1
    assert hits, f"{old!r} not found in {path.name}"
    document.save(str(path))


def test_a_reworded_council_paper_in_the_tenants_folder_renders_without_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "vorlagen"
    own.mkdir()
    shutil.copy(SHIPPED_TEMPLATES_DIR / VORLAGE_TEMPLATE, own / VORLAGE_TEMPLATE)
    _reword(own / VORLAGE_TEMPLATE, "I. Sachdarstellung", "1. Sachverhalt und Begründung")
    _reword(
        own / VORLAGE_TEMPLATE,
        "Der {{ body.council }} beschließt die Fortschreibung",
        "Der {{ body.council }} stimmt der Fortschreibung zu, und zwar",
    )
    monkeypatch.setenv("FOERDERFLOW_TEMPLATES_DIR", str(own))
    templates = Settings(_env_file=None).templates_dir  # type: ignore[call-arg]
    assert templates == own

    facts = cycle_facts()
    olfen = body_named("Olfen")
    paper = docx_text(
        render_docx(
            templates / VORLAGE_TEMPLATE,
            sitzungsvorlage_strategie_context(facts, olfen, "SV-27-0010"),
        )
    )
    assert "1. Sachverhalt und Begründung" in paper
    assert "Der Rat der Stadt Olfen stimmt der Fortschreibung zu, und zwar" in paper
    assert "I. Sachdarstellung" not in paper and "Olfen beschließt" not in paper
    assert "SV-27-0010" in paper and "§ 41 (1) GO NRW" in paper  # the facts stay
    # the shipped copy is untouched
    shipped = docx_text(
        render_docx(
            SHIPPED_TEMPLATES_DIR / VORLAGE_TEMPLATE,
            sitzungsvorlage_strategie_context(facts, olfen, "SV-27-0010"),
        )
    )
    assert "I. Sachdarstellung" in shipped and "stimmt der Fortschreibung zu" not in shipped
    # the other documents come from the shipped templates, with their facts
    draft = docx_text(render_docx(templates / ENTWURF_TEMPLATE, entwurf_context(facts)))
    assert draft.startswith("Fortschreibung der Digitalisierungsstrategie 2027")
    request = docx_text(
        render_docx(templates / STATUSABFRAGE_TEMPLATE, status_request(olfen, bodies=all_bodies()))
    )
    assert "Stadt Olfen" in request and "Freitag, 26.02.2027" in request


# --- another Kreis ----------------------------------------------------------------------------


def _borken() -> Tenant:
    text = (ROOT / "data" / "mandant.yaml").read_text(encoding="utf-8")
    text = text.replace("Coesfeld", "Borken").replace("COE", "BOR").replace("coe", "bor")
    data = yaml.safe_load(text)
    data["kreis"]["regionalschluessel"] = "055540000000"
    data["briefkopf"]["zeile2"] = "Burloer Straße 93 · 46325 Borken"
    data["strategie"] = {"name": "Borken digital 2030", "kurzname": "Borken digital"}
    return parse_tenant(data)


def _body_of(i: int, name: str, official: str, kind: str) -> BodyView:
    kreis = kind == "kreis"
    return BodyView(
        id=i,
        slug=name.lower().replace(" ", "-"),
        name=name,
        official_name=official,
        kind=kind,
        council=f"Kreistag des Kreises {name.removeprefix('Kreis ')}"
        if kreis
        else f"Rat der {official}",
        legal_basis="§ 26 (1) KrO NRW" if kreis else "§ 41 (1) GO NRW",
        email=f"digital@{name.lower().replace(' ', '-')}.example",
        population=50_000,
    )


BORKEN_BODIES = [
    _body_of(1, "Kreis Borken", "Kreis Borken", "kreis"),
    _body_of(2, "Ahaus", "Stadt Ahaus", "stadt"),
    _body_of(3, "Bocholt", "Stadt Bocholt", "stadt"),
    _body_of(4, "Heek", "Gemeinde Heek", "gemeinde"),
]
BORKEN_PROJECTS = [
    ProjectView(code="HF2-01", title="Gemeinsames Serviceportal",
                field="Verwaltung & Bürgerservice", lead="Kreis Borken",
                participants=["Ahaus", "Bocholt", "Heek"], status="in_umsetzung"),
    ProjectView(code="HF3-01", title="Bürgerbus per App", field="Mobilität", lead="Heek",
                participants=["Ahaus"], status="geplant"),
    ProjectView(code="HF8-01", title="Hochwasser-Frühwarnung", field="Umwelt & Energie",
                lead="Bocholt", participants=[], status="geplant"),
]  # fmt: skip


def test_another_kreis_gets_its_own_names_and_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.documents, "get_tenant", _borken)
    names = [b.name for b in BORKEN_BODIES]
    baseline = {p.code: p.status.value for p in BORKEN_PROJECTS}
    reports = [
        ReportedStatus(project_code="HF3-01", body="Heek", body_label="Gemeinde Heek",
                       status="in_umsetzung", note="Start im Mai"),
    ]  # fmt: skip
    states = [
        BodyCycleView(body=b.name, official_name=b.official_name, slug=b.slug,
                      report_state=ReportState.GEMELDET, reported_on=dt.date(2027, 2, 1),
                      paper_number=f"SV-{i}", response_due=dt.date(2027, 2, 26),
                      resolution=ResolutionView(outcome="beschlossen",
                                                meeting_date=dt.date(2027, 3, 10 + i)))
        for i, b in enumerate(BORKEN_BODIES, start=1)
    ]  # fmt: skip
    facts = CycleFacts(
        year=2027,
        version=1,
        today=dt.date(2027, 3, 3),
        opened_on=dt.date(2027, 1, 15),
        response_due=dt.date(2027, 2, 26),
        bodies=BORKEN_BODIES,
        states=states,
        rows=consolidate(BORKEN_PROJECTS, baseline, reports),
        funding=funding_by_body([], names),
        restricted_amount_cents=5_000_000,
    )
    heek = BORKEN_BODIES[3]
    texts = {
        "statusabfrage": statusabfrage_context(
            year=2027, body=heek, projects=BORKEN_PROJECTS, baseline=baseline,
            response_due=dt.date(2027, 2, 26), today=dt.date(2027, 1, 15),
            coordinator_email="k@borken.example", entered_by="Bea", bodies=BORKEN_BODIES,
        ),
        "entwurf": entwurf_context(facts),
        "vorlage_kreis": sitzungsvorlage_strategie_context(facts, BORKEN_BODIES[0], "SV-1"),
        "vorlage_heek": sitzungsvorlage_strategie_context(facts, heek, "SV-4"),
        "freigabe": freigabe_context(
            CycleStanding(year=2027, bodies=BORKEN_BODIES, states=states,
                          restricted_amount_cents=5_000_000),
            history=[ResolutionRecord(body=s.body, resolution=s.resolution) for s in states
                     if s.resolution is not None],
            completing_body=heek, released_on=dt.date(2027, 3, 20),
        ),
    }  # fmt: skip
    templates = {
        "statusabfrage": STATUSABFRAGE_TEMPLATE,
        "entwurf": ENTWURF_TEMPLATE,
        "vorlage_kreis": VORLAGE_TEMPLATE,
        "vorlage_heek": VORLAGE_TEMPLATE,
        "freigabe": FREIGABE_TEMPLATE,
    }
    rendered = {
        key: docx_text(render_docx(SHIPPED_TEMPLATES_DIR / templates[key], context))
        for key, context in texts.items()
    }
    for key, text in rendered.items():
        assert "Coesfeld" not in text and "COE" not in text, key
        assert "Borken" in text, key
        words = set(re.findall(r"\w+", text))
        assert not words & {"elf", "zwölf"}, key  # no count of the Coesfeld bodies
    for key in ("entwurf", "vorlage_kreis", "vorlage_heek", "freigabe"):
        words = set(re.findall(r"\w+", rendered[key]))
        assert {"vier", "drei"} <= words, key  # four councils, three municipalities
    assert "Borken digital 2030" in rendered["vorlage_heek"]
    assert "Kreistag des Kreises Borken" in rendered["vorlage_kreis"]
    assert "§ 26 (1) KrO NRW" in rendered["vorlage_kreis"]
    assert (
        "Gemeinde Heek" in rendered["vorlage_heek"]
        and "§ 41 (1) GO NRW" in rendered["vorlage_heek"]
    )
    assert "Borken, den 20.03.2027" in rendered["freigabe"]
    assert "vier" in set(re.findall(r"\w+", rendered["statusabfrage"]))


def _one_pixel_png() -> bytes:
    """The smallest valid PNG: a picture for each chart slot of the report."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_report_and_generic_paper_name_the_tenants_agency(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Sachstandsbericht's footer and the generic Sitzungsvorlage's "Vorbereitet durch"
    come from the tenant: no "Coesfeld" and no "COE" in another Kreis's papers."""
    import tasks.reporting.report as report
    from models.documents import SitzungsvorlageContext
    from models.reporting.period import ReportPeriod
    from models.reporting.records import BodyRecord, ReportData
    from models.reporting.sachstand import sachstand_context, sachstand_facts

    monkeypatch.setattr(tasks.documents, "get_tenant", _borken)
    monkeypatch.setattr(report, "get_tenant", _borken)
    day = dt.date(2031, 4, 1)
    data = ReportData(
        bodies=[BodyRecord(name=b.name, official_name=b.official_name) for b in BORKEN_BODIES],
        applications=[],
        projects=[],
        deadlines=[],
    )
    facts = sachstand_facts(data, day, ReportPeriod(start=day, end=day), None)
    context = sachstand_context(facts, committee="Kreisausschuss", committee_body="Kreistag")
    pictures = dict.fromkeys(report.SLOTS, _one_pixel_png())
    document = docx.Document(
        io.BytesIO(report.render_report_docx(SHIPPED_TEMPLATES_DIR, context, pictures))
    )
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "Digitalagentur BOR – Kreis Borken und seine Städte und Gemeinden" in footer
    body = "\n".join(p.text for p in document.paragraphs)
    for text in (footer, body):
        assert "Coesfeld" not in text and "COE" not in text

    paper = SitzungsvorlageContext(
        number="SV-31-0001", date="01.04.2031", body="Kreis Borken",
        council="Kreistag des Kreises Borken", subject="Digitale Bürgerdienste",
        proposal="Der Kreistag beschließt.", facts=["Sachverhalt."], alternatives=["Keine."],
        finances="Keine.", personnel="Keine.", it="Keine.", climate="Keine.",
        competence="Zuständig ist der Kreistag.",
    )  # fmt: skip
    text = docx_text(render_docx(SHIPPED_TEMPLATES_DIR / "sitzungsvorlage.docx", paper))
    assert "Digitalagentur BOR" in text
    assert "Coesfeld" not in text and "COE" not in text


# --- tables fit the page ----------------------------------------------------------------------

FONT = Path("/usr/share/fonts/truetype/liberation")  # Liberation Sans: the metrics of Arial
CELL_MARGINS_CM = 0.38  # Word's default left and right cell margins of 0.19 cm
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Metrics:
    """Advance widths of a TrueType font (cmap format 4 and hmtx), enough to measure words."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        tables = {}
        for i in range(struct.unpack(">H", data[4:6])[0]):
            tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
            tables[tag.decode()] = offset
        self.units = struct.unpack(">H", data[tables["head"] + 18 : tables["head"] + 20])[0]
        count = struct.unpack(">H", data[tables["hhea"] + 34 : tables["hhea"] + 36])[0]
        hmtx = tables["hmtx"]
        self.advance = [
            struct.unpack(">H", data[hmtx + 4 * i : hmtx + 4 * i + 2])[0] for i in range(count)
        ]
        cmap = tables["cmap"]
        sub = next(
            cmap + struct.unpack(">I", data[cmap + 8 + 8 * i : cmap + 12 + 8 * i])[0]
            for i in range(struct.unpack(">H", data[cmap + 2 : cmap + 4])[0])
            if struct.unpack(">HH", data[cmap + 4 + 8 * i : cmap + 8 + 8 * i]) == (3, 1)
        )
        seg2 = struct.unpack(">H", data[sub + 6 : sub + 8])[0]
        n = seg2 // 2
        self.ends = struct.unpack(f">{n}H", data[sub + 14 : sub + 14 + seg2])
        base = sub + 16 + seg2
        self.starts = struct.unpack(f">{n}H", data[base : base + seg2])
        self.deltas = struct.unpack(f">{n}h", data[base + seg2 : base + 2 * seg2])
        self.range_at = base + 2 * seg2
        self.ranges = struct.unpack(f">{n}H", data[self.range_at : self.range_at + seg2])
        self.data = data

    def _glyph(self, char: str) -> int:
        code = ord(char)
        for i, end in enumerate(self.ends):
            if self.starts[i] <= code <= end:
                if self.ranges[i] == 0:
                    return (code + self.deltas[i]) & 0xFFFF
                at = self.range_at + 2 * i + self.ranges[i] + 2 * (code - self.starts[i])
                glyph = struct.unpack(">H", self.data[at : at + 2])[0]
                return (glyph + self.deltas[i]) & 0xFFFF if glyph else 0
        return 0

    def width_cm(self, text: str, points: float) -> float:
        units = sum(self.advance[min(self._glyph(c), len(self.advance) - 1)] for c in text)
        return units / self.units * points / 72 * 2.54


def _draft() -> bytes:
    return render_docx(SHIPPED_TEMPLATES_DIR / ENTWURF_TEMPLATE, entwurf_context(cycle_facts()))


def _too_wide(data: bytes, regular: _Metrics, bold: _Metrics) -> list[str]:
    """Words wider than their column (the header row is bold; the tables use 9.5 pt)."""
    problems = []
    for table in docx.Document(io.BytesIO(data)).tables:
        grid = [int(col.get(f"{W}w")) / 567 for col in table._tbl.tblGrid.findall(f"{W}gridCol")]
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                font = bold if r == 0 else regular
                for word in re.split(r"[ \t\n]+|(?<=-)", cell.text):  # Word breaks after a hyphen
                    if word and font.width_cm(word, 9.5) + CELL_MARGINS_CM > grid[c]:
                        problems.append(f"{word!r} ({grid[c]:.1f} cm)")
    return problems


@pytest.mark.skipif(
    not (FONT / "LiberationSans-Regular.ttf").is_file(), reason="no Liberation Sans"
)
def test_no_word_of_a_strategy_table_is_split() -> None:
    regular = _Metrics(FONT / "LiberationSans-Regular.ttf")
    bold = _Metrics(FONT / "LiberationSans-Bold.ttf")
    assert regular.width_cm("Federführung", 9.5) == pytest.approx(2.01, abs=0.02)
    documents = [
        render_docx(SHIPPED_TEMPLATES_DIR / ENTWURF_TEMPLATE, entwurf_context(cycle_facts()))
    ]
    documents += [
        render_docx(
            SHIPPED_TEMPLATES_DIR / STATUSABFRAGE_TEMPLATE, status_request(b, bodies=all_bodies())
        )
        for b in all_bodies()
    ]
    problems = [p for data in documents for p in _too_wide(data, regular, bold)]
    assert problems == []
    # the check can fail: the seven columns on a portrait page split the words
    draft = docx.Document(io.BytesIO(documents[0]))
    project_table = next(t for t in draft.tables if len(t.columns) == 7)
    for col in project_table._tbl.tblGrid.findall(f"{W}gridCol"):
        col.set(f"{W}w", str(int(16.5 / 7 * 567)))
    buffer = io.BytesIO()
    draft.save(buffer)
    assert any("Federführung" in p for p in _too_wide(buffer.getvalue(), regular, bold))


def test_the_project_lists_are_on_landscape_pages() -> None:
    draft = docx.Document(
        io.BytesIO(
            render_docx(SHIPPED_TEMPLATES_DIR / ENTWURF_TEMPLATE, entwurf_context(cycle_facts()))
        )
    )
    orientations = [s.page_width > s.page_height for s in draft.sections]
    assert orientations == [False, True, False]
    body = draft.element.body
    landscape_end = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None][1]
    seven = [t for t in draft.tables if len(t.columns) == 7]
    assert seven and all(  # every project table sits before the end of the landscape section
        list(body.iter()).index(t._tbl) < list(body.iter()).index(landscape_end) for t in seven
    )
