"""German number formats for tables and charts (amounts come from ``models.money``)."""

from __future__ import annotations

from models.money import format_eur


def format_count(n: int) -> str:
    """``12345`` -> ``"12.345"``."""
    return f"{n:,}".replace(",", ".")


def format_eur_short(cents: int) -> str:
    """A chart axis label: whole euros with thousands dots and no cents (``1.234.567 €``)."""
    euros = round(cents / 100)
    return f"{euros:,}".replace(",", ".") + "\u00a0€"


def eur(cents: int) -> str:
    return format_eur(cents)
