"""radar-digest: the weekly digest per body (Monday 07:30 Europe/Berlin)."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input
from models.radar.inputs import RadarDigestInput
from tasks.artifacts import current_flow_run_id
from tasks.notify import notify_failure
from tasks.radar.digest import DigestOutcome
from tasks.radar.steps import RADAR_DIGEST, digest_task
from tasks.steps import finish_step


@flow(
    name="radar-digest",
    description="Förder-Radar: Wochenüberblick je Körperschaft – neue passende Aufrufe, "
    "geänderte Aufrufe (alt → neu) und nahe Fristen vorgemerkter Aufrufe.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(RadarDigestInput, what="Wochenüberblick")
def radar_digest(data: RadarDigestInput) -> DigestOutcome:
    outcome = digest_task(data, current_flow_run_id())
    finish_step(outcome.summary, RADAR_DIGEST)
    return outcome
