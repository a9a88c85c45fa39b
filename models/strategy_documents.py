"""Documents and mails of the yearly strategy revision: context models and pure builders.

* the Statusabfrage per body (its projects with last year's status and the deadline),
* the draft "Fortschreibung der Digitalisierungsstrategie <year>",
* one Sitzungsvorlage per body, in the generic :class:`SitzungsvorlageContext` of the seed,
* the confirmation that the Sperrvermerk is lifted,
* and the mail texts of the cycle.

As everywhere in ``models``, every value handed to a template is a finished German string and
the builders write the prose; no I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from models.antrag_documents import (
    STRATEGY_NAME,
    SitzungsvorlageContext,
    _cap,
    _council_gen,
    _council_organ,
    _count_word,
    _dat,
    _gen,
    _join,
    _nom,
    _seat,
    _sentence,
    competence_sentence,
)
from models.bodies import BodyView
from models.deadlines import format_date_de, format_day_de
from models.documents import AGENCY, DocumentContext
from models.mail import MailContext
from models.money import format_eur
from models.strategy import (
    BodyCycleView,
    Changes,
    ConsolidatedProject,
    FundingSummary,
    Handlungsfeld,
    ProjectStatus,
    ProjectView,
    ReportState,
    ResolutionOutcome,
    ResolutionView,
    changes_since_last_year,
    status_counts,
)

STATUSABFRAGE_TEMPLATE = "strategie_statusabfrage.docx"
ENTWURF_TEMPLATE = "strategie_entwurf.docx"
VORLAGE_TEMPLATE = "sitzungsvorlage.docx"
FREIGABE_TEMPLATE = "strategie_freigabe.docx"

MAIL_STATUSABFRAGE = "strategie_statusabfrage.txt"
MAIL_VORLAGE = "strategie_vorlage.txt"
MAIL_GESAMT = "strategie_gesamtpaket.txt"
MAIL_ESKALATION = "strategie_eskalation.txt"
MAIL_FREIGABE = "strategie_freigabe.txt"


def draft_title(year: int) -> str:
    return f"Fortschreibung der Digitalisierungsstrategie {year}"


# --- small wording helpers ----------------------------------------------------------------------


def _projects(n: int) -> str:
    """ "ein Projekt", "drei Projekte", "31 Projekte"."""
    return "ein Projekt" if n == 1 else f"{_count_word(n)} Projekte"


def _projects_dat(n: int) -> str:
    """Dative: "einem Projekt", "drei Projekten"."""
    return "einem Projekt" if n == 1 else f"{_count_word(n)} Projekten"


def _number(n: int) -> str:
    """A count standing alone for projects (neuter): "eines", "drei", "15"."""
    return "eines" if n == 1 else _count_word(n)


def _named(p: ProjectView) -> str:
    return f"{p.code} „{p.title}“"


def _status_text(status: ProjectStatus | None) -> str:
    return status.label if status is not None else "neu"


def _names(bodies: dict[str, BodyView], names: Sequence[str]) -> list[str]:
    return [bodies[n].official_name if n in bodies else n for n in names]


def _short(bodies: dict[str, BodyView], name: str) -> str:
    return bodies[name].name if name in bodies else name


def _participants_text(bodies: dict[str, BodyView], project: ProjectView) -> str:
    if not project.participants:
        return "keine weiteren"
    if len(project.participants) >= len(bodies) - 1 and len(bodies) > 2:
        return "alle weiteren Körperschaften"
    return ", ".join(bodies[n].name if n in bodies else n for n in project.participants)


# --- the facts a cycle's documents are built from ----------------------------------------------


class CycleFacts(BaseModel):
    """Everything the consolidation documents say, read in one transaction."""

    model_config = ConfigDict(frozen=True)

    year: int
    version: int
    today: dt.date
    opened_on: dt.date
    response_due: dt.date
    bodies: list[BodyView]  # all bodies, Kreis first
    states: list[BodyCycleView]  # same order as bodies
    rows: list[ConsolidatedProject]
    funding: FundingSummary
    restricted_amount_cents: int | None = None

    @property
    def by_name(self) -> dict[str, BodyView]:
        return {b.name: b for b in self.bodies}

    @property
    def listed(self) -> list[ConsolidatedProject]:
        return [r for r in self.rows if r.listed]

    @property
    def changes(self) -> Changes:
        return changes_since_last_year(self.rows)


# === 1. Statusabfrage ===========================================================================


class StatusRequestRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    title: str
    field: str
    role: str  # "Federführung" | "beteiligt"
    previous: str  # last year's status


class StatusabfrageContext(DocumentContext):
    year: int
    date: str
    body: str
    council: str
    response_due: str
    intro: str
    projects: list[StatusRequestRow]
    summary: str
    legend: list[str]
    coordinator_email: str
    entered_by: str


STATUS_LEGEND = [
    "geplant – das Projekt ist beschlossen oder vorgesehen, die Umsetzung hat noch nicht begonnen",
    "in Umsetzung – das Projekt läuft",
    "abgeschlossen – das Projekt ist umgesetzt",
    "zurückgestellt – das Projekt ruht vorerst, etwa bis zur Klärung der Finanzierung",
    "verworfen – das Projekt wird nicht weiterverfolgt",
]


def statusabfrage_context(
    *,
    year: int,
    body: BodyView,
    projects: Sequence[ProjectView],
    baseline: dict[str, str],
    response_due: dt.date,
    today: dt.date,
    coordinator_email: str,
    entered_by: str,
) -> StatusabfrageContext:
    """The status request to *body*: its projects with last year's status."""
    mine = sorted(
        (p for p in projects if p.takes_part(body.name) and p.code in baseline),
        key=lambda p: p.code,
    )
    open_ = [p for p in mine if ProjectStatus(baseline[p.code]) not in _CLOSED]
    rows = [
        StatusRequestRow(
            code=p.code,
            title=p.title,
            field=p.field.value,
            role="Federführung" if p.lead == body.name else "beteiligt",
            previous=ProjectStatus(baseline[p.code]).label,
        )
        for p in open_
    ]
    led = sum(1 for p in open_ if p.lead == body.name)
    intro = (
        f"die Digitalisierungsstrategie {STRATEGY_NAME} wird jährlich gemeinsam fortgeschrieben. "
        f"Für die Fortschreibung {year} bittet die {AGENCY} um den aktuellen Sachstand der "
        f"Projekte, an denen {_nom(body)} beteiligt ist. Aus den Rückmeldungen aller zwölf "
        "Körperschaften entsteht der Entwurf der Fortschreibung, der anschließend den Räten und "
        "dem Kreistag zur Beschlussfassung vorgelegt wird."
    )
    if rows:
        summary = (
            f"{_cap(_nom(body))} ist nach der Projektliste an {_projects_dat(len(rows))} beteiligt"
            + (
                f", bei {_number(led) if led != 1 else 'einem'} davon federführend."
                if led
                else "; die Federführung liegt jeweils bei einer anderen Körperschaft."
            )
            + " Die Übersicht nennt den bisherigen Stand; bitte tragen Sie den Stand "
            f"{year} und bei Bedarf einen kurzen Vermerk ein."
        )
    else:
        summary = (
            f"{_cap(_nom(body))} ist derzeit an keinem laufenden Projekt der Liste beteiligt. "
            "Wir bitten gleichwohl um Rückmeldung, ob neue Projekte vorgeschlagen werden."
        )
    return StatusabfrageContext(
        year=year,
        date=format_date_de(today),
        body=body.official_name,
        council=body.council,
        response_due=format_day_de(response_due),
        intro=intro,
        projects=rows,
        summary=summary,
        legend=STATUS_LEGEND,
        coordinator_email=coordinator_email,
        entered_by=entered_by,
    )


_CLOSED = frozenset({ProjectStatus.ABGESCHLOSSEN, ProjectStatus.VERWORFEN})


# === 2. Entwurf „Fortschreibung der Digitalisierungsstrategie <year>" =========================


class ProjectRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    title: str
    lead: str
    participants: str
    previous: str
    current: str
    note: str


class FieldSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    heading: str  # "HF2 Verwaltung & Bürgerservice"
    summary: str
    projects: list[ProjectRow]


class CountRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str
    count: str


class ChangeGroup(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    heading: str
    entries: list[str]  # not "items": templates see rows as dicts


class FundingTableRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    body: str
    applications: str
    requested: str
    granted: str


class FundingApplicationRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reference: str
    title: str
    project: str
    lead: str
    requested: str
    granted: str


class EntwurfContext(DocumentContext):
    year: int
    previous_year: int
    version: int
    date: str
    title: str
    strategy: str
    procedure: list[str]
    overview: str
    counts: list[CountRow]
    counts_total: str
    fields: list[FieldSection]
    closed_earlier: str
    changes_intro: str
    changes: list[ChangeGroup]
    funding_intro: str
    funding_rows: list[FundingTableRow]
    funding_total_applications: str
    funding_total_requested: str
    funding_total_granted: str
    funding_applications: list[FundingApplicationRow]
    funding_note: str
    reporting: str
    missing: list[str]
    next_steps: list[str]


def _reporting_sentence(facts: CycleFacts) -> str:
    missing = [s for s in facts.states if s.report_state is ReportState.OFFEN]
    late = [s for s in facts.states if s.late]
    total = len(facts.states)
    reported = total - len(missing)
    due = format_date_de(facts.response_due)
    if not missing:
        text = (
            f"Alle {_count_word(total)} Körperschaften haben ihre Statusmeldung abgegeben."
            if total
            else "Es liegen keine Statusmeldungen vor."
        )
    else:
        names = _join([_dat(facts.by_name[s.body]) for s in missing if s.body in facts.by_name])
        text = (
            f"Bis zur Erstellung dieses Entwurfs haben {_count_word(reported)} von "
            f"{_count_word(total)} Körperschaften ihre Statusmeldung abgegeben. Keine Meldung "
            f"liegt vor von {names}; für deren Projekte wurde der bisherige Stand übernommen."
        )
    if late:
        names = _join([_gen(b) for s in late if (b := facts.by_name.get(s.body))])
        one = len(late) == 1
        text += (
            f" Die Meldung{'' if one else 'en'} {names} {'ging' if one else 'gingen'} erst nach "
            f"Ablauf der Frist am {due} ein; {'sie ist' if one else 'sie sind'} berücksichtigt."
        )
    return text


def _missing_from(facts: CycleFacts) -> list[str]:
    return [
        facts.by_name[s.body].official_name
        for s in facts.states
        if s.report_state is ReportState.OFFEN and s.body in facts.by_name
    ]


def _count_rows(facts: CycleFacts) -> list[CountRow]:
    counts = status_counts(facts.rows)
    return [CountRow(status=s.label, count=str(n)) for s, n in counts.items() if n]


_OVERVIEW_CLAUSES: list[tuple[ProjectStatus, str, str, str]] = [
    (ProjectStatus.IN_UMSETZUNG, "befindet sich", "befinden sich", "in der Umsetzung"),
    (ProjectStatus.GEPLANT, "ist", "sind", "geplant"),
    (ProjectStatus.ZURUECKGESTELLT, "ist", "sind", "zurückgestellt"),
    (ProjectStatus.ABGESCHLOSSEN, "wurde", "wurden", "im Berichtszeitraum abgeschlossen"),
    (ProjectStatus.VERWORFEN, "wird", "werden", "nicht weiterverfolgt"),
]


def _overview(facts: CycleFacts) -> str:
    """E.g. "Die fortgeschriebene Projektliste umfasst 31 Projekte in acht Handlungsfeldern.
    Von diesen Projekten befinden sich 15 in der Umsetzung, acht sind geplant und …"."""
    listed = facts.listed
    fields = {r.project.field for r in listed}
    counts = status_counts(facts.rows)
    text = (
        f"Die fortgeschriebene Projektliste umfasst {_projects(len(listed))} in "
        f"{_count_word(len(fields))} Handlungsfeld{'' if len(fields) == 1 else 'ern'}."
    )
    clauses: list[str] = []
    for status, one, many, rest in _OVERVIEW_CLAUSES:
        n = counts[status]
        if not n:
            continue
        verb = one if n == 1 else many
        if clauses:
            clauses.append(f"{_number(n)} {verb} {rest}")
        else:
            clauses.append(f"Von diesen Projekten {verb} {_number(n)} {rest}")
    if clauses:
        text += " " + _join(clauses) + "."
    return text


def _field_sections(facts: CycleFacts) -> list[FieldSection]:
    bodies = facts.by_name
    sections: list[FieldSection] = []
    for field in Handlungsfeld:
        rows = [r for r in facts.listed if r.project.field is field]
        if not rows:
            continue
        items = []
        for r in rows:
            notes = [_sentence(r.note)] if r.note.strip() else []
            if r.conflicts:
                notes.append(_sentence("Abweichende Meldung: " + "; ".join(r.conflicts)))
            if r.is_new:
                lead = bodies.get(r.project.lead)
                notes.insert(0, f"Neu auf Vorschlag {_gen(lead) if lead else r.project.lead}.")
            if not r.reported_by and not r.is_new:
                notes.append("Keine Meldung; bisheriger Stand übernommen.")
            items.append(
                ProjectRow(
                    code=r.project.code,
                    title=r.project.title,
                    lead=_short(bodies, r.project.lead),
                    participants=_participants_text(bodies, r.project),
                    previous=_status_text(r.previous),
                    current=r.current.label,
                    note=" ".join(notes),
                )
            )
        running = sum(1 for r in rows if r.current is ProjectStatus.IN_UMSETZUNG)
        if running == 0:
            tail = "."
        elif running == len(rows):
            tail = (
                ", das sich in der Umsetzung befindet."
                if running == 1
                else ", die sich alle in der Umsetzung befinden."
            )
        else:
            tail = f", davon {_number(running)} in der Umsetzung."
        summary = f"Im Handlungsfeld „{field.value}“ umfasst die Liste {_projects(len(rows))}{tail}"
        sections.append(
            FieldSection(heading=f"{field.prefix} {field.value}", summary=summary, projects=items)
        )
    return sections


def _closed_earlier(facts: CycleFacts) -> str:
    earlier = [r for r in facts.rows if not r.listed]
    if not earlier:
        return ""
    done = [r for r in earlier if r.current is ProjectStatus.ABGESCHLOSSEN]
    dropped = [r for r in earlier if r.current is ProjectStatus.VERWORFEN]
    parts = []
    if done:
        parts.append(
            (
                "das bereits abgeschlossene Projekt "
                if len(done) == 1
                else "die bereits abgeschlossenen Projekte "
            )
            + _join([r.project.code for r in done])
        )
    if dropped:
        parts.append(
            (
                "das bereits verworfene Projekt "
                if len(dropped) == 1
                else "die bereits verworfenen Projekte "
            )
            + _join([r.project.code for r in dropped])
        )
    return (
        f"Nicht mehr aufgeführt sind {_join(parts)} aus früheren Fortschreibungen; sie bleiben "
        "in der Projekthistorie der Digitalagentur dokumentiert."
    )


def _change_item(facts: CycleFacts, r: ConsolidatedProject) -> str:
    lead = facts.by_name.get(r.project.lead)
    lead_name = lead.official_name if lead else r.project.lead
    if r.is_new:
        text = f"{_named(r.project)} – Vorschlag {_gen(lead) if lead else lead_name}"
        if r.project.description:
            text += f": {r.project.description.strip().rstrip('.')}."
        else:
            text += "."
        return text
    text = f"{_named(r.project)} (Federführung: {lead_name}; bisher: {_status_text(r.previous)})"
    return text + (f" – {_sentence(r.note)}" if r.note.strip() else "")


def _change_groups(facts: CycleFacts) -> list[ChangeGroup]:
    ch = facts.changes
    groups = [
        ("Neu aufgenommene Projekte", ch.new),
        ("Abgeschlossene Projekte", ch.completed),
        ("In die Umsetzung gegangene Projekte", ch.started),
        ("Zurückgestellte Projekte", ch.deferred),
        ("Verworfene Projekte", ch.dropped),
        ("Wieder aufgenommene Projekte", ch.resumed),
    ]
    return [
        ChangeGroup(heading=heading, entries=[_change_item(facts, r) for r in rows])
        for heading, rows in groups
        if rows
    ]


def _changes_intro(facts: CycleFacts) -> str:
    ch = facts.changes
    if not ch.any:
        return (
            f"Gegenüber dem Stand des Vorjahres hat sich der Projektbestand nicht verändert; "
            f"alle Projekte werden mit ihrem bisherigen Stand in die Fortschreibung {facts.year} "
            "übernommen."
        )
    counts = [
        (len(ch.new), "neu aufgenommen"),
        (len(ch.completed), "abgeschlossen"),
        (len(ch.started), "in die Umsetzung überführt"),
        (len(ch.deferred), "zurückgestellt"),
        (len(ch.dropped), "verworfen"),
        (len(ch.resumed), "wieder aufgenommen"),
    ]
    clauses: list[str] = []
    for n, label in counts:
        if not n:
            continue
        verb = "wurde" if n == 1 else "wurden"
        if clauses:
            clauses.append(f"{_projects(n)} {verb} {label}")
        else:
            clauses.append(f"Gegenüber dem Vorjahr {verb} {_projects(n)} {label}")
    return _join(clauses) + ". Im Einzelnen:"


def _funding_intro(facts: CycleFacts) -> str:
    f = facts.funding
    if f.total_applications == 0:
        text = "Zu Projekten der Strategie wurden bislang keine Förderanträge eingereicht."
    else:
        n = f.total_applications
        count = "ein Förderantrag" if n == 1 else f"{_count_word(n)} Förderanträge"
        text = (
            f"Zu Projekten der Strategie wurden bislang {count} "
            f"mit einer beantragten Zuwendung von insgesamt {format_eur(f.total_requested_cents)} "
            f"eingereicht; bewilligt {'wurden' if f.total_granted_cents else 'wurde bislang'} "
            f"davon {format_eur(f.total_granted_cents)}."
        )
    if f.in_preparation:
        n = f.in_preparation
        text += (
            f" {'Ein weiterer Antrag ist' if n == 1 else f'Weitere {_count_word(n)} Anträge sind'} "
            "in Vorbereitung."
        )
    return text


def _funding_rows(facts: CycleFacts) -> list[FundingTableRow]:
    names = facts.by_name
    return [
        FundingTableRow(
            body=names[r.body].official_name if r.body in names else r.body,
            applications=str(r.applications),
            requested=format_eur(r.requested_cents),
            granted=format_eur(r.granted_cents),
        )
        for r in facts.funding.rows
    ]


def _funding_applications(facts: CycleFacts) -> list[FundingApplicationRow]:
    names = facts.by_name
    return [
        FundingApplicationRow(
            reference=a.reference,
            title=a.title,
            project=a.project_code,
            lead=names[a.lead].name if a.lead in names else a.lead,
            requested=format_eur(a.requested),
            granted=format_eur(a.granted) if a.granted else "–",
        )
        for a in facts.funding.applications
    ]


def _restriction_amount(facts: CycleFacts) -> str:
    return (
        format_eur(facts.restricted_amount_cents)
        if facts.restricted_amount_cents is not None
        else ""
    )


def entwurf_context(facts: CycleFacts) -> EntwurfContext:
    """The draft "Fortschreibung der Digitalisierungsstrategie <year>" (``facts.version``)."""
    year = facts.year
    n_bodies = len(facts.bodies)
    procedure = [
        f"Der Kreis Coesfeld und seine elf kreisangehörigen Städte und Gemeinden setzen die "
        f"gemeinsame Digitalisierungsstrategie {STRATEGY_NAME} um. Der Strategieprozess endet "
        "nicht mit dem Beschluss des Strategiedokuments; er ist der Auftakt einer aktiven "
        "Gestaltung des digitalen Wandels. Die Strategie wird deshalb jährlich fortgeschrieben. "
        f"Die Fortschreibung ist eine der fünf Kernaufgaben der „{AGENCY}“.",
        f"Für die Fortschreibung {year} hat die {AGENCY} am {format_date_de(facts.opened_on)} "
        f"bei allen {_count_word(n_bodies)} Körperschaften den Sachstand ihrer Projekte "
        f"abgefragt. Die Rückmeldefrist endete am {format_date_de(facts.response_due)}. "
        + _reporting_sentence(facts),
        "Meldungen mehrerer beteiligter Körperschaften zu einem Projekt sind zusammengeführt; "
        "maßgeblich ist die Meldung der federführenden Körperschaft. Abweichende Meldungen sind "
        "in der Projektliste vermerkt.",
    ]
    amount = _restriction_amount(facts)
    next_steps = [
        "Der Entwurf wird den Räten der elf kreisangehörigen Städte und Gemeinden und dem "
        "Kreistag des Kreises Coesfeld mit gleichlautenden Sitzungsvorlagen zur "
        "Beschlussfassung vorgelegt.",
    ]
    if amount:
        next_steps.append(
            f"Die für die Umsetzung der Strategie vorgesehenen Mittel in Höhe von {amount} "
            "stehen unter Sperrvermerk. Sie werden freigegeben, sobald alle "
            f"{_count_word(n_bodies)} Gremien die Fortschreibung beschlossen haben; die "
            f"{AGENCY} bestätigt die Freigabe allen Körperschaften schriftlich."
        )
    else:
        next_steps.append(
            f"Sobald alle {_count_word(n_bodies)} Gremien die Fortschreibung beschlossen haben, "
            f"bestätigt die {AGENCY} den Abschluss allen Körperschaften schriftlich."
        )
    next_steps.append(
        "Ändert ein Gremium den Entwurf, stimmt die Digitalagentur die Änderung mit den "
        "übrigen Körperschaften ab; sie wird spätestens in der nächsten Fortschreibung "
        "berücksichtigt."
    )
    f = facts.funding
    return EntwurfContext(
        year=year,
        previous_year=year - 1,
        version=facts.version,
        date=format_date_de(facts.today),
        title=draft_title(year),
        strategy=STRATEGY_NAME,
        procedure=procedure,
        overview=_overview(facts),
        counts=_count_rows(facts),
        counts_total=str(len(facts.listed)),
        fields=_field_sections(facts),
        closed_earlier=_closed_earlier(facts),
        changes_intro=_changes_intro(facts),
        changes=_change_groups(facts),
        funding_intro=_funding_intro(facts),
        funding_rows=_funding_rows(facts),
        funding_total_applications=str(f.total_applications),
        funding_total_requested=format_eur(f.total_requested_cents),
        funding_total_granted=format_eur(f.total_granted_cents),
        funding_applications=_funding_applications(facts),
        funding_note=(
            "Gemeinsame Anträge sind bei jeder beteiligten Körperschaft mit ihrem vollen Betrag "
            "aufgeführt; die Summenzeile zählt jeden Antrag einmal. Berücksichtigt sind "
            "eingereichte Anträge, die einem Projekt der Strategie zugeordnet sind; als "
            "bewilligt gelten die Beträge laut Zuwendungsbescheid."
        ),
        reporting=_reporting_sentence(facts),
        missing=_missing_from(facts),
        next_steps=next_steps,
    )


# === 3. Sitzungsvorlage per body (generic SitzungsvorlageContext) ============================


def _change_sentences(facts: CycleFacts) -> str:
    ch = facts.changes
    if not ch.any:
        return (
            "Gegenüber dem Vorjahr hat sich der Projektbestand nicht verändert; alle Projekte "
            "werden mit ihrem bisherigen Stand fortgeführt."
        )

    def listing(rows: Sequence[ConsolidatedProject]) -> str:
        return _join([_named(r.project) for r in rows])

    sentences = ["Gegenüber dem Vorjahr ergeben sich folgende Veränderungen:"]
    if ch.new:
        proposals = []
        for r in ch.new:
            lead = facts.by_name.get(r.project.lead)
            proposals.append(
                f"{_named(r.project)} auf Vorschlag {_gen(lead) if lead else r.project.lead}"
            )
        sentences.append(
            f"Neu aufgenommen {'wird das Projekt' if len(ch.new) == 1 else 'werden die Projekte'} "
            f"{_join(proposals)}."
        )
    for rows, one, many in (
        (ch.completed, "Abgeschlossen wurde das Projekt", "Abgeschlossen wurden die Projekte"),
        (
            ch.started,
            "Mit der Umsetzung begonnen wurde im Projekt",
            "Mit der Umsetzung begonnen wurde in den Projekten",
        ),
        (ch.deferred, "Zurückgestellt wurde das Projekt", "Zurückgestellt wurden die Projekte"),
        (
            ch.dropped,
            "Nicht weiterverfolgt wird das Projekt",
            "Nicht weiterverfolgt werden die Projekte",
        ),
        (
            ch.resumed,
            "Wieder aufgenommen wurde das Projekt",
            "Wieder aufgenommen wurden die Projekte",
        ),
    ):
        if rows:
            sentences.append(f"{one if len(rows) == 1 else many} {listing(rows)}.")
    return " ".join(sentences)


def _body_projects_sentence(facts: CycleFacts, body: BodyView) -> str:
    mine = [r for r in facts.listed if r.project.takes_part(body.name)]
    led = [r for r in mine if r.project.lead == body.name]
    if not mine:
        return (
            f"{_cap(_nom(body))} ist an keinem Projekt der fortgeschriebenen Liste unmittelbar "
            "beteiligt; die Projekte mit kreisweiter Wirkung kommen gleichwohl auch ihren "
            "Bürgerinnen und Bürgern zugute."
        )
    text = f"{_cap(_nom(body))} ist an {_projects_dat(len(mine))} der Liste beteiligt"
    if not led:
        return text + "; die Federführung liegt jeweils bei einer anderen Körperschaft."
    items = _join([f"{_named(r.project)} ({r.current.label})" for r in led])
    if len(led) == len(mine) and len(led) > 1:
        return text + f" und betreut sie alle federführend: {items}."
    if len(led) == 1:
        return text + f" und betreut das Projekt {items} federführend."
    return text + f". Federführend betreut {_nom(body)} die Projekte {items}."


def _body_funding_sentence(facts: CycleFacts, body: BodyView) -> str:
    text = _funding_intro(facts)
    row = next((r for r in facts.funding.rows if r.body == body.name), None)
    if facts.funding.total_applications == 0 or row is None:
        return text
    if row.applications:
        n = row.applications
        count = "einem dieser Anträge" if n == 1 else f"{_count_word(n)} dieser Anträge"
        text += (
            f" {_cap(_nom(body))} ist an {count} "
            f"beteiligt (beantragt: {format_eur(row.requested_cents)}, bewilligt: "
            f"{format_eur(row.granted_cents)})."
        )
    else:
        text += f" {_cap(_nom(body))} ist an diesen Anträgen bislang nicht beteiligt."
    return text


def restriction_text(year: int, amount_cents: int | None, body_count: int = 12) -> str:
    """The Sperrvermerk paragraph of the strategy Vorlagen (empty without an amount)."""
    if amount_cents is None:
        return ""
    return (
        f"Die Bereitstellung der für die Umsetzung der Digitalisierungsstrategie vorgesehenen "
        f"Mittel in Höhe von {format_eur(amount_cents)} erfolgt unter dem Vorbehalt, dass die "
        f"Fortschreibung {year} von den Räten aller kreisangehörigen Städte und Gemeinden und "
        f"vom Kreistag des Kreises Coesfeld beschlossen wird. Die Mittel werden erst "
        f"freigegeben, wenn alle {_count_word(body_count)} Beschlüsse vorliegen."
    )


def sitzungsvorlage_strategie_context(
    facts: CycleFacts, body: BodyView, number: str
) -> SitzungsvorlageContext:
    """The Sitzungsvorlage asking *body*'s council to adopt the revision of ``facts.year``."""
    year = facts.year
    n = len(facts.bodies)
    amount = _restriction_amount(facts)
    title = draft_title(year)
    mine_led = [r for r in facts.listed if r.project.lead == body.name]
    proposal = (
        f"Der {body.council} beschließt die Fortschreibung der Digitalisierungsstrategie "
        f"{STRATEGY_NAME} für das Jahr {year} in der Fassung des beigefügten Entwurfs "
        f"(Fassung v{facts.version}, Stand {format_date_de(facts.today)}) einschließlich der "
        "fortgeschriebenen Projektliste."
    )
    if mine_led:
        proposal += (
            " Die Verwaltung wird beauftragt, die Projekte in eigener Federführung gemeinsam mit "
            f"der {AGENCY} weiter umzusetzen."
        )
    facts_paragraphs = [
        f"Der Kreis Coesfeld und seine elf kreisangehörigen Städte und Gemeinden setzen gemeinsam "
        f"die kreisweite Digitalisierungsstrategie {STRATEGY_NAME} um. Gemeinsame Zielsetzung war "
        "von Anfang an, dass der Strategieprozess nicht mit der Vorlage des Abschlussdokuments "
        "endet, sondern der Auftakt einer aktiven Gestaltung des digitalen Wandels im Kreis "
        f"Coesfeld ist. Zu den Aufgaben der dafür eingerichteten „{AGENCY}“ gehört daher "
        "ausdrücklich die jährliche Weiterentwicklung und Fortschreibung der Strategie.",
        f"Für die Fortschreibung {year} hat die {AGENCY} am {format_date_de(facts.opened_on)} bei "
        f"allen {_count_word(n)} Körperschaften den Sachstand ihrer Projekte abgefragt; die "
        f"Rückmeldefrist endete am {format_date_de(facts.response_due)}. "
        + _reporting_sentence(facts)
        + f" Aus den Meldungen ist der als Anlage beigefügte Entwurf „{title}“ entstanden.",
        _overview(facts) + " " + _change_sentences(facts),
        _body_projects_sentence(facts, body),
        _body_funding_sentence(facts, body),
        "Die Fortschreibung wird den Räten der elf kreisangehörigen Städte und Gemeinden und dem "
        "Kreistag des Kreises Coesfeld gleichlautend zur Beschlussfassung vorgelegt."
        + (
            f" Die unter Sperrvermerk stehenden Mittel in Höhe von {amount} werden erst "
            f"freigegeben, wenn alle {_count_word(n)} Gremien zugestimmt haben."
            if amount
            else ""
        ),
    ]
    organ = _cap(_council_organ(body))
    alternatives = [
        f"{organ} beschließt die Fortschreibung nicht. Für {_acc_plain(body)} gälte dann"
        " weiterhin die Projektliste des Vorjahres; neue Projekte und Änderungen "
        "könnten nicht gemeinsam mit den übrigen Körperschaften verfolgt werden."
        + (
            f" Da die unter Sperrvermerk stehenden Mittel erst freigegeben werden, wenn alle "
            f"{_count_word(n)} Gremien zugestimmt haben, stünden sie auch den übrigen "
            "Körperschaften nicht zur Verfügung."
            if amount
            else ""
        ),
        f"{organ} beschließt die Fortschreibung mit Änderungen. Die Änderungen müssten mit den "
        "übrigen Körperschaften abgestimmt werden; die gemeinsame Fortschreibung"
        + (" und die Freigabe der Mittel würden" if amount else " würde")
        + " sich dadurch verzögern.",
    ]
    finances = (
        f"Mit dem Beschluss selbst sind für {_acc_plain(body)} keine unmittelbaren Aufwendungen "
        "verbunden. Eigenanteile an einzelnen Förderprojekten werden jeweils gesondert "
        "beschlossen."
    )
    if amount:
        finances = (
            f"Die für die Umsetzung der Digitalisierungsstrategie vorgesehenen Mittel in Höhe von "
            f"{amount} stehen unter Sperrvermerk; sie werden erst freigegeben, wenn die "
            f"Fortschreibung {year} von allen {_count_word(n)} Gremien beschlossen ist. " + finances
        )
    personnel = (
        f"Die Fortschreibung wird von der {AGENCY} im Rahmen der bestehenden personellen "
        f"Ressourcen koordiniert. Die Mitwirkung {_gen(body)} an den Projekten erfolgt durch die "
        "vorhandenen Fachkräfte der Verwaltung; zusätzliche Stellen werden mit diesem Beschluss "
        "nicht eingerichtet."
    )
    it = (
        f"Die Projekte der Strategie werden mit der IT-Organisation {_gen(body)} und dem "
        "kommunalen IT-Dienstleister abgestimmt. Die Anforderungen an Datenschutz und "
        "Informationssicherheit werden in jedem Projekt berücksichtigt."
    )
    climate_rows = [r for r in facts.listed if r.project.field is Handlungsfeld.UMWELT]
    climate = "Unmittelbare Auswirkungen auf das Klima sind mit dem Beschluss nicht verbunden."
    if climate_rows:
        climate += (
            f" Die Projekte des Handlungsfelds „{Handlungsfeld.UMWELT.value}“ "
            f"({_join([r.project.code for r in climate_rows])}) tragen mittelbar zum Klimaschutz "
            "bei; digitale Verfahren können zudem Wege und Papier einsparen."
        )
    return SitzungsvorlageContext(
        number=number,
        date=format_date_de(facts.today),
        body=body.official_name,
        council=body.council,
        draft_note=f"Entwurf der {AGENCY}, Fassung v{facts.version}",
        subject=f"Fortschreibung der Digitalisierungsstrategie {STRATEGY_NAME} für das Jahr {year}",
        proposal=proposal,
        restriction=restriction_text(year, facts.restricted_amount_cents, n),
        facts=facts_paragraphs,
        alternatives=alternatives,
        finances=finances,
        personnel=personnel,
        it=it,
        climate=climate,
        competence=competence_sentence(body),
        attachments=[f"Entwurf „{title}“ (Fassung v{facts.version}) mit der Projektliste"],
    )


def _acc_plain(body: BodyView) -> str:
    """Accusative after "für": "den Kreis Coesfeld", "die Stadt Olfen"."""
    return f"{'den' if body.is_kreis else 'die'} {body.official_name}"


# === 4. Aufhebung des Sperrvermerks ===========================================================


class ResolutionRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    council: str
    number: str
    meeting: str
    outcome: str


class FreigabeContext(DocumentContext):
    year: int
    date: str
    heading: str
    subject: str
    intro: str
    rows: list[ResolutionRow]
    statement: str
    notes: list[str]
    place: str
    signatory: str


class ResolutionRecord(BaseModel):
    """A recorded resolution with the body it belongs to (for the confirmation's history)."""

    model_config = ConfigDict(frozen=True)

    body: str  # BodyName value
    resolution: ResolutionView


def freigabe_context(
    *,
    year: int,
    bodies: Sequence[BodyView],
    states: Sequence[BodyCycleView],
    history: Sequence[ResolutionRecord],
    completing_body: BodyView,
    released_on: dt.date,
    amount_cents: int | None,
) -> FreigabeContext:
    """Confirmation that all councils adopted the revision and the Sperrvermerk is lifted."""
    by_name = {b.name: b for b in bodies}
    rows = []
    for state in states:
        body = by_name[state.body]
        res = state.resolution
        rows.append(
            ResolutionRow(
                council=body.council,
                number=state.paper_number or "–",
                meeting=format_date_de(res.meeting_date) if res else "–",
                outcome=res.outcome.label if res else "–",
            )
        )
    last = next(s.resolution for s in states if s.body == completing_body.name)
    assert last is not None
    n = len(states)
    intro = (
        f"Die Fortschreibung der Digitalisierungsstrategie {STRATEGY_NAME} für das Jahr {year} "
        f"ist von allen {_count_word(n)} Gremien beschlossen worden: von den Räten der elf "
        "kreisangehörigen Städte und Gemeinden und vom Kreistag des Kreises Coesfeld. Den "
        f"letzten erforderlichen Beschluss hat der {completing_body.council} in seiner Sitzung "
        f"am {format_date_de(last.meeting_date)} gefasst."
    )
    if amount_cents is not None:
        heading = "Aufhebung des Sperrvermerks"
        statement = (
            f"Damit ist die Bedingung des Sperrvermerks erfüllt. Die für die Umsetzung der "
            f"Digitalisierungsstrategie vorgesehenen Mittel in Höhe von {format_eur(amount_cents)} "
            f"werden mit Wirkung vom {format_date_de(released_on)} freigegeben."
        )
    else:
        heading = "Abschluss der Beschlussfassung"
        statement = (
            f"Ein Sperrvermerk war mit der Fortschreibung {year} nicht verbunden. Diese "
            "Bestätigung dokumentiert den Abschluss der Beschlussfassung in allen Gremien."
        )
    notes: list[str] = []
    for record in sorted(history, key=lambda r: (r.resolution.meeting_date, r.body)):
        who = by_name.get(record.body)
        if who is None:
            continue
        res = record.resolution
        when = format_date_de(res.meeting_date)
        if res.outcome is ResolutionOutcome.GEAENDERT_BESCHLOSSEN:
            notes.append(
                f"Der {who.council} hat die Fortschreibung am {when} mit Änderungen beschlossen: "
                f"{res.note.strip().rstrip('.')}. Die Änderungen werden mit den übrigen "
                "Körperschaften abgestimmt und in der nächsten Fortschreibung berücksichtigt."
            )
        elif res.outcome is ResolutionOutcome.VERTAGT:
            notes.append(
                f"Der {who.council} hatte die Beratung in seiner Sitzung am {when} zunächst "
                "vertagt."
            )
        elif res.outcome is ResolutionOutcome.ABGELEHNT:
            notes.append(
                f"Der {who.council} hatte die Fortschreibung in seiner Sitzung am {when} zunächst "
                "abgelehnt."
            )
    return FreigabeContext(
        year=year,
        date=format_date_de(released_on),
        heading=heading,
        subject=draft_title(year),
        intro=intro,
        rows=rows,
        statement=statement,
        notes=notes,
        place=_seat(by_name.get("Kreis Coesfeld", completing_body)),
        signatory=f"{AGENCY} – Koordinierungsstelle",
    )


# === Mails ======================================================================================


class StatusRequestMailContext(MailContext):
    year: int
    body: str
    body_acc: str  # "die Stadt Dülmen", "den Kreis Coesfeld"
    response_due: str
    projects_phrase: str  # "die fünf laufenden Projekte", "" without projects
    led_phrase: str  # ", davon zwei in Ihrer Federführung"
    coordinator_email: str
    entered_by: str


def status_request_mail_context(
    request: StatusabfrageContext, body: BodyView, response_due: dt.date
) -> StatusRequestMailContext:
    n = len(request.projects)
    led = sum(1 for r in request.projects if r.role == "Federführung")
    if n == 0:
        projects_phrase = ""
    elif n == 1:
        projects_phrase = "das laufende Projekt"
    else:
        projects_phrase = f"die {_count_word(n)} laufenden Projekte"
    if not led or n == 1:
        led_phrase = " in Ihrer Federführung" if led else ""
    else:
        led_phrase = f", davon {'eines' if led == 1 else _count_word(led)} in Ihrer Federführung"
    return StatusRequestMailContext(
        year=request.year,
        body=body.official_name,
        body_acc=_acc_plain(body),
        response_due=format_day_de(response_due),
        projects_phrase=projects_phrase,
        led_phrase=led_phrase,
        coordinator_email=request.coordinator_email,
        entered_by=request.entered_by,
    )


class CouncilPaperMailContext(MailContext):
    year: int
    body: str
    council: str  # "Rat der Stadt Dülmen"
    council_gen: str  # "des Rates der Stadt Dülmen"
    number: str
    version: int
    restriction: str  # amount under Sperrvermerk, "" without
    coordinator_email: str


def council_paper_mail_context(
    facts: CycleFacts, body: BodyView, number: str, coordinator_email: str
) -> CouncilPaperMailContext:
    return CouncilPaperMailContext(
        year=facts.year,
        body=body.official_name,
        council=body.council,
        council_gen=_council_gen(body),
        number=number,
        version=facts.version,
        restriction=_restriction_amount(facts),
        coordinator_email=coordinator_email,
    )


class PackageMailContext(MailContext):
    year: int
    version: int
    intro: str
    facts: list[str]
    documents: list[str]
    warnings: list[str]
    next_step: str
    entered_by: str
    ui_url: str


def _after_salutation(text: str) -> str:
    """A sentence after "Guten Tag," starts in lower case ("der Rat …")."""
    return text[:1].lower() + text[1:]


def package_mail_context(
    facts: CycleFacts,
    *,
    papers: int,
    documents: Sequence[str],
    warnings: Sequence[str],
    entered_by: str,
    ui_url: str,
) -> PackageMailContext:
    """The coordinator's mail with the whole set of the consolidation."""
    missing = [s for s in facts.states if not s.reported]
    ch = facts.changes
    f = facts.funding
    amount = _restriction_amount(facts)
    return PackageMailContext(
        year=facts.year,
        version=facts.version,
        intro=(
            f"die Statusmeldungen zur Fortschreibung {facts.year} sind zusammengeführt. Der "
            f"Entwurf „{draft_title(facts.year)}“ (Fassung v{facts.version}) und "
            f"{_count_word(papers)} Sitzungsvorlagen liegen vor; jede Körperschaft hat ihre "
            "Vorlage mit dem Entwurf erhalten."
        ),
        facts=[
            f"Statusmeldungen: {len(facts.states) - len(missing)} von {len(facts.states)}",
            f"Projekte in der fortgeschriebenen Liste: {len(facts.listed)}",
            f"Neu: {len(ch.new)}, abgeschlossen: {len(ch.completed)}, zurückgestellt: "
            f"{len(ch.deferred)}, verworfen: {len(ch.dropped)}",
            f"Eingeworbene Fördermittel: beantragt {format_eur(f.total_requested_cents)}, "
            f"bewilligt {format_eur(f.total_granted_cents)}",
            f"Sperrvermerk: {amount}" if amount else "Sperrvermerk: keiner",
        ],
        documents=list(documents),
        warnings=list(warnings),
        next_step="Die Beschlüsse der Räte und des Kreistages mit „strategie-beschluss“ "
        "erfassen. Sobald alle Gremien beschlossen haben, wird "
        + ("der Sperrvermerk aufgehoben und " if amount else "das Verfahren abgeschlossen und ")
        + "allen Körperschaften bestätigt.",
        entered_by=entered_by,
        ui_url=ui_url,
    )


class EscalationMailContext(MailContext):
    year: int
    is_escalation: bool  # abgelehnt/vertagt; False: a note on geändert beschlossen
    council: str
    council_gen: str
    body_dat: str  # "der Stadt Dülmen"
    outcome: str  # German label
    meeting_date: str
    note: str
    consequence: str
    follow_up: str
    adopted: str  # "7 von 12"
    open_bodies: list[str]
    entered_by: str
    ui_url: str


def escalation_mail_context(
    *,
    year: int,
    body: BodyView,
    resolution: ResolutionView,
    states: Sequence[BodyCycleView],
    bodies: Sequence[BodyView],
    amount_cents: int | None,
    follow_up: str,
    entered_by: str,
    ui_url: str,
) -> EscalationMailContext:
    by_name = {b.name: b for b in bodies}
    adopted = sum(1 for s in states if s.adopted)
    amount = format_eur(amount_cents) if amount_cents is not None else ""
    return EscalationMailContext(
        year=year,
        is_escalation=resolution.outcome.escalates,
        council=body.council,
        council_gen=_council_gen(body),
        body_dat=_dat(body),
        outcome=resolution.outcome.label,
        meeting_date=format_day_de(resolution.meeting_date),
        note=resolution.note,
        consequence=_after_salutation(
            escalation_consequence(resolution.outcome, amount, body.council)
        ),
        follow_up=follow_up,
        adopted=f"{adopted} von {len(states)}",
        open_bodies=[by_name[s.body].official_name for s in states if not s.adopted],
        entered_by=entered_by,
        ui_url=ui_url,
    )


class ReleaseMailContext(MailContext):
    year: int
    heading: str
    date: str
    amount: str  # "" without a Sperrvermerk
    completing_council: str
    councils: list[str]  # "Rat der Stadt Dülmen (beschlossen am 12.03.2027)"


def release_mail_context(
    confirmation: FreigabeContext,
    completing_body: BodyView,
    amount_cents: int | None,
) -> ReleaseMailContext:
    return ReleaseMailContext(
        year=confirmation.year,
        heading=confirmation.heading,
        date=confirmation.date,
        amount=format_eur(amount_cents) if amount_cents is not None else "",
        completing_council=completing_body.council,
        councils=[f"{r.council} ({r.outcome} am {r.meeting})" for r in confirmation.rows],
    )


def escalation_consequence(outcome: ResolutionOutcome, amount: str, council: str) -> str:
    """What a rejection or deferral means for the cycle (first sentence of the escalation)."""
    money = (
        f" Die unter Sperrvermerk stehenden Mittel in Höhe von {amount} bleiben gesperrt, bis "
        "alle Gremien beschlossen haben."
        if amount
        else ""
    )
    if outcome is ResolutionOutcome.ABGELEHNT:
        return (
            f"Der {council} hat die Fortschreibung abgelehnt. Ohne einen zustimmenden Beschluss "
            "aller Gremien kann die Fortschreibung nicht in Kraft treten." + money
        )
    if outcome is ResolutionOutcome.VERTAGT:
        return f"Der {council} hat die Beratung der Fortschreibung vertagt." + money
    return f"Der {council} hat die Fortschreibung mit Änderungen beschlossen."


# --- the status table artifact (pure rows) -----------------------------------------------------


def status_table_rows(
    states: Sequence[BodyCycleView], bodies: Sequence[BodyView]
) -> list[dict[str, str]]:
    """One row per body for the table artifact ``strategie-<year>``."""
    by_name = {b.name: b for b in bodies}
    rows: list[dict[str, str]] = []
    for s in states:
        if s.reported and s.reported_on is not None:
            report = f"gemeldet am {format_date_de(s.reported_on)}"
            if s.late:
                report += " (verspätet)"
            if s.version > 1:
                report += f", {s.version}. Fassung (ersetzt)"
        else:
            report = "offen" + (
                f" – Frist {format_date_de(s.response_due)}" if s.response_due else ""
            )
        res = s.resolution
        if res is None:
            resolution = "–"
        else:
            resolution = f"{res.outcome.label} am {format_date_de(res.meeting_date)}"
            if res.next_meeting is not None:
                resolution += f"; erneute Beratung am {format_date_de(res.next_meeting)}"
        body = by_name.get(s.body)
        rows.append(
            {
                "Körperschaft": body.official_name if body else s.body,
                "Statusmeldung": report,
                "Sitzungsvorlage": s.paper_number or "–",
                "Beschluss": resolution,
            }
        )
    return rows


TEMPLATES: dict[str, type[DocumentContext]] = {
    STATUSABFRAGE_TEMPLATE: StatusabfrageContext,
    ENTWURF_TEMPLATE: EntwurfContext,
    FREIGABE_TEMPLATE: FreigabeContext,
}
MAILS: dict[str, type[MailContext]] = {
    MAIL_STATUSABFRAGE: StatusRequestMailContext,
    MAIL_VORLAGE: CouncilPaperMailContext,
    MAIL_GESAMT: PackageMailContext,
    MAIL_ESKALATION: EscalationMailContext,
    MAIL_FREIGABE: ReleaseMailContext,
}
