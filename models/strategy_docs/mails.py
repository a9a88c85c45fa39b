"""The mails of the strategy cycle and the status table artifact.

The wording lives in ``templates/mail/strategie_*.txt``; these contexts carry facts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from models.bodies import BodyView
from models.deadlines import format_date_de, format_day_de
from models.grammar import body_forms, council_genitiv
from models.mail import MailContext
from models.money import format_eur
from models.strategy import BodyCycleView, ResolutionView
from models.strategy_docs.common import (
    Count,
    CycleFacts,
    CycleStanding,
    count,
    draft_title,
)
from models.strategy_docs.release import FreigabeContext
from models.strategy_docs.status_request import StatusabfrageContext


class StatusRequestMailContext(MailContext):
    year: int
    body: str
    body_acc: str  # "die Stadt Dülmen", "den Kreis Coesfeld"
    response_due: str
    projects: Count  # open projects the body takes part in
    led: Count  # of those, the ones it leads
    coordinator_email: str
    entered_by: str


def status_request_mail_context(
    request: StatusabfrageContext, body: BodyView, response_due: dt.date
) -> StatusRequestMailContext:
    return StatusRequestMailContext(
        year=request.year,
        body=body.official_name,
        body_acc=body_forms(body).akkusativ,
        response_due=format_day_de(response_due),
        projects=request.open_projects,
        led=request.led,
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
    councils: Count  # the councils that must all adopt the revision
    coordinator_email: str


def council_paper_mail_context(
    facts: CycleFacts, body: BodyView, number: str, coordinator_email: str
) -> CouncilPaperMailContext:
    return CouncilPaperMailContext(
        year=facts.year,
        body=body.official_name,
        council=body.council,
        council_gen=council_genitiv(body.council),
        number=number,
        version=facts.version,
        restriction=facts.restriction,
        councils=count(len(facts.bodies)),
        coordinator_email=coordinator_email,
    )


class PackageMailContext(MailContext):
    year: int
    version: int
    title: str  # the draft's title
    papers: Count  # Sitzungsvorlagen produced
    reported: int
    bodies: int
    listed: int  # projects in this year's list
    new: int
    completed: int
    deferred: int
    dropped: int
    requested: str
    granted: str
    restriction: str  # amount under Sperrvermerk, "" without
    documents: list[str]
    warnings: list[str]
    entered_by: str
    ui_url: str

    @property
    def facts(self) -> list[str]:
        """The key figures as "Label: Wert" lines for the step's Prefect artifact (not the mail,
        whose wording is in its template)."""
        return [
            f"Statusmeldungen: {self.reported} von {self.bodies}",
            f"Projekte in der fortgeschriebenen Liste: {self.listed}",
            f"Neu: {self.new}, abgeschlossen: {self.completed}, zurückgestellt: "
            f"{self.deferred}, verworfen: {self.dropped}",
            f"Eingeworbene Fördermittel: beantragt {self.requested}, bewilligt {self.granted}",
            f"Sperrvermerk: {self.restriction or 'keiner'}",
        ]


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
    ch = facts.changes
    f = facts.funding
    return PackageMailContext(
        year=facts.year,
        version=facts.version,
        title=draft_title(facts.year),
        papers=count(papers),
        reported=sum(1 for s in facts.states if s.reported),
        bodies=len(facts.states),
        listed=len(facts.listed),
        new=len(ch.new),
        completed=len(ch.completed),
        deferred=len(ch.deferred),
        dropped=len(ch.dropped),
        requested=format_eur(f.total_requested_cents),
        granted=format_eur(f.total_granted_cents),
        restriction=facts.restriction,
        documents=list(documents),
        warnings=list(warnings),
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
    outcome_value: str  # ResolutionOutcome value: abgelehnt | vertagt | geaendert_beschlossen
    amount: str  # amount under Sperrvermerk, "" without
    follow_up: str
    adopted: str  # "7 von 12"
    open_bodies: list[str]
    entered_by: str
    ui_url: str


def escalation_mail_context(
    standing: CycleStanding,
    *,
    body: BodyView,
    resolution: ResolutionView,
    follow_up: str,
    entered_by: str,
    ui_url: str,
) -> EscalationMailContext:
    states, by_name = standing.states, standing.by_name
    adopted = sum(1 for s in states if s.adopted)
    return EscalationMailContext(
        year=standing.year,
        is_escalation=resolution.outcome.escalates,
        council=body.council,
        council_gen=council_genitiv(body.council),
        body_dat=body_forms(body).dativ,
        outcome=resolution.outcome.label,
        meeting_date=format_day_de(resolution.meeting_date),
        note=resolution.note,
        outcome_value=resolution.outcome.value,
        amount=standing.restriction,
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
    council_count: Count


def release_mail_context(
    confirmation: FreigabeContext, completing_body: BodyView
) -> ReleaseMailContext:
    return ReleaseMailContext(
        year=confirmation.year,
        heading=confirmation.heading,
        date=confirmation.date,
        amount=confirmation.amount,
        completing_council=completing_body.council,
        councils=[f"{r.council} ({r.outcome} am {r.meeting})" for r in confirmation.rows],
        council_count=count(len(confirmation.rows)),
    )


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
