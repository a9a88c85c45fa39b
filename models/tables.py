"""SQLAlchemy 2.0 tables: the single source of truth for every application and deadline.

Relationships use ``lazy="raise"``: ORM objects never cross a task boundary, and a query that
needs related rows must say so explicitly (``selectinload``/joins).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    declared_attr,
    mapped_column,
    relationship,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every point in time is stored with its time zone.
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def owned_by(parent: str, **options: Any) -> MappedColumn[Any]:
    """The key of the row this row belongs to (``"<table>.id"``): deleted with it, and
    indexed, since the row is read through it."""
    return mapped_column(ForeignKey(parent, ondelete="CASCADE"), index=True, **options)


class Timestamp:
    created_at: Mapped[dt.datetime] = mapped_column(default=_now, server_default=func.now())


# --- Reference data -------------------------------------------------------------------------


class SeededBySlug:
    """A row of the tenant's reference data (``data/*.yaml``): ``foerderflow seed`` finds it
    again by its slug, so a second seed updates it instead of adding it twice."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    slug: Mapped[str] = mapped_column(String(60), unique=True, sort_order=-1)


class Body(SeededBySlug, Base):
    """A Körperschaft: the Kreis or one of its municipalities."""

    __tablename__ = "bodies"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    official_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # kreis | stadt | gemeinde
    # e.g. "Kreistag des Kreises Borken", "Rat der Stadt Bocholt" (from koerperschaften.yaml)
    council: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(80))  # § 26 (1) KrO NRW | § 41 (1) GO NRW
    email: Mapped[str] = mapped_column(String(200))
    population: Mapped[int] = mapped_column(Integer)
    # Amtlicher Regionalschlüssel (12 digits) and LEADER region, for the Förder-Radar
    regionalschluessel: Mapped[str] = mapped_column(String(12), default="", server_default="")
    leader_region: Mapped[str | None] = mapped_column(String(60))

    contacts: Mapped[list[Contact]] = relationship(back_populates="body", lazy="raise")


class Contact(Base):
    """A person at a body: coordinator of the Digitalagentur or another addressee."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("body_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    body: Mapped[Body | None] = relationship(back_populates="contacts", lazy="raise")


class Programme(SeededBySlug, Base):
    """A funding programme (Förderprogramm) with its figures."""

    __tablename__ = "programmes"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    funder: Mapped[str] = mapped_column(String(200))
    funding_rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    min_grant_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_grant_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_duration_months: Mapped[int | None] = mapped_column(Integer)
    call_deadline: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


# --- Funding applications -------------------------------------------------------------------


class ReferenceCounter(Base):
    """Per-prefix, per-year counter behind references such as FA-2026-001."""

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Application(Timestamp, Base):
    """A Förderantrag. ``stage`` is authoritative; flows only move it via legal transitions."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    lead_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    estimated_costs_cents: Mapped[int] = mapped_column(BigInteger)
    coordinator_email: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200))
    # Fingerprint of the idea's input: a double click creates no second application.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    # Financing (from the partner check on).
    funding_rate_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    eligible_costs_cents: Mapped[int | None] = mapped_column(BigInteger)
    split_key: Mapped[str | None] = mapped_column(String(20))
    requested_grant_cents: Mapped[int | None] = mapped_column(BigInteger)
    draft_version: Mapped[int] = mapped_column(Integer, default=0)
    response_due: Mapped[dt.date | None] = mapped_column(Date)
    # Submission and notice.
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    funder_reference: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(20))
    granted_cents: Mapped[int | None] = mapped_column(BigInteger)
    notice_date: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    closing_note: Mapped[str | None] = mapped_column(Text)
    # The strategy project this application funds (Projektliste), if any.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    # False: "nicht veröffentlichen" – the public Projektatlas leaves the application out.
    publish: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")

    partners: Mapped[list[ApplicationPartner]] = relationship(
        back_populates="application", lazy="raise", order_by="ApplicationPartner.position"
    )
    lead_body: Mapped[Body] = relationship(lazy="raise")
    programme: Mapped[Programme] = relationship(lazy="raise")


class TakingPart:
    """A body taking part in an application or a project: one row per body and owner, the
    owner's column (``<owner>_id``, deleted with its owner) declared by the table."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), sort_order=-1)

    @declared_attr
    def body(cls) -> Mapped[Body]:
        return relationship(lazy="raise")


class ApplicationPartner(TakingPart, Base):
    """A body taking part in an application: the lead (position 0) or a partner."""

    __tablename__ = "application_partners"
    __table_args__ = (UniqueConstraint("application_id", "body_id"),)

    application_id: Mapped[int] = owned_by("applications.id", sort_order=-1)
    position: Mapped[int] = mapped_column(Integer)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str] = mapped_column(String(20), default="offen")  # offen|zugesagt|abgesagt
    proposed_share_cents: Mapped[int | None] = mapped_column(BigInteger)
    share_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    final_share_cents: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(200))
    council_paper_number: Mapped[str | None] = mapped_column(String(20))

    application: Mapped[Application] = relationship(back_populates="partners", lazy="raise")


class StepRequest(Timestamp, Base):
    """A processed human step. The key is a fingerprint of the step and its input, so a
    repeated run (retry, double click) finds it and does nothing twice."""

    __tablename__ = "step_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)
    step: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)


# --- Documents, audit, outbox -----------------------------------------------------------------


class Document(Timestamp, Base):
    """A rendered Word document. ``owner`` is an application reference or ``strategie-<year>``."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("owner", "kind", "subject", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(60), default="")  # e.g. the body's slug
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)


class AuditEvent(Timestamp, Base):
    """Who did what, when, and which stage change it caused."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flow_run_id: Mapped[str | None] = mapped_column(String(40))


class OutboxMail(Timestamp, Base):
    """A mail written in the same transaction as the state change it reports.

    ``key`` makes queuing idempotent: a repeated run finds the row and queues nothing new.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    cc: Mapped[list[Any]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    # An HTML alternative of ``body`` (the newsletter); plain text only when None.
    body_html: Mapped[str | None] = mapped_column(Text)
    attachment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[dt.datetime | None] = mapped_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column()


# --- Deadlines ------------------------------------------------------------------------------


class Deadline(Timestamp, Base):
    """A Frist or Termin with its owner, responsible contact and status."""

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[dt.date] = mapped_column(Date)
    is_termin: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str | None] = mapped_column(String(40), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE")
    )
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    contact_email: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="offen")  # offen|erledigt|verzichtet
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200), default="foerderflow")


class ReminderSent(Timestamp, Base):
    """One row per (deadline, window): a reminder is produced exactly once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("deadline_id", "window_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    window_days: Mapped[int] = mapped_column(Integer)  # negative: overdue day n
    sweep_date: Mapped[dt.date] = mapped_column(Date)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


# --- Strategy revision (Fortschreibung der Digitalisierungsstrategie) -----------------------


class Project(Timestamp, Base):
    """A project of the strategy's Projektliste. ``status`` is the consolidated current status;
    the yearly reports are in :class:`ProjectStatusEntry`."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)  # e.g. HF2-04
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(60))  # Handlungsfeld
    lead_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    status: Mapped[str] = mapped_column(String(20))  # geplant | in_umsetzung | ...
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="projektliste")  # | vorschlag
    proposed_year: Mapped[int | None] = mapped_column(Integer)  # cycle that proposed it
    # False: "nicht veröffentlichen" – the public Projektatlas leaves the project out.
    publish: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    lead_body: Mapped[Body] = relationship(lazy="raise")
    participants: Mapped[list[ProjectParticipant]] = relationship(
        back_populates="project", lazy="raise", passive_deletes=True
    )


class ProjectParticipant(TakingPart, Base):
    """A body taking part in a project besides its lead."""

    __tablename__ = "project_participants"
    __table_args__ = (UniqueConstraint("project_id", "body_id"),)

    project_id: Mapped[int] = owned_by("projects.id", sort_order=-1)

    project: Mapped[Project] = relationship(back_populates="participants", lazy="raise")


class StrategyCycle(Timestamp, Base):
    """One yearly revision. The row is locked (``FOR UPDATE``) by every step of the cycle, so
    concurrent runs of the same year are serialised."""

    __tablename__ = "strategy_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(20))  # statusabfrage|beschlussfassung|abgeschlossen
    response_due: Mapped[dt.date] = mapped_column(Date)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(200))
    # Each project's status when the cycle opened (code -> status): "last year's status".
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_version: Mapped[int] = mapped_column(Integer, default=0)
    consolidated_token: Mapped[str | None] = mapped_column(String(64))
    consolidated_on: Mapped[dt.date | None] = mapped_column(Date)
    restricted_amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)


class StrategyBodyReport(Timestamp, Base):
    """A body's part in a cycle: its status report (replaceable) and its council paper."""

    __tablename__ = "strategy_body_reports"
    __table_args__ = (UniqueConstraint("cycle_id", "body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = owned_by("strategy_cycles.id")
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    contact_email: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="offen")  # offen | gemeldet
    version: Mapped[int] = mapped_column(Integer, default=0)  # 2 = replaced once
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    reported_by: Mapped[str | None] = mapped_column(String(200))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # of the current report
    council_paper_number: Mapped[str | None] = mapped_column(String(20))

    body: Mapped[Body] = relationship(lazy="raise")


class ProjectStatusEntry(Timestamp, Base):
    """One project's status as one body reported it for one year (the project's history)."""

    __tablename__ = "project_status_entries"
    __table_args__ = (UniqueConstraint("report_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = owned_by("strategy_body_reports.id")
    project_id: Mapped[int] = owned_by("projects.id")
    year: Mapped[int] = mapped_column(Integer)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    status: Mapped[str] = mapped_column(String(20))
    previous_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class StrategyResolution(Timestamp, Base):
    """A council's resolution on the revision, one per body and meeting (a later meeting
    after ``vertagt`` adds a row; the latest meeting counts)."""

    __tablename__ = "strategy_resolutions"
    __table_args__ = (UniqueConstraint("cycle_id", "body_id", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = owned_by("strategy_cycles.id")
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    outcome: Mapped[str] = mapped_column(String(30))  # beschlossen|geaendert_beschlossen|...
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    next_meeting: Mapped[dt.date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(200))


class StrategyRelease(Timestamp, Base):
    """The lifting of the Sperrvermerk. UNIQUE per cycle: it can happen exactly once."""

    __tablename__ = "strategy_releases"
    __table_args__ = (UniqueConstraint("cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("strategy_cycles.id", ondelete="CASCADE"))
    released_on: Mapped[dt.date] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    completing_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    entered_by: Mapped[str] = mapped_column(String(200))
