"""The daily deadline sweep (``fristen-waechter``).

One set-based query finds every open deadline whose reminder is due today; the reminders are
recorded, gathered into one digest mail per recipient and queued in the outbox, all in one
transaction. Delivery happens afterwards over one SMTP connection (``tasks.delivery``): if the
server is down, the digests stay pending and go out with the next sweep or retry. Re-running
the sweep for the same day finds nothing new and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from prefect import task
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    Date,
    Integer,
    Row,
    Select,
    Table,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services, get_services
from models.deadline_types import DeadlineStatus
from models.deadlines import format_date_de, format_day_de
from models.fristen_documents import (
    DIGEST_TEMPLATE,
    DueReminder,
    FristenDigestContext,
    build_digests,
    days_left_text,
    digest_key,
    kind_label,
    normalize_email,
    windows_to_record,
)
from models.mail import DeliveryReport, OutgoingMail
from models.tables import Body, Deadline, OutboxMail, ReminderSent
from tasks.artifacts import delivery_markdown, md_escape, publish_markdown, publish_table
from tasks.compose import render_mail_text
from tasks.deadlines import DEADLINE_HEAD
from tasks.mail import message_id_for

OVERVIEW_HORIZON_DAYS = 60
OVERVIEW_KEY = "fristen"
DIGEST_OWNER = "fristen"
_IN_CHUNK = 500  # bound parameters per IN (...) list


# --- SQL: whole days between two dates ------------------------------------------------------


class days_between(FunctionElement[int]):
    """``days_between(later, earlier)``: whole days from ``earlier`` to ``later``."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    # PostgreSQL (and the SQL standard): date - date is an integer number of days.
    return (
        f"(CAST({compiler.process(later, **kw)} AS DATE) - "
        f"CAST({compiler.process(earlier, **kw)} AS DATE))"
    )


# --- The one query ---------------------------------------------------------------------------


def due_reminders_query(today: dt.date, windows: Sequence[int]) -> Select:
    """Every open deadline whose tightest entered window has not been recorded yet.

    Range scan on ``ix_deadlines_status_due`` (status = 'offen' AND due_date <= today + widest
    window); the tightest window already recorded comes from the unique index of
    ``reminders_sent`` (deadline_id, window_days). Overdue deadlines use the negative day
    count as their window, so they come back every day.
    """
    today_param = literal(today, Date())
    horizon = today + dt.timedelta(days=max(windows, default=-1))
    days_left = days_between(Deadline.due_date, today_param)
    min_recorded = (
        select(func.min(ReminderSent.window_days))
        .where(ReminderSent.deadline_id == Deadline.id)
        .correlate(Deadline)
        .scalar_subquery()
    )
    tightest = case(
        (Deadline.due_date < today_param, days_left),
        *[
            (Deadline.due_date <= today + dt.timedelta(days=w), literal(w, Integer()))
            for w in sorted(set(windows))
        ],
        else_=None,
    )
    return (
        select(
            *DEADLINE_HEAD,
            Deadline.contact_email,
            days_left.label("days_left"),
            tightest.label("window"),
            min_recorded.label("min_recorded"),
        )
        .where(
            Deadline.status == DeadlineStatus.OFFEN.value,
            Deadline.due_date <= horizon,
            or_(min_recorded.is_(None), min_recorded > tightest),
        )
        .order_by(Deadline.due_date, Deadline.id)
    )


def collect_due_reminders(
    session: Session, today: dt.date, windows: Sequence[int]
) -> list[DueReminder]:
    """Run :func:`due_reminders_query` and return its rows as :class:`DueReminder`."""
    rows = session.connection().execute(due_reminders_query(today, windows))
    # The query's columns stand in DueReminder's field order (DEADLINE_HEAD first).
    return [DueReminder(*row) for row in rows]


# --- Composition (pure) ----------------------------------------------------------------------


def compose_digest_mails(
    digests: Sequence[FristenDigestContext], templates_dir: Path, keys: Mapping[str, str]
) -> list[OutgoingMail]:
    """Render each digest with ``fristen_digest.txt``; ``keys`` maps recipient → outbox key."""
    mails: list[OutgoingMail] = []
    for digest in digests:
        subject, body = render_mail_text(templates_dir, DIGEST_TEMPLATE, digest)
        mails.append(
            OutgoingMail(
                key=keys.get(digest.recipient) or digest_key(digest.today, digest.recipient),
                owner=DIGEST_OWNER,
                to=[digest.recipient],
                subject=subject,
                body=body,
            )
        )
    return mails


# --- The sweep -------------------------------------------------------------------------------


class DigestSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipient: str
    outbox_id: int
    entries: int
    overdue: int
    escalations: int
    supplement: bool


class SweepOutcome(BaseModel):
    """What one sweep did (counts only: it may cover thousands of deadlines).

    The sweep stays a batch with this outcome rather than a StepPlan for ``run_step``: it has
    no owner and no input to fingerprint, and it is idempotent per day through the
    ``reminders_sent`` log of each deadline, not through one StepRequest."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    reminded: int = 0  # deadlines reminded today
    overdue: int = 0  # of which overdue (also escalated)
    recorded_windows: int = 0  # reminders_sent rows written (sent plus skipped wider windows)
    digests: list[DigestSummary] = Field(default_factory=list)

    @property
    def outbox_ids(self) -> list[int]:
        return [d.outbox_id for d in self.digests]


def _chunks(items: Sequence[str], size: int = _IN_CHUNK) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _digest_keys(session: Session, today: dt.date, recipients: Sequence[str]) -> dict[str, str]:
    """recipient → the outbox key of today's digest: the plain key, or the next Nachtrag key
    for recipients who already have one today (a later sweep on the same day)."""
    base = {r: digest_key(today, r) for r in recipients}
    taken: set[str] = set()
    for chunk in _chunks(list(base.values())):
        taken.update(session.scalars(select(OutboxMail.key).where(OutboxMail.key.in_(chunk))))
    keys: dict[str, str] = {}
    for recipient, key in base.items():
        if key not in taken:
            keys[recipient] = key
            continue
        existing = set(
            session.scalars(
                select(OutboxMail.key).where(OutboxMail.key.startswith(f"{key}:", autoescape=True))
            )
        )
        sequence = 2
        while digest_key(today, recipient, sequence) in existing:
            sequence += 1
        keys[recipient] = digest_key(today, recipient, sequence)
    return keys


def _queue_digests(session: Session, mails: Sequence[OutgoingMail]) -> dict[str, int]:
    """Insert the digests (keys known to be new) with one batched INSERT … RETURNING;
    recipient → outbox id."""
    if not mails:
        return {}
    table = cast(Table, OutboxMail.__table__)
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [
            {
                "key": mail.key,
                "owner": mail.owner,
                "recipients": list(mail.to),
                "cc": [],
                "subject": mail.subject,
                "body": mail.body,
                "attachment_ids": [],
                "status": "pending",
                "attempts": 0,
                "message_id": message_id_for(mail.key),
            }
            for mail in mails
        ],
    ).scalars()
    return {mail.to[0]: outbox_id for mail, outbox_id in zip(mails, ids, strict=True)}


def sweep(session: Session, services: Services, today: dt.date) -> SweepOutcome:
    """Record today's reminders and queue the digests, inside the caller's transaction."""
    settings = services.settings
    windows = list(settings.reminder_days)
    reminders = collect_due_reminders(session, today, windows)
    if not reminders:
        return SweepOutcome(today=today)
    digests = build_digests(
        reminders,
        today=today,
        coordinator_email=settings.central_coordinator_email,
        ui_url=settings.resolved_ui_url,
    )
    keys = _digest_keys(session, today, [d.recipient for d in digests])
    digests = [
        d.model_copy(update={"is_supplement": keys[d.recipient] != digest_key(today, d.recipient)})
        for d in digests
    ]
    mails = compose_digest_mails(digests, settings.templates_dir, keys)
    outbox_by_recipient = _queue_digests(session, mails)

    records: list[dict[str, Any]] = []
    for item in reminders:
        outbox_id = outbox_by_recipient.get(normalize_email(item.contact_email))
        for index, window in enumerate(windows_to_record(item.window, windows, item.min_recorded)):
            records.append(
                {
                    "deadline_id": item.deadline_id,
                    "window_days": window,
                    "sweep_date": today,
                    "outbox_id": outbox_id if index == 0 else None,
                }
            )
    # A Core executemany: one statement for all rows, without the ORM's per-row bookkeeping.
    # created_at comes from the database clock in the statement (CURRENT_TIMESTAMP, the
    # column's server default), not from a Python call and a bind conversion per row.
    session.execute(
        insert(cast(Table, ReminderSent.__table__)).values(created_at=func.current_timestamp()),
        records,
    )
    return SweepOutcome(
        today=today,
        reminded=len(reminders),
        overdue=sum(1 for r in reminders if r.days_left < 0),
        recorded_windows=len(records),
        digests=[
            DigestSummary(
                recipient=d.recipient,
                outbox_id=outbox_by_recipient[d.recipient],
                entries=len(d.entries),
                overdue=d.overdue_count,
                escalations=d.escalation_count,
                supplement=d.is_supplement,
            )
            for d in digests
        ],
    )


def run_sweep(services: Services, today: dt.date) -> SweepOutcome:
    """One transaction: either all of today's reminders are recorded with their digests in
    the outbox, or nothing is."""
    try:
        return run_in_transaction(lambda s: sweep(s, services, today), services.sessions)
    except IntegrityError:
        # A concurrent sweep recorded the same reminders first: take what is left.
        return run_in_transaction(lambda s: sweep(s, services, today), services.sessions)


# --- Overview for the Prefect UI -------------------------------------------------------------


class OverviewCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    upcoming: int  # open, due today or within the horizon
    overdue: int


def overview_query(today: dt.date, horizon_days: int = OVERVIEW_HORIZON_DAYS) -> Select:
    """Every open deadline due within ``horizon_days`` and every overdue one, earliest first."""
    horizon = today + dt.timedelta(days=horizon_days)
    return (
        select(
            *DEADLINE_HEAD,
            Deadline.contact_email,
            Body.name.label("body_name"),
        )
        .outerjoin(Body, Body.id == Deadline.body_id)
        .where(Deadline.status == DeadlineStatus.OFFEN.value, Deadline.due_date <= horizon)
        .order_by(Deadline.due_date, Deadline.id)
    )


def overview_table(rows: Sequence[Row[Any]], today: dt.date) -> list[dict[str, object]]:
    """The rows of the table artifact ``fristen`` with German column names."""
    return [
        {
            "Nr.": row.id,
            "Fällig am": format_day_de(row.due_date),
            "Restlaufzeit": days_left_text((row.due_date - today).days),
            "Art": kind_label(row.kind),
            "Aktenzeichen": row.owner or "–",
            "Betreff": row.title,
            "Körperschaft": row.body_name or "–",
            "Verantwortlich": row.contact_email,
            "Frist/Termin": "Termin" if row.is_termin else "Frist",
        }
        for row in rows
    ]


def publish_overview(services: Services, today: dt.date) -> OverviewCounts:
    """Refresh the table artifact ``fristen`` (stable key: the UI shows the latest)."""
    with services.sessions() as session:
        rows = session.connection().execute(overview_query(today)).all()
    overdue = sum(1 for row in rows if row.due_date < today)
    publish_table(
        OVERVIEW_KEY,
        overview_table(rows, today),
        f"Offene Fristen bis {format_date_de(today + dt.timedelta(days=OVERVIEW_HORIZON_DAYS))} "
        f"und alle überfälligen (Stand {format_date_de(today)}).",
    )
    return OverviewCounts(upcoming=len(rows) - overdue, overdue=overdue)


def sweep_markdown(
    outcome: SweepOutcome,
    delivery: DeliveryReport,
    overview: OverviewCounts,
    feeds: Sequence[str],
    max_recipients: int = 100,
) -> str:
    """German summary of one sweep for the run's markdown artifact."""
    lines = [
        f"# Fristenwächter {format_day_de(outcome.today)}",
        "",
        "| | |",
        "|---|---|",
        f"| Heute erinnerte Fristen | {outcome.reminded} |",
        f"| davon überfällig (an die zentrale Koordination eskaliert) | {outcome.overdue} |",
        f"| Sammelmails (eine je Empfänger) | {len(outcome.digests)} |",
        f"| Offene Fristen in den nächsten {OVERVIEW_HORIZON_DAYS} Tagen | {overview.upcoming} |",
        f"| Überfällige offene Fristen | {overview.overdue} |",
        "",
        "Die vollständige Liste steht in der Tabelle **fristen**.",
        "",
        "## Mails",
        delivery_markdown(delivery, len(outcome.digests)),
    ]
    if outcome.digests:
        lines += ["", "| Empfänger | Fristen | überfällig | Eskalationen |", "|---|---|---|---|"]
        for d in outcome.digests[:max_recipients]:
            name = md_escape(d.recipient) + (" (Nachtrag)" if d.supplement else "")
            lines.append(f"| {name} | {d.entries} | {d.overdue} | {d.escalations} |")
        if len(outcome.digests) > max_recipients:
            lines.append(f"| … und {len(outcome.digests) - max_recipients} weitere | | | |")
    elif outcome.reminded == 0:
        lines += ["", "_Heute war keine Erinnerung fällig._"]
    lines += ["", "## Kalender", *(f"- `{path}`" for path in feeds)]
    return "\n".join(lines)


# --- Prefect tasks ---------------------------------------------------------------------------


@task(name="fristen-pruefen", retries=2, retry_delay_seconds=5)
def sweep_task(today: dt.date) -> SweepOutcome:
    return run_sweep(get_services(), today)


@task(name="fristen-uebersicht")
def publish_overview_task(today: dt.date) -> OverviewCounts:
    return publish_overview(get_services(), today)


@task(name="fristen-zusammenfassung")
def publish_sweep_summary_task(
    outcome: SweepOutcome, delivery: DeliveryReport, overview: OverviewCounts, feeds: list[str]
) -> None:
    publish_markdown(
        None,
        sweep_markdown(outcome, delivery, overview, feeds),
        f"Fristenwächter {format_date_de(outcome.today)}",
    )
