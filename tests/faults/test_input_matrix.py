"""Fault: bad input, as a property-based matrix over every flow's parameter model.

Every flow validates its raw parameters with ``models.forms.validate_input``. Whatever a form,
the API or a script sends, each input must either

* pass validation and yield what the flow makes of it: a valid .docx that python-docx opens,
  with the user's text verbatim (never evaluated as a template), mail text that carries the
  user's text, and never an attachment taken from a path; or
* be refused with ``models.errors.InputError`` whose message is German.

Any other exception is a crash and fails the test. The text generator mixes random unicode
with template syntax (``{{ }}``, ``{% %}`` and docxtpl's own ``{_{ }_}``), XML specials, control
characters, XML non-characters, very long text and paths (``/etc/passwd``, a real file);
numbers and dates range from negative and huge to far past and far future.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape as html_escape
from pydantic import BaseModel
from strategy_support import projects
from support import docx_text

from foerderflow.inbox import LocalInbox, read_inbox
from foerderflow.settings import Settings, body_names, get_tenant, programme_names
from foerderflow.wiring import Services
from models.antrag_docs import (
    absichtserklaerung_context,
    foerderantrag_context,
    nachweis_context,
)
from models.antrag_docs.foerderantrag import change_lines as _change_lines
from models.application import REFERENCE_PATTERN, IdeaInput, Stage
from models.application_inputs import (
    ApprovalInput,
    DraftInput,
    NoticeInput,
    NoticeOutcome,
    PartnerAnswerInput,
    PartnerCheckInput,
    ReportInput,
    SubmissionInput,
    WithdrawalInput,
)
from models.bodies import (
    BodyRecord,
    BodyView,
    ProgrammeRecord,
    ProgrammeView,
)
from models.deadline_inputs import (
    DeadlineOutcome,
    FristAnlegenInput,
    FristenWaechterInput,
    FristErledigtInput,
    resolve_due_date,
)
from models.deadline_types import DeadlineKind
from models.deadlines import (
    DeadlineError,
    compute_deadline,
    final_report_date,
    fixed_date,
    format_date_de,
    interim_report_dates,
)
from models.documents import projektskizze_context
from models.errors import InputError
from models.financing import plan_for
from models.forms import validate_input
from models.mail import IdeaMailContext, OutgoingMail, PreparedMail
from models.money import SplitKey, euro_to_cents
from models.radar.inputs import CallEntryInput, RadarDigestInput, RadarImportInput, RatingInput
from models.reporting.inputs import (
    AtlasSichtbarkeitInput,
    BerichtSachstandInput,
    NewsletterEntwurfInput,
    NewsletterVersandInput,
    ProjektatlasInput,
)
from models.reporting.newsletter import newsletter_context
from models.reporting.period import ReportPeriod
from models.reporting.records import ReportData
from models.strategy import (
    BodyCycleView,
    Handlungsfeld,
    ProjectStatus,
    ProjectView,
    ReportedStatus,
    ReportState,
    ResolutionOutcome,
    ResolutionView,
    consolidate,
    funding_by_body,
    next_project_code,
)
from models.strategy_docs import (
    CycleFacts,
    CycleStanding,
    ResolutionRecord,
    entwurf_context,
    freigabe_context,
    statusabfrage_context,
)
from models.strategy_inputs import (
    BeschlussInput,
    FortschreibungInput,
    KonsolidierungInput,
    StatusmeldungInput,
    check_report,
)
from models.views import ApplicationView, PartnerView
from tasks.application_mail import coordinator_mail
from tasks.compose import render_mail_text
from tasks.documents import render_docx
from tasks.mail import build_mime, deliver, queue_mail
from tasks.reporting.newsletter import render_newsletter
from tasks.reporting.report import committee_of

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
EXISTING_FILE = ROOT / "pyproject.toml"
assert EXISTING_FILE.is_file()
SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
TODAY = dt.date(2026, 11, 16)
FAR_PAST, FAR_FUTURE = dt.date(1, 1, 1), dt.date(9999, 12, 31)
EVALUATED = "135795"  # what "{{ 12345*11 }}" would become if it were ever evaluated

# The number of examples comes from the Hypothesis profile (tests/conftest.py): few in
# `make test`, many in `make test-all`.
MATRIX = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)

# --- Generators ---------------------------------------------------------------------------

SPECIALS = [
    "{{ 12345*11 }}",
    "{% if true %}JA{% endif %}",
    "{%p if x %}",
    "{{ config.items() }}",
    "{# Kommentar #}",
    "{_{ 12345*11 }_}",
    "{_% if x %_}",
    "{{",
    "}}",
    "& < > \" '",
    "&amp; &lt;b&gt; &#65;",
    "<w:t>xml</w:t>",
    "]]>",
    "<![CDATA[x]]>",
    "/etc/passwd",
    str(EXISTING_FILE),
    "../../../../etc/passwd",
    "file:///etc/passwd",
    "C:\\Windows\\win.ini",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x0b",
    "\x0c",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u2028",
    "\x85",
    "\ufeff",
    "\u00a0",
    " ",
    "",
    "Ä Ö Ü ß € „Zitat“",
    "😀",
    "%s %d {0} {}",
    "${HOME} $(id)",
    "'; DROP TABLE applications; --",
]

piece = st.one_of(st.sampled_from(SPECIALS), st.text(max_size=25))
nasty_text = st.one_of(
    st.lists(piece, min_size=1, max_size=6).map("".join),
    st.builds(
        lambda unit, n: unit * n,
        st.sampled_from(["Ä&<{{x}}>", "Lorem ipsum ", "{% raw %}\n", "x"]),
        st.integers(50, 1300),
    ),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e400", "-0", "NaN", "inf", "12,50", "0.001", "1.234,56", "", "1_000"]),
    nasty_text,
    junk,
)
dates = st.one_of(
    st.dates(),
    st.dates().map(dt.date.isoformat),
    st.dates().map(format_date_de),
    st.datetimes().map(dt.datetime.isoformat),
    st.sampled_from(
        [FAR_PAST, FAR_FUTURE, "0000-00-00", "2026-02-30", "31.02.2026", "heute", "2026-13-01"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    nasty_text,
    junk,
)

# Text a coordinator might really type, however odd: template syntax, XML specials, paths,
# unicode, line breaks and tabs, long text; no control characters (those are "wild").
SAFE_SPECIALS = [
    t
    for t in SPECIALS
    if not any((ord(c) < 32 and c not in "\n\t") or c in "\ufffe\uffff" for c in t)
]
printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=25)


def rich_text(max_len: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(st.one_of(st.sampled_from(SAFE_SPECIALS), printable), min_size=1, max_size=8).map(
            lambda parts: "Text " + "".join(parts)
        ),
        st.builds(
            lambda unit, n: unit * n,
            st.sampled_from(["Ä&<{{x}}> ", "{% raw %}\n", "Lorem ipsum ", "/etc/passwd\t"]),
            st.integers(1, max(1, max_len // 11)),
        ),
    )


class F(NamedTuple):
    """A form field: values that should pass, and wild ones for the same field."""

    good: st.SearchStrategy[Any]
    wild: st.SearchStrategy[Any]


@st.composite
def form(
    draw: Any,
    required: dict[str, F],
    optional: dict[str, F] | None = None,
    wild_fields: tuple[int, ...] = (0, 0, 1, 1, 2),
) -> dict:
    """Raw flow parameters: mostly plausible, with zero to two fields replaced by wild values
    and optional fields sometimes left out (as the flow signature's defaults do)."""
    optional = optional or {}
    names = [*required, *optional]
    wild = set(draw(st.permutations(names))[: draw(st.sampled_from(wild_fields))])
    raw: dict[str, Any] = {}
    for name in names:
        spec = required.get(name) or optional[name]
        if name in optional and name not in wild and draw(st.booleans()):
            continue
        raw[name] = draw(spec.wild if name in wild else spec.good)
    return raw


WILD_TEXT = st.one_of(nasty_text, junk)


def text(*samples: Any, max_len: int = 300) -> F:
    return F(st.one_of(st.sampled_from(samples), rich_text(max_len)), WILD_TEXT)


def enum(values: Any) -> F:
    return F(st.sampled_from([getattr(v, "value", v) for v in values]), WILD_TEXT)


def number(*samples: Any, lo: str = "0.01", hi: str = "1000000000") -> F:
    good = st.one_of(
        st.sampled_from(samples),
        st.decimals(min_value=Decimal(lo), max_value=Decimal(hi), places=2),
    )
    return F(good, numbers)


def integer(*samples: int, lo: int, hi: int) -> F:
    return F(st.one_of(st.sampled_from(samples), st.integers(lo, hi)), numbers)


def date(
    *samples: dt.date, lo: dt.date = dt.date(1991, 1, 1), hi: dt.date = dt.date(2100, 12, 31)
) -> F:
    good = st.one_of(
        st.sampled_from([*samples, FAR_PAST, FAR_FUTURE]),
        st.sampled_from(samples).map(dt.date.isoformat),
        st.dates(lo, hi),
        st.dates(lo, hi).map(dt.date.isoformat),
    )
    return F(good, dates)


def optional_of(field: F) -> F:
    return F(st.one_of(st.none(), field.good), field.wild)


BOOLEAN = F(st.booleans(), st.one_of(st.sampled_from(["vielleicht", 2, "ja!"]), junk))
BODY_NAMES = list(body_names())
BODIES_LIST = F(
    st.lists(st.sampled_from(BODY_NAMES), unique=True, max_size=11),
    st.one_of(
        st.lists(st.one_of(st.sampled_from(BODY_NAMES), nasty_text), min_size=1, max_size=14),
        junk,
        nasty_text,
    ),
)
REFERENCE = F(
    st.one_of(
        st.sampled_from(
            ["FA-2026-001", "FA-2026-001 · Digitale Dorfplätze (Dülmen)", " FA-2027-12345 "]
        ),
        st.from_regex(REFERENCE_PATTERN, fullmatch=True),
    ),
    WILD_TEXT,
)
EMAIL = F(
    st.one_of(
        st.sampled_from(["koordination@duelmen.example", "a.b+c@kreis-coesfeld.de"]), st.emails()
    ),
    st.one_of(WILD_TEXT, st.sampled_from(["a@b", "/etc/passwd", "x@@y.de", "Anna <a@b.de>"])),
)
ENTERED_BY = text("Anna Beispiel", "Bernd", max_len=200)


# --- Reference data as views (read from data/, like the seed) -------------------------------


def _load_bodies() -> dict[str, BodyView]:
    items = yaml.safe_load((ROOT / "data" / "koerperschaften.yaml").read_text())["koerperschaften"]
    out = {}
    for i, item in enumerate(items, start=1):
        rec = BodyRecord.model_validate(item)
        out[rec.name] = BodyView(
            id=i,
            slug=rec.slug,
            name=rec.name,
            official_name=rec.official_name,
            kind=rec.kind.value,
            council=rec.council,
            legal_basis=rec.legal_basis,
            email=str(rec.email),
            population=rec.population,
        )
    return out


def _load_programmes() -> dict[str, ProgrammeView]:
    items = yaml.safe_load((ROOT / "data" / "programme.yaml").read_text())["programme"]
    out = {}
    for i, item in enumerate(items, start=1):
        rec = ProgrammeRecord.model_validate(item)
        out[rec.name] = ProgrammeView(
            id=i,
            slug=rec.slug,
            name=rec.name,
            funder=rec.funder,
            funding_rate_percent=rec.funding_rate_percent,
            min_grant_cents=euro_to_cents(rec.min_grant_eur) if rec.min_grant_eur else None,
            max_grant_cents=euro_to_cents(rec.max_grant_eur) if rec.max_grant_eur else None,
            max_duration_months=rec.max_duration_months,
            call_deadline=rec.call_deadline,
        )
    return out


BODIES = _load_bodies()
PROGRAMMES = _load_programmes()
PROJECTS = projects()
BASELINE = {p.code: p.status.value for p in PROJECTS}


def _application(**extra: Any) -> ApplicationView:
    lead = BODIES["Dülmen"]
    data: dict[str, Any] = {
        "id": 7,
        "reference": "FA-2026-007",
        "year": 2026,
        "stage": Stage.ENTWURF,
        "title": "Digitale Dorfplätze",
        "summary": "Ein gemeinsamer digitaler Marktplatz für die Ortskerne.",
        "lead": lead,
        "partners": [
            PartnerView(body=lead, is_lead=True, position=0, decision="zugesagt"),
            PartnerView(body=BODIES["Olfen"], is_lead=False, position=1, decision="zugesagt"),
            PartnerView(body=BODIES["Senden"], is_lead=False, position=2, decision="zugesagt"),
        ],
        "programme": PROGRAMMES["Smarte.Land.Regionen"],
        "estimated_costs_cents": 48_000_000,
        "coordinator_email": "koordination@duelmen.example",
        "created_by": "Anna Beispiel",
        "created_on": TODAY,
        "funding_rate_percent": Decimal(90),
        "eligible_costs_cents": 48_000_000,
        "split_key": "gleich",
        "requested_grant_cents": 43_200_000,
        "draft_version": 1,
    }
    data.update(extra)
    return ApplicationView.model_validate(data)


# --- The checks ---------------------------------------------------------------------------

_ENGLISH = {
    "should", "must", "input", "value", "valid", "invalid", "required", "field", "error",
    "the", "or", "not", "be", "is", "are", "address", "characters", "unable", "expected",
    "extra", "greater", "less", "than", "least", "most", "email", "string", "integer",
    "number", "date", "list", "type", "object", "dictionary", "instance", "missing",
    "allowed", "permitted", "sign", "period", "it", "has", "have", "after", "part", "this",
    "that", "with", "contains", "only", "of", "to", "and", "parse", "parsing", "unicode",
}  # fmt: skip


def assert_german(message: str, what: str | None = None) -> None:
    """A refusal a coordinator can read: German, no English pydantic or library text."""
    if what is not None:
        assert message.startswith(f"{what} ungültig – es wurde nichts gespeichert:\n"), message
        lines = message.splitlines()[1:]
        assert lines and all(line.startswith("• ") and len(line) > 4 for line in lines), message
    own_words = re.sub(r"„[^“]*“", "", message)  # quoted values are the user's or ours
    english = {w for w in re.findall(r"\w+", own_words.lower())} & _ENGLISH
    assert not english, f"englischer Text in der Meldung {english}: {message}"


def validated(model: type[BaseModel], raw: dict[str, Any], what: str) -> Any:
    """The model, or None when refused in German. Any other exception propagates (a crash)."""
    try:
        data = validate_input(model, raw, what=what)
    except InputError as exc:
        assert_german(str(exc), what)
        event("abgelehnt")
        return None
    event("angenommen")
    return data


def render(template: str, context: Any) -> str:
    data = render_docx(TEMPLATES / template, context)
    assert data[:2] == b"PK"
    return docx_text(data)  # python-docx opens it


def assert_verbatim(value: str, text: str) -> None:
    assert value in text, f"Text nicht wörtlich im Dokument: {value!r}"
    if "{{ 12345*11 }}" in value or "{_{ 12345*11 }_}" in value:
        assert text.count(EVALUATED) == value.count(EVALUATED), "Vorlage ausgewertet"


def assert_plain_mail(mail: OutgoingMail) -> EmailMessage:
    """Build the MIME message as delivery does: text only, no attachment from a path."""
    message = build_mime(
        PreparedMail(
            outbox_id=1,
            message_id="<matrix@foerderflow.local>",
            sender=SETTINGS.mail_from,
            sender_name=SETTINGS.mail_from_name,
            to=list(mail.to),
            cc=list(mail.cc),
            subject=mail.subject,
            body=mail.body,
            attachments=[],
        )
    )
    assert list(message.iter_attachments()) == []
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    return message


# --- Lifecycle: antrag-idee ---------------------------------------------------------------

idea_raw = form(
    {
        "title": text("Digitale Dorfplätze", "WLAN & <Stelen> {{ 12345*11 }}"),
        "summary": text("Ein Marktplatz für die Ortskerne der beteiligten Kommunen.", max_len=5000),
        "lead_body": enum(BODY_NAMES),
        "partner_bodies": BODIES_LIST,
        "programme": enum(programme_names()),
        "estimated_costs_eur": number(480000, "612345.67", "0.01", 10**9),
        "coordinator_email": EMAIL,
        "entered_by": ENTERED_BY,
    }
)


def check_idea(raw: dict[str, Any]) -> None:
    data = validated(IdeaInput, raw, "Antragsidee")
    if data is None:
        return
    lead = BODIES[data.lead_body]
    app = _application(
        reference="FA-2026-001",
        stage=Stage.IDEE,
        title=data.title,
        summary=data.summary,
        lead=lead,
        partners=[
            PartnerView(
                body=body, is_lead=i == 0, position=i, decision="zugesagt" if i == 0 else "offen"
            )
            for i, body in enumerate([lead, *(BODIES[b] for b in data.partner_bodies)])
        ],
        programme=PROGRAMMES[data.programme],
        estimated_costs_cents=euro_to_cents(data.estimated_costs_eur),
        coordinator_email=str(data.coordinator_email),
        created_by=data.entered_by,
    )
    context = projektskizze_context(app, TODAY)
    text = render("projektskizze.docx", context)
    for value in (data.title, data.summary, data.entered_by, str(data.coordinator_email)):
        assert_verbatim(value, text)
    subject, body = render_mail_text(
        TEMPLATES,
        "idee_projektskizze.txt",
        IdeaMailContext(
            reference="FA-2026-001",
            title=data.title,
            lead_body=context.lead.name,
            partners=context.partners,
            programme=context.programme,
            estimated_costs=context.estimated_costs,
            expected_grant=context.expected_grant,
            entered_by=data.entered_by,
            ui_url=SETTINGS.resolved_ui_url,
        ),
    )
    assert f"„{data.title}“" in body
    assert " ".join(data.title.split()) in subject and "\n" not in subject
    assert_plain_mail(
        OutgoingMail(key="k", owner="FA-2026-001", to=[str(data.coordinator_email)],
                     subject=subject, body=body)
    )  # fmt: skip


@MATRIX
@given(idea_raw)
@example(
    {
        "title": "{{ 12345*11 }} {_{ 12345*11 }_} {% if true %}JA{% endif %} & <b>",
        "summary": "Zeile 1 {%p if x %}\nZeile 2\t/etc/passwd " + str(EXISTING_FILE),
        "lead_body": "Dülmen",
        "partner_bodies": ["Olfen"],
        "programme": "Heimat 2.0",
        "estimated_costs_eur": "480000",
        "coordinator_email": "koordination@duelmen.example",
        "entered_by": "Anna & <Bernd>",
    }
)
@example({**{"title": "Titel\ufffe", "summary": "x" * 20, "lead_body": "Dülmen",
            "programme": "Heimat 2.0", "estimated_costs_eur": 1, "entered_by": "Anna",
            "coordinator_email": "a@b.de"}})  # fmt: skip
@example({"title": "Titel", "summary": "x" * 20, "lead_body": "Dülmen", "partner_bodies": [],
          "programme": "Heimat 3.0", "estimated_costs_eur": -1, "entered_by": "Anna",
          "coordinator_email": "/etc/passwd"})  # fmt: skip
def test_idea_input(raw: dict[str, Any]) -> None:
    check_idea(raw)


# --- Lifecycle: partner check and answers ---------------------------------------------------

partnercheck_raw = form(
    {"reference": REFERENCE, "split_key": enum(SplitKey), "entered_by": ENTERED_BY},
    {
        "eligible_costs_eur": optional_of(number(480000, "0.01")),
        "funding_rate_percent": optional_of(number(90, "0.01", 100, hi="100")),
        "response_due": optional_of(date(TODAY + dt.timedelta(days=21))),
    },
)


@MATRIX
@given(partnercheck_raw)
def test_partnercheck_input(raw: dict[str, Any]) -> None:
    data = validated(PartnerCheckInput, raw, "Partnerprüfung")
    if data is None:
        return
    # What the step computes before it writes (tasks.partnercheck.start_partner_check).
    due = fixed_date(data.response_due) if data.response_due else compute_deadline(TODAY, days=21)
    if due.end <= TODAY:
        return  # refused by the step with an InputError ("muss in der Zukunft liegen")
    app = _application(
        stage=Stage.PARTNERPRUEFUNG,
        partners=[
            PartnerView(body=BODIES["Dülmen"], is_lead=True, position=0, decision="zugesagt"),
            PartnerView(body=BODIES["Olfen"], is_lead=False, position=1, decision="offen"),
        ],
        eligible_costs_cents=euro_to_cents(data.eligible_costs_eur)
        if data.eligible_costs_eur is not None
        else 48_000_000,
        funding_rate_percent=data.funding_rate_percent or Decimal(90),
        split_key=data.split_key.value,
    )
    key = SplitKey.GLEICH if data.split_key == SplitKey.PROZENT else data.split_key
    plan = plan_for(app, app.partners, key)
    text = render(
        "absichtserklaerung.docx",
        absichtserklaerung_context(app, app.partners[1], plan, due.end, TODAY),
    )
    assert format_date_de(due.end) in text and "Stadt Olfen" in text


partneranswer_raw = form(
    {
        "reference": REFERENCE,
        "body": enum(BODY_NAMES),
        "decision": enum(["zugesagt", "abgesagt"]),
        "entered_by": ENTERED_BY,
    },
    {"share_percent": optional_of(number(25, "99.99", hi="99.99"))},
)


@MATRIX
@given(partneranswer_raw)
def test_partneranswer_input(raw: dict[str, Any]) -> None:
    data = validated(PartnerAnswerInput, raw, "Partnerantwort")
    if data is not None:
        assert data.share_percent is None or 0 < data.share_percent < 100


# --- Lifecycle: draft and review (free text in the Förderantrag) ----------------------------

draft_raw = form(
    {"reference": REFERENCE, "entered_by": ENTERED_BY},
    {"notes": text("", "Bitte Anlage 3 beifügen & <prüfen>.", max_len=5000)},
)


@MATRIX
@given(draft_raw)
@example({"reference": "FA-2026-007", "entered_by": "Anna",
          "notes": "{_{ 12345*11 }_} und {{ 12345*11 }}\n– /etc/passwd"})  # fmt: skip
def test_draft_input(raw: dict[str, Any]) -> None:
    data = validated(DraftInput, raw, "Entwurf")
    if data is None:
        return
    app = _application()
    plan = plan_for(app, app.confirmed, SplitKey.GLEICH)
    text = render("foerderantrag.docx", foerderantrag_context(app, plan, 1, TODAY, data.notes))
    if data.notes:
        assert_verbatim(data.notes, text)


approval_raw = form(
    {"reference": REFERENCE, "approved": BOOLEAN, "entered_by": ENTERED_BY},
    {"comments": text("", "- Laufzeit 30 Monate\n* Anlage & <Plan>", max_len=5000)},
)


@MATRIX
@given(approval_raw)
def test_approval_input(raw: dict[str, Any]) -> None:
    data = validated(ApprovalInput, raw, "Freigabe")
    if data is None:
        return
    app = _application()
    if not data.approved:  # a new version with the comments as change note
        plan = plan_for(app, app.confirmed, SplitKey.GLEICH)
        text = render(
            "foerderantrag.docx",
            foerderantrag_context(app, plan, 2, TODAY, change_note=data.comments),
        )
        lines = _change_lines(data.comments)
        assert lines
        for line in lines:
            assert_verbatim(line, text)
        return
    mail = coordinator_mail(
        SETTINGS,
        app,
        key="FA-2026-007:freigabe:v1",
        subject="FA-2026-007: Entwurf v1 freigegeben",
        intro="freigegeben",
        facts=[f"Anmerkung: {data.comments}"] if data.comments else [],
        documents=[],
        entered_by=data.entered_by,
    )
    if data.comments:
        assert data.comments in mail.body
    assert_plain_mail(mail)


# --- Lifecycle: submission, notice, reports, withdrawal -------------------------------------

submission_raw = form(
    {
        "reference": REFERENCE,
        "submitted_on": date(TODAY),
        "funder_reference": text("BBSR-4711", "Az. 12/34 & <5>", max_len=120),
        "entered_by": ENTERED_BY,
    }
)


@MATRIX
@given(submission_raw)
def test_submission_input(raw: dict[str, Any]) -> None:
    data = validated(SubmissionInput, raw, "Einreichung")
    if data is None:
        return
    app = _application(stage=Stage.BERICHTSPFLICHT, funder_reference=data.funder_reference,
                       submitted_on=data.submitted_on)  # fmt: skip
    plan = plan_for(app, app.confirmed, SplitKey.GLEICH)
    text = render("nachweis.docx", nachweis_context(app, "verwendungsnachweis", None, plan, TODAY))
    assert_verbatim(data.funder_reference, text)


notice_raw = form(
    {
        "reference": REFERENCE,
        "outcome": enum(NoticeOutcome),
        "notice_date": date(TODAY),
        "entered_by": ENTERED_BY,
    },
    {
        "granted_eur": optional_of(number(400000)),
        "period_start": date(dt.date(2027, 1, 1)),
        "period_end": date(dt.date(2029, 12, 31)),
        "interim_report_dates": F(
            st.lists(date(dt.date(2028, 4, 30)).good, max_size=10), st.one_of(junk, nasty_text)
        ),
        "final_report_months": integer(6, lo=1, hi=24),
        "note": text("", "Auflage: Nr. 4.2 & <Anlage>", max_len=5000),
    },
)


@MATRIX
@given(notice_raw)
@example(
    {
        "reference": "FA-2026-007",
        "outcome": "bewilligt",
        "notice_date": "2026-11-20",
        "period_start": "1900-01-01",
        "period_end": "1903-12-31",
        "entered_by": "Anna",
    }
)
@example(
    {
        "reference": "FA-2026-007",
        "outcome": "bewilligt",
        "notice_date": "2026-11-20",
        "period_start": "2027-01-01",
        "period_end": "9999-12-31",
        "entered_by": "Anna",
    }
)
def test_notice_input(raw: dict[str, Any]) -> None:  # fmt: skip
    data = validated(NoticeInput, raw, "Bescheid")
    if data is None or data.outcome == NoticeOutcome.ABGELEHNT:
        return
    # tasks.award.record_notice computes the reporting deadlines from the accepted period;
    # an accepted notice must never make that computation fail.
    assert data.period_start is not None and data.period_end is not None
    if data.interim_report_dates:
        interim = [fixed_date(d) for d in data.interim_report_dates]
    else:
        interim = interim_report_dates(data.period_start, data.period_end)
    final = final_report_date(data.period_end, months=data.final_report_months)
    assert all(isinstance(d.end, dt.date) for d in interim)
    assert final.end > data.period_end


report_raw = form(
    {
        "reference": REFERENCE,
        "kind": enum(["zwischennachweis", "verwendungsnachweis"]),
        "entered_by": ENTERED_BY,
    },
    {
        "year": optional_of(integer(2027, 2000, 2100, lo=2000, hi=2100)),
        "submitted_on": optional_of(date(TODAY)),
    },
)


@MATRIX
@given(report_raw)
def test_report_input(raw: dict[str, Any]) -> None:
    data = validated(ReportInput, raw, "Nachweis")
    if data is None:
        return
    app = _application(stage=Stage.BERICHTSPFLICHT, period_start=dt.date(2027, 1, 1),
                       period_end=dt.date(2029, 12, 31), granted_cents=43_200_000)  # fmt: skip
    plan = plan_for(app, app.confirmed, SplitKey.GLEICH)
    text = render("nachweis.docx", nachweis_context(app, data.kind.value, data.year, plan, TODAY))
    assert ("Zwischennachweis" if data.year and data.kind == "zwischennachweis"
            else "Verwendungsnachweis") in text  # fmt: skip


withdrawal_raw = form(
    {
        "reference": REFERENCE,
        "reason": text("Keine Partner gefunden.", max_len=2000),
        "entered_by": ENTERED_BY,
    }
)


@MATRIX
@given(withdrawal_raw)
def test_withdrawal_input(raw: dict[str, Any]) -> None:
    data = validated(WithdrawalInput, raw, "Rücknahme")
    if data is None:
        return
    mail = coordinator_mail(
        SETTINGS,
        _application(),
        key="FA-2026-007:zurueckgezogen",
        subject="FA-2026-007: Antrag zurückgezogen",
        intro=f"der Antrag wurde zurückgezogen. Begründung: {data.reason}",
        facts=[],
        documents=[],
        entered_by=data.entered_by,
    )
    assert data.reason in mail.body
    assert_plain_mail(mail)


# --- Deadlines ----------------------------------------------------------------------------

frist_anlegen_raw = form(
    {
        "kind": enum(DeadlineKind),
        "title": text("Ratssitzung Dülmen: Eigenanteil"),
        "due_date": date(dt.date(2027, 3, 6), dt.date(2100, 12, 31)),
        "entered_by": ENTERED_BY,
    },
    {
        "is_termin": BOOLEAN,
        "reference": optional_of(F(st.sampled_from(["FA-2026-003", "strategie-2027"]), WILD_TEXT)),
        "body": optional_of(enum(BODY_NAMES)),
        "contact_email": optional_of(EMAIL),
        "note": text("", "laut Bescheid vom 12.03.2027, Nr. 4.2", max_len=2000),
    },
)


@MATRIX
@given(frist_anlegen_raw)
def test_frist_anlegen_input(raw: dict[str, Any]) -> None:
    data = validated(FristAnlegenInput, raw, "Frist anlegen")
    if data is None:
        return
    try:  # tasks.deadline_steps.add_deadline turns this into InputError(f"Fällig am: {exc}")
        due = resolve_due_date(data.due_date, is_termin=data.is_termin, note=data.note)
    except DeadlineError as exc:
        assert_german(f"Fällig am: {exc}")
        return
    assert due.end >= data.due_date
    if data.note:
        assert due.explanation.endswith(f"Grundlage: {data.note}")


frist_erledigt_raw = form(
    {"entered_by": ENTERED_BY, "deadline_id": optional_of(integer(1, 4711, lo=1, hi=2**62))},
    {
        "reference": optional_of(F(st.sampled_from(["FA-2026-003", "strategie-2027"]), WILD_TEXT)),
        "kind": optional_of(enum(DeadlineKind)),
        "outcome": enum(DeadlineOutcome),
        "done_on": optional_of(date(TODAY)),
        "note": text("", "per Post eingereicht", max_len=2000),
    },
)


@MATRIX
@given(frist_erledigt_raw)
def test_frist_erledigt_input(raw: dict[str, Any]) -> None:
    data = validated(FristErledigtInput, raw, "Frist erledigt")
    if data is not None:
        assert data.deadline_id is not None or (data.reference and data.kind)


@MATRIX
@given(form({}, {"today": optional_of(date(TODAY))}))
def test_fristen_waechter_input(raw: dict[str, Any]) -> None:
    data = validated(FristenWaechterInput, raw, "Fristenwächter")
    if data is not None:
        assert data.today is None or isinstance(data.today, dt.date)


# --- Strategy revision --------------------------------------------------------------------

fortschreibung_raw = form(
    {},
    {
        "year": optional_of(integer(2027, 2020, 2100, lo=2020, hi=2100)),
        "response_due": optional_of(date(dt.date(2027, 2, 26))),
        "entered_by": ENTERED_BY,
    },
)


@MATRIX
@given(fortschreibung_raw)
@example({"year": 2027, "entered_by": "Anna\x01 Beispiel"})
def test_fortschreibung_input(raw: dict[str, Any]) -> None:
    data = validated(FortschreibungInput, raw, "Fortschreibung")
    if data is None:
        return
    due = fixed_date(data.response_due) if data.response_due else compute_deadline(
        TODAY, weeks=6
    )  # fmt: skip
    if due.end <= TODAY:
        return  # refused by tasks.strategy_open.open_cycle ("muss in der Zukunft liegen")
    context = statusabfrage_context(
        year=data.for_year(TODAY),
        body=BODIES["Olfen"],
        projects=PROJECTS,
        baseline=BASELINE,
        response_due=due.end,
        today=TODAY,
        coordinator_email=SETTINGS.central_coordinator_email,
        entered_by=data.entered_by,
    )
    text = render("strategie_statusabfrage.docx", context)
    assert_verbatim(data.entered_by, text)


OLFEN_CODES = sorted(p.code for p in PROJECTS if p.takes_part("Olfen"))
status_entry = form(
    {
        "project_code": F(
            st.one_of(st.sampled_from(OLFEN_CODES), st.sampled_from(["hf1-01 ", "HF8-99"])),
            st.one_of(st.sampled_from(["HF9-99", "HF1-1"]), WILD_TEXT),
        ),
        "status": enum(ProjectStatus),
    },
    {"note": text("", "Seit Oktober im Einsatz & <live>", max_len=1000)},
    wild_fields=(0, 0, 0, 1),
)
new_project = form(
    {"title": text("Digitale Sitzungsräume & <Vereine>"), "handlungsfeld": enum(Handlungsfeld)},
    {"participants": BODIES_LIST, "description": text("", "Videokonferenztechnik.", max_len=2000)},
    wild_fields=(0, 0, 0, 1),
)
statusmeldung_raw = form(
    {
        "year": integer(2027, 2020, 2100, lo=2020, hi=2100),
        "body": F(st.one_of(st.just("Olfen"), enum(BODY_NAMES).good), WILD_TEXT),
        "entered_by": ENTERED_BY,
    },
    {
        "entries": F(st.lists(status_entry, min_size=1, max_size=4), st.one_of(junk, nasty_text)),
        "new_projects": F(st.lists(new_project, max_size=3), st.one_of(junk, nasty_text)),
    },
)


@MATRIX
@given(statusmeldung_raw)
def test_statusmeldung_input(raw: dict[str, Any]) -> None:
    data = validated(StatusmeldungInput, raw, "Statusmeldung")
    if data is None:
        return
    body = BODIES[data.body]
    projects = {p.code: p for p in PROJECTS}
    try:  # the step refuses unknown or foreign projects with an InputError
        check_report(body.name, body.official_name, projects, data.entries)
    except InputError as exc:
        assert_german(str(exc))
        return
    codes = list(projects)
    new = []
    for proposal in data.new_projects:
        code = next_project_code(proposal.handlungsfeld, codes)
        codes.append(code)
        new.append(
            ProjectView(
                code=code,
                title=proposal.title,
                field=proposal.handlungsfeld,
                lead=body.name,
                participants=[b for b in proposal.participants if b != body.name],
                status=ProjectStatus.GEPLANT,
                description=proposal.description,
                source="vorschlag",
            )
        )
    reports = [
        ReportedStatus(project_code=e.project_code, body=body.name,
                       body_label=body.official_name, status=e.status, note=e.note)
        for e in data.entries
    ]  # fmt: skip
    rows = consolidate([*PROJECTS, *new], BASELINE, reports)
    states = [
        BodyCycleView(body=b.name, official_name=b.official_name, slug=b.slug,
                      report_state=ReportState.GEMELDET if b.name == body.name
                      else ReportState.OFFEN)
        for b in BODIES.values()
    ]  # fmt: skip
    facts = CycleFacts(
        year=data.year,
        version=1,
        today=TODAY,
        opened_on=dt.date(data.year, 1, 15),
        response_due=dt.date(data.year, 2, 26),
        bodies=list(BODIES.values()),
        states=states,
        rows=rows,
        funding=funding_by_body([], list(BODIES)),
    )
    text = render("strategie_entwurf.docx", entwurf_context(facts))
    for project in new:
        assert_verbatim(project.title, text)
    for row in rows:
        if row.listed and row.note.strip():
            assert_verbatim(row.note.strip(), text)


konsolidierung_raw = form(
    {"year": integer(2027, 2020, 2100, lo=2020, hi=2100), "entered_by": ENTERED_BY}
)


@MATRIX
@given(konsolidierung_raw)
def test_konsolidierung_input(raw: dict[str, Any]) -> None:
    data = validated(KonsolidierungInput, raw, "Konsolidierung")
    if data is not None:
        assert 2020 <= data.year <= 2100


beschluss_raw = form(
    {
        "year": integer(2027, 2100, lo=2020, hi=2100),
        "body": enum(BODY_NAMES),
        "outcome": enum(ResolutionOutcome),
        "meeting_date": date(dt.date(2027, 3, 15), dt.date(2100, 12, 1)),
        "entered_by": ENTERED_BY,
    },
    {
        "next_meeting": optional_of(date(dt.date(2027, 5, 10))),
        "note": text("", "Mit Änderung in HF3 & <Anlage>.", max_len=3000),
    },
)


@MATRIX
@given(beschluss_raw)
@example({"year": 2027, "body": "Olfen", "outcome": "vertagt", "meeting_date": "2100-12-01",
          "entered_by": "Anna"})  # fmt: skip
def test_beschluss_input(raw: dict[str, Any]) -> None:
    data = validated(BeschlussInput, raw, "Beschluss")
    if data is None:
        return
    if data.outcome is ResolutionOutcome.VERTAGT:
        # tasks.strategy_resolution.record_resolution computes the follow-up meeting like this.
        due = (
            fixed_date(data.next_meeting)
            if data.next_meeting is not None
            else compute_deadline(data.meeting_date, weeks=8)
        )
        assert due.end > data.meeting_date
    body = BODIES[data.body]
    resolution = ResolutionView(outcome=data.outcome, meeting_date=data.meeting_date,
                                note=data.note, next_meeting=data.next_meeting)  # fmt: skip
    states = [
        BodyCycleView(body=b.name, official_name=b.official_name, slug=b.slug,
                      report_state=ReportState.GEMELDET, resolution=resolution)
        for b in BODIES.values()
    ]  # fmt: skip
    context = freigabe_context(
        CycleStanding(year=data.year, bodies=list(BODIES.values()), states=states),
        history=[ResolutionRecord(body=body.name, resolution=resolution)],
        completing_body=body,
        released_on=TODAY,
    )
    text = render("strategie_freigabe.docx", context)
    if data.outcome is ResolutionOutcome.GEAENDERT_BESCHLOSSEN:
        assert_verbatim(data.note.strip().rstrip("."), text)


# --- Reporting and communication -----------------------------------------------------------

COMMITTEES = get_tenant().committee_names
bericht_raw = form(
    {},
    {
        "stichtag": optional_of(date(TODAY)),
        "committee": optional_of(F(st.sampled_from(COMMITTEES), WILD_TEXT)),
        "period_start": optional_of(date(dt.date(2026, 1, 1))),
        "entered_by": ENTERED_BY,
    },
)


@MATRIX
@given(bericht_raw)
# Found by the ci profile: a vertical tab in the committee split the German message's lines.
@example({"committee": "{{ 12345*11 }}\x0b{{ 12345*11 }}", "entered_by": "Anna Beispiel"})
def test_bericht_sachstand_input(raw: dict[str, Any]) -> None:
    data = validated(BerichtSachstandInput, raw, "Bericht")
    if data is None or data.committee is None:
        return
    try:  # tasks.reporting.report checks the committee before anything is read or written
        assert committee_of(get_tenant(), data.committee)[0] in COMMITTEES
    except InputError as exc:
        assert_german(str(exc), "Bericht")


newsletter_raw = form(
    {},
    {
        "edition_date": optional_of(date(TODAY)),
        "editorial": text("", "Liebe Kolleginnen & Kollegen, <b>neu</b>!", max_len=5000),
        "entered_by": ENTERED_BY,
    },
)


@MATRIX
@given(newsletter_raw)
def test_newsletter_entwurf_input(raw: dict[str, Any]) -> None:
    data = validated(NewsletterEntwurfInput, raw, "Newsletter")
    if data is None:
        return
    day = data.edition_date or TODAY
    context = newsletter_context(
        ReportData(bodies=[], applications=[], projects=[]), number=1, edition_date=day,
        period=ReportPeriod(start=day, end=day), editorial=data.editorial, strategy=None,
    )  # fmt: skip
    _subject, plain, html = render_newsletter(TEMPLATES, context)
    assert EVALUATED not in plain.replace(data.editorial, "") and "<script" not in html
    for line in data.editorial.split("\n"):  # the editorial is text, never markup
        assert (
            line.strip() in plain and str(html_escape(line.strip())) in html
        )  # as Jinja's autoescape


@MATRIX
@given(form({}, {"number": optional_of(integer(1, 7, lo=1, hi=10**6)), "entered_by": ENTERED_BY}))
def test_newsletter_versand_input(raw: dict[str, Any]) -> None:
    data = validated(NewsletterVersandInput, raw, "Versand")
    if data is not None:
        assert data.number is None or data.number >= 1


@MATRIX
@given(form({}, {"entered_by": ENTERED_BY}))
def test_projektatlas_input(raw: dict[str, Any]) -> None:
    validated(ProjektatlasInput, raw, "Projektatlas")


PROJECT_LABELS = [f"{p.code} · {p.title} ({p.lead})" for p in PROJECTS]
sichtbarkeit_raw = form(
    {"publish": BOOLEAN, "entered_by": ENTERED_BY},
    {
        "project_code": optional_of(F(st.sampled_from(PROJECT_LABELS), WILD_TEXT)),
        "reference": optional_of(F(st.sampled_from(["FA-2026-001", "fa-2031-017"]), WILD_TEXT)),
    },
)


@MATRIX
@given(sichtbarkeit_raw)
def test_atlas_sichtbarkeit_input(raw: dict[str, Any]) -> None:
    data = validated(AtlasSichtbarkeitInput, raw, "Sichtbarkeit")
    if data is not None:
        assert (data.project_code is None) != (data.reference is None)
        assert data.project_code is None or data.project_code in BASELINE


@pytest.mark.parametrize(
    ("model", "what", "raw", "fragment"),
    [
        (BerichtSachstandInput, "Bericht", {"stichtag": "31.02.2031"}, "Stichtag ist kein"),
        (BerichtSachstandInput, "Bericht", {"committee": "x" * 301}, "Ausschuss ist zu lang"),
        (BerichtSachstandInput, "Bericht", {"entered_by": "A\x00"}, "Steuerzeichen"),
        (NewsletterEntwurfInput, "Newsletter", {"editorial": "a\x1b[31m"}, "Steuerzeichen"),
        (NewsletterEntwurfInput, "Newsletter", {"editorial": "x" * 5001}, "Editorial ist zu"),
        (NewsletterVersandInput, "Versand", {"number": 0}, "Ausgabe Nr. darf nicht kleiner"),
        (NewsletterVersandInput, "Versand", {"number": "drei"}, "ganze Zahl"),
        (ProjektatlasInput, "Projektatlas", {"entered_by": ""}, "Erstellt von ist zu kurz"),
        (ProjektatlasInput, "Projektatlas", {"site_dir": "/etc"}, "kein bekannter Parameter"),
        (AtlasSichtbarkeitInput, "Sichtbarkeit", {"publish": True, "entered_by": "Anna"},
         "genau eines"),
        (AtlasSichtbarkeitInput, "Sichtbarkeit",
         {"project_code": "../etc/passwd", "publish": False, "entered_by": "Anna"},
         "Projekt hat ein ungültiges Format"),
        (AtlasSichtbarkeitInput, "Sichtbarkeit",
         {"reference": "FA-2026-001", "publish": "vielleicht", "entered_by": "Anna"},
         "Veröffentlichen muss ja oder nein sein"),
    ],
)  # fmt: skip
def test_reporting_forms_refuse_in_german(
    model: type[BaseModel], what: str, raw: dict[str, Any], fragment: str
) -> None:
    """Refused before the step runs: no row, no file, no mail (the flows validate first)."""
    with pytest.raises(InputError) as refused:
        validate_input(model, raw, what=what)
    assert_german(str(refused.value), what)
    assert fragment in str(refused.value)


# --- Mail: never an attachment from a path --------------------------------------------------


@MATRIX
@given(
    subject=st.one_of(nasty_text, st.sampled_from(["/etc/passwd", str(EXISTING_FILE)])),
    body=st.one_of(nasty_text, st.sampled_from(["/etc/passwd", str(EXISTING_FILE)])),
)
def test_mail_text_is_never_read_as_a_file(subject: str, body: str) -> None:
    subject = " ".join(subject.split())  # as tasks.compose.render_mail_text makes every subject
    message = assert_plain_mail(
        OutgoingMail(key="k", owner="system", to=["a@b.de"], subject=subject, body=body)
    )
    if body in ("/etc/passwd", str(EXISTING_FILE)):
        assert message.get_content() == body + "\n"


@pytest.mark.parametrize("path", ["/etc/passwd", str(EXISTING_FILE)])
def test_path_as_mail_text_is_delivered_as_text(
    path: str, services: Services, smtp: LocalInbox
) -> None:
    """Through the real transport (yagmail) and a real SMTP server: no file is attached."""
    mail = OutgoingMail(key=f"pfad:{path}", owner="system", to=["pfad@olfen.example"],
                        subject=path, body=path)  # fmt: skip
    with services.sessions.begin() as session:
        outbox_id = queue_mail(session, mail)
    report = deliver(services.sessions, services.settings, services.transport_factory)
    assert report.sent == [outbox_id]
    ((received, message),) = read_inbox(smtp.maildir)
    assert received.subject == path and received.body == path + "\n"
    assert received.attachments == [] and list(message.iter_attachments()) == []
    assert Path(path).read_bytes()[:40] not in message.as_bytes()


# --- Förder-Radar -------------------------------------------------------------------------

RATING_OK = {
    "body": "Olfen",
    "call_id": "ikz-nrw-2027",
    "rating": "interessiert",
    "entered_by": "Anna",
}
CALL_OK = {"programme_title": "Heimat 2.0", "title": "Projektaufruf 2027", "funder": "Land NRW",
           "url": "https://www.mhkbd.nrw/", "status": "open", "deadline_model": "single",
           "deadline": "2027-02-28", "entered_by": "Anna"}  # fmt: skip
RADAR_MODELS = {RadarImportInput: "Import", RadarDigestInput: "Wochenüberblick",
                CallEntryInput: "Förderaufruf", RatingInput: "Bewertung"}  # fmt: skip
radar_raw = st.sampled_from(list(RADAR_MODELS)).flatmap(
    lambda model: st.tuples(
        st.just(model),
        form(
            {},
            {
                name: F(st.sampled_from([(RATING_OK | CALL_OK).get(name, None)]), WILD_TEXT)
                for name in model.model_fields
            },
        ),
    )
)


@MATRIX
@given(radar_raw)
def test_radar_inputs(case: tuple[type[BaseModel], dict[str, Any]]) -> None:
    model, raw = case
    validated(model, {k: v for k, v in raw.items() if v is not None}, RADAR_MODELS[model])


@pytest.mark.parametrize(
    ("model", "raw", "expected"),
    [
        (RatingInput, {**RATING_OK, "body": "Gotham"}, "Körperschaft muss einer der Werte"),
        (RatingInput, {**RATING_OK, "rating": "passt_nicht"}, "fehlt der Grund"),
        (RatingInput, {**RATING_OK, "rating": "stumm", "create_idea": True}, "nur mit"),
        (RatingInput, {**RATING_OK, "call_id": "../etc/passwd"}, "Aufruf hat ein ungültiges"),
        (CallEntryInput, {**CALL_OK, "deadline": None}, "fehlt die Frist"),
        (CallEntryInput, {**CALL_OK, "url": "file:///etc/passwd"}, "Link zur Quelle"),
        (CallEntryInput, {**CALL_OK, "funder": "Land\x00NRW"}, "Steuerzeichen"),
        (RadarImportInput, {"threshold": 500}, "darf nicht größer als 101"),
        (RadarDigestInput, {"lead_days": 0}, "darf nicht kleiner als 1"),
    ],
)
def test_radar_bad_input_gets_a_german_message(
    model: type[BaseModel], raw: dict[str, Any], expected: str
) -> None:
    with pytest.raises(InputError, match=expected) as refused:
        validate_input(model, raw, what=RADAR_MODELS[model])
    assert_german(str(refused.value), RADAR_MODELS[model])


def test_every_flow_parameter_model_is_in_the_matrix() -> None:
    """A new flow must join the matrix: compare with the models the flows validate."""
    tested: set[str] = {
        m.__name__
        for m in (IdeaInput, PartnerCheckInput, PartnerAnswerInput, DraftInput, ApprovalInput,
                  SubmissionInput, NoticeInput, ReportInput, WithdrawalInput, FristAnlegenInput,
                  FristErledigtInput, FristenWaechterInput, FortschreibungInput,
                  StatusmeldungInput, KonsolidierungInput, BeschlussInput,
                  BerichtSachstandInput, NewsletterEntwurfInput, NewsletterVersandInput,
                  ProjektatlasInput, AtlasSichtbarkeitInput, *RADAR_MODELS)
    }  # fmt: skip
    used = set()
    for path in sorted((ROOT / "flows").glob("*.py")):
        used.update(
            re.findall(r"(?:validate_input|form_input|form_flow)\(\s*(\w+)", path.read_text())
        )
    assert used == tested
