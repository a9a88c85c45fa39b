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
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from models.radar.catalogue import (
    ACTIVE_STATUSES,
    APPLICANT_LABELS,
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


class Hit(BaseModel):
    model_config = ConfigDict(frozen=True)

    call_id: str
    title: str
    score: int = Field(ge=0, le=100)
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

    @classmethod
    def of(cls, call: CallProfile) -> PreparedCall:
        text = " ".join((call.title, call.summary, " ".join(call.keywords))).lower()
        return cls(
            call=call,
            themes=frozenset(t.lower() for t in call.themes + call.keywords),
            words=words(" ".join((call.title, " ".join(call.keywords), " ".join(call.themes)))),
            wants_cooperation=bool(call.min_partners and call.min_partners >= 2)
            or any(w in text for w in COOPERATION_WORDS),
        )


_FIELD_THEMES_LOWER = {f: frozenset(t.lower() for t in ts) for f, ts in FIELD_THEMES.items()}


def _theme_score(prepared: PreparedCall, interest: Interest) -> tuple[int, list[str]]:
    reasons: list[str] = []
    score = 0
    for theme in DIGITAL_THEMES:
        if theme.lower() in prepared.themes:
            score += 20
            reasons.append(theme)
            break
    for field in sorted(interest.fields):
        if _FIELD_THEMES_LOWER.get(field, frozenset()) & prepared.themes:
            score += 15
            reasons.append(f"Handlungsfeld {field}")
            break
    common = sorted(prepared.words & interest.words)
    if common:
        score += min(15, 5 * len(common))
        reasons.append("Stichworte: " + ", ".join(common[:3]))
    return min(score, 50), reasons


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


def _cooperation_score(prepared: PreparedCall, interest: Interest) -> tuple[int, str | None]:
    several = interest.body_count >= 2
    if prepared.wants_cooperation and several:
        return 15, "Kooperation erwünscht"
    if prepared.wants_cooperation:
        return 5, "Kooperation erwünscht"
    return (8, None) if several else (5, None)


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


def score_prepared(
    prepared: PreparedCall, body: BodyProfile, interest: Interest, rules: MatchRules
) -> Hit:
    """The score of a call that passed the filters, with its reasons."""
    call = prepared.call
    reasons = [f"{APPLICANT_LABELS[body.applicant_type]} antragsberechtigt"]
    theme, theme_reasons = _theme_score(prepared, interest)
    reasons.extend(theme_reasons)
    rate, rate_reason = _rate_score(call)
    budget, budget_reason = _budget_score(call, interest)
    coop, coop_reason = _cooperation_score(prepared, interest)
    if rate_reason:
        reasons.append(rate_reason)
    _, due = deadline_ok(call, rules)
    if due is not None:
        extracted = " (aus Text erkannt)" if call.deadline_extracted else ""
        reasons.append(f"Frist in {(due - rules.today).days} Tagen{extracted}")
    else:
        reasons.append("ohne Stichtag")
    reasons.extend(r for r in (budget_reason, coop_reason) if r)
    return Hit(
        call_id=call.call_id,
        title=call.title,
        score=min(100, theme + rate + budget + coop),
        reasons=tuple(reasons),
        deadline=due,
        project=interest.code,
    )


def _ranked(hits: Iterable[Hit]) -> list[Hit]:
    return sorted(hits, key=lambda h: (-h.score, h.call_id))


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
        # the filters that depend only on call and body, once per body
        self._open: dict[str, list[PreparedCall]] = {
            name: [p for p in prepared if body_passes(p.call, body, rules)]
            for name, body in bodies.items()
        }

    def for_project(self, project: ProjectProfile) -> list[Hit]:
        """The hits of one project: its lead body applies."""
        body = self.bodies[project.lead]
        interest = Interest.of_project(project)
        return _ranked(
            score_prepared(p, body, interest, self.rules)
            for p in self._open[project.lead]
            if interest_passes(p.call, interest)
        )

    def for_body(self, name: str) -> list[Hit]:
        """The hits of one body, scored against all projects it takes part in together."""
        body = self.bodies[name]
        interest = Interest.of_body(body, self.projects)
        return _ranked(
            score_prepared(p, body, interest, self.rules)
            for p in self._open[name]
            if not p.call.min_partners or p.call.min_partners <= interest.body_count
        )


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
