"""fristen-waechter: the daily deadline sweep (scheduled at 07:00 Europe/Berlin)."""

from __future__ import annotations

from models.deadline_inputs import FristenWaechterInput
from models.forms import today_berlin
from tasks.calendar import write_feeds_task
from tasks.delivery import deliver_mail_task
from tasks.form_flow import form_flow
from tasks.sweep import SweepOutcome, publish_overview_task, publish_sweep_summary_task, sweep_task


@form_flow(FristenWaechterInput, name="fristen-waechter", what="Fristenwächter")
def fristen_waechter(data: FristenWaechterInput) -> SweepOutcome:
    """Täglicher Fristenwächter: erinnert an fällige und überfällige Fristen (eine Sammelmail je
    Empfänger), eskaliert überfällige an die zentrale Koordination und schreibt die Kalenderdateien.
    """
    day = data.today or today_berlin()
    outcome = sweep_task(day)
    # Everything pending goes out over one connection, including digests a failed run left.
    delivery = deliver_mail_task(None)
    calendar = write_feeds_task()
    overview = publish_overview_task(day)
    publish_sweep_summary_task(outcome, delivery, overview, calendar.paths)
    return outcome
