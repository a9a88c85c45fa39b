"""Matching calls against the strategy's projects and the bodies: hard filters first, then a
score from 0 to 100 with its reasons in German.

Hard filters (a call that fails one is no hit):

* the applicant (the body; for a project its lead) is eligible;
* the region matches the body's Regionalschlüssel prefix or its named region (LEADER);
* the call is open, forthcoming or rolling;
* the deadline leaves enough time for a council decision (default 42 days for single-stage
  calls; a two-stage call only needs the sketch in time, default 14 days);
* the project meets the call's partner minimum and, where known, its cost limit.

The score adds theme fit (0–50), funding rate (0–20), budget fit (0–15) and cooperation fit
(0–15).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from models.radar.catalogue import (
    ACTIVE_STATUSES,
    ApplicantType,
    CallStatus,
    DeadlineModel,
)

DEFAULT_LEAD_DAYS = 42
DEFAULT_SKETCH_LEAD_DAYS = 14

# Handlungsfeld -> themes of the catalogue that fit it. Every field of a digitalisation
# strategy also fits "Digitalisierung" and "Smart Cities & Regionen".
FIELD_THEMES: dict[str, tuple[str, ...]] = {
    "Bildung": ("Aus- & Weiterbildung", "Bildung"),
    "Verwaltung & Bürgerservice": ("Verwaltung", "Verwaltungsdigitalisierung", "Bürgerservice"),
    "Mobilität": ("Mobilität", "Verkehr"),
    "Wirtschaft & Arbeit": ("Arbeit", "Regionalförderung", "Beratung", "Wirtschaft"),
    "Gesundheit & Pflege": ("Gesundheit & Soziales", "Gesundheit", "Pflege"),
    "Infrastruktur & Breitband": ("Infrastruktur", "Breitband", "Gigabit"),
    "Gesellschaft & Ehrenamt": (
        "Kultur, Medien & Sport",
        "Ehrenamt",
        "Heimat",
        "Landwirtschaft & Ländliche Entwicklung",
        "Dorfentwicklung",
    ),
    "Umwelt & Energie": (
        "Energieeffizienz & Erneuerbare Energien",
        "Umwelt- & Naturschutz",
        "Klimaschutz",
    ),
}
DIGITAL_THEMES = ("Digitalisierung", "Smart Cities & Regionen")
COOPERATION_WORDS = ("interkommunal", "kooperation", "zusammenarbeit", "verbund", "partner")
_STOP_TEXT = (
    "und oder der die das des den dem ein eine einer eines für mit von zu zur zum im in auf "
    "als bei aus nach über unter durch sowie alle allen gemeinsam gemeinsames gemeinsame kreis "
    "kreises stadt städte gemeinde gemeinden kommunen kommunale kommunalen neue neuen projekt "
    "förderung programm digital digitale digitalen"
)
_STOPWORDS = frozenset(_STOP_TEXT.split(" "))
_WORD = re.compile(r"[a-zäöüß]{4,}")


class BodyProfile(BaseModel):
    """A body as the matching sees it."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str  # kreis | stadt | gemeinde
    regionalschluessel: str = ""
    leader_region: str | None = None

    @property
    def applicant_type(self) -> ApplicantType:
        return ApplicantType.KREIS if self.kind == "kreis" else ApplicantType.GEMEINDE

    @property
    def named_regions(self) -> set[str]:
        return {f"leader:{self.leader_region}"} if self.leader_region else set()


class ProjectProfile(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    field: str
    description: str = ""
    lead: str
    participants: tuple[str, ...] = ()
    estimated_costs_cents: int | None = None

    @property
    def body_count(self) -> int:
        return 1 + len(self.participants)


class CallProfile(BaseModel):
    model_config = ConfigDict(frozen=True)

    call_id: str
    title: str
    status: CallStatus
    deadline_model: DeadlineModel = DeadlineModel.SINGLE
    deadline: dt.date | None = None
    cut_off_dates: tuple[dt.date, ...] = ()
    deadline_extracted: bool = False
    applicant_types: tuple[ApplicantType, ...] = ()
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str = ""
    rate_percent: Decimal | None = None
    max_rate_percent: Decimal | None = None
    max_grant_cents: int | None = None
    max_cost_cents: int | None = None
    min_partners: int | None = None
    source_label: str = ""
    entfallen: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A call that passed the filters, with its score (0–100) and German reasons. A plain
    dataclass: matching creates hundreds of thousands of them."""

    call_id: str
    title: str
    score: int
    reasons: tuple[str, ...]
    deadline: dt.date | None = None
    project: str | None = None  # project code when matched for a project

    @property
    def reason_text(self) -> str:
        return " · ".join(self.reasons)


class MatchRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: dt.date
    lead_days: int = Field(default=DEFAULT_LEAD_DAYS, ge=0, le=365)
    sketch_lead_days: int = Field(default=DEFAULT_SKETCH_LEAD_DAYS, ge=0, le=365)


# --- Hard filters ------------------------------------------------------------------------------


def region_matches(body: BodyProfile, regions: Sequence[str]) -> bool:
    """No region given, the whole country, the EU, a prefix of the body's Regionalschlüssel or
    its named region."""
    if not regions:
        return True
    for region in regions:
        if region in ("DE", "EU"):
            return True
        if region.isdigit() and body.regionalschluessel.startswith(region):
            return True
        if region in body.named_regions:
            return True
    return False


def next_deadline(call: CallProfile, today: dt.date) -> dt.date | None:
    """The deadline that counts now: the call's deadline, or the next cut-off date."""
    if call.deadline_model is DeadlineModel.MULTIPLE_CUT_OFF and call.cut_off_dates:
        upcoming = sorted(d for d in call.cut_off_dates if d >= today)
        return upcoming[0] if upcoming else max(call.cut_off_dates)
    return call.deadline


def deadline_ok(call: CallProfile, rules: MatchRules) -> tuple[bool, dt.date | None]:
    """Whether the deadline leaves enough time; for cut-off calls the first cut-off far enough
    ahead counts."""
    if call.deadline_model is DeadlineModel.ROLLING:
        return True, None
    need = rules.sketch_lead_days if call.deadline_model is DeadlineModel.TWO_STAGE else None
    need = rules.lead_days if need is None else need
    if call.deadline_model is DeadlineModel.MULTIPLE_CUT_OFF and call.cut_off_dates:
        far = sorted(d for d in call.cut_off_dates if (d - rules.today).days >= need)
        return (True, far[0]) if far else (False, next_deadline(call, rules.today))
    if call.deadline is None:
        return True, None
    return (call.deadline - rules.today).days >= need, call.deadline


def eligible(call: CallProfile, applicant: ApplicantType) -> bool:
    return not call.applicant_types or applicant in call.applicant_types


# --- Score -------------------------------------------------------------------------------------


def _stem(word: str) -> str:
    for suffix in ("ungen", "ung", "en", "er", "es", "e", "n", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


class Interest(BaseModel):
    """What a call is scored against: one project, or all projects of a body together."""

    model_config = ConfigDict(frozen=True)

    code: str | None
    fields: frozenset[str]
    words: frozenset[str]
    body_count: int = 1
    estimated_costs_cents: int | None = None
    min_body_count: int = 1  # for the partner filter (a body's smallest project)

    @classmethod
    def of_project(cls, project: ProjectProfile) -> Interest:
        return cls(
            code=project.code,
            fields=frozenset({project.field}),
            words=words(f"{project.title} {project.description}"),
            body_count=project.body_count,
            estimated_costs_cents=project.estimated_costs_cents,
            min_body_count=project.body_count,
        )

    @classmethod
    def of_body(cls, body: BodyProfile, projects: Sequence[ProjectProfile]) -> Interest:
        own = [p for p in projects if body.name == p.lead or body.name in p.participants]
        return cls(
            code=None,
            fields=frozenset(p.field for p in own),
            words=frozenset().union(*(words(f"{p.title} {p.description}") for p in own)),
            body_count=max((p.body_count for p in own), default=1),
            min_body_count=max((p.body_count for p in own), default=1),
        )


class PreparedCall(BaseModel):
    """A call with what the score needs computed once."""

    model_config = ConfigDict(frozen=True)

    call: CallProfile
    themes: frozenset[str]  # themes and keywords, lower case
    words: frozenset[str]
    wants_cooperation: bool
    digital: str | None = None  # the digitalisation theme it names, if any

    @classmethod
    def of(cls, call: CallProfile) -> PreparedCall:
        text = " ".join((call.title, call.summary, " ".join(call.keywords))).lower()
        themes = frozenset(t.lower() for t in call.themes + call.keywords)
        return cls(
            call=call,
            digital=next((t for t in DIGITAL_THEMES if t.lower() in themes), None),
            themes=themes,
            words=words(" ".join((call.title, " ".join(call.keywords), " ".join(call.themes)))),
            wants_cooperation=bool(call.min_partners and call.min_partners >= 2)
            or any(w in text for w in COOPERATION_WORDS),
        )


_FIELD_THEMES_LOWER = {f: frozenset(t.lower() for t in ts) for f, ts in FIELD_THEMES.items()}
_EMPTY: frozenset[str] = frozenset()


def _rate_score(call: CallProfile) -> tuple[int, str | None]:
    rate = call.max_rate_percent or call.rate_percent
    if rate is None:
        return 5, None
    text = f"bis {rate.normalize():f} %".replace(".", ",")
    for floor, points in ((90, 20), (80, 16), (65, 12), (50, 8)):
        if rate >= floor:
            return points, text
    return 4, text


def _budget_score(call: CallProfile, interest: Interest) -> tuple[int, str | None]:
    costs = interest.estimated_costs_cents
    grant = call.max_grant_cents
    if grant is None:
        return 5, None
    if costs:
        rate = call.max_rate_percent or call.rate_percent or Decimal(100)
        needed = int(costs * rate / 100)
        return (15, "Budget passt") if grant >= needed else (5, "Höchstförderung knapp")
    if grant >= 50_000_000:
        return 12, None
    return (10, None) if grant >= 10_000_000 else (6, None)


def body_passes(call: CallProfile, body: BodyProfile, rules: MatchRules) -> bool:
    """The filters that depend only on the call and the applying body."""
    if call.entfallen or call.status not in ACTIVE_STATUSES:
        return False
    if not eligible(call, body.applicant_type) or not region_matches(body, call.regions):
        return False
    return deadline_ok(call, rules)[0]


def interest_passes(call: CallProfile, interest: Interest) -> bool:
    if call.min_partners and interest.min_body_count < call.min_partners:
        return False
    costs = interest.estimated_costs_cents
    return not (call.max_cost_cents and costs and costs > call.max_cost_cents)


def fixed_part(call: CallProfile, rules: MatchRules) -> tuple[int, str | None, dt.date | None, str]:
    """What the score takes from the call alone: rate points and reason, deadline and its
    reason (computed once per call in :class:`Matcher`)."""
    rate, rate_reason = _rate_score(call)
    _, due = deadline_ok(call, rules)
    if due is None:
        return rate, rate_reason, None, "ohne Stichtag"
    extracted = " (aus Text erkannt)" if call.deadline_extracted else ""
    return rate, rate_reason, due, f"Frist in {(due - rules.today).days} Tagen{extracted}"


def score_prepared(
    prepared: PreparedCall,
    body: BodyProfile,
    interest: Interest,
    rules: MatchRules,
    fixed: tuple[int, str | None, dt.date | None, str] | None = None,
) -> Hit:
    """The score of one call that passed the filters, with its reasons."""
    part = fixed or fixed_part(prepared.call, rules)
    return score_many([prepared], body, interest, {prepared.call.call_id: part}, check=False)[0]


def score_many(
    candidates: Iterable[PreparedCall],
    body: BodyProfile,
    interest: Interest,
    fixed: dict[str, tuple[int, str | None, dt.date | None, str]],
    *,
    check: bool = True,
) -> list[Hit]:
    """Score calls that passed the body's filters (and, with ``check``, drop those failing the
    partner minimum or cost limit), best first. One tight loop: matching scores hundreds of
    thousands of pairs."""
    first = f"{body.applicant_type.label} antragsberechtigt"
    words = interest.words
    fields = [
        (f"Handlungsfeld {f}", _FIELD_THEMES_LOWER.get(f, _EMPTY)) for f in sorted(interest.fields)
    ]
    several = interest.body_count >= 2
    hits: list[Hit] = []
    for prepared in candidates:
        call = prepared.call
        if check and not interest_passes(call, interest):
            continue
        rate, rate_reason, due, due_reason = fixed[call.call_id]
        reasons = [first]
        theme = 0
        if prepared.digital:
            theme = 20
            reasons.append(prepared.digital)
        for label, field_themes in fields:
            if not field_themes.isdisjoint(prepared.themes):
                theme += 15
                reasons.append(label)
                break
        common = prepared.words & words
        if common:
            theme += min(15, 5 * len(common))
            reasons.append("Stichworte: " + ", ".join(sorted(common)[:3]))
        if rate_reason:
            reasons.append(rate_reason)
        reasons.append(due_reason)
        budget, budget_reason = (
            _budget_score(call, interest) if call.max_grant_cents is not None else (5, None)
        )
        if budget_reason:
            reasons.append(budget_reason)
        if prepared.wants_cooperation:
            coop = 15 if several else 5
            reasons.append("Kooperation erwünscht")
        else:
            coop = 8 if several else 5
        score = min(100, min(theme, 50) + rate + budget + coop)
        hits.append(Hit(call.call_id, call.title, score, tuple(reasons), due, interest.code))
    hits.sort(key=_rank)
    return hits


def _rank(hit: Hit) -> tuple[int, str]:
    return (-hit.score, hit.call_id)


class Matcher:
    """All calls prepared once; hits per project and per body."""

    def __init__(
        self,
        calls: Sequence[CallProfile],
        bodies: dict[str, BodyProfile],
        projects: Sequence[ProjectProfile],
        rules: MatchRules,
    ) -> None:
        self.rules = rules
        self.bodies = bodies
        self.projects = list(projects)
        prepared = [PreparedCall.of(c) for c in calls]
        self._fixed = {p.call.call_id: fixed_part(p.call, rules) for p in prepared}
        # the filters that depend only on call and body, once per body
        self._open: dict[str, list[PreparedCall]] = {
            name: [p for p in prepared if body_passes(p.call, body, rules)]
            for name, body in bodies.items()
        }

    def for_project(self, project: ProjectProfile) -> list[Hit]:
        """The hits of one project: its lead body applies."""
        body = self.bodies[project.lead]
        interest = Interest.of_project(project)
        return score_many(self._open[project.lead], body, interest, self._fixed)

    def for_body(self, name: str) -> list[Hit]:
        """The hits of one body, scored against all projects it takes part in together."""
        body = self.bodies[name]
        interest = Interest.of_body(body, self.projects)
        return score_many(self._open[name], body, interest, self._fixed)


def score_call(
    call: CallProfile,
    body: BodyProfile,
    rules: MatchRules,
    project: ProjectProfile | None = None,
) -> Hit | None:
    """The hit of one call for ``body`` (and ``project``), or ``None`` if a filter fails."""
    if not body_passes(call, body, rules):
        return None
    interest = (
        Interest.of_project(project)
        if project is not None
        else Interest(code=None, fields=frozenset(), words=frozenset())
    )
    if not interest_passes(call, interest):
        return None
    return score_prepared(PreparedCall.of(call), body, interest, rules)


def field_leads(projects: Sequence[ProjectProfile]) -> dict[str, str]:
    """Handlungsfeld -> its lead body: the body that leads most of its projects (ties: the
    first in name order)."""
    counts: dict[str, dict[str, int]] = {}
    for p in projects:
        counts.setdefault(p.field, {}).setdefault(p.lead, 0)
        counts[p.field][p.lead] += 1
    return {
        field: sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for field, leads in counts.items()
    }
