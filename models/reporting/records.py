"""Input records of the reports: plain read models, filled by ``tasks.reporting.queries``.

Amounts are integer euro cents, as everywhere (``models.money``). Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class ShareRecord(_Record):
    """One body's own share of an application, as its Finanzierungsplan states it."""

    body: str
    is_lead: bool
    decision: str  # offen | zugesagt | abgesagt (the lead counts as zugesagt)
    share_cents: int | None  # final_share_cents of the plan; None before the plan exists


class ApplicationRecord(_Record):
    reference: str
    title: str
    summary: str = ""
    year: int
    stage: str
    lead: str
    programme: str
    funder: str = ""
    created_on: dt.date
    estimated_costs_cents: int = 0
    eligible_costs_cents: int | None = None
    requested_cents: int | None = None
    granted_cents: int | None = None
    submitted_on: dt.date | None = None
    notice_date: dt.date | None = None
    project_code: str | None = None
    shares: list[ShareRecord] = Field(default_factory=list)
    public: bool = True

    @property
    def bodies(self) -> list[str]:
        """Lead and every partner that has not declined, lead first."""
        return [s.body for s in self.shares if s.is_lead or s.decision != "abgesagt"] or [self.lead]


class ProjectRecord(_Record):
    code: str
    title: str
    field: str
    status: str
    lead: str
    participants: list[str] = Field(default_factory=list)
    description: str = ""
    source: str = "projektliste"  # | vorschlag
    created_on: dt.date | None = None
    public: bool = True


class StageChange(_Record):
    """A stage change of an application (from the audit trail)."""

    reference: str
    title: str
    on: dt.date
    from_stage: str | None
    to_stage: str


class DeadlineRecord(_Record):
    title: str
    kind: str
    due: dt.date
    owner: str | None = None
    body: str | None = None
    is_termin: bool = False


class BodyRecord(_Record):
    name: str
    slug: str = ""
    official_name: str
    kind: str = "gemeinde"
    email: str = ""  # the body's functional contact address (not a person's)


class ReportData(_Record):
    """Everything one report reads, at one instant."""

    bodies: list[BodyRecord]
    applications: list[ApplicationRecord]
    projects: list[ProjectRecord]
    changes: list[StageChange] = Field(default_factory=list)
    deadlines: list[DeadlineRecord] = Field(default_factory=list)
