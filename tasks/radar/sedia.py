"""Reading a saved response of the EU Funding & Tenders search API (SEDIA).

The API is undocumented and may change: only the fields below are read, every value is a
list of strings in ``metadata``, and the raw result is kept with the programme. A SEDIA
*call* (``callIdentifier``) becomes a catalogue programme, each *topic* (``identifier``) one of
its calls. Tenders (``type`` 0) are skipped. A search response is never a full snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from models.errors import InputError
from models.radar.catalogue import (
    SEDIA_LICENCE,
    CallRecord,
    CallStatus,
    DeadlineModel,
    ProgrammeRecord,
    Source,
)
from tasks.radar.reader import Reading

SEARCH_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***"
TOPIC_URL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{}"
STATUS_CODES = {
    "31094501": CallStatus.FORTHCOMING,
    "31094502": CallStatus.OPEN,
    "31094503": CallStatus.CLOSED,
}
DEADLINE_MODELS = {
    "single-stage": DeadlineModel.SINGLE,
    "two-stage": DeadlineModel.TWO_STAGE,
    "multiple cut-off": DeadlineModel.MULTIPLE_CUT_OFF,
    "multiple-cut-off": DeadlineModel.MULTIPLE_CUT_OFF,
}
GRANT_TYPES = {"1", "2", "8"}


def _first(meta: dict[str, Any], name: str) -> str:
    value = meta.get(name)
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value).strip() if value is not None else ""


def _all(meta: dict[str, Any], name: str) -> list[str]:
    value = meta.get(name)
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if value else []


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _max_contribution(meta: dict[str, Any], identifier: str) -> int | None:
    """The largest EU contribution per project from ``budgetOverview`` (JSON in a string)."""
    try:
        overview = json.loads(_first(meta, "budgetOverview") or "{}")
    except json.JSONDecodeError:
        return None
    best: Decimal | None = None
    for actions in (overview.get("budgetTopicActionMap") or {}).values():
        for action in actions or []:
            if identifier and identifier not in str(action.get("action", identifier)):
                continue
            value = action.get("maxContribution")
            try:
                amount = Decimal(str(value))
            except (ArithmeticError, ValueError):
                continue
            best = amount if best is None or amount > best else best
    return int(best * 100) if best is not None else None


def to_call(result: dict[str, Any]) -> CallRecord | None:
    meta = result.get("metadata") or {}
    if _first(meta, "type") not in GRANT_TYPES:
        return None
    identifier = _first(meta, "identifier")
    if not identifier:
        return None
    status = STATUS_CODES.get(_first(meta, "status"), CallStatus.UNKNOWN)
    model = DEADLINE_MODELS.get(_first(meta, "deadlineModel").lower(), DeadlineModel.SINGLE)
    deadlines = sorted(d for d in (_date(v) for v in _all(meta, "deadlineDate")) if d)
    keywords = _all(meta, "keywords")
    themes = ["EU-Förderung"]
    if any("digital" in k.lower() for k in keywords + [_first(meta, "title")]):
        themes.insert(0, "Digitalisierung")
    return CallRecord(
        call_id=identifier[:120],
        source_ref=identifier,
        url=_first(meta, "url") or TOPIC_URL.format(identifier.lower()),
        title=(_first(meta, "title") or identifier)[:500],
        funder="Europäische Kommission",
        granting_body=_first(meta, "frameworkProgramme"),
        status=status,
        deadline_model=model,
        open_date=_date(_first(meta, "startDate")),
        deadline=deadlines[-1]
        if model is DeadlineModel.TWO_STAGE and deadlines
        else (deadlines[0] if deadlines else None),
        cut_off_dates=tuple(deadlines) if model is DeadlineModel.MULTIPLE_CUT_OFF else (),
        deadline_text=", ".join(_all(meta, "deadlineDate")),
        regions=("EU",),
        themes=tuple(themes),
        keywords=tuple(keywords),
        funding_type="Zuschuss",
        max_grant_cents=_max_contribution(meta, identifier),
    )


def read_sedia(data: bytes, location: str) -> Reading:
    """The calls of a saved search response, grouped by their SEDIA call; never everything."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{location} ist keine gültige JSON-Datei ({exc}); es wurde nichts importiert."
        ) from None
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise InputError(
            f"{location} ist keine Antwort der Such-API des Funding & Tenders Portals (Liste "
            "„results“ fehlt); es wurde nichts importiert."
        )
    programmes: dict[str, dict[str, Any]] = {}
    for result in results:
        if not isinstance(result, dict):
            continue
        call = to_call(result)
        if call is None:
            continue
        meta = result.get("metadata") or {}
        key = _first(meta, "callIdentifier") or call.call_id
        entry = programmes.setdefault(
            key, {"title": _first(meta, "callTitle") or key, "calls": {}, "raw": []}
        )
        entry["calls"][call.call_id] = call
        entry["raw"].append(result)
    return Reading(
        full=False,
        programmes=tuple(
            ProgrammeRecord(
                key=f"sedia:{key}",
                source=Source.SEDIA,
                source_ref=key,
                url=TOPIC_URL.format(key.lower()),
                licence=SEDIA_LICENCE,
                title=entry["title"][:500],
                funder="Europäische Kommission",
                raw={"results": entry["raw"]},
                calls=tuple(entry["calls"].values()),
            )
            for key, entry in programmes.items()
        ),
    )
