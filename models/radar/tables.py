"""Tables of the Förder-Radar, on the application's declarative ``Base``.

Programmes and calls are kept apart; an import never deletes: a programme missing from a new
full snapshot is marked ``entfallen``. Every change of a tracked field is a row in
``radar_changes`` with its old and new value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.tables import Base, Timestamp, _now, owned_by


class RadarImport(Timestamp, Base):
    """One import run with its counts."""

    __tablename__ = "radar_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(500))
    full_snapshot: Mapped[bool] = mapped_column(Boolean)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    gone: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    entered_by: Mapped[str] = mapped_column(String(200))


class _CatalogueEntry:
    """The columns a programme and a call share: where it comes from, what it is, and when
    an import last saw it (``entfallen_on``: missing from the last full snapshot)."""

    source_ref: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    licence: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    funder: Mapped[str] = mapped_column(String(300), default="")
    granting_body: Mapped[str] = mapped_column(String(300), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    entfallen_on: Mapped[dt.date | None] = mapped_column(Date)
    last_checked_at: Mapped[dt.datetime] = mapped_column(default=_now)
    checked_by: Mapped[str] = mapped_column(String(200), default="")


class RadarProgramme(_CatalogueEntry, Timestamp, Base):
    """A funding programme (Förderprogramm) of the catalogue."""

    __tablename__ = "radar_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # e.g. fdb:<path>
    source: Mapped[str] = mapped_column(String(20), index=True)  # fdb | sedia | manual
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the source's document
    # The programme in the application's programme list (``programmes``), once linked.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL")
    )

    calls: Mapped[list[RadarCall]] = relationship(back_populates="programme", lazy="raise")


class RadarCall(_CatalogueEntry, Timestamp, Base):
    """A call (Aufruf, round, cut-off) of a programme."""

    __tablename__ = "radar_calls"
    __table_args__ = (Index("ix_radar_calls_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(120), unique=True)
    programme_id: Mapped[int] = owned_by("radar_programmes.id")
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    deadline_model: Mapped[str] = mapped_column(String(20))
    open_date: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    cut_off_dates: Mapped[list[Any]] = mapped_column(default=list)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_extracted: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_types: Mapped[list[Any]] = mapped_column(default=list)
    regions: Mapped[list[Any]] = mapped_column(default=list)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    funding_type: Mapped[str] = mapped_column(String(100), default="")
    rate_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_rate_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_grant_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    min_partners: Mapped[int | None] = mapped_column(Integer)
    # the comparable values of the last import (see models.radar.catalogue.call_values)
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("radar_imports.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    programme: Mapped[RadarProgramme] = relationship(back_populates="calls", lazy="raise")


class RadarChange(Timestamp, Base):
    """One change of a call found by an import: new, a changed field (old -> new), gone."""

    __tablename__ = "radar_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = owned_by("radar_imports.id")
    call_id: Mapped[int] = owned_by("radar_calls.id")
    kind: Mapped[str] = mapped_column(String(20))  # neu | geaendert | entfallen
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    material: Mapped[bool] = mapped_column(Boolean, default=False)


class RadarRating(Timestamp, Base):
    """A body's mark on a call; the latest one counts (one row per body and call)."""

    __tablename__ = "radar_ratings"
    __table_args__ = (UniqueConstraint("call_id", "body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("radar_calls.id", ondelete="CASCADE"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    rating: Mapped[str] = mapped_column(String(20))  # interessiert|beantragt|passt_nicht|stumm
    reason: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    application_reference: Mapped[str | None] = mapped_column(String(20))
    entered_by: Mapped[str] = mapped_column(String(200))
    # the change id up to which this rating has seen the call (later material changes revive)
    seen_change_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)


class RadarNotice(Timestamp, Base):
    """What a body has been told about a call: each item of a digest or an immediate mail
    exactly once (``item``: ``neu``, ``aenderung:<change id>``, ``sofort``, ``frist:<date>``)."""

    __tablename__ = "radar_notices"
    __table_args__ = (UniqueConstraint("body_id", "call_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    call_id: Mapped[int] = mapped_column(ForeignKey("radar_calls.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(60))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
