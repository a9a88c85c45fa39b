"""Prefect tasks of the radar flows (thin wrappers) and the radar as a process of
:mod:`tasks.steps` (its flows end with :func:`tasks.steps.finish_step`)."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from foerderflow.wiring import get_services
from models.application import IdeaInput
from models.forms import today_berlin
from models.radar.inputs import CallEntryInput, RadarDigestInput, RadarImportInput, RatingInput
from models.radar.matching import DEFAULT_LEAD_DAYS, MatchRules
from tasks.common import retry_unless_domain_error
from tasks.radar.digest import DigestOutcome, send_digests
from tasks.radar.matching import publish_overview_task
from tasks.radar.rating import plan_idea, record_entry, record_rating
from tasks.steps import Process, StepOutcome

_STEP = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": retry_unless_domain_error,
         "cache_policy": NO_CACHE}  # fmt: skip


def radar_process(rules: MatchRules | None = None) -> Process:
    """The Förder-Radar as a process: each step's summary under its own key, then the table
    of the best hits per project (with ``rules``, else today's), current after each step."""

    def publish_overview(outcome: StepOutcome) -> None:
        publish_overview_task(
            rules or MatchRules(today=today_berlin(), lead_days=DEFAULT_LEAD_DAYS)
        )

    return Process(summary_key=lambda outcome: outcome.step, publish_overview=publish_overview)


RADAR = radar_process()
# The weekly digest changes no hit, so it leaves the hit table as it is.
RADAR_DIGEST = Process(summary_key=lambda outcome: outcome.step, publish_overview=lambda _: None)


def rules_for(data: RadarImportInput | RadarDigestInput) -> MatchRules:
    """The match rules of a radar run: its day (empty: today in Berlin) and lead time."""
    return MatchRules(today=data.today or today_berlin(), lead_days=data.lead_days)


@task(name="radar-wochenueberblick", **_STEP)  # type: ignore[call-overload]
def digest_task(data: RadarDigestInput, flow_run_id: str | None) -> DigestOutcome:
    return send_digests(get_services(), rules_for(data), flow_run_id)


@task(name="radar-aufruf-erfassen", **_STEP)  # type: ignore[call-overload]
def entry_task(data: CallEntryInput, today: dt.date) -> StepOutcome:
    return record_entry(get_services(), data, today)


@task(name="radar-bewertung-erfassen", **_STEP)  # type: ignore[call-overload]
def rating_task(data: RatingInput, today: dt.date, flow_run_id: str | None) -> StepOutcome:
    return record_rating(get_services(), data, today, flow_run_id)


@task(name="radar-antragsidee-vorbereiten", **_STEP)  # type: ignore[call-overload]
def idea_input_task(data: RatingInput, today: dt.date) -> IdeaInput:
    return plan_idea(get_services(), data, today)
