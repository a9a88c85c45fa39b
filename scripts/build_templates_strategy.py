"""ONE-TIME BOOTSTRAP of the strategy templates — not part of any build; `make` never runs it.

The Word files ``templates/strategie_*.docx`` are the source of truth: edit them in Word and
commit them as they are. This script wrote them once (with the wording that used to live in
``models/strategy_documents.py``); running it again would overwrite edits made in Word.
Keep it only as a record of how the files were made. Run explicitly:

    python scripts/build_templates_strategy.py --overwrite-edited-templates

The wording is Jinja inside the documents: the templates see facts (``year``, ``body.nominativ``,
``association.bodies.word``, ``restriction`` …) and the tenant as ``mandant.*``. Every Jinja
tag sits in a single run (see docx_builder).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
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
    title,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PORTRAIT_WIDTH = 16.5  # cm between the margins of an A4 portrait page
LANDSCAPE_WIDTH = 25.2  # cm between the margins of an A4 landscape page


def _document(label: str) -> DocxDocument:
    """A new document whose header and footer show the tenant's letterhead and agency."""
    doc = new_document(label)
    section = doc.sections[0]
    section.header.paragraphs[0].runs[0].text = "{{ mandant.briefkopf.zeile1 }}\t\t" + label
    section.footer.paragraphs[0].runs[0].text = "{{ mandant.agentur.langname }}"
    return doc


def _fixed_widths(table: Table, widths: list[float]) -> None:
    """Column widths Word and LibreOffice both honour: the grid, every cell, a fixed layout."""
    assert abs(sum(widths) - PORTRAIT_WIDTH) < 0.01 or abs(sum(widths) - LANDSCAPE_WIDTH) < 0.01
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _table(doc: DocxDocument, *args: object, widths: list[float], **kwargs: object) -> Table:
    table = loop_table(doc, *args, widths=widths, **kwargs)  # type: ignore[arg-type]
    _fixed_widths(table, widths)
    return table


def _section(doc: DocxDocument, *, landscape: bool) -> None:
    """Start a new section on a new page, landscape or portrait, with the first section's
    header and footer (referenced, not linked: a section removed by a condition must not take
    the letterhead with it)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    first = doc.sections[0]._sectPr
    for tag_name in ("w:headerReference", "w:footerReference"):
        for ref in first.findall(qn(tag_name)):
            section._sectPr.insert(0, copy.deepcopy(ref))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _paragraph(doc: DocxDocument, text: str, **kwargs: object) -> None:
    para(doc, text, align="justify", **kwargs)  # type: ignore[arg-type]


# --- Wording shared by several templates (the same sentence in each file) -------------------

AGENCY = "{{ mandant.agentur.name }}"
STRATEGY = "„{{ mandant.strategie.name }}“"

REPORTING = (
    "{% if not reporting.missing %}{% if reporting.total.n %}Alle {{ reporting.total.word }} "
    "Körperschaften haben ihre Statusmeldung abgegeben.{% else %}Es liegen keine "
    "Statusmeldungen vor.{% endif %}{% else %}Bis zur Erstellung dieses Entwurfs haben "
    "{{ reporting.reported.word }} von {{ reporting.total.word }} Körperschaften ihre "
    "Statusmeldung abgegeben. Keine Meldung liegt vor von {{ reporting.missing }}; für deren "
    "Projekte wurde der bisherige Stand übernommen.{% endif %}{% if reporting.late.n == 1 %} "
    "Die Meldung {{ reporting.late_names }} ging erst nach Ablauf der Frist am "
    "{{ reporting.due }} ein; sie ist berücksichtigt.{% elif reporting.late.n > 1 %} Die "
    "Meldungen {{ reporting.late_names }} gingen erst nach Ablauf der Frist am "
    "{{ reporting.due }} ein; sie sind berücksichtigt.{% endif %}"
)

OVERVIEW = (
    "Die fortgeschriebene Projektliste umfasst {% if overview.projects.n == 1 %}ein Projekt"
    "{% else %}{{ overview.projects.word }} Projekte{% endif %} in {{ overview.fields.word }} "
    "Handlungsfeld{% if overview.fields.n != 1 %}ern{% endif %}."
    "{% set phrases = {'in_umsetzung': ('befindet sich', 'befinden sich', 'in der Umsetzung'), "
    "'geplant': ('ist', 'sind', 'geplant'), 'zurueckgestellt': ('ist', 'sind', 'zurückgestellt'), "
    "'abgeschlossen': ('wurde', 'wurden', 'im Berichtszeitraum abgeschlossen'), "
    "'verworfen': ('wird', 'werden', 'nicht weiterverfolgt')} %}"
    "{% for s in overview.statuses %}{% set phrase = phrases[s.status] %}"
    "{% set verb = phrase[0] if s.count.n == 1 else phrase[1] %}"
    "{% set n = 'eines' if s.count.n == 1 else s.count.word %}"
    "{% if loop.first %} Von diesen Projekten {{ verb }} {{ n }} {{ phrase[2] }}"
    "{% else %}{{ ' und ' if loop.last else ', ' }}{{ n }} {{ verb }} {{ phrase[2] }}{% endif %}"
    "{% if loop.last %}.{% endif %}{% endfor %}"
)

FUNDING = (
    "{% if funding.applications.n == 0 %}Zu Projekten der Strategie wurden bislang keine "
    "Förderanträge eingereicht.{% else %}Zu Projekten der Strategie wurden bislang "
    "{% if funding.applications.n == 1 %}ein Förderantrag{% else %}"
    "{{ funding.applications.word }} Förderanträge{% endif %} mit einer beantragten Zuwendung "
    "von insgesamt {{ funding.requested }} eingereicht; bewilligt "
    "{% if funding.any_granted %}wurden{% else %}wurde bislang{% endif %} davon "
    "{{ funding.granted }}.{% endif %}{% if funding.in_preparation.n == 1 %} Ein weiterer "
    "Antrag ist in Vorbereitung.{% elif funding.in_preparation.n > 1 %} Weitere "
    "{{ funding.in_preparation.word }} Anträge sind in Vorbereitung.{% endif %}"
)

# "Der Kreis Coesfeld und seine elf kreisangehörigen Städte und Gemeinden"
ASSOCIATION = (
    "{{ association.kreis.nominativ|gross }} und {{ association.kreis.possessive }} "
    "{{ association.municipalities.word }} kreisangehörigen Städte und Gemeinden"
)
COUNCILS_DAT = (
    "den Räten der {{ association.municipalities.word }} kreisangehörigen Städte und Gemeinden "
    "und dem {{ mandant.kreis.kreistag }}"
)


# --- Statusabfrage ---------------------------------------------------------------------------


def statusabfrage() -> DocxDocument:
    doc = _document("Statusabfrage")
    title(
        doc,
        "Statusabfrage",
        "Fortschreibung der Digitalisierungsstrategie {{ year }} · {{ date }}",
    )
    para(doc, "{{ body.name }}", bold=True, size=13)
    para(doc, "Rückmeldung erbeten bis {{ response_due }}", bold=True)
    para(doc, "Sehr geehrte Damen und Herren,")
    _paragraph(
        doc,
        f"die Digitalisierungsstrategie {STRATEGY} wird jährlich gemeinsam fortgeschrieben. Für "
        f"die Fortschreibung {{{{ year }}}} bittet die {AGENCY} um den aktuellen Sachstand der "
        "Projekte, an denen {{ body.nominativ }} beteiligt ist. Aus den Rückmeldungen aller "
        "{% if association %}{{ association.bodies.word }} {% endif %}Körperschaften entsteht "
        "der Entwurf der Fortschreibung, der anschließend den Räten und dem Kreistag zur "
        "Beschlussfassung vorgelegt wird.",
    )
    _paragraph(
        doc,
        "{% if projects %}{{ body.nominativ|gross }} ist nach der Projektliste an "
        "{% if open_projects.n == 1 %}einem Projekt{% else %}{{ open_projects.word }} Projekten"
        "{% endif %} beteiligt{% if led.n == 0 %}; die Federführung liegt jeweils bei einer "
        "anderen Körperschaft.{% elif led.n == 1 %}, bei einem davon federführend.{% else %}, "
        "bei {{ led.word }} davon federführend.{% endif %} Die folgende Übersicht nennt den "
        "bisherigen Stand; bitte tragen Sie den Stand {{ year }} und bei Bedarf einen kurzen "
        "Vermerk ein.{% else %}{{ body.nominativ|gross }} ist derzeit an keinem laufenden Projekt "
        "der "
        "Liste beteiligt. Wir bitten gleichwohl um Rückmeldung, ob neue Projekte vorgeschlagen "
        "werden.{% endif %}",
    )
    # The table to fill in has seven columns: it gets a landscape page of its own, only when
    # there are projects (the section breaks sit inside the condition).
    tag(doc, "{%p if projects %}")
    _section(doc, landscape=True)
    heading(doc, "Projekte {{ body.genitiv }} und bisheriger Stand")
    _table(
        doc,
        [
            "Code",
            "Projekt",
            "Handlungsfeld",
            "Rolle",
            "Bisheriger Stand",
            "Stand {{ year }}",
            "Vermerk",
        ],
        "for p in projects",
        [
            "{{ p.code }}",
            "{{ p.title }}",
            "{{ p.field }}",
            "{% if p.leads %}Federführung{% else %}beteiligt{% endif %}",
            "{{ p.previous }}",
            "",
            "",
        ],
        widths=[1.8, 6.4, 3.4, 2.8, 2.9, 2.6, 5.3],
    )
    _section(doc, landscape=False)
    tag(doc, "{%p endif %}")
    heading(doc, "Erläuterung der Stände")
    for item in (
        "geplant – das Projekt ist beschlossen oder vorgesehen, die Umsetzung hat noch nicht "
        "begonnen",
        "in Umsetzung – das Projekt läuft",
        "abgeschlossen – das Projekt ist umgesetzt",
        "zurückgestellt – das Projekt ruht vorerst, etwa bis zur Klärung der Finanzierung",
        "verworfen – das Projekt wird nicht weiterverfolgt",
    ):
        bullet(doc, item)
    heading(doc, "Neue Projektvorschläge")
    _paragraph(
        doc,
        "Schlagen Sie neue Projekte vor, nennen Sie bitte jeweils Titel, Handlungsfeld, die "
        "beteiligten Körperschaften und eine kurze Beschreibung. Neue Projekte erhalten einen "
        "Code in ihrem Handlungsfeld und werden im Entwurf der Fortschreibung als Vorschlag "
        "Ihrer Körperschaft ausgewiesen.",
    )
    heading(doc, "Rückmeldung")
    _paragraph(
        doc,
        "Bitte senden Sie die ausgefüllte Übersicht bis {{ response_due }} an "
        f"{{{{ coordinator_email }}}}. Die {AGENCY} erfasst Ihre Meldung; eine spätere Meldung "
        "ersetzt eine frühere vollständig. Projekte ohne Meldung werden mit ihrem bisherigen "
        "Stand in die Fortschreibung übernommen.",
    )
    para(doc, "Mit freundlichen Grüßen")
    para(doc, AGENCY)
    para(doc, "Versand veranlasst von {{ entered_by }} am {{ date }}.", size=9)
    return doc


# --- Entwurf der Fortschreibung --------------------------------------------------------------


def entwurf() -> DocxDocument:
    doc = _document("Fortschreibung – ENTWURF")
    title(
        doc,
        "{{ title }}",
        f"{STRATEGY} · Entwurf, Fassung v{{{{ version }}}}, Stand {{{{ date }}}}",
    )
    para(
        doc,
        "ENTWURF – zur Beschlussfassung in den Räten der Städte und Gemeinden und im Kreistag",
        bold=True,
    )

    heading(doc, "1. Anlass und Verfahren")
    _paragraph(
        doc,
        f"{ASSOCIATION} setzen die gemeinsame Digitalisierungsstrategie {STRATEGY} um. Der "
        "Strategieprozess endet nicht mit dem Beschluss des Strategiedokuments; er ist der "
        "Auftakt einer aktiven Gestaltung des digitalen Wandels. Die Strategie wird deshalb "
        "jährlich fortgeschrieben. Die Fortschreibung ist eine der fünf Kernaufgaben der "
        f"„{AGENCY}“.",
    )
    _paragraph(
        doc,
        f"Für die Fortschreibung {{{{ year }}}} hat die {AGENCY} am {{{{ opened_on }}}} bei allen "
        "{{ association.bodies.word }} Körperschaften den Sachstand ihrer Projekte abgefragt. "
        "Die Rückmeldefrist endete am {{ response_due }}. " + REPORTING,
    )
    _paragraph(
        doc,
        "Meldungen mehrerer beteiligter Körperschaften zu einem Projekt sind zusammengeführt; "
        "maßgeblich ist die Meldung der federführenden Körperschaft. Abweichende Meldungen sind "
        "in der Projektliste vermerkt.",
    )

    heading(doc, "2. Stand der Umsetzung")
    _paragraph(doc, OVERVIEW)
    _table(
        doc,
        ["Stand {{ year }}", "Anzahl Projekte"],
        "for c in counts",
        ["{{ c.status }}", "{{ c.count }}"],
        footer=["Projekte insgesamt", "{{ counts_total }}"],
        widths=[10.5, 6.0],
        right_align={1},
    )

    # Seven columns with long project names: the list gets landscape pages.
    _section(doc, landscape=True)
    heading(doc, "3. Projektliste nach Handlungsfeldern")
    tag(doc, "{%p for f in fields %}")
    heading(doc, "{{ f.heading }}", level=3)
    para(
        doc,
        "Im Handlungsfeld „{{ f.name }}“ umfasst die Liste {% if f.projects.n == 1 %}ein "
        "Projekt{% else %}{{ f.projects.word }} Projekte{% endif %}{% if f.running.n == 0 %}."
        "{% elif f.running.n == f.projects.n %}{% if f.running.n == 1 %}, das sich in der "
        "Umsetzung befindet.{% else %}, die sich alle in der Umsetzung befinden.{% endif %}"
        "{% else %}, davon {% if f.running.n == 1 %}eines{% else %}{{ f.running.word }}"
        "{% endif %} in der Umsetzung.{% endif %}",
    )
    _table(
        doc,
        [
            "Code",
            "Projekt",
            "Federführung",
            "Beteiligt",
            "Stand {{ previous_year }}",
            "Stand {{ year }}",
            "Vermerk",
        ],
        "for p in f.rows",
        [
            "{{ p.code }}",
            "{{ p.title }}",
            "{{ p.lead }}",
            "{% if p.all_others %}alle weiteren Körperschaften{% elif p.participants %}"
            "{{ p.participants }}{% else %}keine weiteren{% endif %}",
            "{% if p.previous %}{{ p.previous }}{% else %}neu{% endif %}",
            "{{ p.current }}",
            "{{ [('Neu auf Vorschlag ' ~ p.proposer ~ '.') if p.proposer, p.note, "
            "('Abweichende Meldung: ' ~ p.conflicts ~ '.') if p.conflicts, "
            "'Keine Meldung; bisheriger Stand übernommen.' if p.unreported]|select|join(' ') }}",
        ],
        widths=[1.8, 6.4, 2.8, 4.2, 2.8, 2.8, 4.4],
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if closed_done.count.n or closed_dropped.count.n %}")
    para(
        doc,
        "Nicht mehr aufgeführt sind {% if closed_done.count.n %}"
        "{% if closed_done.count.n == 1 %}das bereits abgeschlossene Projekt{% else %}die "
        "bereits abgeschlossenen Projekte{% endif %} {{ closed_done.codes }}{% endif %}"
        "{% if closed_done.count.n and closed_dropped.count.n %} und {% endif %}"
        "{% if closed_dropped.count.n %}{% if closed_dropped.count.n == 1 %}das bereits "
        "verworfene Projekt{% else %}die bereits verworfenen Projekte{% endif %} "
        "{{ closed_dropped.codes }}{% endif %} aus früheren Fortschreibungen; sie bleiben in der "
        f"Projekthistorie der {AGENCY} dokumentiert.",
        italic=True,
        size=10,
    )
    tag(doc, "{%p endif %}")
    _section(doc, landscape=False)

    heading(doc, "4. Veränderungen gegenüber dem Vorjahr")
    _paragraph(
        doc,
        "{% set done = {'new': 'neu aufgenommen', 'completed': 'abgeschlossen', "
        "'started': 'in die Umsetzung überführt', 'deferred': 'zurückgestellt', "
        "'dropped': 'verworfen', 'resumed': 'wieder aufgenommen'} %}"
        "{% if not changes %}Gegenüber dem Stand des Vorjahres hat sich der Projektbestand "
        "nicht verändert; alle Projekte werden mit ihrem bisherigen Stand in die Fortschreibung "
        "{{ year }} übernommen.{% else %}{% for g in changes %}"
        "{% set projekte = 'ein Projekt' if g.count.n == 1 else g.count.word ~ ' Projekte' %}"
        "{% set verb = 'wurde' if g.count.n == 1 else 'wurden' %}{% set what = done[g.kind] %}"
        "{% if loop.first %}Gegenüber dem Vorjahr {{ verb }} {{ projekte }} {{ what }}"
        "{% else %}{{ ' und ' if loop.last else ', ' }}{{ projekte }} {{ verb }} {{ what }}"
        "{% endif %}{% endfor %}. Im Einzelnen:{% endif %}",
    )
    tag(doc, "{%p for g in changes %}")
    heading(
        doc,
        "{% if g.kind == 'new' %}Neu aufgenommene Projekte{% elif g.kind == 'completed' %}"
        "Abgeschlossene Projekte{% elif g.kind == 'started' %}In die Umsetzung gegangene "
        "Projekte{% elif g.kind == 'deferred' %}Zurückgestellte Projekte"
        "{% elif g.kind == 'dropped' %}Verworfene Projekte{% else %}Wieder aufgenommene "
        "Projekte{% endif %}",
        level=3,
    )
    tag(doc, "{%p for e in g.entries %}")
    bullet(
        doc,
        "{% if g.kind == 'new' %}{{ e.code }} „{{ e.title }}“ – Vorschlag {{ e.proposer }}"
        "{% if e.description %}: {{ e.description }}{% endif %}.{% else %}{{ e.code }} "
        "„{{ e.title }}“ (Federführung: {{ e.lead }}; bisher: {{ e.previous or 'neu' }})"
        "{% if e.note %} – {{ e.note }}{% endif %}{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    heading(doc, "5. Eingeworbene Fördermittel")
    _paragraph(doc, FUNDING)
    _table(
        doc,
        ["Körperschaft", "Anträge", "beantragt", "bewilligt"],
        "for r in funding_rows",
        ["{{ r.body }}", "{{ r.applications }}", "{{ r.requested }}", "{{ r.granted }}"],
        footer=[
            "Insgesamt (jeder Antrag einmal)",
            "{{ funding.applications.n }}",
            "{{ funding.requested }}",
            "{{ funding.granted }}",
        ],
        widths=[6.1, 2.2, 4.1, 4.1],
        right_align={1, 2, 3},
    )
    tag(doc, "{%p if funding_applications %}")
    para(doc, "Eingereichte Förderanträge zu Projekten der Strategie:", bold=True)
    _table(
        doc,
        ["Aktenzeichen", "Vorhaben", "Projekt", "Federführung", "beantragt", "bewilligt"],
        "for a in funding_applications",
        [
            "{{ a.reference }}",
            "{{ a.title }}",
            "{{ a.project }}",
            "{{ a.lead }}",
            "{{ a.requested }}",
            "{{ a.granted }}",
        ],
        widths=[2.7, 3.7, 1.8, 2.8, 2.75, 2.75],
        right_align={4, 5},
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Gemeinsame Anträge sind bei jeder beteiligten Körperschaft mit ihrem vollen Betrag "
        "aufgeführt; die Summenzeile zählt jeden Antrag einmal. Berücksichtigt sind eingereichte "
        "Anträge, die einem Projekt der Strategie zugeordnet sind; als bewilligt gelten die "
        "Beträge laut Zuwendungsbescheid.",
        italic=True,
        size=9,
    )

    heading(doc, "6. Rückmeldungen der Körperschaften")
    _paragraph(doc, REPORTING)
    tag(doc, "{%p if missing %}")
    para(doc, "Ohne Statusmeldung:")
    tag(doc, "{%p for name in missing %}")
    bullet(doc, "{{ name }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "7. Weiteres Verfahren")
    _paragraph(
        doc,
        f"Der Entwurf wird {COUNCILS_DAT} mit gleichlautenden Sitzungsvorlagen zur "
        "Beschlussfassung vorgelegt.",
    )
    _paragraph(
        doc,
        "{% if restriction %}Die für die Umsetzung der Strategie vorgesehenen Mittel in Höhe von "
        "{{ restriction }} stehen unter Sperrvermerk. Sie werden freigegeben, sobald alle "
        "{{ association.bodies.word }} Gremien die Fortschreibung beschlossen haben; die "
        f"{AGENCY} bestätigt die Freigabe allen Körperschaften schriftlich.{{% else %}}Sobald "
        "alle {{ association.bodies.word }} Gremien die Fortschreibung beschlossen haben, "
        f"bestätigt die {AGENCY} den Abschluss allen Körperschaften schriftlich.{{% endif %}}",
    )
    _paragraph(
        doc,
        f"Ändert ein Gremium den Entwurf, stimmt die {AGENCY} die Änderung mit den übrigen "
        "Körperschaften ab; sie wird spätestens in der nächsten Fortschreibung berücksichtigt.",
    )
    return doc


# --- Sitzungsvorlage of the strategy (one per council) ---------------------------------------

CHANGES_IN_SENTENCES = (
    "{% if not changes %}Gegenüber dem Vorjahr hat sich der Projektbestand nicht verändert; alle "
    "Projekte werden mit ihrem bisherigen Stand fortgeführt.{% else %}Gegenüber dem Vorjahr "
    "ergeben sich folgende Veränderungen:{% for g in changes %}{% set one = g.count.n == 1 %} "
    "{% if g.kind == 'new' %}Neu aufgenommen {{ 'wird das Projekt' if one else "
    "'werden die Projekte' }}{% elif g.kind == 'completed' %}Abgeschlossen "
    "{{ 'wurde das Projekt' if one else 'wurden die Projekte' }}"
    "{% elif g.kind == 'started' %}Mit der Umsetzung begonnen wurde "
    "{{ 'im Projekt' if one else 'in den Projekten' }}{% elif g.kind == 'deferred' %}"
    "Zurückgestellt {{ 'wurde das Projekt' if one else 'wurden die Projekte' }}"
    "{% elif g.kind == 'dropped' %}Nicht weiterverfolgt {{ 'wird das Projekt' if one else "
    "'werden die Projekte' }}{% else %}Wieder aufgenommen {{ 'wurde das Projekt' if one else "
    "'wurden die Projekte' }}{% endif %} {% for e in g.entries %}{{ e.code }} „{{ e.title }}“"
    "{% if g.kind == 'new' %} auf Vorschlag {{ e.proposer }}{% endif %}"
    "{% if loop.revindex == 2 %} und {% elif not loop.last %}, {% endif %}{% endfor %}."
    "{% endfor %}{% endif %}"
)


def sitzungsvorlage() -> DocxDocument:
    doc = _document("Sitzungsvorlage")
    title(doc, "Sitzungsvorlage {{ number }}", "{{ body.name }} · {{ date }}")
    kv_table(
        doc,
        [
            ("Vorlage-Nr.", "{{ number }}"),
            ("Datum", "{{ date }}"),
            ("Körperschaft", "{{ body.name }}"),
            ("Beratungsfolge", "{{ body.council }}"),
            ("Status", "öffentlich"),
            ("Vorbereitet durch", AGENCY),
        ],
    )
    para(doc, f"Entwurf der {AGENCY}, Fassung v{{{{ version }}}}", italic=True, size=9)
    labelled(
        doc,
        "Betreff: ",
        f"Fortschreibung der Digitalisierungsstrategie {STRATEGY} für das Jahr {{{{ year }}}}",
        align=None,
    )
    para(doc, "")
    para(doc, "Beschlussvorschlag:", bold=True)
    _paragraph(
        doc,
        "Der {{ body.council }} beschließt die Fortschreibung der Digitalisierungsstrategie "
        f"{STRATEGY} für das Jahr {{{{ year }}}} in der Fassung des beigefügten Entwurfs "
        "(Fassung v{{ version }}, Stand {{ date }}) einschließlich der fortgeschriebenen "
        "Projektliste.{% if led %} Die Verwaltung wird beauftragt, die Projekte in eigener "
        f"Federführung gemeinsam mit der {AGENCY} weiter umzusetzen.{{% endif %}}",
    )
    tag(doc, "{%p if restriction %}")
    labelled(
        doc,
        "Sperrvermerk: ",
        "Die Bereitstellung der für die Umsetzung der Digitalisierungsstrategie vorgesehenen "
        "Mittel in Höhe von {{ restriction }} erfolgt unter dem Vorbehalt, dass die "
        "Fortschreibung {{ year }} von den Räten aller kreisangehörigen Städte und Gemeinden und "
        "vom {{ mandant.kreis.kreistag }} beschlossen wird. Die Mittel werden erst freigegeben, "
        "wenn alle {{ association.bodies.word }} Beschlüsse vorliegen.",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "I. Sachdarstellung")
    _paragraph(
        doc,
        f"{ASSOCIATION} setzen gemeinsam die kreisweite Digitalisierungsstrategie {STRATEGY} um. "
        "Gemeinsame Zielsetzung war von Anfang an, dass der Strategieprozess nicht mit der "
        "Vorlage des Abschlussdokuments endet, sondern der Auftakt einer aktiven Gestaltung des "
        "digitalen Wandels {{ 'im' if association.kreis.is_kreis else 'in der' }} "
        "{{ association.kreis.name }} ist. Zu den Aufgaben der dafür "
        f"eingerichteten „{AGENCY}“ gehört daher ausdrücklich die jährliche Weiterentwicklung "
        "und Fortschreibung der Strategie.",
    )
    _paragraph(
        doc,
        f"Für die Fortschreibung {{{{ year }}}} hat die {AGENCY} am {{{{ opened_on }}}} bei allen "
        "{{ association.bodies.word }} Körperschaften den Sachstand ihrer Projekte abgefragt; die "
        "Rückmeldefrist endete am {{ response_due }}. "
        + REPORTING
        + " Aus den Meldungen ist der als Anlage beigefügte Entwurf „{{ title }}“ entstanden.",
    )
    _paragraph(doc, OVERVIEW + " " + CHANGES_IN_SENTENCES)
    _paragraph(
        doc,
        "{% set led_list %}{% for e in led %}{{ e.code }} „{{ e.title }}“ ({{ e.current }})"
        "{% if loop.revindex == 2 %} und {% elif not loop.last %}, {% endif %}{% endfor %}"
        "{% endset %}{% if projects.n == 0 %}{{ body.nominativ|gross }} ist an keinem Projekt der "
        "fortgeschriebenen Liste unmittelbar beteiligt; die Projekte mit kreisweiter Wirkung "
        "kommen gleichwohl auch {{ body.possessive }}n Bürgerinnen und Bürgern zugute."
        "{% else %}{{ body.nominativ|gross }} ist an {% if projects.n == 1 %}einem "
        "Projekt{% else %}"
        "{{ projects.word }} Projekten{% endif %} der Liste beteiligt{% if not led %}; die "
        "Federführung liegt jeweils bei einer anderen Körperschaft."
        "{% elif led|length == projects.n and projects.n > 1 %} und betreut sie alle "
        "federführend: {{ led_list }}.{% elif led|length == 1 %} und betreut das Projekt "
        "{{ led_list }} federführend.{% else %}. Federführend betreut {{ body.nominativ }} die "
        "Projekte {{ led_list }}.{% endif %}{% endif %}",
    )
    _paragraph(
        doc,
        FUNDING
        + "{% if body_funding %}{% if body_funding.applications.n %} {{ body.nominativ|gross }} "
        "ist an "
        "{% if body_funding.applications.n == 1 %}einem dieser Anträge{% else %}"
        "{{ body_funding.applications.word }} dieser Anträge{% endif %} beteiligt (beantragt: "
        "{{ body_funding.requested }}, bewilligt: {{ body_funding.granted }}).{% else %} "
        "{{ body.nominativ|gross }} ist an diesen Anträgen bislang nicht beteiligt.{% endif %}"
        "{% endif %}",
    )
    _paragraph(
        doc,
        f"Die Fortschreibung wird {COUNCILS_DAT} gleichlautend zur Beschlussfassung vorgelegt."
        "{% if restriction %} Die unter Sperrvermerk stehenden Mittel in Höhe von "
        "{{ restriction }} werden erst freigegeben, wenn alle {{ association.bodies.word }} "
        "Gremien zugestimmt haben.{% endif %}",
    )

    heading(doc, "II. Entscheidungsalternativen")
    _paragraph(
        doc,
        "Der {{ body.organ }} beschließt die Fortschreibung nicht. Für {{ body.akkusativ }} gälte "
        "dann "
        "weiterhin die Projektliste des Vorjahres; neue Projekte und Änderungen könnten nicht "
        "gemeinsam mit den übrigen Körperschaften verfolgt werden.{% if restriction %} Da die "
        "unter Sperrvermerk stehenden Mittel erst freigegeben werden, wenn alle "
        "{{ association.bodies.word }} Gremien zugestimmt haben, stünden sie auch den übrigen "
        "Körperschaften nicht zur Verfügung.{% endif %}",
    )
    _paragraph(
        doc,
        "Der {{ body.organ }} beschließt die Fortschreibung mit Änderungen. Die Änderungen "
        "müssten mit den übrigen Körperschaften abgestimmt werden; die gemeinsame Fortschreibung"
        "{% if restriction %} und die Freigabe der Mittel würden{% else %} würde{% endif %} sich "
        "dadurch verzögern.",
    )

    heading(doc, "III. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)")
    labelled(
        doc,
        "Finanzen: ",
        "{% if restriction %}Die für die Umsetzung der Digitalisierungsstrategie vorgesehenen "
        "Mittel in Höhe von {{ restriction }} stehen unter Sperrvermerk; sie werden erst "
        "freigegeben, wenn die Fortschreibung {{ year }} von allen {{ association.bodies.word }} "
        "Gremien beschlossen ist. {% endif %}Mit dem Beschluss selbst sind für "
        "{{ body.akkusativ }} "
        "keine unmittelbaren Aufwendungen verbunden. Eigenanteile an einzelnen Förderprojekten "
        "werden jeweils gesondert beschlossen.",
    )
    labelled(
        doc,
        "Personal: ",
        f"Die Fortschreibung wird von der {AGENCY} im Rahmen der bestehenden personellen "
        "Ressourcen koordiniert. Die Mitwirkung {{ body.genitiv }} an den Projekten erfolgt durch "
        "die "
        "vorhandenen Fachkräfte der Verwaltung; zusätzliche Stellen werden mit diesem Beschluss "
        "nicht eingerichtet.",
    )
    labelled(
        doc,
        "IT: ",
        "Die Projekte der Strategie werden mit der IT-Organisation {{ body.genitiv }} und dem "
        "kommunalen IT-Dienstleister abgestimmt. Die Anforderungen an Datenschutz und "
        "Informationssicherheit werden in jedem Projekt berücksichtigt.",
    )
    labelled(
        doc,
        "Klima: ",
        "Unmittelbare Auswirkungen auf das Klima sind mit dem Beschluss nicht verbunden."
        "{% if climate_projects %} Die Projekte des Handlungsfelds „{{ climate_field }}“ "
        "({{ climate_projects }}) tragen mittelbar zum Klimaschutz bei; digitale Verfahren "
        "können zudem Wege und Papier einsparen.{% endif %}",
    )

    heading(doc, "IV. Zuständigkeit für die Entscheidung")
    _paragraph(
        doc, "Zuständig für die Entscheidung ist der {{ body.organ }} gem. {{ body.legal_basis }}."
    )

    heading(doc, "Anlagen")
    bullet(doc, "Entwurf „{{ title }}“ (Fassung v{{ version }}) mit der Projektliste")
    return doc


# --- Aufhebung des Sperrvermerks -------------------------------------------------------------


def freigabe() -> DocxDocument:
    doc = _document("Bestätigung")
    title(doc, "{{ heading }}", "{{ subject }} · {{ date }}")
    para(
        doc,
        "An die Räte der Städte und Gemeinden und den {{ mandant.kreis.kreistag }}, über die "
        f"Koordinationen der {AGENCY}",
        size=10,
    )
    _paragraph(
        doc,
        f"Die Fortschreibung der Digitalisierungsstrategie {STRATEGY} für das Jahr {{{{ year }}}} "
        "ist von allen {{ association.bodies.word }} Gremien beschlossen worden: von den Räten "
        "der {{ association.municipalities.word }} kreisangehörigen Städte und Gemeinden und vom "
        "{{ mandant.kreis.kreistag }}. Den letzten erforderlichen Beschluss hat der "
        "{{ completing_council }} in seiner Sitzung am {{ last_meeting }} gefasst.",
    )
    _table(
        doc,
        ["Gremium", "Vorlage", "Sitzung", "Beschluss"],
        "for r in rows",
        ["{{ r.council }}", "{{ r.number }}", "{{ r.meeting }}", "{{ r.outcome }}"],
        widths=[6.6, 2.8, 2.6, 4.5],
    )
    _paragraph(
        doc,
        "{% if amount %}Damit ist die Bedingung des Sperrvermerks erfüllt. Die für die Umsetzung "
        "der Digitalisierungsstrategie vorgesehenen Mittel in Höhe von {{ amount }} werden mit "
        "Wirkung vom {{ date }} freigegeben.{% else %}Ein Sperrvermerk war mit der "
        "Fortschreibung {{ year }} nicht verbunden. Diese Bestätigung dokumentiert den Abschluss "
        "der Beschlussfassung in allen Gremien.{% endif %}",
        bold=True,
    )
    tag(doc, "{%p if notes %}")
    heading(doc, "Hinweise")
    tag(doc, "{%p for n in notes %}")
    _paragraph(
        doc,
        "{% if n.outcome == 'geaendert_beschlossen' %}Der {{ n.council }} hat die Fortschreibung "
        "am {{ n.meeting }} mit Änderungen beschlossen: {{ n.note }}. Die Änderungen werden mit "
        "den übrigen Körperschaften abgestimmt und in der nächsten Fortschreibung "
        "berücksichtigt.{% elif n.outcome == 'vertagt' %}Der {{ n.council }} hatte die Beratung "
        "in seiner Sitzung am {{ n.meeting }} zunächst vertagt.{% else %}Der {{ n.council }} "
        "hatte die Fortschreibung in seiner Sitzung am {{ n.meeting }} zunächst abgelehnt."
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "")
    para(doc, "{{ mandant.kreis.sitz }}, den {{ date }}")
    para(doc, f"{AGENCY} – Koordinierungsstelle", bold=True)
    return doc


# scripts/build_templates.py merges these (it, too, writes only with --overwrite and names).
BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "strategie_statusabfrage.docx": statusabfrage,
    "strategie_entwurf.docx": entwurf,
    "strategie_sitzungsvorlage.docx": sitzungsvorlage,
    "strategie_freigabe.docx": freigabe,
}


def main(args: list[str]) -> None:
    if "--overwrite-edited-templates" not in args:
        raise SystemExit(
            "Einmalige Erzeugung der Strategie-Vorlagen. Die .docx-Dateien in templates/ sind "
            "maßgeblich und werden in Word bearbeitet; ein erneuter Lauf überschreibt diese "
            "Bearbeitungen. Nur mit --overwrite-edited-templates ausführen."
        )
    for name, builder in BUILDERS.items():
        save_lean(builder(), str(TEMPLATES / name))
        print(f"geschrieben: templates/{name}")


if __name__ == "__main__":
    main(sys.argv[1:])
