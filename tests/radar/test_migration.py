"""Migration 0004 carries the existing programmes over as manual catalogue entries."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import text

from foerderflow.db import alembic_config, make_engine


def test_existing_programmes_become_manual_catalogue_entries(db_url: str) -> None:
    cfg = alembic_config(db_url)
    command.downgrade(cfg, "0002")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO programmes (slug, name, funder, funding_rate_percent, "
                    "max_grant_cents, call_deadline, description) VALUES "
                    "('heimat-2-0', 'Heimat 2.0', 'BMI', 90, 60000000, '2099-02-28', 'Heimat'),"
                    "('alt', 'Altes Programm', 'Land', 50, NULL, '2001-01-31', '')"
                )
            )
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.call_id, c.status, c.deadline, c.rate_percent, c.max_grant_cents, "
                    "p.key, p.source, p.programme_id IS NOT NULL FROM radar_calls c "
                    "JOIN radar_programmes p ON p.id = c.programme_id ORDER BY c.call_id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("alt", "closed", dt.date(2001, 1, 31), 50, None, "manual:alt", "manual", True),
            (
                "heimat-2-0", "open", dt.date(2099, 2, 28), 90, 60000000,
                "manual:heimat-2-0", "manual", True,
            ),
        ]  # fmt: skip
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM radar_calls; DELETE FROM radar_programmes"))
            conn.execute(text("DELETE FROM programmes"))
    finally:
        engine.dispose()
