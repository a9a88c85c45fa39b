"""Word templates of the funding lifecycle (merged into ``build_templates.py``).

Each builder writes one template whose variables are the fields of its context model in
``models/antrag_documents.py``. Every Jinja tag sits in a single run (see docx_builder).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx_builder import (
    bullet,
    grid_table,
    heading,
    kv_table,
    labelled,
    loop_table,
    new_document,
    para,
    signature_block,
    tag,
    title,
)

SHARE_HEADERS = ["Körperschaft", "Schlüsselgröße", "Anteil", "Betrag"]
SHARE_CELLS = ["{{ s.body }}", "{{ s.basis }}", "{{ s.percent }}", "{{ s.amount }}"]
SHARE_FOOTER = [
    "Summe Eigenanteil",
    "{{ total_basis }}",
    "{{ total_percent }}",
    "{{ total_amount }}",
]
SHARE_WIDTHS = [5.6, 4.2, 2.6, 4.1]


def _share_table(doc: DocxDocument) -> None:
    loop_table(
        doc,
        SHARE_HEADERS,
        "for s in shares",
        SHARE_CELLS,
        footer=SHARE_FOOTER,
        widths=SHARE_WIDTHS,
        right_align={2, 3},
    )


def _paragraphs(doc: DocxDocument, items: str, var: str = "item") -> None:
    """One justified paragraph per element of the list ``items``."""
    tag(doc, f"{{%p for {var} in {items} %}}")
    para(doc, f"{{{{ {var} }}}}", align="justify")
    tag(doc, "{%p endfor %}")


def _prompt(doc: DocxDocument, text: str) -> None:
    """An italic fill-in prompt for the coordinator."""
    para(doc, f"[{text}]", italic=True)


# --- 1. Absichtserklärung -----------------------------------------------------------------------


def absichtserklaerung() -> DocxDocument:
    doc = new_document("Absichtserklärung")
    title(doc, "Absichtserklärung", "{{ reference }} · Entwurf vom {{ date }}")
    para(doc, "{{ partner_body }}", bold=True, size=13)
    para(doc, "zur Beteiligung an dem Vorhaben „{{ title }}“", bold=True)
    para(
        doc,
        "Bitte prüfen Sie den Entwurf und senden Sie die unterzeichnete Erklärung oder eine "
        "Absage bis zum {{ response_due }} an {{ coordinator_email }} zurück.",
        italic=True,
        size=10,
    )
    para(doc, "{{ intro }}", align="justify")

    heading(doc, "1. Das Vorhaben")
    kv_table(
        doc,
        [
            ("Aktenzeichen", "{{ reference }}"),
            ("Vorhaben", "{{ title }}"),
            ("Federführung", "{{ lead_body }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Zuwendungsfähige Gesamtausgaben", "{{ eligible_costs }}"),
            ("Förderquote", "{{ funding_rate }}"),
            ("Voraussichtliche Zuwendung", "{{ expected_grant }}"),
            ("Eigenanteil insgesamt", "{{ own_share }}"),
        ],
    )
    para(doc, "{{ summary }}", align="justify")
    tag(doc, "{%p for note in grant_notes %}")
    para(doc, "{{ note }}", italic=True)
    tag(doc, "{%p endfor %}")

    heading(doc, "2. Aufteilung des Eigenanteils")
    para(doc, "{{ key_explanation }}", align="justify")
    kv_table(
        doc,
        [
            ("Vorgesehener Eigenanteil", "{{ share_amount }}"),
            ("Anteil am Eigenanteil", "{{ share_percent }}"),
        ],
    )
    para(doc, "{{ share_sentence }}", align="justify")

    heading(doc, "3. Erklärung")
    para(doc, "{{ declaration }}", align="justify")
    para(doc, "{{ reservation }}", align="justify")

    heading(doc, "4. Rückmeldung")
    para(
        doc,
        "Um Rückmeldung wird bis zum {{ response_due }} gebeten. Ohne Rückmeldung kann die "
        "Beteiligung bei der Aufstellung des Finanzierungsplans nicht berücksichtigt werden.",
        align="justify",
    )
    para(doc, "{{ signing_for }}:", bold=True)
    signature_block(doc, "{{ place }}, den", "{{ signatory }}")
    return doc


# --- 2. Förderantrag ----------------------------------------------------------------------------


def foerderantrag() -> DocxDocument:
    doc = new_document("Förderantrag – ENTWURF")
    title(doc, "Förderantrag", "{{ reference }} · Fassung v{{ version }}, Stand {{ date }}")
    para(doc, "ENTWURF – Fassung v{{ version }}, Stand {{ date }}", bold=True)
    para(doc, "{{ title }}", bold=True, size=13)

    tag(doc, "{%p if changes %}")
    heading(doc, "Änderungsvermerk")
    para(
        doc,
        "Diese Fassung v{{ version }} berücksichtigt die folgenden Änderungswünsche der "
        "Koordination zur Fassung v{{ previous_version }}:",
        align="justify",
    )
    tag(doc, "{%p for change in changes %}")
    bullet(doc, "{{ change }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "1. Antragsteller")
    kv_table(
        doc,
        [
            ("Antragsteller (federführend)", "{{ lead_body }}"),
            ("Beschlussgremium", "{{ lead_council }}"),
            ("Kontakt", "{{ lead_email }}"),
        ],
    )

    heading(doc, "2. Verbundpartner")
    para(doc, "{{ consortium }}", align="justify")
    tag(doc, "{%p for partner in partners %}")
    bullet(doc, "{{ partner }}")
    tag(doc, "{%p endfor %}")

    heading(doc, "3. Vorhaben")
    kv_table(
        doc,
        [
            ("Titel", "{{ title }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Laufzeit", "{{ duration }}"),
        ],
    )
    heading(doc, "3.1 Kurzbeschreibung", level=3)
    para(doc, "{{ summary }}", align="justify")
    heading(doc, "3.2 Ausgangslage und Bedarf", level=3)
    _prompt(
        doc,
        "Bitte ausfüllen: Welche Ausgangslage besteht in den beteiligten Kommunen? Welcher "
        "Bedarf wurde festgestellt, und welche Vorarbeiten gibt es bereits?",
    )

    heading(doc, "4. Zielsetzung")
    _prompt(
        doc,
        "Bitte ausfüllen: Welche messbaren Ziele verfolgt das Vorhaben (Indikatoren, "
        "Zielwerte)? Welchen Beitrag leistet es zur gemeinsamen Digitalisierungsstrategie "
        "des Kreises Coesfeld und seiner Städte und Gemeinden?",
    )
    _prompt(
        doc,
        "Bitte ausfüllen: Wer profitiert von den Ergebnissen (Bürgerinnen und Bürger, "
        "Unternehmen, Verwaltung), und wie werden die Ergebnisse auf andere Kommunen "
        "übertragen?",
    )

    heading(doc, "5. Arbeitsplan")
    grid_table(
        doc,
        ["Arbeitspaket", "Inhalt", "Verantwortlich", "Zeitraum"],
        [
            ["AP 1", "Projektmanagement und Koordination", "{{ lead_body }}", "[Monat – Monat]"],
            ["AP 2", "[Bezeichnung und Inhalt]", "[Körperschaft]", "[Monat – Monat]"],
            ["AP 3", "[Bezeichnung und Inhalt]", "[Körperschaft]", "[Monat – Monat]"],
            [
                "AP 4",
                "Evaluation, Verstetigung und Öffentlichkeitsarbeit",
                "[Körperschaft]",
                "[Monat – Monat]",
            ],
        ],
        widths=[2.6, 7.0, 3.9, 3.0],
    )
    _prompt(
        doc,
        "Bitte ausfüllen: Meilensteine, Abhängigkeiten zwischen den Arbeitspaketen und die "
        "Verteilung der Aufgaben auf die Verbundpartner.",
    )

    heading(doc, "6. Finanzierung")
    kv_table(
        doc,
        [
            ("Zuwendungsfähige Gesamtausgaben", "{{ eligible_costs }}"),
            ("Förderquote", "{{ funding_rate }}"),
            ("Beantragte Zuwendung", "{{ requested_grant }}"),
            ("Eigenanteil", "{{ own_share }} ({{ own_share_rate }} der Gesamtausgaben)"),
        ],
    )
    tag(doc, "{%p for note in grant_notes %}")
    para(doc, "{{ note }}", italic=True)
    tag(doc, "{%p endfor %}")
    para(doc, "{{ key_explanation }}", align="justify")
    _share_table(doc)

    heading(doc, "7. Laufzeit")
    para(
        doc,
        "Die Laufzeit des Vorhabens beträgt {{ duration }}. Mit der Umsetzung wird erst nach "
        "Bewilligung oder Zustimmung zum vorzeitigen Maßnahmebeginn begonnen.",
        align="justify",
    )

    heading(doc, "8. Ansprechpartner")
    para(doc, "Koordination: {{ coordinator_email }}")
    para(doc, "Antragsteller: {{ lead_body }}, {{ lead_email }}")

    tag(doc, "{%p if notes %}")
    heading(doc, "Hinweise")
    para(doc, "{{ notes }}", align="justify")
    tag(doc, "{%p endif %}")
    return doc


# --- 3. Kosten- und Finanzierungsplan -------------------------------------------------------


def finanzierungsplan() -> DocxDocument:
    doc = new_document("Kosten- und Finanzierungsplan")
    title(
        doc,
        "Kosten- und Finanzierungsplan",
        "{{ reference }} · Fassung v{{ version }}, Stand {{ date }}",
    )
    para(doc, "{{ title }}", bold=True, size=13)
    para(
        doc,
        "Federführung: {{ lead_body }} · Förderprogramm „{{ programme }}“ · "
        "Zuwendungsgeber: {{ funder }}",
        size=10,
    )

    heading(doc, "1. Gesamtfinanzierung")
    grid_table(
        doc,
        ["Position", "Betrag", "Erläuterung"],
        [
            ["Zuwendungsfähige Gesamtausgaben", "{{ eligible_costs }}", "100 %"],
            ["Förderquote", "{{ funding_rate }}", "Programm „{{ programme }}“"],
            ["Zuwendung", "{{ grant }}", "{{ grant_note }}"],
            ["Eigenanteil", "{{ own_share }}", "{{ own_share_note }}"],
        ],
        widths=[5.5, 3.8, 7.2],
        right_align={1},
        bold_last=True,
    )
    tag(doc, "{%p for note in grant_notes %}")
    para(doc, "{{ note }}", italic=True)
    tag(doc, "{%p endfor %}")

    heading(doc, "2. Aufteilung des Eigenanteils")
    para(doc, "Aufteilungsschlüssel: {{ key_label }}", bold=True)
    para(doc, "{{ key_explanation }}", align="justify")
    _share_table(doc)
    para(
        doc,
        "Die Beträge sind auf volle Cent gerundet (Verfahren der größten Reste); ihre Summe "
        "entspricht exakt dem Eigenanteil.",
        size=9,
    )

    tag(doc, "{%p if note %}")
    heading(doc, "Hinweis")
    para(doc, "{{ note }}", align="justify")
    tag(doc, "{%p endif %}")
    return doc


# --- 4. Kooperationsvereinbarung ------------------------------------------------------------


def kooperationsvereinbarung() -> DocxDocument:
    doc = new_document("Kooperationsvereinbarung – ENTWURF")
    title(
        doc,
        "Kooperationsvereinbarung",
        "{{ reference }} · Entwurf, Fassung v{{ version }}, Stand {{ date }}",
    )
    para(doc, "über die Durchführung des Vorhabens „{{ title }}“", bold=True, size=12)
    para(doc, "zwischen")
    tag(doc, "{%p for party in parties %}")
    bullet(doc, "{{ party.designation }}")
    tag(doc, "{%p endfor %}")
    para(doc, "– nachfolgend gemeinsam „die Partner“ genannt –")

    heading(doc, "§ 1 Gegenstand")
    _paragraphs(doc, "subject_clauses", "clause")

    heading(doc, "§ 2 Federführung")
    _paragraphs(doc, "lead_clauses", "clause")

    heading(doc, "§ 3 Finanzierung und Eigenanteile")
    _paragraphs(doc, "financing_clauses", "clause")
    _share_table(doc)
    _paragraphs(doc, "financing_followup", "clause")

    heading(doc, "§ 4 Pflichten der Partner")
    for clause in (
        "(1) Die Partner wirken an der Umsetzung des Vorhabens nach dem Arbeitsplan mit und "
        "stellen die dafür erforderlichen personellen Ressourcen bereit.",
        "(2) Die Partner beachten die Nebenbestimmungen des Zuwendungsbescheids, insbesondere "
        "die Allgemeinen Nebenbestimmungen (ANBest-P bzw. ANBest-Gk), sowie das Vergaberecht. "
        "Vor der Bewilligung oder der schriftlichen Zustimmung zum vorzeitigen Maßnahmebeginn "
        "werden keine Verträge über Leistungen des Vorhabens geschlossen.",
        "(3) Die Partner stellen der federführenden Körperschaft die für Mittelabrufe und "
        "Nachweise erforderlichen Angaben und Belege fristgerecht zur Verfügung und gewähren "
        "dem Zuwendungsgeber und den Prüfbehörden Einsicht in ihre Unterlagen.",
        "(4) Die Ergebnisse des Vorhabens stehen allen Partnern zur Nutzung zur Verfügung. "
        "Öffentlichkeitsarbeit zum Vorhaben wird untereinander abgestimmt und weist auf die "
        "Förderung hin.",
    ):
        para(doc, clause, align="justify")

    heading(doc, "§ 5 Laufzeit und Kündigung")
    _paragraphs(doc, "term_clauses", "clause")

    heading(doc, "§ 6 Schlussbestimmungen")
    para(
        doc,
        "(1) Änderungen und Ergänzungen dieser Vereinbarung bedürfen der Schriftform. Dies gilt "
        "auch für die Aufhebung dieses Schriftformerfordernisses.",
        align="justify",
    )
    para(
        doc,
        "(2) Sollte eine Bestimmung dieser Vereinbarung unwirksam sein oder werden, bleibt die "
        "Wirksamkeit der übrigen Bestimmungen unberührt. Die Partner verpflichten sich, die "
        "unwirksame Bestimmung durch eine wirksame zu ersetzen, die dem Zweck der unwirksamen "
        "Bestimmung am nächsten kommt (salvatorische Klausel).",
        align="justify",
    )
    para(
        doc,
        "(3) Die Vereinbarung wird in {{ copies }} erstellt; jeder Partner erhält eine "
        "Ausfertigung.",
        align="justify",
    )

    heading(doc, "Unterschriften")
    tag(doc, "{%p for party in parties %}")
    para(doc, "")
    para(doc, "{{ party.seat }}, den ____________________")
    para(doc, "")
    para(doc, "______________________________________")
    para(doc, "{{ party.signing_for }}: {{ party.signatory }}", size=9)
    tag(doc, "{%p endfor %}")
    return doc


# --- 5. Sitzungsvorlage (generic) -----------------------------------------------------------


def sitzungsvorlage() -> DocxDocument:
    doc = new_document("Sitzungsvorlage")
    title(doc, "Sitzungsvorlage {{ number }}", "{{ body }} · {{ date }}")
    kv_table(
        doc,
        [
            ("Vorlage-Nr.", "{{ number }}"),
            ("Datum", "{{ date }}"),
            ("Körperschaft", "{{ body }}"),
            ("Beratungsfolge", "{{ council }}"),
            ("Status", "{{ visibility }}"),
            ("Vorbereitet durch", "{{ department }}"),
        ],
    )
    tag(doc, "{%p if draft_note %}")
    para(doc, "{{ draft_note }}", italic=True, size=9)
    tag(doc, "{%p endif %}")

    labelled(doc, "Betreff: ", "{{ subject }}", align=None)
    para(doc, "")
    para(doc, "Beschlussvorschlag:", bold=True)
    para(doc, "{{ proposal }}", align="justify")
    tag(doc, "{%p if restriction %}")
    labelled(doc, "Sperrvermerk: ", "{{ restriction }}")
    tag(doc, "{%p endif %}")

    heading(doc, "I. Sachdarstellung")
    _paragraphs(doc, "facts", "paragraph")

    heading(doc, "II. Entscheidungsalternativen")
    _paragraphs(doc, "alternatives", "paragraph")

    heading(doc, "III. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)")
    labelled(doc, "Finanzen: ", "{{ finances }}")
    labelled(doc, "Personal: ", "{{ personnel }}")
    labelled(doc, "IT: ", "{{ it }}")
    labelled(doc, "Klima: ", "{{ climate }}")

    heading(doc, "IV. Zuständigkeit für die Entscheidung")
    para(doc, "{{ competence }}", align="justify")

    tag(doc, "{%p if attachments %}")
    heading(doc, "Anlagen")
    tag(doc, "{%p for attachment in attachments %}")
    bullet(doc, "{{ attachment }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    return doc


# --- 6. Zwischen- und Verwendungsnachweis ---------------------------------------------------


def nachweis() -> DocxDocument:
    doc = new_document("Zwischen- / Verwendungsnachweis – ENTWURF")
    title(doc, "{{ heading }}", "{{ reference }} · Entwurf vom {{ date }}")
    para(doc, "{{ title }}", bold=True, size=13)
    kv_table(
        doc,
        [
            ("Zuwendungsempfänger", "{{ recipient }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Förderkennzeichen", "{{ funder_reference }}"),
            ("Zuwendungsbescheid vom", "{{ notice_date }}"),
            ("Bewilligungszeitraum", "{{ period }}"),
            ("Berichtszeitraum", "{{ reporting_period }}"),
            ("Bewilligte Zuwendung", "{{ granted }}"),
        ],
    )

    heading(doc, "1. Sachbericht")
    for number, label, prompt in (
        (
            "1.1",
            "Verlauf des Vorhabens",
            "Bitte ausfüllen: Welche Arbeiten wurden im Berichtszeitraum durchgeführt? Wie "
            "ist der Stand der einzelnen Arbeitspakete?",
        ),
        (
            "1.2",
            "Erreichte Ziele",
            "Bitte ausfüllen: Welche Ziele und Meilensteine wurden erreicht? Wie haben sich "
            "die Indikatoren entwickelt?",
        ),
        (
            "1.3",
            "Abweichungen vom Arbeitsplan",
            "Bitte ausfüllen: Welche Abweichungen vom Arbeits-, Zeit- oder Finanzierungsplan "
            "gab es, aus welchen Gründen, und welche Folgen haben sie?",
        ),
        (
            "1.4",
            "Notwendigkeit und Angemessenheit der geleisteten Arbeit",
            "Bitte ausfüllen: Warum waren die durchgeführten Arbeiten und die entstandenen "
            "Ausgaben notwendig und angemessen?",
        ),
        (
            "1.5",
            "Verwertbarkeit und Nachhaltigkeit der Ergebnisse",
            "Bitte ausfüllen: Wie werden die Ergebnisse genutzt und nach Ende der Förderung "
            "fortgeführt? Sind sie auf andere Kommunen übertragbar?",
        ),
        (
            "1.6",
            "Öffentlichkeitsarbeit",
            "Bitte ausfüllen: Welche Veröffentlichungen, Veranstaltungen und Hinweise auf die "
            "Förderung gab es?",
        ),
    ):
        heading(doc, f"{number} {label}", level=3)
        _prompt(doc, prompt)

    heading(doc, "2. Zahlenmäßiger Nachweis")
    heading(doc, "2.1 Einnahmen", level=3)
    loop_table(
        doc,
        ["Einnahmen", "laut Bescheid", "laut Abrechnung"],
        "for row in income",
        ["{{ row.label }}", "{{ row.planned }}", "{{ row.actual }}"],
        footer=["Summe Einnahmen", "{{ income_total }}", ""],
        widths=[8.5, 4.0, 4.0],
        right_align={1, 2},
    )
    heading(doc, "2.2 Ausgaben", level=3)
    loop_table(
        doc,
        ["Ausgaben", "laut Bescheid", "laut Abrechnung"],
        "for row in expenses",
        ["{{ row.label }}", "{{ row.planned }}", "{{ row.actual }}"],
        footer=["Summe Ausgaben", "{{ expenses_total }}", ""],
        widths=[8.5, 4.0, 4.0],
        right_align={1, 2},
    )
    tag(doc, "{%p for hint in hints %}")
    para(doc, "{{ hint }}", italic=True)
    tag(doc, "{%p endfor %}")

    heading(doc, "3. Bestätigungen")
    para(doc, "Es wird bestätigt, dass")
    bullet(
        doc,
        "die Allgemeinen und Besonderen Nebenbestimmungen des Zuwendungsbescheids beachtet wurden,",
    )
    bullet(doc, "die Ausgaben notwendig waren und wirtschaftlich und sparsam verfahren worden ist,")
    bullet(doc, "die Angaben im zahlenmäßigen Nachweis mit den Büchern und Belegen übereinstimmen,")
    bullet(doc, "die Vergabevorschriften eingehalten wurden.")
    tag(doc, "{%p if final %}")
    para(
        doc,
        "Es wird ferner bestätigt, dass der Zuwendungszweck erreicht wurde und die Belege "
        "für eine Prüfung bereitgehalten werden.",
        align="justify",
    )
    tag(doc, "{%p endif %}")
    para(doc, "{{ signing_for }}:", bold=True)
    signature_block(doc, "{{ place }}, den", "Rechtsverbindliche Unterschrift ({{ signatory }})")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "absichtserklaerung.docx": absichtserklaerung,
    "foerderantrag.docx": foerderantrag,
    "finanzierungsplan.docx": finanzierungsplan,
    "kooperationsvereinbarung.docx": kooperationsvereinbarung,
    "sitzungsvorlage.docx": sitzungsvorlage,
    "nachweis.docx": nachweis,
}
