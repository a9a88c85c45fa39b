"""radar-aufruf: a coordinator records a call seen in a newsletter or on a ministry's page."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
from models.radar.inputs import CallEntryInput
from tasks.notify import notify_failure
from tasks.radar.steps import RADAR, entry_task
from tasks.steps import StepOutcome, finish_step


@flow(
    name="radar-aufruf",
    description="Förder-Radar: einen Förderaufruf von Hand erfassen (z. B. aus einem "
    "Newsletter); eine geänderte Frist oder Quote wird als Änderung festgehalten.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(CallEntryInput, what="Förderaufruf")
def radar_aufruf(data: CallEntryInput) -> StepOutcome:
    return finish_step(entry_task(data, today_berlin()), RADAR)
