"""The yearly strategy revision: statuses, flow inputs and the pure rules of a cycle.

A cycle (``strategie-<year>``) opens with a status request to all 12 bodies, collects one
report per body (a second report replaces the first), consolidates the reports into the draft
"Fortschreibung der Digitalisierungsstrategie <year>" with one Sitzungsvorlage per body, and
ends when every council has adopted it: then the Sperrvermerk is lifted, exactly once.

Everything here is pure: the consolidation of the reports, the changes since last year, the
progress counts, the funding per body and the validation of a report against the project
list. No I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from foerderflow.settings import body_names
from models.errors import InputError
from models.labels import LabelledEnum

# --- Enums -------------------------------------------------------------------------------------


# The eight fields of action of the strategy; the order gives the code (HF1 … HF8).
# (No docstring: it would appear in the Prefect form, which speaks German.)
class Handlungsfeld(StrEnum):
    BILDUNG = "Bildung"
    VERWALTUNG = "Verwaltung & Bürgerservice"
    MOBILITAET = "Mobilität"
    WIRTSCHAFT = "Wirtschaft & Arbeit"
    GESUNDHEIT = "Gesundheit & Pflege"
    INFRASTRUKTUR = "Infrastruktur & Breitband"
    GESELLSCHAFT = "Gesellschaft & Ehrenamt"
    UMWELT = "Umwelt & Energie"

    @property
    def number(self) -> int:
        return list(Handlungsfeld).index(self) + 1

    @property
    def prefix(self) -> str:
        return f"HF{self.number}"


class ProjectStatus(LabelledEnum):
    GEPLANT = "geplant", "geplant"
    IN_UMSETZUNG = "in_umsetzung", "in Umsetzung"
    ABGESCHLOSSEN = "abgeschlossen", "abgeschlossen"
    ZURUECKGESTELLT = "zurueckgestellt", "zurückgestellt"
    VERWORFEN = "verworfen", "verworfen"


# A project closed in an earlier year is no longer part of the consolidated list.
CLOSED_STATUSES: frozenset[ProjectStatus] = frozenset(
    {ProjectStatus.ABGESCHLOSSEN, ProjectStatus.VERWORFEN}
)


class ResolutionOutcome(LabelledEnum):
    BESCHLOSSEN = "beschlossen", "beschlossen"
    GEAENDERT_BESCHLOSSEN = "geaendert_beschlossen", "geändert beschlossen"
    ABGELEHNT = "abgelehnt", "abgelehnt"
    VERTAGT = "vertagt", "vertagt"

    @property
    def adopted(self) -> bool:
        return self in (ResolutionOutcome.BESCHLOSSEN, ResolutionOutcome.GEAENDERT_BESCHLOSSEN)

    @property
    def escalates(self) -> bool:
        return self in (ResolutionOutcome.ABGELEHNT, ResolutionOutcome.VERTAGT)


class CycleStatus(LabelledEnum):
    STATUSABFRAGE = "statusabfrage", "Statusabfrage läuft"
    BESCHLUSSFASSUNG = "beschlussfassung", "Beschlussfassung in den Gremien"
    ABGESCHLOSSEN = "abgeschlossen", "abgeschlossen (Sperrvermerk aufgehoben)"


class ReportState(StrEnum):
    OFFEN = "offen"
    GEMELDET = "gemeldet"


# Period after a deferral (vertagt) until the follow-up meeting, unless a date is given.
FOLLOW_UP_WEEKS = 8
PROJECT_CODE_PATTERN = r"^HF[1-8]-\d{2}$"


def cycle_owner(year: int) -> str:
    """Owner and run tag of a cycle, e.g. ``strategie-2027``."""
    return f"strategie-{year}"


# --- Project codes -----------------------------------------------------------------------------


def field_of_code(code: str) -> Handlungsfeld:
    match = re.match(r"^HF([1-8])-", code)
    if match is None:
        raise InputError(f"„{code}“ ist kein gültiger Projekt-Code (Form HF2-04).")
    return list(Handlungsfeld)[int(match.group(1)) - 1]


def next_project_code(field: Handlungsfeld, existing: Iterable[str]) -> str:
    """The next free code in ``field``: one above the highest number used there."""
    prefix = f"{field.prefix}-"
    numbers = [int(code[len(prefix) :]) for code in existing if code.startswith(prefix)]
    number = max(numbers, default=0) + 1
    if number > 99:
        raise InputError(f"Im Handlungsfeld „{field.value}“ sind keine Projekt-Codes mehr frei.")
    return f"{prefix}{number:02d}"


# --- The project list in data/projektliste.yaml ------------------------------------------------


class ProjectRecord(BaseModel):
    """One entry of ``data/projektliste.yaml``."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=PROJECT_CODE_PATTERN)
    title: str = Field(min_length=3, max_length=300)
    handlungsfeld: Handlungsfeld
    # Names as in koerperschaften.yaml of the same data folder; the seed checks them there.
    lead: str = Field(min_length=1)
    participants: list[str] | Literal["alle"] = Field(default_factory=list)
    status: ProjectStatus
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> ProjectRecord:
        if field_of_code(self.code) is not self.handlungsfeld:
            raise ValueError(
                f"Der Code {self.code} passt nicht zum Handlungsfeld „{self.handlungsfeld.value}“ "
                f"({self.handlungsfeld.prefix})."
            )
        if isinstance(self.participants, list) and self.lead in self.participants:
            raise ValueError(f"{self.lead} ist federführend und nicht zusätzlich beteiligt.")
        return self

    def participant_names(self, bodies: Sequence[str] | None = None) -> list[str]:
        """The participating bodies without the lead, in the order of ``bodies`` (default: the
        tenant's, as in koerperschaften.yaml); "alle" means every one of them."""
        order = list(bodies if bodies is not None else body_names())
        chosen = set(order) if self.participants == "alle" else set(self.participants)
        return [b for b in order if b in chosen and b != self.lead]


# --- Flow inputs ---------------------------------------------------------------------------


# --- Read models --------------------------------------------------------------------------


class ProjectView(BaseModel):
    """A project of the list as tasks and documents see it."""

    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    field: Handlungsfeld
    lead: str  # body name
    participants: list[str]  # without the lead
    status: ProjectStatus
    description: str = ""
    source: str = "projektliste"

    @property
    def bodies(self) -> list[str]:
        return [self.lead, *self.participants]

    def takes_part(self, body: str) -> bool:
        return body == self.lead or body in self.participants


class ReportedStatus(BaseModel):
    """One project status as one body reported it (in the order the reports arrived)."""

    model_config = ConfigDict(frozen=True)

    project_code: str
    body: str  # body name
    body_label: str  # official name, for notes
    status: ProjectStatus
    note: str = ""


class ResolutionView(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: ResolutionOutcome
    meeting_date: dt.date
    note: str = ""
    next_meeting: dt.date | None = None


class BodyCycleView(BaseModel):
    """One body's state in a cycle: report and resolution (a row of the status table)."""

    model_config = ConfigDict(frozen=True)

    body: str  # body name
    official_name: str
    slug: str
    report_state: ReportState
    version: int = 0
    reported_on: dt.date | None = None
    late: bool = False
    response_due: dt.date | None = None
    paper_number: str | None = None
    resolution: ResolutionView | None = None

    @property
    def reported(self) -> bool:
        return self.report_state is ReportState.GEMELDET

    @property
    def adopted(self) -> bool:
        return self.resolution is not None and self.resolution.outcome.adopted


# --- Validation of a report against the list -------------------------------------------------


# --- Consolidation -------------------------------------------------------------------------


class ChangeKind(StrEnum):
    NEU = "neu"
    ABGESCHLOSSEN = "abgeschlossen"
    ZURUECKGESTELLT = "zurueckgestellt"
    VERWORFEN = "verworfen"
    BEGONNEN = "begonnen"
    WIEDER_AUFGENOMMEN = "wieder_aufgenommen"


class ConsolidatedProject(BaseModel):
    """A project's consolidated status for the year, compared with last year's."""

    model_config = ConfigDict(frozen=True)

    project: ProjectView
    previous: ProjectStatus | None  # None: new this year
    current: ProjectStatus
    note: str = ""
    reported_by: list[str] = Field(default_factory=list)  # body names
    conflicts: list[str] = Field(default_factory=list)  # "Stadt Olfen: zurückgestellt"

    @property
    def is_new(self) -> bool:
        return self.previous is None

    @property
    def change(self) -> ChangeKind | None:
        prev, cur = self.previous, self.current
        if prev is None:
            return ChangeKind.NEU
        if prev == cur:
            return None
        if cur is ProjectStatus.ABGESCHLOSSEN:
            return ChangeKind.ABGESCHLOSSEN
        if cur is ProjectStatus.ZURUECKGESTELLT:
            return ChangeKind.ZURUECKGESTELLT
        if cur is ProjectStatus.VERWORFEN:
            return ChangeKind.VERWORFEN
        if prev is ProjectStatus.GEPLANT and cur is ProjectStatus.IN_UMSETZUNG:
            return ChangeKind.BEGONNEN
        return ChangeKind.WIEDER_AUFGENOMMEN

    @property
    def listed(self) -> bool:
        """Part of this year's list: everything except projects closed in earlier years."""
        return not (self.previous in CLOSED_STATUSES and self.current == self.previous)


def consolidate(
    projects: Sequence[ProjectView],
    baseline: dict[str, str],
    reports: Sequence[ReportedStatus],
) -> list[ConsolidatedProject]:
    """Merge the reports of one year into one status per project.

    The lead body's report decides. Without it, the most recent report of a participant
    counts; without any report the project keeps last year's status. Differing reports of
    other participants are kept as ``conflicts`` so the draft can name them. ``baseline`` is
    each project's status when the cycle opened; a project missing there is new this year.
    """
    by_code: dict[str, list[ReportedStatus]] = {}
    for entry in reports:
        by_code.setdefault(entry.project_code, []).append(entry)
    result: list[ConsolidatedProject] = []
    for project in sorted(projects, key=lambda p: p.code):
        raw_previous = baseline.get(project.code)
        previous = ProjectStatus(raw_previous) if raw_previous is not None else None
        entries = by_code.get(project.code, [])
        lead_entry = next((e for e in reversed(entries) if e.body == project.lead), None)
        deciding = lead_entry or (entries[-1] if entries else None)
        if deciding is None:
            current = previous if previous is not None else project.status
            note = ""
        else:
            current, note = deciding.status, deciding.note
        conflicts = [
            f"{e.body_label}: {e.status.label}"
            for e in entries
            if deciding is not None and e is not deciding and e.status is not current
        ]
        result.append(
            ConsolidatedProject(
                project=project,
                previous=previous,
                current=current,
                note=note,
                reported_by=list(dict.fromkeys(e.body for e in entries)),
                conflicts=conflicts,
            )
        )
    return result


class Changes(BaseModel):
    """The changes since last year, as the draft presents them."""

    model_config = ConfigDict(frozen=True)

    new: list[ConsolidatedProject] = Field(default_factory=list)
    completed: list[ConsolidatedProject] = Field(default_factory=list)
    deferred: list[ConsolidatedProject] = Field(default_factory=list)
    dropped: list[ConsolidatedProject] = Field(default_factory=list)
    started: list[ConsolidatedProject] = Field(default_factory=list)
    resumed: list[ConsolidatedProject] = Field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            self.new
            or self.completed
            or self.deferred
            or self.dropped
            or self.started
            or self.resumed
        )


def changes_since_last_year(rows: Sequence[ConsolidatedProject]) -> Changes:
    buckets: dict[ChangeKind, list[ConsolidatedProject]] = {kind: [] for kind in ChangeKind}
    for row in rows:
        if row.change is not None:
            buckets[row.change].append(row)
    return Changes(
        new=buckets[ChangeKind.NEU],
        completed=buckets[ChangeKind.ABGESCHLOSSEN],
        deferred=buckets[ChangeKind.ZURUECKGESTELLT],
        dropped=buckets[ChangeKind.VERWORFEN],
        started=buckets[ChangeKind.BEGONNEN],
        resumed=buckets[ChangeKind.WIEDER_AUFGENOMMEN],
    )


def status_counts(rows: Sequence[ConsolidatedProject]) -> dict[ProjectStatus, int]:
    """How many listed projects are in each status (every status present, in order)."""
    counts = dict.fromkeys(ProjectStatus, 0)
    for row in rows:
        if row.listed:
            counts[row.current] += 1
    return counts


# --- Progress ------------------------------------------------------------------------------


# --- Funding acquired ------------------------------------------------------------------------

SUBMITTED_STAGES = frozenset(
    {"eingereicht", "bewilligt", "abgelehnt", "berichtspflicht", "abgeschlossen"}
)
GRANTED_STAGES = frozenset({"bewilligt", "berichtspflicht", "abgeschlossen"})


class FundingApplication(BaseModel):
    """An application linked to a strategy project, reduced to what the draft reports."""

    model_config = ConfigDict(frozen=True)

    reference: str
    title: str
    project_code: str
    stage: str
    lead: str  # body name
    bodies: list[str]  # lead and every partner that has not declined
    requested_cents: int | None
    granted_cents: int | None

    @property
    def submitted(self) -> bool:
        return self.stage in SUBMITTED_STAGES

    @property
    def requested(self) -> int:
        return (self.requested_cents or 0) if self.submitted else 0

    @property
    def granted(self) -> int:
        return (self.granted_cents or 0) if self.stage in GRANTED_STAGES else 0


class FundingRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    body: str
    applications: int
    requested_cents: int
    granted_cents: int


class FundingSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: list[FundingRow]  # one per body, in the order given
    applications: list[FundingApplication]  # submitted ones, by reference
    in_preparation: int
    total_applications: int
    total_requested_cents: int
    total_granted_cents: int


def funding_by_body(apps: Sequence[FundingApplication], bodies: Sequence[str]) -> FundingSummary:
    """Requested and granted sums per body and in total.

    A joint application counts with its full amount for every body that takes part (lead or a
    partner that has not declined); the totals count every application once.
    """
    submitted = sorted((a for a in apps if a.submitted), key=lambda a: a.reference)
    rows = []
    for body in bodies:
        mine = [a for a in submitted if body in a.bodies]
        rows.append(
            FundingRow(
                body=body,
                applications=len(mine),
                requested_cents=sum(a.requested for a in mine),
                granted_cents=sum(a.granted for a in mine),
            )
        )
    return FundingSummary(
        rows=rows,
        applications=submitted,
        in_preparation=sum(1 for a in apps if not a.submitted and a.stage != "zurueckgezogen"),
        total_applications=len(submitted),
        total_requested_cents=sum(a.requested for a in submitted),
        total_granted_cents=sum(a.granted for a in submitted),
    )
