"""The Statusabfrage: the letter asking one body for the status of its projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView
from models.deadlines import format_date_de, format_day_de
from models.documents import DocumentContext
from models.grammar import BodyForms, body_forms
from models.strategy import ProjectStatus, ProjectView
from models.strategy_docs.common import (
    Association,
    Count,
    association,
    count,
)


class StatusRequestRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    title: str
    field: str
    leads: bool  # the body leads the project (Federführung), else it takes part
    previous: str  # last year's status


class StatusabfrageContext(DocumentContext):
    year: int
    date: str
    body: BodyForms
    association: Association | None  # None when the caller did not pass all bodies
    response_due: str
    projects: list[StatusRequestRow]
    open_projects: Count  # len(projects)
    led: Count  # projects among them the body leads
    coordinator_email: str
    entered_by: str


_CLOSED = frozenset({ProjectStatus.ABGESCHLOSSEN, ProjectStatus.VERWORFEN})


def statusabfrage_context(
    *,
    year: int,
    body: BodyView,
    projects: Sequence[ProjectView],
    baseline: dict[str, str],
    response_due: dt.date,
    today: dt.date,
    coordinator_email: str,
    entered_by: str,
    bodies: Sequence[BodyView] = (),
) -> StatusabfrageContext:
    """The status request to *body*: its open projects with last year's status.

    ``bodies`` are all bodies of the cycle (for "aus den Rückmeldungen aller … Körperschaften");
    without them the bodies named in the project list are counted."""
    mine = sorted(
        (p for p in projects if p.takes_part(body.name) and p.code in baseline),
        key=lambda p: p.code,
    )
    rows = [
        StatusRequestRow(
            code=p.code,
            title=p.title,
            field=p.field.value,
            leads=p.lead == body.name,
            previous=ProjectStatus(baseline[p.code]).label,
        )
        for p in mine
        if ProjectStatus(baseline[p.code]) not in _CLOSED
    ]
    return StatusabfrageContext(
        year=year,
        date=format_date_de(today),
        body=body_forms(body),
        association=association(bodies) if bodies else None,
        response_due=format_day_de(response_due),
        projects=rows,
        open_projects=count(len(rows)),
        led=count(sum(1 for r in rows if r.leads)),
        coordinator_email=coordinator_email,
        entered_by=entered_by,
    )
