"""The confirmation that every council adopted the revision (and the Sperrvermerk is lifted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.strategy import ResolutionOutcome, ResolutionView
from models.strategy_docs.common import Association, CycleStanding, association, draft_title


class ResolutionRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    council: str
    number: str
    meeting: str
    outcome: str


class ResolutionNote(BaseModel):
    """An earlier or amended resolution the confirmation mentions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    council: str
    outcome: str  # ResolutionOutcome value: geaendert_beschlossen | vertagt | abgelehnt
    meeting: str
    note: str  # the council's amendment, without a final full stop


class FreigabeContext(DocumentContext):
    year: int
    date: str  # the release date
    # The heading is also the document's title in the register and the release mail's
    # subject, so it stays one computed value.
    heading: str
    subject: str
    association: Association  # counted from the bodies whose resolutions were required
    completing_council: str
    last_meeting: str
    rows: list[ResolutionRow]
    amount: str  # amount released, "" when no Sperrvermerk was set
    notes: list[ResolutionNote]


class ResolutionRecord(BaseModel):
    """A recorded resolution with the body it belongs to (for the confirmation's history)."""

    model_config = ConfigDict(frozen=True)

    body: str  # body name
    resolution: ResolutionView


_NOTED = (
    ResolutionOutcome.GEAENDERT_BESCHLOSSEN,
    ResolutionOutcome.VERTAGT,
    ResolutionOutcome.ABGELEHNT,
)


def freigabe_context(
    standing: CycleStanding,
    *,
    history: Sequence[ResolutionRecord],
    completing_body: BodyView,
    released_on: dt.date,
) -> FreigabeContext:
    """Confirmation that all councils adopted the revision and the Sperrvermerk is lifted."""
    year, states, by_name = standing.year, standing.states, standing.by_name
    rows = []
    for state in states:
        res = state.resolution
        rows.append(
            ResolutionRow(
                council=by_name[state.body].council,
                number=state.paper_number or "–",
                meeting=format_date_de(res.meeting_date) if res else "–",
                outcome=res.outcome.label if res else "–",
            )
        )
    last = next(s.resolution for s in states if s.body == completing_body.name)
    assert last is not None
    notes = [
        ResolutionNote(
            council=by_name[record.body].council,
            outcome=record.resolution.outcome.value,
            meeting=format_date_de(record.resolution.meeting_date),
            note=record.resolution.note.strip().rstrip("."),
        )
        for record in sorted(history, key=lambda r: (r.resolution.meeting_date, r.body))
        if record.body in by_name and record.resolution.outcome in _NOTED
    ]
    return FreigabeContext(
        year=year,
        date=format_date_de(released_on),
        heading=(
            "Aufhebung des Sperrvermerks"
            if standing.restricted_amount_cents is not None
            else "Abschluss der Beschlussfassung"
        ),
        subject=draft_title(year),
        association=association([by_name[s.body] for s in states if s.body in by_name]),
        completing_council=completing_body.council,
        last_meeting=format_date_de(last.meeting_date),
        rows=rows,
        amount=standing.restriction,
        notes=notes,
    )
