"""ONE-TIME BOOTSTRAP: how the first version of the Word templates in templates/ was written.

The .docx files in templates/ are the source of truth: edit them in Word and commit them as
they are, then run ``foerderflow templates check``. No make target runs this script; running
it would overwrite every edit made in Word. It refuses to write unless called with
``--overwrite`` and the names of the templates to write from scratch, e.g.
``uv run python scripts/build_templates.py --overwrite nachweis.docx``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocxDocument
from docx_builder import bullet, heading, kv_table, new_document, para, save_lean, tag, title

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def projektskizze() -> DocxDocument:
    doc = new_document("Projektskizze")
    title(doc, "Projektskizze", "{{ reference }} · Stand: {{ created_on }}")
    para(doc, "{{ title }}", bold=True, size=13)
    kv_table(
        doc,
        [
            ("Aktenzeichen", "{{ reference }}"),
            ("Federführung", "{{ lead.name }}"),
            ("Förderprogramm", "{{ programme }}"),
            ("Zuwendungsgeber", "{{ funder }}"),
            ("Geschätzte Gesamtausgaben", "{{ estimated_costs }}"),
            ("Förderquote", "{{ funding_rate }}"),
            ("Voraussichtliche Zuwendung", "{{ expected_grant }}"),
            ("Voraussichtlicher Eigenanteil", "{{ expected_own_share }}"),
            (
                "Laufzeit",
                "{% if duration_months %}bis zu {{ duration_months }} Monate"
                "{% else %}keine Vorgabe des Programms{% endif %}",
            ),
        ],
    )
    heading(doc, "1. Ausgangslage und Zielsetzung")
    para(doc, "{{ summary }}", align="justify")
    heading(doc, "2. Beteiligte Körperschaften")
    para(
        doc,
        "Das Vorhaben wird von {{ lead.dativ }} federführend betreut. Die Beschlussfassung über "
        "die Beteiligung obliegt dem {{ lead.council }}.",
        align="justify",
    )
    tag(doc, "{%p if partners %}")
    para(doc, "Als Partner sind vorgesehen:")
    tag(doc, "{%p for partner in partners %}")
    bullet(doc, "{{ partner }}")
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "Die Beteiligung der Partner wird in der anschließenden Partnerprüfung durch "
        "Absichtserklärungen bestätigt. Insgesamt sind {{ body_count|zahlwort }} Körperschaften "
        "beteiligt.",
        align="justify",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Weitere Partner sind noch nicht benannt. Interkommunale Vorhaben haben in der Regel "
        "bessere Förderaussichten; eine Beteiligung weiterer Städte und Gemeinden im "
        "{{ mandant.kreis.name }} wird vor der Partnerprüfung geprüft.",
        align="justify",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "3. Finanzierung")
    para(
        doc,
        "Die zuwendungsfähigen Gesamtausgaben werden auf {{ estimated_costs }} geschätzt. "
        "Bei einer Förderquote von {{ funding_rate }} im Programm „{{ programme }}“ ergibt "
        "sich eine voraussichtliche Zuwendung von {{ expected_grant }}. Der Eigenanteil von "
        "{{ expected_own_share }} wird nach einem in der Partnerprüfung festzulegenden "
        "Schlüssel auf die beteiligten Körperschaften aufgeteilt.",
        align="justify",
    )
    tag(doc, "{%p if capped %}")
    para(
        doc,
        "Die Zuwendung ist auf den Förderhöchstbetrag des Programms von {{ max_grant }} "
        "begrenzt; der übersteigende Betrag erhöht den Eigenanteil.",
        italic=True,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if below_minimum %}")
    para(
        doc,
        "Achtung: Die voraussichtliche Zuwendung liegt unter der Mindestzuwendung des Programms "
        "von {{ min_grant }}. Das Vorhaben müsste erweitert oder mit weiteren Partnern gebündelt "
        "werden.",
        italic=True,
    )
    tag(doc, "{%p endif %}")
    heading(doc, "4. Nächste Schritte")
    bullet(doc, "Abstimmung der Projektskizze mit der Federführung und den Partnern")
    bullet(doc, "Partnerprüfung: Versand der Absichtserklärungen mit dem jeweiligen Eigenanteil")
    tag(doc, "{%p if call_deadline %}")
    bullet(doc, "Einreichung des Antrags bis zum Stichtag des Förderaufrufs am {{ call_deadline }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Ansprechpartner")
    para(doc, "Koordination: {{ coordinator_email }}")
    para(doc, "Erfasst von {{ entered_by }} am {{ created_on }}.", size=9)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "projektskizze.docx": projektskizze,
}

from build_templates_antrag import BUILDERS as ANTRAG_BUILDERS  # noqa: E402

BUILDERS.update(ANTRAG_BUILDERS)

from build_templates_strategy import BUILDERS as STRATEGY_BUILDERS  # noqa: E402

BUILDERS.update(STRATEGY_BUILDERS)

from build_templates_reporting import BUILDERS as REPORTING_BUILDERS  # noqa: E402

BUILDERS.update(REPORTING_BUILDERS)


def main(args: list[str]) -> None:
    names = [a for a in args if a != "--overwrite"]
    if "--overwrite" not in args or not names:
        sys.exit(
            "Die Vorlagen in templates/ werden in Word bearbeitet; dieses Skript würde sie "
            "überschreiben.\nNur bewusst: python scripts/build_templates.py --overwrite NAME.docx …"
        )
    unknown = sorted(set(names) - set(BUILDERS))
    if unknown:
        sys.exit(f"Unbekannte Vorlage(n): {', '.join(unknown)}")
    TEMPLATES.mkdir(exist_ok=True)
    for name in names:
        save_lean(BUILDERS[name](), str(TEMPLATES / name))
        print(f"geschrieben: templates/{name}")


if __name__ == "__main__":
    main(sys.argv[1:])
