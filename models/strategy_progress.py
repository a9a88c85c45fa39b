"""Progress of a strategy cycle: who has reported, who has adopted, when the Sperrvermerk goes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from models.strategy import BodyCycleView, ResolutionView


class Progress(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int
    reported: int
    adopted: int
    missing: list[str]  # bodies without a report (body names)
    not_adopted: list[str]  # bodies whose council has not adopted yet
    released_on: dt.date | None = None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.adopted == self.total

    def describe(self) -> str:
        lift = f"aufgehoben am {self.released_on:%d.%m.%Y}" if self.released_on else "besteht noch"
        return (
            f"Statusmeldungen {self.reported}/{self.total}, Beschlüsse {self.adopted}/"
            f"{self.total}, Sperrvermerk {lift}"
        )


def progress(states: Sequence[BodyCycleView], released_on: dt.date | None = None) -> Progress:
    return Progress(
        total=len(states),
        reported=sum(1 for s in states if s.reported),
        adopted=sum(1 for s in states if s.adopted),
        missing=[s.body for s in states if not s.reported],
        not_adopted=[s.body for s in states if not s.adopted],
        released_on=released_on,
    )


def missing_bodies(states: Sequence[BodyCycleView]) -> list[BodyCycleView]:
    """Bodies that have not reported, in the order given."""
    return [s for s in states if not s.reported]


def latest_resolution(resolutions: Sequence[ResolutionView]) -> ResolutionView | None:
    """The resolution that counts: the one of the latest meeting."""
    return max(resolutions, key=lambda r: r.meeting_date, default=None)


def all_adopted(states: Sequence[BodyCycleView]) -> bool:
    return bool(states) and all(s.adopted for s in states)


def consolidation_token(states: Sequence[BodyCycleView]) -> str:
    """Identifies the reports a consolidation is based on: unchanged reports, same draft."""
    payload = sorted((s.body, s.report_state.value, s.version) for s in states)
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
