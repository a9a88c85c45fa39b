"""Small helpers to write Word templates with python-docx (used by the one-time bootstrap
scripts/build_templates.py; the templates in templates/ are edited in Word since).

Every Jinja tag is written into a single run so docxtpl sees it intact.
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

# The letterhead and footer come from the tenant (data/mandant.yaml) when the document renders.
HEADER_TEXT = "{{ mandant.briefkopf.zeile1 }}"
FOOTER_TEXT = "{{ mandant.agentur.langname }}"
DARK = RGBColor(0x1F, 0x3A, 0x5F)


def new_document(kind_label: str) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(2.0)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 14), (2, 12), (3, 11)):
        style = doc.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = DARK
        style.paragraph_format.space_before = Pt(10 if level > 1 else 4)
        style.paragraph_format.space_after = Pt(4)
    header = section.header.paragraphs[0]
    run = header.add_run(f"{HEADER_TEXT}\t\t{kind_label}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    frun = footer.add_run(FOOTER_TEXT)
    frun.font.size = Pt(8)
    frun.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    return doc


def title(doc: DocxDocument, text: str, sub: str | None = None) -> None:
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(16)
    r.font.color.rgb = DARK
    p.paragraph_format.space_after = Pt(2)
    if sub:
        s = doc.add_paragraph()
        sr = s.add_run(sub)
        sr.font.size = Pt(10)
        sr.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def heading(doc: DocxDocument, text: str, level: int = 2) -> Paragraph:
    return doc.add_heading(text, level=level)


def para(
    doc: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: str | None = None,
    style: str | None = None,
) -> Paragraph:
    p = doc.add_paragraph(style=style)
    r = p.add_run(text)
    r.bold = bold
    r.italic = italic
    if size:
        r.font.size = Pt(size)
    if align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


def rich(doc: DocxDocument, parts: list[tuple[str, bool]]) -> Paragraph:
    """A paragraph of several runs: (text, bold)."""
    p = doc.add_paragraph()
    for text, bold in parts:
        r = p.add_run(text)
        r.bold = bold
    return p


def tag(doc: DocxDocument, text: str) -> None:
    """A paragraph holding only a docxtpl block tag such as ``{%p if x %}``."""
    doc.add_paragraph().add_run(text)


def bullet(doc: DocxDocument, text: str) -> Paragraph:
    return para(doc, text, style="List Bullet")


def _shade(cell: object, color: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tc_pr.append(shd)


def kv_table(
    doc: DocxDocument, rows: list[tuple[str, str]], widths: tuple[float, float] = (5.5, 11.0)
) -> Table:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(widths[0]), Cm(widths[1])
        lr = cells[0].paragraphs[0].add_run(label)
        lr.bold = True
        lr.font.size = Pt(10)
        _shade(cells[0], "E8EEF5")
        vr = cells[1].paragraphs[0].add_run(value)
        vr.font.size = Pt(10)
    doc.add_paragraph()
    return table


def loop_table(
    doc: DocxDocument,
    headers: list[str],
    loop: str,
    cells: list[str],
    *,
    footer: list[str] | None = None,
    widths: list[float] | None = None,
    right_align: set[int] | None = None,
) -> Table:
    """A table with a header row, one templated row repeated by ``{%tr for … %}``, and a footer.

    ``loop`` is the for-clause, e.g. ``"for s in shares"``.
    """
    right_align = right_align or set()
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        r = cell.paragraphs[0].add_run(text)
        r.bold = True
        r.font.size = Pt(9.5)
        _shade(cell, "D5E0EC")
    start = table.add_row().cells
    start[0].paragraphs[0].add_run("{%tr " + loop + " %}")
    row = table.add_row().cells
    for i, text in enumerate(cells):
        r = row[i].paragraphs[0].add_run(text)
        r.font.size = Pt(9.5)
        if i in right_align:
            row[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    end = table.add_row().cells
    end[0].paragraphs[0].add_run("{%tr endfor %}")
    if footer:
        frow = table.add_row().cells
        for i, text in enumerate(footer):
            r = frow[i].paragraphs[0].add_run(text)
            r.bold = True
            r.font.size = Pt(9.5)
            if i in right_align:
                frow[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for r_ in table.rows:
            for i, w in enumerate(widths):
                r_.cells[i].width = Cm(w)
    doc.add_paragraph()
    return table


def signature_block(doc: DocxDocument, left: str, right: str | None = None) -> None:
    doc.add_paragraph()
    table = doc.add_table(rows=2, cols=2 if right else 1)
    table.rows[0].cells[0].paragraphs[0].add_run("______________________________")
    table.rows[1].cells[0].paragraphs[0].add_run(left).font.size = Pt(9)
    if right:
        table.rows[0].cells[1].paragraphs[0].add_run("______________________________")
        table.rows[1].cells[1].paragraphs[0].add_run(right).font.size = Pt(9)


def grid_table(
    doc: DocxDocument,
    headers: list[str],
    rows: list[list[str]],
    *,
    widths: list[float] | None = None,
    right_align: set[int] | None = None,
    bold_last: bool = False,
) -> Table:
    """A fixed table (no loop): a shaded header row, then ``rows``; one run per cell."""
    right_align = right_align or set()
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        r = cell.paragraphs[0].add_run(text)
        r.bold = True
        r.font.size = Pt(9.5)
        _shade(cell, "D5E0EC")
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for i, text in enumerate(values):
            r = cells[i].paragraphs[0].add_run(text)
            r.font.size = Pt(9.5)
            r.bold = bold_last and index == len(rows) - 1
            if i in right_align:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for r_ in table.rows:
            for i, w in enumerate(widths):
                r_.cells[i].width = Cm(w)
    doc.add_paragraph()
    return table


def labelled(
    doc: DocxDocument, label: str, text: str, *, align: str | None = "justify"
) -> Paragraph:
    """A paragraph starting with a bold label ("Finanzen: ") followed by plain text."""
    p = rich(doc, [(label, True), (text, False)])
    if align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def save_lean(doc: DocxDocument, path: str) -> None:
    """Save with only the styles the document uses (and what they build on): python-docx's
    default template brings 164 styles (350 KB) and Word 2010's stylesWithEffects copy of
    them (438 KB), which every rendered document would parse, serialise and compress."""
    import re

    xml = "".join(
        part.blob.decode("utf-8", "ignore")
        for part in doc.part.package.iter_parts()
        if part.partname.endswith(".xml") and "styles" not in part.partname
    )
    reference = r'w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"'
    used = set(re.findall(reference, xml))
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = used | {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
    pending = list(keep)
    while pending:
        style = by_id.get(pending.pop())
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(tag)) if style is not None else None
            if ref is not None and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)
    doc.save(path)
