"""The mails of the strategy cycle and the status table artifact.

The mail texts (``templates/mail/strategie_*.txt``) still receive a few sentences computed here
(the coordinator's summary, an escalation's consequence); the letters and papers do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from models.bodies import BodyView
from models.deadlines import format_date_de, format_day_de
from models.mail import MailContext
from models.money import format_eur
from models.strategy import BodyCycleView, ResolutionOutcome, ResolutionView
from models.strategy_docs.common import (
    CycleFacts,
    council_gen,
    count_word,
    dative,
    draft_title,
    restriction_amount,
)
from models.strategy_docs.release import FreigabeContext
from models.strategy_docs.status_request import StatusabfrageContext


def _acc_plain(body: BodyView) -> str:
    """Accusative after "für": "den Kreis Coesfeld", "die Stadt Olfen"."""
    return f"{'den' if body.is_kreis else 'die'} {body.official_name}"


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
    led = sum(1 for r in request.projects if r.leads)
    if n == 0:
        projects_phrase = ""
    elif n == 1:
        projects_phrase = "das laufende Projekt"
    else:
        projects_phrase = f"die {count_word(n)} laufenden Projekte"
    if not led or n == 1:
        led_phrase = " in Ihrer Federführung" if led else ""
    else:
        led_phrase = f", davon {'eines' if led == 1 else count_word(led)} in Ihrer Federführung"
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
        council_gen=council_gen(body),
        number=number,
        version=facts.version,
        restriction=restriction_amount(facts),
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
    amount = restriction_amount(facts)
    return PackageMailContext(
        year=facts.year,
        version=facts.version,
        intro=(
            f"die Statusmeldungen zur Fortschreibung {facts.year} sind zusammengeführt. Der "
            f"Entwurf „{draft_title(facts.year)}“ (Fassung v{facts.version}) und "
            f"{count_word(papers)} Sitzungsvorlagen liegen vor; jede Körperschaft hat ihre "
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
        council_gen=council_gen(body),
        body_dat=dative(body),
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
