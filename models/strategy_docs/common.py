"""Facts shared by the strategy documents: the cycle's facts, counts, the bodies' grammatical forms.

The wording lives in the Word templates (``templates/strategie_*.docx``); this package hands
them facts only: amounts, dates, names, counts, lists and the grammatical forms of a body.
No I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.grammar import BodyForms, body_forms, count_word, full_sentence, join_de
from models.money import format_eur
from models.strategy import (
    BodyCycleView,
    Changes,
    ConsolidatedProject,
    FundingSummary,
    ProjectStatus,
    ReportState,
    changes_since_last_year,
    status_counts,
)

STATUSABFRAGE_TEMPLATE = "strategie_statusabfrage.docx"
ENTWURF_TEMPLATE = "strategie_entwurf.docx"
VORLAGE_TEMPLATE = "strategie_sitzungsvorlage.docx"
FREIGABE_TEMPLATE = "strategie_freigabe.docx"

MAIL_STATUSABFRAGE = "strategie_statusabfrage.txt"
MAIL_VORLAGE = "strategie_vorlage.txt"
MAIL_GESAMT = "strategie_gesamtpaket.txt"
MAIL_ESKALATION = "strategie_eskalation.txt"
MAIL_FREIGABE = "strategie_freigabe.txt"


def draft_title(year: int) -> str:
    # The draft's title is also its name in the document register and in mail subjects.
    return f"Fortschreibung der Digitalisierungsstrategie {year}"


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Count(_Fact):
    """A count for running text: ``n`` for conditions (plurals), ``word`` to print it."""

    n: int
    word: str  # "zwölf", "13": numbers up to twelve as words


def count(n: int) -> Count:
    return Count(n=n, word=count_word(n))


def kreis_of(bodies: Sequence[BodyView]) -> BodyView:
    """The Kreis among the bodies (the first body when none is marked as Kreis)."""
    return next((b for b in bodies if b.is_kreis), bodies[0])


class Association(_Fact):
    """The Kreis and its municipalities, counted from the bodies passed in (never a constant)."""

    kreis: BodyForms  # models.grammar: {{ association.kreis.nominativ }} …
    bodies: Count  # all bodies (councils), Kreis included
    municipalities: Count  # the kreisangehörige Städte und Gemeinden


def association(bodies: Sequence[BodyView]) -> Association:
    return Association(
        kreis=body_forms(kreis_of(bodies)),
        bodies=count(len(bodies)),
        municipalities=count(sum(1 for b in bodies if not b.is_kreis)),
    )


class ProjectRef(_Fact):
    """A project as running text names it: ``{{ p.code }} „{{ p.title }}“``."""

    code: str
    title: str
    lead: str  # official name of the lead body
    proposer: str  # genitive of the lead body ("der Gemeinde Rosendahl"), for new projects
    previous: str  # last year's status label, "" for a new project
    current: str  # this year's status label
    note: str  # the deciding report's note as a sentence, "" without
    description: str  # the project's description without a final full stop


class CycleStanding(BaseModel):
    """Where a cycle stands: every body, its report and resolution, and the amount under
    Sperrvermerk (the facts the escalation mail, the release and the consolidation share)."""

    model_config = ConfigDict(frozen=True)

    year: int
    bodies: list[BodyView]  # all bodies, Kreis first
    states: list[BodyCycleView]  # same order as bodies
    restricted_amount_cents: int | None = None

    @property
    def by_name(self) -> dict[str, BodyView]:
        return {b.name: b for b in self.bodies}

    @property
    def restriction(self) -> str:
        """The amount under Sperrvermerk, formatted; "" without a Sperrvermerk."""
        amount = self.restricted_amount_cents
        return format_eur(amount) if amount is not None else ""


class CycleFacts(CycleStanding):
    """Everything the consolidation documents say, read in one transaction."""

    version: int
    today: dt.date
    opened_on: dt.date
    response_due: dt.date
    rows: list[ConsolidatedProject]
    funding: FundingSummary

    @property
    def listed(self) -> list[ConsolidatedProject]:
        return [r for r in self.rows if r.listed]

    @property
    def changes(self) -> Changes:
        return changes_since_last_year(self.rows)

    def project_ref(self, r: ConsolidatedProject) -> ProjectRef:
        lead = self.by_name.get(r.project.lead)
        return ProjectRef(
            code=r.project.code,
            title=r.project.title,
            lead=lead.official_name if lead else r.project.lead,
            proposer=body_forms(lead).genitiv if lead else r.project.lead,
            previous=r.previous.label if r.previous is not None else "",
            current=r.current.label,
            note=full_sentence(r.note) if r.note.strip() else "",
            description=r.project.description.strip().rstrip("."),
        )


# --- who reported -------------------------------------------------------------------------------


class Reporting(_Fact):
    total: Count
    reported: Count
    missing: str  # "der Gemeinde Havixbeck und der Stadt Olfen" (dative), "" when all reported
    late: Count
    late_names: str  # "der Gemeinde Rosendahl" (genitive)
    due: str  # the response deadline


def reporting(facts: CycleFacts) -> Reporting:
    missing = [s for s in facts.states if s.report_state is ReportState.OFFEN]
    late = [b for s in facts.states if s.late and (b := facts.by_name.get(s.body))]
    return Reporting(
        total=count(len(facts.states)),
        reported=count(len(facts.states) - len(missing)),
        missing=join_de(
            body_forms(facts.by_name[s.body]).dativ for s in missing if s.body in facts.by_name
        ),
        late=count(len(late)),
        late_names=join_de(body_forms(b).genitiv for b in late),
        due=format_date_de(facts.response_due),
    )


def missing_bodies(facts: CycleFacts) -> list[str]:
    return [
        facts.by_name[s.body].official_name
        for s in facts.states
        if s.report_state is ReportState.OFFEN and s.body in facts.by_name
    ]


# --- how the list stands ------------------------------------------------------------------------


class StatusCount(_Fact):
    status: str  # ProjectStatus value: "in_umsetzung", "geplant", …
    label: str  # "in Umsetzung"
    count: Count


# The order in which the overview names the statuses: running projects first.
OVERVIEW_ORDER = (
    ProjectStatus.IN_UMSETZUNG,
    ProjectStatus.GEPLANT,
    ProjectStatus.ZURUECKGESTELLT,
    ProjectStatus.ABGESCHLOSSEN,
    ProjectStatus.VERWORFEN,
)


class Overview(_Fact):
    projects: Count  # projects in this year's list
    fields: Count  # Handlungsfelder with at least one listed project
    statuses: list[StatusCount]  # non-zero counts of the listed projects, in OVERVIEW_ORDER


def overview(facts: CycleFacts) -> Overview:
    listed = facts.listed
    counts = status_counts(facts.rows)
    statuses = []
    for status in OVERVIEW_ORDER:
        n = counts[status]
        if n:
            statuses.append(StatusCount(status=status.value, label=status.label, count=count(n)))
    return Overview(
        projects=count(len(listed)),
        fields=count(len({r.project.field for r in listed})),
        statuses=statuses,
    )


# --- what changed -------------------------------------------------------------------------------


class ChangeGroup(_Fact):
    kind: str  # "new", "completed", "started", "deferred", "dropped", "resumed"
    count: Count
    entries: list[ProjectRef]  # not "items": templates see rows as dicts


def change_groups(facts: CycleFacts) -> list[ChangeGroup]:
    """The non-empty groups of changes since last year, in the order the documents name them."""
    ch = facts.changes
    groups = (
        ("new", ch.new),
        ("completed", ch.completed),
        ("started", ch.started),
        ("deferred", ch.deferred),
        ("dropped", ch.dropped),
        ("resumed", ch.resumed),
    )
    return [
        ChangeGroup(kind=kind, count=count(len(rows)), entries=[facts.project_ref(r) for r in rows])
        for kind, rows in groups
        if rows
    ]


# --- funding acquired ---------------------------------------------------------------------------


class Funding(_Fact):
    applications: Count  # submitted applications, each once
    requested: str
    granted: str
    any_granted: bool
    in_preparation: Count


def funding(facts: CycleFacts) -> Funding:
    f = facts.funding
    return Funding(
        applications=count(f.total_applications),
        requested=format_eur(f.total_requested_cents),
        granted=format_eur(f.total_granted_cents),
        any_granted=bool(f.total_granted_cents),
        in_preparation=count(f.in_preparation),
    )


class CycleDocumentContext(DocumentContext):
    """What the draft and every Sitzungsvorlage of a cycle say alike: which revision, whose
    association, how the reporting went, what changed and what funding came in."""

    date: str  # the draft's date
    year: int
    version: int
    title: str  # the draft's title
    association: Association
    opened_on: str
    response_due: str
    reporting: Reporting
    overview: Overview
    changes: list[ChangeGroup]
    funding: Funding
    restriction: str  # amount under Sperrvermerk, "" without


def cycle_document_fields(facts: CycleFacts) -> dict[str, Any]:
    """The fields of :class:`CycleDocumentContext` for ``facts``."""
    return {
        "date": format_date_de(facts.today),
        "year": facts.year,
        "version": facts.version,
        "title": draft_title(facts.year),
        "association": association(facts.bodies),
        "opened_on": format_date_de(facts.opened_on),
        "response_due": format_date_de(facts.response_due),
        "reporting": reporting(facts),
        "overview": overview(facts),
        "changes": change_groups(facts),
        "funding": funding(facts),
        "restriction": facts.restriction,
    }
