"""Prefect tasks of the radar flows (thin wrappers), the radar as a process of
:mod:`tasks.steps`, and the German run summaries of the import and the digest."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from foerderflow.wiring import get_services
from models.application import IdeaInput
from models.forms import today_berlin
from models.mail import DeliveryReport
from models.radar.inputs import CallEntryInput, RatingInput
from models.radar.matching import DEFAULT_LEAD_DAYS, MatchRules
from tasks.artifacts import delivery_markdown, md_escape, publish_markdown
from tasks.common import retry_unless_domain_error
from tasks.radar.digest import DigestOutcome, send_digests, send_immediate
from tasks.radar.matching import publish_overview_task
from tasks.radar.rating import plan_idea, record_entry, record_rating
from tasks.radar.store import ImportReport
from tasks.steps import Process, StepOutcome

_STEP = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": retry_unless_domain_error,
         "cache_policy": NO_CACHE}  # fmt: skip


def _publish_overview(outcome: StepOutcome) -> None:
    """The table of the best hits per project, current after each step (in the run)."""
    publish_overview_task(MatchRules(today=today_berlin(), lead_days=DEFAULT_LEAD_DAYS))


# The Förder-Radar as a process: each step's summary under its own key, the hit table.
RADAR = Process(summary_key=lambda outcome: outcome.step, publish_overview=_publish_overview)


@task(name="radar-sofortmeldungen", **_STEP)  # type: ignore[call-overload]
def immediate_task(new_call_ids: list[str], rules: MatchRules, threshold: int) -> list[int]:
    return send_immediate(get_services(), new_call_ids, rules, threshold)


@task(name="radar-wochenueberblick", **_STEP)  # type: ignore[call-overload]
def digest_task(rules: MatchRules) -> DigestOutcome:
    return send_digests(get_services(), rules)


@task(name="radar-aufruf-erfassen", **_STEP)  # type: ignore[call-overload]
def entry_task(data: CallEntryInput, today: dt.date) -> StepOutcome:
    return record_entry(get_services(), data, today)


@task(name="radar-bewertung-erfassen", **_STEP)  # type: ignore[call-overload]
def rating_task(data: RatingInput, today: dt.date, flow_run_id: str | None) -> StepOutcome:
    return record_rating(get_services(), data, today, flow_run_id)


@task(name="radar-antragsidee-vorbereiten", **_STEP)  # type: ignore[call-overload]
def idea_input_task(data: RatingInput, today: dt.date) -> IdeaInput:
    return plan_idea(get_services(), data, today)


def publish_import_summary(
    report: ImportReport, immediate: int, delivery: DeliveryReport, rows: int
) -> None:
    lines = [
        "# Förder-Radar: Import",
        "",
        f"- Quelle: `{md_escape(report.location)}` ({report.source})",
        f"- Neu: {report.new} · geändert: {report.changed} · entfallen: {report.gone} · "
        f"unverändert: {report.unchanged}",
        f"- Sofortmeldungen an die Federführung der Handlungsfelder: {immediate}",
        f"- Tabelle „foerder-radar“: {rows} Treffer",
        "",
        delivery_markdown(delivery, immediate),
        "",
        "Texte der Förderdatenbank: Quelle: Förderdatenbank des Bundes (BMWE), CC BY-ND 4.0.",
        "",
        f"`{report.summary_line}`",
    ]
    publish_markdown("radar-import", "\n".join(lines), "Ergebnis des Imports")


def publish_digest_summary(outcome: DigestOutcome, delivery: DeliveryReport) -> None:
    lines = [
        f"# Förder-Radar: Wochenüberblick vom {outcome.today:%d.%m.%Y}",
        "",
        "| Körperschaft | neu | geändert | Fristen | Mail |",
        "|---|---|---|---|---|",
    ]
    for body, (new, changed, due) in outcome.mails.items():
        sent = "ja" if new or changed or due else "nein (nichts zu melden)"
        lines.append(f"| {md_escape(body)} | {new} | {changed} | {due} | {sent} |")
    lines += ["", delivery_markdown(delivery, len(outcome.outbox_ids))]
    publish_markdown("radar-digest", "\n".join(lines), "Wochenüberblick des Förder-Radars")
