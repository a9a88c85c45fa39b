"""Word template of the Sachstandsbericht (merged into ``build_templates.py``).

A Mitteilungsvorlage "zur Kenntnis": Betreff, I. Sachdarstellung, II. Auswirkungen /
Zusammenhänge, III. Anlagen – no Beschlussvorschlag. The variables are the fields of
``models.reporting.sachstand.SachstandContext`` plus the tenant's ``mandant.*``. Every Jinja
tag sits in a single run (see docx_builder).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx_builder import (
    bullet,
    heading,
    kv_table,
    labelled,
    loop_table,
    new_document,
    para,
    save_lean,
    tag,
)

MONEY_HEADERS = ["Anträge", "Beantragt", "Bewilligt", "Eigenanteile"]
MONEY_CELLS = ["{{ r.applications }}", "{{ r.requested }}", "{{ r.granted }}", "{{ r.own_share }}"]
MONEY_WIDTHS = [4.6, 1.8, 3.3, 3.3, 3.3]


def _money_table(doc: DocxDocument, first: str, rows: str, total: str) -> None:
    loop_table(
        doc,
        [first, *MONEY_HEADERS],
        f"for r in {rows}",
        ["{{ r.label }}", *MONEY_CELLS],
        footer=[
            "Summe",
            *(cell.replace("r.", f"{total}.") for cell in MONEY_CELLS),
        ],
        widths=MONEY_WIDTHS,
        right_align={1, 2, 3, 4},
    )


def _chart(doc: DocxDocument, slot: str, number: int) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run(f"{{{{ {slot}.image }}}}")
    caption = doc.add_paragraph()
    run = caption.add_run(f"Abbildung {number}: {{{{ {slot}.title }}}}")
    run.italic = True
    run.font.size = Pt(9)


def sachstandsbericht() -> DocxDocument:
    doc = new_document("Mitteilungsvorlage")
    header = doc.sections[0].header.paragraphs[0]
    for run in header.runs:
        run.text = ""
    hrun = header.add_run("{{ mandant.briefkopf.zeile1 }}\t\tMitteilungsvorlage")
    hrun.font.size = Pt(8)
    hrun.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    para(doc, "Mitteilungsvorlage", bold=True, size=16)
    para(doc, "zur Kenntnisnahme", italic=True)
    kv_table(
        doc,
        [
            ("Gremium", "{{ committee }}"),
            ("Vertretungskörperschaft", "{{ committee_body }}"),
            ("Stichtag", "{{ stichtag }}"),
            ("Berichtszeitraum", "{{ period }}"),
            ("Federführung", "{{ mandant.agentur.name }}"),
        ],
    )
    p = doc.add_paragraph()
    p.add_run("Betreff: ").bold = True
    p.add_run(
        "Sachstandsbericht zur Umsetzung der Digitalisierungsstrategie „{{ mandant.strategie.name "
        "}}“ und zur Akquise von Fördermitteln durch die {{ mandant.agentur.name }}"
    ).bold = True
    para(
        doc,
        "Die Vorlage dient der Information des Ausschusses. Ein Beschluss ist nicht erforderlich.",
        italic=True,
    )

    heading(doc, "I. Sachdarstellung", level=1)
    tag(doc, "{%p if last_report %}")
    para(
        doc,
        "Über den Sachstand der Umsetzung wurde zuletzt mit Stichtag {{ last_report }} "
        "berichtet. Dieser Bericht stellt den Stand zum {{ stichtag }} dar und weist die "
        "Veränderungen im Berichtszeitraum vom {{ period }} aus.",
        align="justify",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Mit dieser Vorlage wird erstmals aus dem Fördermittelverfahren der "
        "{{ mandant.agentur.name }} über den Stand der Umsetzung berichtet. Dargestellt wird "
        "der Stand zum {{ stichtag }}; Veränderungen werden für den Zeitraum vom {{ period }} "
        "ausgewiesen.",
        align="justify",
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Der {{ mandant.kreis.name }} und seine Städte und Gemeinden – insgesamt {{ body_count }} "
        "Körperschaften – setzen die Strategie gemeinsam um. Die Beträge in den Tabellen sind "
        "centgenau und entsprechen den Kosten- und Finanzierungsplänen der einzelnen Anträge. "
        "Zuwendungen werden der federführenden Körperschaft zugerechnet, Eigenanteile der "
        "Körperschaft, die sie trägt; gemeinsame Anträge werden so nicht doppelt gezählt.",
        align="justify",
    )

    heading(doc, "1. Eingeworbene Fördermittel")
    loop_table(
        doc,
        ["Stand der Anträge", "Anzahl", "Betrag (Zuwendung)"],
        "for k in key_figures",
        ["{{ k.label }}", "{{ k.count }}", "{{ k.amount }}"],
        widths=[8.0, 2.5, 5.5],
        right_align={1, 2},
    )
    para(
        doc,
        "Die Eigenanteile der beteiligten Körperschaften an den bewilligten Vorhaben betragen "
        "insgesamt {{ own_share_total }}.",
        align="justify",
    )
    _chart(doc, "chart_funding", 1)
    heading(doc, "Fördermittel je Körperschaft", level=3)
    _money_table(doc, "Körperschaft", "by_body", "by_body_total")
    heading(doc, "Fördermittel je Förderprogramm", level=3)
    _money_table(doc, "Förderprogramm", "by_programme", "by_programme_total")
    heading(doc, "Fördermittel je Antragsjahr", level=3)
    _money_table(doc, "Jahr", "by_year", "by_year_total")

    heading(doc, "2. Förderanträge nach Verfahrensstand")
    _chart(doc, "chart_stages", 2)
    loop_table(
        doc,
        ["Stufe", "Anträge", "davon im Berichtszeitraum erreicht"],
        "for s in stages",
        ["{{ s.stage }}", "{{ s.count }}", "{{ s.new }}"],
        footer=["Summe", "{{ stages_total }}", ""],
        widths=[7.0, 3.0, 6.0],
        right_align={1, 2},
    )
    tag(doc, "{%p if changes %}")
    para(doc, "Im Berichtszeitraum haben sich folgende Veränderungen ergeben:")
    loop_table(
        doc,
        ["Datum", "Aktenzeichen", "Vorhaben", "Veränderung"],
        "for c in changes",
        ["{{ c.date }}", "{{ c.reference }}", "{{ c.title }}", "{{ c.change }}"],
        widths=[2.3, 2.8, 6.4, 4.8],
    )
    tag(doc, "{%p else %}")
    para(doc, "Im Berichtszeitraum hat sich der Verfahrensstand keines Antrags verändert.")
    tag(doc, "{%p endif %}")

    heading(doc, "3. Projekte der Digitalisierungsstrategie")
    _chart(doc, "chart_fields", 3)
    tag(doc, "{%p if fields %}")
    loop_table(
        doc,
        ["Handlungsfeld", *(f"{{{{ status_labels[{i}] }}}}" for i in range(5)), "Summe"],
        "for f in fields",
        ["{{ f.field }}", *(f"{{{{ f.counts[{i}] }}}}" for i in range(5)), "{{ f.total }}"],
        footer=[
            "Summe",
            *(f"{{{{ fields_total.counts[{i}] }}}}" for i in range(5)),
            "{{ fields_total.total }}",
        ],
        widths=[4.6, 1.9, 1.9, 1.9, 1.9, 1.9, 1.6],
        right_align={1, 2, 3, 4, 5, 6},
    )
    tag(doc, "{%p else %}")
    para(doc, "Die Projektliste der Strategie ist noch nicht erfasst.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if new_projects %}")
    para(doc, "Im Berichtszeitraum wurden folgende Projekte neu vorgeschlagen:")
    loop_table(
        doc,
        ["Code", "Projekt", "Handlungsfeld", "Federführung"],
        "for p in new_projects",
        ["{{ p.code }}", "{{ p.title }}", "{{ p.field }}", "{{ p.lead }}"],
        widths=[1.8, 7.2, 4.0, 3.3],
    )
    tag(doc, "{%p else %}")
    para(doc, "Im Berichtszeitraum wurden keine neuen Projekte vorgeschlagen.")
    tag(doc, "{%p endif %}")

    heading(doc, "4. Fristen")
    _chart(doc, "chart_deadlines", 4)
    tag(doc, "{%p if upcoming %}")
    para(doc, "In den nächsten {{ outlook_days }} Tagen enden folgende Fristen:")
    loop_table(
        doc,
        ["Fällig am", "Frist", "Art", "Vorgang"],
        "for d in upcoming",
        ["{{ d.due }}", "{{ d.title }}", "{{ d.kind }}", "{{ d.owner }}"],
        widths=[2.4, 7.4, 3.4, 3.1],
    )
    tag(doc, "{%p else %}")
    para(doc, "In den nächsten {{ outlook_days }} Tagen enden keine Fristen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if overdue %}")
    para(doc, "Folgende Fristen sind überschritten und noch nicht erledigt:", bold=True)
    loop_table(
        doc,
        ["Fällig am", "Frist", "Art", "Vorgang"],
        "for d in overdue",
        ["{{ d.due }}", "{{ d.title }}", "{{ d.kind }}", "{{ d.owner }}"],
        widths=[2.4, 7.4, 3.4, 3.1],
    )
    tag(doc, "{%p else %}")
    para(doc, "Überschrittene Fristen bestehen nicht.")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if radar %}")
    heading(doc, "5. Förder-Radar")
    para(doc, "Für folgende Förderaufrufe besteht Interesse:")
    loop_table(
        doc,
        ["Förderaufruf", "Programm", "Stichtag", "Anträge"],
        "for hit in radar",
        ["{{ hit.call }}", "{{ hit.programme }}", "{{ hit.deadline }}", "{{ hit.applications }}"],
        widths=[6.0, 4.5, 2.5, 3.3],
    )
    tag(doc, "{%p endif %}")

    heading(doc, "II. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)", level=1)
    labelled(
        doc,
        "Finanzen: ",
        "Diese Mitteilung hat keine unmittelbaren finanziellen Auswirkungen. Die Eigenanteile "
        "der bewilligten Vorhaben von insgesamt {{ own_share_total }} sind in den Haushalten "
        "der beteiligten Körperschaften veranschlagt oder zu veranschlagen.",
    )
    labelled(
        doc,
        "Personal: ",
        "Keine. Der Bericht wird von der {{ mandant.agentur.name }} im Rahmen der vorhandenen "
        "Ressourcen erstellt.",
    )
    labelled(
        doc,
        "IT: ",
        "Keine. Die Zahlen werden unmittelbar aus dem Fördermittelverfahren der "
        "{{ mandant.agentur.name }} ermittelt.",
    )
    labelled(doc, "Klima: ", "Keine unmittelbaren Auswirkungen.")

    heading(doc, "III. Anlagen", level=1)
    para(
        doc,
        "Die folgenden Abbildungen sind in die Sachdarstellung eingebunden; die Tabellen "
        "daneben enthalten die genauen Zahlen:",
    )
    tag(doc, "{%p for a in anlagen %}")
    bullet(doc, "{{ a }}")
    tag(doc, "{%p endfor %}")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "sachstandsbericht.docx": sachstandsbericht,
}

if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "templates"
    for name, builder in BUILDERS.items():
        save_lean(builder(), str(out / name))
        print(f"geschrieben: templates/{name}")
