"""ONE-TIME BOOTSTRAP of the application's Word templates (see build_templates.py).

The .docx files in templates/ are the source of truth and are edited in Word; this script
only shows how their first version was written. It holds the wording as Jinja: the context
models in ``models/antrag_docs/`` hand facts (amounts, dates, lists, counts, the bodies'
grammatical forms such as ``{{ lead.dativ }}``), the tenant's facts come as ``{{ mandant.* }}``.
Every Jinja tag sits in a single run (see docx_builder).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
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

# --- wording shared by several templates (expanded into each; a council edits each file) ----

PLURAL = "{% if body_count != 1 %}en{% endif %}"
BODIES = "{{ body_count|zahlwort }} Körperschaft" + PLURAL
KEY_LABEL = (
    "{% if key == 'einwohner' %}nach Einwohnerzahlen (Stand {{ mandant.einwohner_stichtag }})"
    "{% elif key == 'prozent' %}nach vereinbarten Prozentanteilen"
    "{% else %}zu gleichen Teilen{% endif %}"
)
KEY_SENTENCE = (
    f"Der Eigenanteil wird {KEY_LABEL} auf {BODIES} aufgeteilt"
    "{% if key == 'einwohner' %}, die zusammen {{ population_total }} Einwohnerinnen und "
    "Einwohner zählen{% endif %}."
)
OWN_SHARE_RATE = "{% if own_share_rate_rounded %}rund {% endif %}{{ own_share_rate }}"
DURATION = (
    "{% if duration_months %}bis zu {{ duration_months }} Monate"
    "{% else %}ohne Vorgabe des Programms{% endif %}"
)

SHARE_HEADERS = ["Körperschaft", "Schlüsselgröße", "Anteil", "Betrag"]
SHARE_CELLS = [
    "{{ s.body }}",
    "{% if key == 'einwohner' %}{{ s.population }} Einwohner"
    "{% elif key == 'prozent' %}vereinbart {{ s.agreed_percent }}"
    "{% else %}gleicher Anteil{% endif %}",
    "{{ s.percent }}",
    "{{ s.amount }}",
]
SHARE_FOOTER = [
    "Summe Eigenanteil",
    "{% if key == 'einwohner' %}{{ population_total }} Einwohner"
    "{% elif key == 'prozent' %}{{ total_percent }}"
    "{% else %}{{ body_count|zahlwort|gross }} Körperschaft" + PLURAL + "{% endif %}",
    "{{ total_percent }}",
    "{{ own_share }}",
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


def _when(doc: DocxDocument, condition: str, *texts: str, italic: bool = False) -> None:
    """Paragraphs that appear only when ``condition`` holds (a ``{%p if %}`` block)."""
    tag(doc, f"{{%p if {condition} %}}")
    for text in texts:
        para(doc, text, align="justify", italic=italic)
    tag(doc, "{%p endif %}")


def _either(doc: DocxDocument, condition: str, then: str, otherwise: str) -> None:
    """One of two paragraphs (``{%p if %} … {%p else %} … {%p endif %}``)."""
    tag(doc, f"{{%p if {condition} %}}")
    para(doc, then, align="justify")
    tag(doc, "{%p else %}")
    para(doc, otherwise, align="justify")
    tag(doc, "{%p endif %}")


def _grant_notes(doc: DocxDocument) -> None:
    _when(
        doc,
        "capped",
        "Die Zuwendung ist auf den Förderhöchstbetrag des Programms „{{ programme }}“ von "
        "{{ cap }} begrenzt; der übersteigende Betrag erhöht den Eigenanteil.",
        italic=True,
    )
    _when(
        doc,
        "below_minimum",
        "Achtung: Die Zuwendung liegt unter der Mindestzuwendung des Programms von {{ minimum }}.",
        italic=True,
    )


def _prompt(doc: DocxDocument, text: str) -> None:
    """An italic fill-in prompt for the coordinator."""
    para(doc, f"[{text}]", italic=True)


def _clauses(doc: DocxDocument, *clauses: str) -> None:
    for clause in clauses:
        para(doc, clause, align="justify")


# --- 1. Absichtserklärung -----------------------------------------------------------------------


def absichtserklaerung() -> DocxDocument:
    doc = new_document("Absichtserklärung")
    title(doc, "Absichtserklärung", "{{ reference }} · Entwurf vom {{ date }}")
    para(doc, "{{ partner.name }}", bold=True, size=13)
    para(doc, "zur Beteiligung an dem Vorhaben „{{ title }}“", bold=True)
    para(
        doc,
        "Bitte prüfen Sie den Entwurf und senden Sie die unterzeichnete Erklärung oder eine "
        "Absage bis zum {{ response_due }} an {{ coordinator_email }} zurück.",
        italic=True,
        size=10,
    )
    _either(
        doc,
        "is_lead",
        "Die {{ mandant.agentur.name }} bereitet gemeinsam mit {{ partner.dativ }} einen "
        "Förderantrag für das Vorhaben „{{ title }}“ im Förderprogramm „{{ programme }}“ vor. "
        "{{ partner.nominativ|gross }} ist als federführende Körperschaft und "
        "{{ partner.applicant }} vorgesehen. Mit dieser Erklärung bestätigt {{ partner.pronoun }} "
        "{{ partner.possessive }} Bereitschaft, den auf {{ partner.pronoun_akk }} entfallenden "
        "Eigenanteil zu tragen.",
        "Die {{ mandant.agentur.name }} bereitet gemeinsam mit {{ lead.dativ }} als federführender "
        "Körperschaft einen Förderantrag für das Vorhaben „{{ title }}“ im Förderprogramm "
        "„{{ programme }}“ vor. {{ partner.nominativ|gross }} ist als Verbundpartner vorgesehen. "
        "Mit dieser Absichtserklärung bekundet {{ partner.pronoun }} {{ partner.possessive }} "
        "Bereitschaft, sich an dem Vorhaben zu beteiligen und den auf "
        "{{ partner.pronoun_akk }} entfallenden Eigenanteil zu tragen.",
    )

    heading(doc, "1. Das Vorhaben")
    kv_table(
        doc,
        [
            ("Aktenzeichen", "{{ reference }}"),
            ("Vorhaben", "{{ title }}"),
            ("Federführung", "{{ lead.name }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Zuwendungsfähige Gesamtausgaben", "{{ eligible_costs }}"),
            ("Förderquote", "{{ funding_rate }}"),
            ("Voraussichtliche Zuwendung", "{{ grant }}"),
            ("Eigenanteil insgesamt", "{{ own_share }}"),
        ],
    )
    para(doc, "{{ summary }}", align="justify")
    _grant_notes(doc)

    heading(doc, "2. Aufteilung des Eigenanteils")
    para(
        doc,
        KEY_SENTENCE + "{% if key == 'einwohner' %} Für {{ partner.akkusativ }} wird eine "
        "Einwohnerzahl von {{ partner.population }} zugrunde gelegt.{% elif key == 'prozent' %} "
        "Auf {{ partner.akkusativ }} entfällt ein Anteil von {{ share_percent }}.{% endif %}",
        align="justify",
    )
    kv_table(
        doc,
        [
            ("Vorgesehener Eigenanteil", "{{ share_amount }}"),
            ("Anteil am Eigenanteil", "{{ share_percent }}"),
        ],
    )
    para(
        doc,
        "Auf {{ partner.akkusativ }} entfällt danach ein Anteil von {{ share_amount }}; das sind "
        "{{ share_percent }} des Eigenanteils von {{ own_share }}.",
        align="justify",
    )

    heading(doc, "3. Erklärung")
    _either(
        doc,
        "is_lead",
        "{{ partner.nominativ|gross }} beabsichtigt, das Vorhaben „{{ title }}“ als federführende "
        "Körperschaft im Förderprogramm „{{ programme }}“ zu beantragen und einen Eigenanteil in "
        "Höhe von bis zu {{ share_amount }} zu tragen.",
        "{{ partner.nominativ|gross }} beabsichtigt, sich an dem Vorhaben „{{ title }}“ unter "
        "Federführung {{ lead.genitiv }} im Förderprogramm „{{ programme }}“ zu beteiligen und "
        "einen Eigenanteil in Höhe von bis zu {{ share_amount }} zu tragen.",
    )
    para(
        doc,
        "Die Erklärung steht unter dem Vorbehalt der Zustimmung {{ partner.council_genitiv }} "
        "sowie der Bewilligung der Zuwendung. Eine rechtliche Verpflichtung wird mit dieser "
        "Erklärung noch nicht begründet; sie entsteht erst mit dem Abschluss der "
        "Kooperationsvereinbarung.",
        align="justify",
    )

    heading(doc, "4. Rückmeldung")
    para(
        doc,
        "Um Rückmeldung wird bis zum {{ response_due }} gebeten. Ohne Rückmeldung kann die "
        "Beteiligung bei der Aufstellung des Finanzierungsplans nicht berücksichtigt werden.",
        align="justify",
    )
    para(doc, "Für {{ partner.akkusativ }}:", bold=True)
    signature_block(doc, "{{ partner.seat }}, den", "{{ partner.signatory }}")
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
            ("Antragsteller (federführend)", "{{ lead.name }}"),
            ("Beschlussgremium", "{{ lead.council }}"),
            ("Kontakt", "{{ lead_email }}"),
        ],
    )

    heading(doc, "2. Verbundpartner")
    _either(
        doc,
        "partners",
        "{{ lead.nominativ|gross }} stellt den Antrag als federführende Körperschaft zugleich im "
        "Namen der folgenden Verbundpartner, die ihre Beteiligung zugesagt haben. Insgesamt "
        f"tragen {BODIES} im {{{{ mandant.kreis.name }}}} das Vorhaben gemeinsam.",
        "{{ lead.nominativ|gross }} führt das Vorhaben als {{ lead.applicant }} ohne weitere "
        "Verbundpartner durch.",
    )
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
            ("Laufzeit", DURATION),
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
        "„{{ mandant.strategie.name }}“?",
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
            ["AP 1", "Projektmanagement und Koordination", "{{ lead.name }}", "[Monat – Monat]"],
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
            ("Beantragte Zuwendung", "{{ grant }}"),
            ("Eigenanteil", "{{ own_share }} (" + OWN_SHARE_RATE + " der Gesamtausgaben)"),
        ],
    )
    _grant_notes(doc)
    para(doc, KEY_SENTENCE, align="justify")
    _share_table(doc)

    heading(doc, "7. Laufzeit")
    para(
        doc,
        "{% if duration_months %}Die Laufzeit des Vorhabens beträgt bis zu {{ duration_months }} "
        "Monate.{% else %}Das Förderprogramm gibt keine Höchstlaufzeit vor.{% endif %} Mit der "
        "Umsetzung wird erst nach Bewilligung oder Zustimmung zum vorzeitigen Maßnahmebeginn "
        "begonnen.",
        align="justify",
    )

    heading(doc, "8. Ansprechpartner")
    para(doc, "Koordination: {{ coordinator_email }}")
    para(doc, "Antragsteller: {{ lead.name }}, {{ lead_email }}")

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
        "Federführung: {{ lead.name }} · Förderprogramm „{{ programme }}“ · "
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
            [
                "Zuwendung",
                "{{ grant }}",
                "{% if capped %}begrenzt auf den Förderhöchstbetrag von {{ cap }}"
                "{% else %}{{ funding_rate }} der zuwendungsfähigen Gesamtausgaben{% endif %}",
            ],
            [
                "Eigenanteil",
                "{{ own_share }}",
                OWN_SHARE_RATE + " der zuwendungsfähigen Gesamtausgaben; Aufteilung " + KEY_LABEL,
            ],
        ],
        widths=[5.5, 3.8, 7.2],
        right_align={1},
        bold_last=True,
    )
    _grant_notes(doc)

    heading(doc, "2. Aufteilung des Eigenanteils")
    para(doc, "Aufteilungsschlüssel: " + KEY_LABEL, bold=True)
    para(doc, KEY_SENTENCE, align="justify")
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
    bullet(
        doc,
        "{{ party.dativ }}, vertreten durch {{ party.representative }} ({% if party.is_lead %}"
        "federführende Körperschaft{% else %}Verbundpartner{% endif %})",
    )
    tag(doc, "{%p endfor %}")
    para(doc, "– nachfolgend gemeinsam „die Partner“ genannt –")

    heading(doc, "§ 1 Gegenstand")
    _clauses(
        doc,
        "(1) Die Partner arbeiten bei der Vorbereitung, Beantragung und Durchführung des "
        "Vorhabens „{{ title }}“ (Aktenzeichen {{ reference }}) zusammen. Das Vorhaben soll im "
        "Förderprogramm „{{ programme }}“ – Zuwendungsgeber: {{ funder }} – gefördert werden.",
        "(2) Inhalt des Vorhabens: {{ summary|satz }}",
        "(3) Die Zusammenarbeit erfolgt im Rahmen der gemeinsamen Digitalisierungsstrategie "
        "„{{ mandant.strategie.name }}“, die der {{ mandant.kreis.name }} und seine Städte und "
        "Gemeinden gemeinsam umsetzen; die {{ mandant.agentur.name }} unterstützt die Partner "
        "bei der Koordination.",
    )

    heading(doc, "§ 2 Federführung")
    _clauses(
        doc,
        "(1) Die Federführung liegt {{ lead.bei }}. {{ lead.nominativ|gross }} stellt den "
        "Förderantrag im eigenen Namen und zugleich im Auftrag der übrigen Partner. "
        "{{ lead.pronoun|gross }} ist gegenüber dem Zuwendungsgeber {{ lead.grant_recipient }} "
        "und bewirtschaftet die Fördermittel.",
        "(2) Die federführende Körperschaft koordiniert das Vorhaben gemeinsam mit der "
        "{{ mandant.agentur.name }}, ruft die Fördermittel ab und erstellt die Zwischen- und "
        "Verwendungsnachweise.",
        "(3) Die federführende Körperschaft unterrichtet die Partner regelmäßig, mindestens "
        "halbjährlich, über den Stand des Vorhabens und den Mittelabfluss.",
    )

    heading(doc, "§ 3 Finanzierung und Eigenanteile")
    _clauses(
        doc,
        "(1) Die zuwendungsfähigen Gesamtausgaben des Vorhabens betragen {{ eligible_costs }}. "
        "Bei einer Förderquote von {{ funding_rate }} wird eine Zuwendung in Höhe von "
        "{{ grant }} beantragt.",
        "(2) Der Eigenanteil in Höhe von {{ own_share }} wird "
        + KEY_LABEL
        + " aufgeteilt und von den Partnern wie folgt getragen:",
    )
    _share_table(doc)
    _clauses(
        doc,
        "(3) Die Partner stellen ihre Eigenanteile der federführenden Körperschaft nach "
        "Anforderung entsprechend dem Mittelbedarf des Vorhabens zur Verfügung.",
        "(4) Wird die Zuwendung in geringerer Höhe bewilligt oder ändern sich die "
        "zuwendungsfähigen Ausgaben, werden die Anteile nach demselben Schlüssel neu "
        "berechnet. Eine Erhöhung des Eigenanteils eines Partners bedarf seiner Zustimmung.",
        "(5) Rückforderungen des Zuwendungsgebers tragen die Partner im Verhältnis ihrer "
        "Anteile, soweit sie nicht von einem Partner allein zu vertreten sind; in diesem Fall "
        "trägt dieser Partner die Rückforderung.",
    )

    heading(doc, "§ 4 Pflichten der Partner")
    _clauses(
        doc,
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
    )

    heading(doc, "§ 5 Laufzeit und Kündigung")
    _clauses(
        doc,
        "(1) Die Vereinbarung tritt mit der Unterzeichnung durch alle Partner in Kraft. Sie "
        "endet mit der abschließenden Prüfung des Verwendungsnachweises durch den "
        "Zuwendungsgeber. Wird die Zuwendung nicht bewilligt, endet sie mit dem Zugang des "
        "ablehnenden Bescheids.",
        "(2) {% if duration_months %}Die Laufzeit des Vorhabens ist mit bis zu "
        "{{ duration_months }} Monaten geplant (Höchstlaufzeit des Programms „{{ programme }}“)."
        "{% else %}Das Förderprogramm gibt keine Höchstlaufzeit vor; die Laufzeit des Vorhabens "
        "richtet sich nach dem Zuwendungsbescheid.{% endif %}",
        "(3) Eine ordentliche Kündigung ist während der Laufzeit des Vorhabens ausgeschlossen. "
        "Das Recht zur Kündigung aus wichtigem Grund bleibt unberührt; die Kündigung bedarf der "
        "Schriftform.",
        "(4) Ein ausscheidender Partner bleibt verpflichtet, die bis zu seinem Ausscheiden "
        "entstandenen Eigenanteile zu tragen und an der Erstellung der Nachweise mitzuwirken.",
    )

    heading(doc, "§ 6 Schlussbestimmungen")
    _clauses(
        doc,
        "(1) Änderungen und Ergänzungen dieser Vereinbarung bedürfen der Schriftform. Dies gilt "
        "auch für die Aufhebung dieses Schriftformerfordernisses.",
        "(2) Sollte eine Bestimmung dieser Vereinbarung unwirksam sein oder werden, bleibt die "
        "Wirksamkeit der übrigen Bestimmungen unberührt. Die Partner verpflichten sich, die "
        "unwirksame Bestimmung durch eine wirksame zu ersetzen, die dem Zweck der unwirksamen "
        "Bestimmung am nächsten kommt (salvatorische Klausel).",
        "(3) Die Vereinbarung wird in {{ parties|length|zahlwort }} gleichlautenden "
        "Ausfertigungen erstellt; jeder Partner erhält eine Ausfertigung.",
    )

    heading(doc, "Unterschriften")
    tag(doc, "{%p for party in parties %}")
    para(doc, "")
    para(doc, "{{ party.seat }}, den ____________________")
    para(doc, "")
    para(doc, "______________________________________")
    para(doc, "Für {{ party.akkusativ }}: {{ party.signatory }}", size=9)
    tag(doc, "{%p endfor %}")
    return doc


# --- 5. Sitzungsvorlage of an application ---------------------------------------------------


def _vorlage_head(doc: DocxDocument) -> None:
    kv_table(
        doc,
        [
            ("Vorlage-Nr.", "{{ number }}"),
            ("Datum", "{{ date }}"),
            ("Körperschaft", "{{ body.name }}"),
            ("Beratungsfolge", "{{ body.council }}"),
            ("Status", "öffentlich"),
            ("Vorbereitet durch", "{{ mandant.agentur.name }}"),
        ],
    )


def sitzungsvorlage_antrag() -> DocxDocument:
    doc = new_document("Sitzungsvorlage")
    title(doc, "Sitzungsvorlage {{ number }}", "{{ body.name }} · {{ date }}")
    _vorlage_head(doc)
    para(doc, "Entwurf der {{ mandant.agentur.name }}, Fassung v{{ version }}", italic=True, size=9)

    labelled(
        doc,
        "Betreff: ",
        "Förderantrag „{{ title }}“ im Programm „{{ programme }}“: Beteiligung "
        "{{ body.genitiv }} und Bereitstellung des Eigenanteils",
        align=None,
    )
    para(doc, "")
    para(doc, "Beschlussvorschlag:", bold=True)
    para(
        doc,
        "Der {{ body.council }} beschließt, dass sich {{ body.nominativ }} {% if is_lead %}als "
        "federführende Körperschaft{% else %}als Verbundpartner unter Federführung "
        "{{ lead.genitiv }}{% endif %} an dem Vorhaben „{{ title }}“ im Förderprogramm "
        "„{{ programme }}“ beteiligt{% if is_lead %} und den {% if partners %}gemeinsamen "
        "{% endif %}Förderantrag stellt{% endif %}. {{ body.nominativ|gross }} trägt einen "
        "Eigenanteil in Höhe von bis zu {{ share_amount }}. Die Bereitstellung der Mittel "
        "erfolgt vorbehaltlich der Bewilligung der Zuwendung.{% if partners %} Die Verwaltung "
        "wird beauftragt, die Kooperationsvereinbarung auf Grundlage des beigefügten Entwurfs "
        "abzuschließen.{% endif %}",
        align="justify",
    )
    tag(doc, "{%p if restriction %}")
    labelled(doc, "Sperrvermerk: ", "{{ restriction }}")
    tag(doc, "{%p endif %}")

    heading(doc, "I. Sachdarstellung")
    _clauses(
        doc,
        "Der {{ mandant.kreis.name }} und seine{% if municipality_count %} "
        "{{ municipality_count|zahlwort }}{% endif %} kreisangehörigen Städte und Gemeinden "
        "setzen gemeinsam die kreisweite Digitalisierungsstrategie „{{ mandant.strategie.name }}“ "
        "um. Zu den Kernaufgaben der dafür eingerichteten „{{ mandant.agentur.name }}“ gehört "
        "neben der Begleitung der Umsetzungsprojekte ausdrücklich die Akquise von Fördermitteln. "
        "Interkommunale Vorhaben, die auf die gemeinsam abgestimmte Strategie verweisen können, "
        "haben sich dabei als besonders förderwürdig erwiesen. Vor diesem Hintergrund hat die "
        "{{ mandant.agentur.name }} gemeinsam mit {{ lead.dativ }} das Vorhaben „{{ title }}“ "
        "(Aktenzeichen {{ reference }}) vorbereitet, das im Förderprogramm „{{ programme }}“ – "
        "Zuwendungsgeber: {{ funder }} – beantragt werden soll.",
        "Inhaltlich ist das Vorhaben wie folgt angelegt: {{ summary|satz }}"
        "{% if duration_months %} Die Laufzeit ist mit bis zu {{ duration_months }} Monaten "
        "geplant.{% endif %}",
        "Die Federführung liegt {{ lead.bei }}, {{ lead.artikel_nom }} den Förderantrag als "
        "{{ lead.applicant }} stellt.{% if partners|length == 1 %} Als Verbundpartner hat "
        "{{ partners[0].nominativ }} {{ partners[0].possessive }} Beteiligung durch eine "
        "Absichtserklärung zugesagt.{% elif partners %} Als Verbundpartner haben "
        "{{ partners|aufzaehlung('nominativ') }} ihre Beteiligung durch Absichtserklärungen "
        "zugesagt.{% endif %}{% if declined %} {{ declined|aufzaehlung('nominativ')|gross }} "
        "{% if declined|length == 1 %}hat{% else %}haben{% endif %} von einer Beteiligung "
        "abgesehen.{% endif %}{% if partners %} Damit tragen insgesamt {{ body_count|zahlwort }} "
        "Körperschaften im {{ mandant.kreis.name }} das Vorhaben gemeinsam. Die Zusammenarbeit, "
        "insbesondere die Aufgaben der federführenden Körperschaft und die Tragung der "
        "Eigenanteile, wird in einer Kooperationsvereinbarung geregelt, deren Entwurf dieser "
        "Vorlage beigefügt ist.{% endif %}",
        "Die zuwendungsfähigen Gesamtausgaben des Vorhabens belaufen sich auf "
        "{{ eligible_costs }}. Bei einer Förderquote von {{ funding_rate }} wird eine Zuwendung "
        "in Höhe von {{ grant }} beantragt.{% if capped %} Die Zuwendung ist dabei auf den "
        "Förderhöchstbetrag des Programms von {{ cap }} begrenzt.{% endif %} Der verbleibende "
        "Eigenanteil von {{ own_share }} wird "
        + KEY_LABEL
        + " auf die beteiligten Körperschaften aufgeteilt. Auf {{ body.akkusativ }} entfällt "
        "danach ein Anteil von {{ share_amount }} ({{ share_percent }} des Eigenanteils). Die "
        "Einzelheiten ergeben sich aus dem beigefügten Kosten- und Finanzierungsplan."
        "{% if call_deadline %} Der Förderantrag ist bis zum {{ call_deadline }} beim "
        "Zuwendungsgeber einzureichen; eine Beschlussfassung vor diesem Termin ist daher "
        "erforderlich.{% endif %}",
    )

    heading(doc, "II. Entscheidungsalternativen")
    _either(
        doc,
        "is_lead",
        "Der {{ body.organ }} stimmt der Beteiligung nicht zu. Da {{ body.nominativ }} das "
        "Vorhaben federführend beantragt, könnte der Förderantrag in der vorliegenden Form nicht "
        "gestellt werden. Die Federführung müsste durch {% if partners %}einen der "
        "Verbundpartner{% else %}eine andere Körperschaft{% endif %} übernommen und der "
        "Finanzierungsplan neu aufgestellt werden; andernfalls entfiele das Vorhaben und die "
        "Zuwendung von bis zu {{ grant }} stünde nicht zur Verfügung.",
        "Der {{ body.organ }} stimmt der Beteiligung nicht zu. Der auf {{ body.akkusativ }} "
        "entfallende Eigenanteil von {{ share_amount }} müsste dann auf die übrigen Partner "
        "umverteilt werden, was deren erneute Zustimmung voraussetzt. Gelingt dies nicht, kann "
        "der Förderantrag nicht wie geplant gestellt werden und die Zuwendung von bis zu "
        "{{ grant }} stünde nicht zur Verfügung.",
    )
    _when(
        doc,
        "partners",
        "Der {{ body.organ }} beschließt eine Beteiligung mit einem geringeren Eigenanteil. "
        "Dies setzt eine Änderung des Kosten- und Finanzierungsplans und die Zustimmung aller "
        "übrigen Partner voraus und würde die Einreichung des Antrags verzögern.",
    )

    heading(doc, "III. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)")
    labelled(
        doc,
        "Finanzen: ",
        "Auf {{ body.akkusativ }} entfällt ein Eigenanteil in Höhe von bis zu {{ share_amount }} "
        "({{ share_percent }} des gesamten Eigenanteils von {{ own_share }}). Die Mittel sind "
        "über die Laufzeit des Vorhabens in den Haushaltsplanungen der betreffenden Jahre zu "
        "veranschlagen.{% if is_lead %} Als {{ body.applicant }} vereinnahmt "
        "{{ body.nominativ }} die Zuwendung von bis zu {{ grant }} und bewirtschaftet sie nach "
        "Maßgabe des Zuwendungsbescheids und der Kooperationsvereinbarung.{% else %} Die "
        "Zuwendung von bis zu {{ grant }} wird von {{ lead.dativ }} als {{ lead.applicant }} "
        "vereinnahmt und bewirtschaftet.{% endif %}",
    )
    labelled(
        doc,
        "Personal: ",
        "Die Projektkoordination erfolgt im Rahmen der bestehenden Personalressourcen der "
        "{{ mandant.agentur.name }}.{% if is_lead %} Die Federführung wird von der Verwaltung "
        "{{ body.genitiv }} mit vorhandenem Personal wahrgenommen; zusätzliche Stellen werden "
        "nicht eingerichtet.{% else %} Die Mitwirkung {{ body.genitiv }} an den Arbeitspaketen "
        "wird durch die vorhandenen Fachkräfte der Verwaltung wahrgenommen; zusätzliche Stellen "
        "werden nicht eingerichtet.{% endif %}",
    )
    labelled(
        doc,
        "IT: ",
        "Die im Vorhaben entstehenden digitalen Lösungen werden mit der IT-Organisation "
        "{{ body.genitiv }} abgestimmt. Die Anforderungen an Datenschutz und "
        "Informationssicherheit werden bei Beschaffung und Betrieb berücksichtigt.",
    )
    labelled(
        doc,
        "Klima: ",
        "Unmittelbare Auswirkungen auf das Klima sind nicht zu erwarten. Digitale Verfahren "
        "können mittelbar zur Einsparung von Wegen und Papier beitragen.",
    )

    heading(doc, "IV. Zuständigkeit für die Entscheidung")
    para(
        doc,
        "Zuständig für die Entscheidung ist der {{ body.organ }} gem. {{ body.legal_basis }}.",
        align="justify",
    )

    heading(doc, "Anlagen")
    bullet(doc, "Projektskizze „{{ title }}“")
    bullet(doc, "Kosten- und Finanzierungsplan (Fassung v{{ version }})")
    bullet(doc, "Entwurf der Kooperationsvereinbarung (Fassung v{{ version }})")
    return doc


# --- the generic Sitzungsvorlage (the strategy revision fills its paragraphs itself) -------


def _paragraphs(doc: DocxDocument, items: str, var: str = "item") -> None:
    """One justified paragraph per element of the list ``items``."""
    tag(doc, f"{{%p for {var} in {items} %}}")
    para(doc, f"{{{{ {var} }}}}", align="justify")
    tag(doc, "{%p endfor %}")


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

NOT_RECORDED = "(noch nicht erfasst)"


def _bold_row(table: object, cells: list[str], *, bold: bool, right: set[int]) -> None:
    row = table.add_row().cells  # type: ignore[attr-defined]
    for i, text in enumerate(cells):
        run = row[i].paragraphs[0].add_run(text)
        run.bold = bold
        run.font.size = Pt(9.5)
        if i in right:
            row[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def nachweis() -> DocxDocument:
    doc = new_document("Zwischen- / Verwendungsnachweis – ENTWURF")
    title(
        doc,
        "{% if final %}Verwendungsnachweis{% else %}Zwischennachweis für das Jahr "
        "{{ year }}{% endif %}",
        "{{ reference }} · Entwurf vom {{ date }}",
    )
    para(doc, "{{ title }}", bold=True, size=13)
    kv_table(
        doc,
        [
            ("Zuwendungsempfänger", "{{ recipient.name }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Förderkennzeichen", "{{ funder_reference or '" + NOT_RECORDED + "' }}"),
            ("Zuwendungsbescheid vom", "{{ notice_date or '" + NOT_RECORDED + "' }}"),
            (
                "Bewilligungszeitraum",
                "{% if period_start %}{{ period_start }} bis {{ period_end }}{% else %}"
                + NOT_RECORDED
                + "{% endif %}",
            ),
            (
                "Berichtszeitraum",
                "{% if reporting_start %}{{ reporting_start }} bis {{ reporting_end }}"
                "{% else %}" + NOT_RECORDED + "{% endif %}",
            ),
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
    income = loop_table(
        doc,
        ["Einnahmen", "laut Bescheid", "laut Abrechnung"],
        "for s in shares",
        ["Eigenanteil {{ s.body }}", "{{ s.amount }}", ""],
        widths=[8.5, 4.0, 4.0],
        right_align={1, 2},
    )
    _bold_row(income, ["Zuwendung", "{{ granted }}", ""], bold=False, right={1, 2})
    _bold_row(income, ["Summe Einnahmen", "{{ income_total }}", ""], bold=True, right={1, 2})
    heading(doc, "2.2 Ausgaben", level=3)
    grid_table(
        doc,
        ["Ausgaben", "laut Bescheid", "laut Abrechnung"],
        [
            ["Zuwendungsfähige Gesamtausgaben", "{{ eligible_costs }}", ""],
            ["Summe Ausgaben", "{{ eligible_costs }}", ""],
        ],
        widths=[8.5, 4.0, 4.0],
        right_align={1, 2},
        bold_last=True,
    )
    _when(
        doc,
        "not granted_recorded",
        "Der bewilligte Betrag ist noch nicht erfasst; eingesetzt ist die beantragte Zuwendung.",
        italic=True,
    )
    _when(
        doc,
        "not income_matches_costs",
        "Die Einnahmen laut Bescheid ({{ income_total }}) weichen von den zuwendungsfähigen "
        "Gesamtausgaben ({{ eligible_costs }}) ab. Bitte den Finanzierungsplan an den "
        "Zuwendungsbescheid anpassen.",
        italic=True,
    )

    heading(doc, "3. Bestätigungen")
    para(doc, "Es wird bestätigt, dass")
    bullet(
        doc,
        "die Allgemeinen und Besonderen Nebenbestimmungen des Zuwendungsbescheids beachtet wurden,",
    )
    bullet(doc, "die Ausgaben notwendig waren und wirtschaftlich und sparsam verfahren worden ist,")
    bullet(doc, "die Angaben im zahlenmäßigen Nachweis mit den Büchern und Belegen übereinstimmen,")
    bullet(doc, "die Vergabevorschriften eingehalten wurden.")
    _when(
        doc,
        "final",
        "Es wird ferner bestätigt, dass der Zuwendungszweck erreicht wurde und die Belege "
        "für eine Prüfung bereitgehalten werden.",
    )
    para(doc, "Für {{ recipient.akkusativ }}:", bold=True)
    signature_block(
        doc,
        "{{ recipient.seat }}, den",
        "Rechtsverbindliche Unterschrift ({{ recipient.signatory }})",
    )
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "absichtserklaerung.docx": absichtserklaerung,
    "foerderantrag.docx": foerderantrag,
    "finanzierungsplan.docx": finanzierungsplan,
    "kooperationsvereinbarung.docx": kooperationsvereinbarung,
    "sitzungsvorlage.docx": sitzungsvorlage,
    "sitzungsvorlage_antrag.docx": sitzungsvorlage_antrag,
    "nachweis.docx": nachweis,
}
