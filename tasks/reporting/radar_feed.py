"""The Förder-Radar's part of the report and the newsletter: read from its tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.deadlines import format_date_de
from models.radar.catalogue import ACTIVE_STATUSES
from models.radar.inputs import Rating
from models.radar.tables import RadarCall, RadarChange, RadarProgramme, RadarRating
from models.reporting.newsletter import NewsRadarCall
from models.reporting.period import ReportPeriod
from models.reporting.sachstand import RadarLine
from tasks.reporting.queries import BERLIN

# ratings that mean "we want this money": marked interesting, or applied for
WANTED = (Rating.INTERESSIERT, Rating.BEANTRAGT)


def _deadline(call: RadarCall) -> str:
    return format_date_de(call.deadline) if call.deadline else "laufend / offen"


def interested_calls(session: Session) -> list[RadarLine]:
    """Calls a body marked interessiert or beantragt, with the applications started from them."""
    rows = session.execute(
        select(RadarCall, RadarProgramme.title, RadarRating.application_reference)
        .join(RadarRating, RadarRating.call_id == RadarCall.id)
        .join(RadarProgramme, RadarProgramme.id == RadarCall.programme_id)
        .where(RadarRating.rating.in_(WANTED))
        .order_by(RadarCall.deadline.nulls_last(), RadarCall.title)
    ).all()
    lines: dict[int, tuple[RadarCall, str, set[str]]] = {}
    for call, programme, reference in rows:
        entry = lines.setdefault(call.id, (call, programme, set()))
        if reference:
            entry[2].add(reference)
    return [
        RadarLine(
            call=call.title,
            programme=programme,
            deadline=_deadline(call),
            applications=", ".join(sorted(refs)) or "–",
        )
        for call, programme, refs in lines.values()
    ]


def new_and_changed_calls(session: Session, period: ReportPeriod) -> list[NewsRadarCall]:
    """Open calls that are new in ``period`` or changed materially in it (deadline, rate,
    status); a call the source no longer lists (``entfallen``) is left out."""
    # The period's days are the district's days (a call imported at 00:30 in Berlin is news of
    # that day, not of the day before in UTC).
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=BERLIN)
    end = dt.datetime.combine(period.end, dt.time.max, tzinfo=BERLIN)
    changed = select(RadarChange.call_id).where(
        RadarChange.material.is_(True), RadarChange.created_at.between(start, end)
    )
    rows = session.execute(
        select(RadarCall, RadarProgramme.title)
        .join(RadarProgramme, RadarProgramme.id == RadarCall.programme_id)
        .where(
            RadarCall.status.in_(ACTIVE_STATUSES),
            RadarCall.entfallen_on.is_(None),
            or_(RadarCall.created_at.between(start, end), RadarCall.id.in_(changed)),
        )
        .order_by(RadarCall.deadline.nulls_last(), RadarCall.title)
    ).all()
    return [
        NewsRadarCall(title=call.title, programme=programme, deadline=_deadline(call))
        for call, programme in rows
    ]
