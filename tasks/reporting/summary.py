"""What the reporting runs show in the Prefect UI: German markdown artifacts."""

from __future__ import annotations

from prefect import task

from foerderflow.wiring import get_services
from models.mail import DeliveryReport
from tasks.artifacts import delivery_markdown, md_escape, publish_markdown, publish_table
from tasks.reporting.newsletter import EditionOutcome, edition_rows
from tasks.reporting.report import ReportOutcome
from tasks.reporting.site import AtlasOutcome


def report_markdown(outcome: ReportOutcome, delivery: DeliveryReport) -> str:
    state = " (wiederholter Lauf: nichts neu erstellt)" if outcome.repeated else ""
    lines = [
        f"# Sachstandsbericht zum {outcome.stichtag:%d.%m.%Y}{state}",
        "",
        f"- Gremium: {md_escape(outcome.committee)}",
        f"- Berichtszeitraum: {outcome.period}",
        f"- Dokument: `{outcome.document_path}` (Fassung v{outcome.version})",
        "",
        "| Kennzahl | Wert |",
        "|---|---|",
        *(f"| {md_escape(label)} | {md_escape(value)} |" for label, value in outcome.figures),
        "",
        "## Versand an die zentrale Koordination",
        delivery_markdown(delivery, len(outcome.outbox_ids)),
    ]
    return "\n".join(lines)


@task(name="sachstand-artefakt")
def publish_report_task(outcome: ReportOutcome, delivery: DeliveryReport) -> None:
    publish_markdown(
        f"sachstand-{outcome.stichtag.isoformat()}",
        report_markdown(outcome, delivery),
        f"Sachstandsbericht zum {outcome.stichtag:%d.%m.%Y}",
    )


def atlas_markdown(outcome: AtlasOutcome) -> str:
    lines = [
        "# Projektatlas geschrieben",
        "",
        f"- Startseite: `{outcome.index}`",
        f"- Seiten: {outcome.pages} ({outcome.projects} Projekte, {outcome.bodies} Körperschaften)",
        f"- Entfernte Seiten (nicht mehr öffentlich): {outcome.removed}",
        "",
        f"Der Ordner `{outcome.site_dir}` kann unverändert auf den Webserver kopiert oder in "
        "das CMS eingebunden werden; er braucht weder JavaScript noch einen Server.",
    ]
    return "\n".join(lines)


@task(name="projektatlas-artefakt")
def publish_atlas_task(outcome: AtlasOutcome) -> None:
    publish_markdown("projektatlas", atlas_markdown(outcome), "Projektatlas")


def edition_markdown(outcome: EditionOutcome, delivery: DeliveryReport | None, draft: bool) -> str:
    if outcome.nothing_to_send:
        return (
            "# Newsletter: nichts zu versenden\n\nEs gibt keine noch nicht versendete Ausgabe. "
            "Zuerst mit newsletter-entwurf eine Ausgabe erstellen."
        )
    if draft:
        head = f"# Newsletter Ausgabe {outcome.number}: Entwurf an die zentrale Koordination"
    elif outcome.repeated:
        head = f"# Newsletter Ausgabe {outcome.number}: bereits versendet – nichts erneut gesendet"
    else:
        head = f"# Newsletter Ausgabe {outcome.number}: an {len(outcome.recipients)} Körperschaften"
    lines = [
        head,
        "",
        f"- Betreff: {md_escape(outcome.subject)}",
        f"- Berichtszeitraum: {outcome.period}",
    ]
    if delivery is not None:
        lines += ["", delivery_markdown(delivery, len(outcome.outbox_ids))]
    if draft:
        lines += [
            "",
            "Freigeben mit **newsletter-versand** (leeres Formular: neueste Ausgabe).",
            "",
            "## Vorschau (Textfassung)",
            "",
            "```",
            outcome.preview.replace("```", "'''"),
            "```",
        ]
    return "\n".join(lines)


@task(name="newsletter-artefakte")
def publish_edition_task(
    outcome: EditionOutcome, delivery: DeliveryReport | None, draft: bool
) -> None:
    publish_markdown(
        "newsletter", edition_markdown(outcome, delivery, draft), "Newsletter: letzte Ausgabe"
    )
    publish_table(
        "newsletter-ausgaben", edition_rows(get_services()), "Alle Ausgaben des Newsletters"
    )
