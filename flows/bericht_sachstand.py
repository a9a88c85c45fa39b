"""bericht-sachstand: the quarterly Sachstandsbericht (a Mitteilungsvorlage with charts)."""

from __future__ import annotations

from prefect import get_run_logger
from prefect.context import FlowRunContext

from models.forms import today_berlin
from models.reporting.inputs import BerichtSachstandInput
from models.reporting.period import is_quarterly_report_day
from tasks.artifacts import current_flow_run_id
from tasks.form_flow import form_flow
from tasks.reporting.report import create_report_task
from tasks.reporting.summary import REPORTING
from tasks.steps import StepOutcome, finish_step


def _scheduled() -> bool:
    ctx = FlowRunContext.get()
    return bool(ctx and ctx.flow_run and ctx.flow_run.auto_scheduled)


@form_flow(BerichtSachstandInput, name="bericht-sachstand", what="Bericht")
def bericht_sachstand(data: BerichtSachstandInput) -> StepOutcome | None:
    """Sachstandsbericht als Mitteilungsvorlage mit Diagrammen an die zentrale Koordination
    (vierteljährlich am ersten Arbeitstag, oder auf Abruf).
    """
    today = today_berlin()
    if _scheduled() and not is_quarterly_report_day(today):
        get_run_logger().info("Heute ist nicht der erste Arbeitstag des Quartals – kein Bericht.")
        return None
    return finish_step(create_report_task(data, today, current_flow_run_id()), REPORTING)
