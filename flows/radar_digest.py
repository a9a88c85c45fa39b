"""radar-digest: the weekly digest per body (Monday 07:30 Europe/Berlin)."""

from __future__ import annotations

from models.radar.inputs import RadarDigestInput
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.radar.digest import DigestOutcome
from tasks.radar.steps import RADAR_DIGEST, digest_task
from tasks.steps import finish_step


@form_flow(RadarDigestInput, name="radar-digest", what="Wochenüberblick")
def radar_digest(data: RadarDigestInput) -> DigestOutcome:
    """Förder-Radar: Wochenüberblick je Körperschaft – neue passende Aufrufe, geänderte Aufrufe (alt
    → neu) und nahe Fristen vorgemerkter Aufrufe.
    """
    outcome = digest_task(data, current_flow_run_id())
    finish_step(outcome.summary, RADAR_DIGEST)
    return outcome
