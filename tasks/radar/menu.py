"""Dropdown of the radar: the calls for ``radar-bewertung`` (best matches first). Part of
:func:`tasks.menu.refresh_menu` (which also lists the catalogue's programmes for
``antrag-idee``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.deadlines import format_date_de
from models.forms import today_berlin
from models.radar.matching import MatchRules
from models.radar.tables import RadarCall, RadarRating
from tasks.radar.matching import matcher

MAX_CALLS = 400
MAX_TITLE = 60


def call_label(call_id: str, title: str, deadline: str) -> str:
    short = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
    return f"{call_id} · {short} ({deadline})"


def call_options(session: Session) -> list[str]:
    """Calls that match at least one body (best score first), and every rated call."""
    m, _ = matcher(session, MatchRules(today=today_berlin(), lead_days=0))
    best: dict[str, int] = {}
    for name in m.bodies:
        for hit in m.for_body(name):
            best[hit.call_id] = max(best.get(hit.call_id, 0), hit.score)
    rated = set(
        session.scalars(
            select(RadarCall.call_id).join(RadarRating, RadarRating.call_id == RadarCall.id)
        )
    )
    wanted = sorted(best, key=lambda c: (-best[c], c))[:MAX_CALLS]
    wanted += sorted(rated - set(wanted))
    rows = {
        c.call_id: c
        for c in session.scalars(select(RadarCall).where(RadarCall.call_id.in_(wanted)))
    }
    labels = []
    for cid in wanted:
        row = rows.get(cid)
        if row is not None:
            due = format_date_de(row.deadline) if row.deadline is not None else "laufend"
            labels.append(call_label(cid, row.title, due))
    return labels


def with_enum(schema: dict[str, Any], field: str, options: list[str]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    prop = schema.get("properties", {}).get(field)
    if prop is None or not options:
        return schema
    keep = {k: v for k, v in prop.items() if k in ("title", "description", "position")}
    schema["properties"][field] = {**keep, "type": "string", "enum": options}
    return schema


def radar_menu_updates(session: Session) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    return {
        "radar-bewertung": partial(with_enum, field="call_id", options=call_options(session)),
    }
