"""radar-digest: the weekly digest per body (Monday 07:30 Europe/Berlin)."""

from __future__ import annotations

from prefect import flow

from models.forms import OptionalDateField, form_field, today_berlin, validate_input
from models.radar.inputs import RadarDigestInput
from models.radar.matching import MatchRules
from tasks.delivery import deliver_mail_task
from tasks.notify import notify_failure
from tasks.radar.digest import DigestOutcome
from tasks.radar.steps import digest_task, publish_digest_summary


@flow(
    name="radar-digest",
    description="Förder-Radar: Wochenüberblick je Körperschaft – neue passende Aufrufe, "
    "geänderte Aufrufe (alt → neu) und nahe Fristen vorgemerkter Aufrufe.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def radar_digest(
    today: OptionalDateField = form_field(RadarDigestInput, "today"),
    lead_days: int = form_field(RadarDigestInput, "lead_days"),
) -> DigestOutcome:
    data = validate_input(
        RadarDigestInput, {"today": today, "lead_days": lead_days}, what="Wochenüberblick"
    )
    rules = MatchRules(today=data.today or today_berlin(), lead_days=data.lead_days)
    outcome = digest_task(rules)
    delivery = deliver_mail_task(outcome.outbox_ids)
    publish_digest_summary(outcome, delivery)
    return outcome
