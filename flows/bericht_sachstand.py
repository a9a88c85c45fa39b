"""bericht-sachstand: the quarterly Sachstandsbericht (a Mitteilungsvorlage with charts)."""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from pydantic import WithJsonSchema

from models.forms import (
    OptionalDateField,
    form_field,
    today_berlin,
    validate_input,
)
from models.reporting.inputs import BerichtSachstandInput, committee_json_schema
from models.reporting.period import is_quarterly_report_day
from tasks.delivery import deliver_mail_task
from tasks.notify import notify_failure
from tasks.reporting.report import ReportOutcome, create_report_task
from tasks.reporting.summary import publish_report_task

# The committee as a dropdown of the tenant's committees.
CommitteeField = Annotated[str | None, WithJsonSchema(committee_json_schema())]


def _scheduled() -> bool:
    ctx = FlowRunContext.get()
    return bool(ctx and ctx.flow_run and ctx.flow_run.auto_scheduled)


@flow(
    name="bericht-sachstand",
    description="Sachstandsbericht als Mitteilungsvorlage mit Diagrammen an die zentrale "
    "Koordination (vierteljährlich am ersten Arbeitstag, oder auf Abruf).",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def bericht_sachstand(
    stichtag: OptionalDateField = form_field(BerichtSachstandInput, "stichtag"),
    committee: CommitteeField = form_field(BerichtSachstandInput, "committee"),
    period_start: OptionalDateField = form_field(BerichtSachstandInput, "period_start"),
    entered_by: str = form_field(BerichtSachstandInput, "entered_by"),
) -> ReportOutcome | None:
    today = today_berlin()
    if _scheduled() and not is_quarterly_report_day(today):
        get_run_logger().info("Heute ist nicht der erste Arbeitstag des Quartals – kein Bericht.")
        return None
    data = validate_input(
        BerichtSachstandInput,
        {
            "stichtag": stichtag,
            "committee": committee,
            "period_start": period_start,
            "entered_by": entered_by,
        },
        what="Bericht",
    )
    outcome = create_report_task(data, today)
    delivery = deliver_mail_task(outcome.outbox_ids or None)
    publish_report_task(outcome, delivery)
    return outcome
