"""radar-aufruf: a coordinator records a call seen in a newsletter or on a ministry's page."""

from __future__ import annotations

from models.forms import today_berlin
from models.radar.inputs import CallEntryInput
from tasks.form_flow import form_flow
from tasks.radar.steps import RADAR, entry_task
from tasks.steps import StepOutcome, finish_step


@form_flow(CallEntryInput, name="radar-aufruf", what="Förderaufruf")
def radar_aufruf(data: CallEntryInput) -> StepOutcome:
    """Förder-Radar: einen Förderaufruf von Hand erfassen (z. B. aus einem Newsletter); eine
    geänderte Frist oder Quote wird als Änderung festgehalten.
    """
    return finish_step(entry_task(data, today_berlin()), RADAR)
