"""What the reporting runs show in the Prefect UI: German markdown artifacts.

The report and the newsletter steps end with ``tasks.steps.finish_step(outcome, REPORTING)``;
the atlas, which changes no data and sends no mail, publishes its own summary.
"""

from __future__ import annotations

from prefect import task
from sqlalchemy import select

from foerderflow.wiring import get_services
from models.tables_reporting import NewsletterEdition
from tasks.artifacts import publish_markdown, publish_table
from tasks.reporting.newsletter import OWNER, edition_rows
from tasks.reporting.site import AtlasOutcome
from tasks.steps import Process, StepOutcome


def _summary_key(outcome: StepOutcome) -> str:
    """``sachstand-<date>`` for a report, ``newsletter`` for both newsletter steps and
    ``atlas-sichtbarkeit`` for the visibility marks (artifact keys are lower case)."""
    return outcome.step if outcome.step == "atlas-sichtbarkeit" else outcome.owner


def preview_markdown(edition: NewsletterEdition) -> str:
    return "\n".join(
        [
            f"# Newsletter Ausgabe {edition.number}: Vorschau (Textfassung)",
            "",
            "```",
            edition.body_text.replace("```", "'''"),
            "```",
        ]
    )


def _publish_overview(outcome: StepOutcome) -> None:
    """The newsletter steps list all editions; a draft also shows its preview."""
    if outcome.owner != OWNER:
        return
    services = get_services()
    publish_table("newsletter-ausgaben", edition_rows(services), "Alle Ausgaben des Newsletters")
    if outcome.step == "newsletter-entwurf":
        with services.sessions() as session:
            edition = session.scalar(
                select(NewsletterEdition).order_by(NewsletterEdition.number.desc()).limit(1)
            )
        if edition is not None:
            publish_markdown("newsletter-vorschau", preview_markdown(edition), "Vorschau")


REPORTING = Process(summary_key=_summary_key, publish_overview=_publish_overview)


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
