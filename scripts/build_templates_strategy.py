"""Word templates of the yearly strategy revision (merged into ``build_templates.py``).

Each builder writes one template whose variables are the fields of its context model in
``models/strategy_documents.py``. The 12 Sitzungsvorlagen reuse the generic
``sitzungsvorlage.docx``. Every Jinja tag sits in a single run (see docx_builder).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx_builder import bullet, heading, loop_table, new_document, para, tag, title


def _paragraphs(doc: DocxDocument, items: str, var: str = "item") -> None:
    """One justified paragraph per element of the list ``items``."""
    tag(doc, f"{{%p for {var} in {items} %}}")
    para(doc, f"{{{{ {var} }}}}", align="justify")
    tag(doc, "{%p endfor %}")


# --- Statusabfrage -------------------------------------------------------------------------


def statusabfrage() -> DocxDocument:
    doc = new_document("Statusabfrage")
    title(
        doc,
        "Statusabfrage",
        "Fortschreibung der Digitalisierungsstrategie {{ year }} · {{ date }}",
    )
    para(doc, "{{ body }}", bold=True, size=13)
    para(doc, "Rückmeldung erbeten bis {{ response_due }}", bold=True)
    para(doc, "Sehr geehrte Damen und Herren,")
    para(doc, "{{ intro }}", align="justify")
    para(doc, "{{ summary }}", align="justify")
    tag(doc, "{%p if projects %}")
    heading(doc, "Projekte und bisheriger Stand")
    loop_table(
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
            "{{ p.role }}",
            "{{ p.previous }}",
            "",
            "",
        ],
        widths=[1.5, 4.4, 2.4, 2.0, 2.1, 1.9, 2.2],
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Erläuterung der Stände")
    tag(doc, "{%p for item in legend %}")
    bullet(doc, "{{ item }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "Neue Projektvorschläge")
    para(
        doc,
        "Schlagen Sie neue Projekte vor, nennen Sie bitte jeweils Titel, Handlungsfeld, die "
        "beteiligten Körperschaften und eine kurze Beschreibung. Neue Projekte erhalten einen "
        "Code in ihrem Handlungsfeld und werden im Entwurf der Fortschreibung als Vorschlag "
        "Ihrer Körperschaft ausgewiesen.",
        align="justify",
    )
    heading(doc, "Rückmeldung")
    para(
        doc,
        "Bitte senden Sie die ausgefüllte Übersicht bis {{ response_due }} an "
        "{{ coordinator_email }}. Die Digitalagentur erfasst Ihre Meldung; eine spätere Meldung "
        "ersetzt eine frühere vollständig. Projekte ohne Meldung werden mit ihrem bisherigen "
        "Stand in die Fortschreibung übernommen.",
        align="justify",
    )
    para(doc, "Mit freundlichen Grüßen")
    para(doc, "Digitalagentur COE")
    para(doc, "Versand veranlasst von {{ entered_by }} am {{ date }}.", size=9)
    return doc


# --- Entwurf der Fortschreibung ------------------------------------------------------------


def entwurf() -> DocxDocument:
    doc = new_document("Fortschreibung – ENTWURF")
    title(doc, "{{ title }}", "{{ strategy }} · Entwurf, Fassung v{{ version }}, Stand {{ date }}")
    para(
        doc,
        "ENTWURF – zur Beschlussfassung in den Räten der Städte und Gemeinden und im Kreistag",
        bold=True,
    )

    heading(doc, "1. Anlass und Verfahren")
    _paragraphs(doc, "procedure", "paragraph")

    heading(doc, "2. Stand der Umsetzung")
    para(doc, "{{ overview }}", align="justify")
    loop_table(
        doc,
        ["Stand {{ year }}", "Anzahl Projekte"],
        "for c in counts",
        ["{{ c.status }}", "{{ c.count }}"],
        footer=["Projekte insgesamt", "{{ counts_total }}"],
        widths=[8.0, 4.0],
        right_align={1},
    )

    heading(doc, "3. Projektliste nach Handlungsfeldern")
    tag(doc, "{%p for f in fields %}")
    heading(doc, "{{ f.heading }}", level=3)
    para(doc, "{{ f.summary }}")
    loop_table(
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
        "for p in f.projects",
        [
            "{{ p.code }}",
            "{{ p.title }}",
            "{{ p.lead }}",
            "{{ p.participants }}",
            "{{ p.previous }}",
            "{{ p.current }}",
            "{{ p.note }}",
        ],
        widths=[1.5, 3.8, 2.1, 2.4, 1.9, 1.9, 2.9],
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if closed_earlier %}")
    para(doc, "{{ closed_earlier }}", italic=True, size=10)
    tag(doc, "{%p endif %}")

    heading(doc, "4. Veränderungen gegenüber dem Vorjahr")
    para(doc, "{{ changes_intro }}", align="justify")
    tag(doc, "{%p for g in changes %}")
    heading(doc, "{{ g.heading }}", level=3)
    tag(doc, "{%p for item in g.entries %}")
    bullet(doc, "{{ item }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    heading(doc, "5. Eingeworbene Fördermittel")
    para(doc, "{{ funding_intro }}", align="justify")
    loop_table(
        doc,
        ["Körperschaft", "Anträge", "beantragt", "bewilligt"],
        "for r in funding_rows",
        ["{{ r.body }}", "{{ r.applications }}", "{{ r.requested }}", "{{ r.granted }}"],
        footer=[
            "Insgesamt (jeder Antrag einmal)",
            "{{ funding_total_applications }}",
            "{{ funding_total_requested }}",
            "{{ funding_total_granted }}",
        ],
        widths=[6.0, 2.0, 4.2, 4.2],
        right_align={1, 2, 3},
    )
    tag(doc, "{%p if funding_applications %}")
    para(doc, "Eingereichte Förderanträge zu Projekten der Strategie:", bold=True)
    loop_table(
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
        widths=[2.4, 4.6, 1.6, 2.3, 2.8, 2.8],
        right_align={4, 5},
    )
    tag(doc, "{%p endif %}")
    para(doc, "{{ funding_note }}", italic=True, size=9)

    heading(doc, "6. Rückmeldungen der Körperschaften")
    para(doc, "{{ reporting }}", align="justify")
    tag(doc, "{%p if missing %}")
    para(doc, "Ohne Statusmeldung:")
    tag(doc, "{%p for name in missing %}")
    bullet(doc, "{{ name }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "7. Weiteres Verfahren")
    _paragraphs(doc, "next_steps", "step")
    return doc


# --- Aufhebung des Sperrvermerks -----------------------------------------------------------


def freigabe() -> DocxDocument:
    doc = new_document("Bestätigung")
    title(doc, "{{ heading }}", "{{ subject }} · {{ date }}")
    para(
        doc,
        "An die Räte der Städte und Gemeinden und den Kreistag des Kreises Coesfeld, über die "
        "Koordinationen der Digitalagentur COE",
        size=10,
    )
    para(doc, "{{ intro }}", align="justify")
    loop_table(
        doc,
        ["Gremium", "Vorlage", "Sitzung", "Beschluss"],
        "for r in rows",
        ["{{ r.council }}", "{{ r.number }}", "{{ r.meeting }}", "{{ r.outcome }}"],
        widths=[6.6, 2.8, 2.6, 4.5],
    )
    para(doc, "{{ statement }}", bold=True, align="justify")
    tag(doc, "{%p if notes %}")
    heading(doc, "Hinweise")
    tag(doc, "{%p for note in notes %}")
    para(doc, "{{ note }}", align="justify")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "")
    para(doc, "{{ place }}, den {{ date }}")
    para(doc, "{{ signatory }}", bold=True)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "strategie_statusabfrage.docx": statusabfrage,
    "strategie_entwurf.docx": entwurf,
    "strategie_freigabe.docx": freigabe,
}
