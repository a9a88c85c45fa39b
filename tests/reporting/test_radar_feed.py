"""The Förder-Radar's part of the report and the newsletter, read from the radar's tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from foerderflow.wiring import Services
from models.forms import today_berlin
from models.radar.tables import RadarCall, RadarRating
from models.reporting.period import ReportPeriod
from models.tables import Body
from tasks.reporting.radar_feed import interested_calls, new_and_changed_calls


def test_interested_calls_with_their_applications(seeded: Services) -> None:
    with seeded.sessions.begin() as session:
        call = session.scalar(select(RadarCall).where(RadarCall.call_id == "ikz-nrw-2027"))
        other = session.scalar(select(RadarCall).where(RadarCall.call_id != "ikz-nrw-2027"))
        assert call is not None and other is not None
        olfen = session.scalar(select(Body).where(Body.name == "Olfen"))
        kreis = session.scalar(select(Body).where(Body.name == "Kreis Coesfeld"))
        assert olfen is not None and kreis is not None
        session.add_all(
            [
                RadarRating(call_id=call.id, body_id=olfen.id, rating="interessiert",
                            entered_by="Anna"),
                RadarRating(call_id=call.id, body_id=kreis.id, rating="beantragt",
                            application_reference="FA-2026-007", entered_by="Anna"),
                RadarRating(call_id=other.id, body_id=olfen.id, rating="passt_nicht",
                            reason="kein_eigenanteil", entered_by="Anna"),
            ]
        )  # fmt: skip
    with seeded.sessions() as session:
        lines = interested_calls(session)
    assert [(line.call, line.applications) for line in lines] == [(call.title, "FA-2026-007")]
    assert lines[0].deadline == call.deadline.strftime("%d.%m.%Y")  # type: ignore[union-attr]


def test_new_calls_of_the_period_only(seeded: Services) -> None:
    today = today_berlin()  # the product's "today", also between 23:00 and 24:00 UTC
    with seeded.sessions() as session:
        recent = new_and_changed_calls(session, ReportPeriod(start=today, end=today))
        old = new_and_changed_calls(
            session, ReportPeriod(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
        )
        open_calls = session.scalars(
            select(RadarCall.title).where(RadarCall.status.in_(("open", "forthcoming", "rolling")))
        ).all()
    # the sample catalogue was seeded today: its open calls are new, the closed one is not
    assert sorted(c.title for c in recent) == sorted(open_calls)
    assert old == []


def test_dropped_calls_are_not_news(seeded: Services) -> None:
    """A call the source no longer lists (entfallen) keeps its last status but is not news."""
    today = today_berlin()  # the product's "today", also between 23:00 and 24:00 UTC
    with seeded.sessions.begin() as session:
        dropped = session.scalar(
            select(RadarCall)
            .where(RadarCall.status.in_(("open", "forthcoming", "rolling")))
            .order_by(RadarCall.call_id)
        )
        assert dropped is not None
        dropped.entfallen_on = today
        title = dropped.title
    with seeded.sessions() as session:
        news = new_and_changed_calls(session, ReportPeriod(start=today, end=today))
        still_open = session.scalars(
            select(RadarCall.title).where(
                RadarCall.status.in_(("open", "forthcoming", "rolling")),
                RadarCall.entfallen_on.is_(None),
            )
        ).all()
    assert title not in [c.title for c in news]
    assert sorted(c.title for c in news) == sorted(still_open)
    assert news  # the other open calls of the sample catalogue are still listed
