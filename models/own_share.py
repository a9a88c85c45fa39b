"""The own share (Eigenanteil) between the partners of an application, and the ANBest budget rule.

Exact arithmetic as in :mod:`models.money`: amounts are whole cents, weights are fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from pydantic import BaseModel

from models.money import (
    HUNDRED,
    Cents,
    FinancingPlan,
    MoneyError,
    PartnerShare,
    SplitKey,
    compute_grant,
    msg_eur,
    msg_percent,
    require_cents,
    split_exact,
    to_fraction,
)


class PartnerShareInput(BaseModel):
    """A partner body and its key figure (population or agreed percentage)."""

    body: str
    population: int | None = None
    percent: Decimal | None = None


def _partner_weights(partners: Sequence[PartnerShareInput], key: SplitKey) -> list[Fraction]:
    if key is SplitKey.GLEICH:
        return [Fraction(1)] * len(partners)
    if key is SplitKey.EINWOHNER:
        weights: list[Fraction] = []
        for partner in partners:
            if partner.population is None:
                raise MoneyError(f"Für „{partner.body}“ fehlt die Einwohnerzahl.")
            if partner.population <= 0:
                raise MoneyError(
                    f"Die Einwohnerzahl von „{partner.body}“ muss größer als 0 sein "
                    f"(ist: {partner.population})."
                )
            weights.append(Fraction(partner.population))
        return weights
    if key is SplitKey.PROZENT:
        weights = []
        for partner in partners:
            if partner.percent is None:
                raise MoneyError(f"Für „{partner.body}“ fehlt der Prozentanteil.")
            weight = to_fraction(partner.percent, f"Der Prozentanteil von „{partner.body}“")
            if weight < 0:
                raise MoneyError(
                    f"Der Prozentanteil von „{partner.body}“ darf nicht negativ sein "
                    f"(ist: {msg_percent(weight)})."
                )
            weights.append(weight)
        total = sum(weights, Fraction(0))
        if total != 100:
            raise MoneyError(f"Die Prozentanteile ergeben {msg_percent(total)} statt 100 %.")
        return weights
    assert_never(key)


def split_own_share(
    own_share: Cents, partners: Sequence[PartnerShareInput], key: SplitKey
) -> list[PartnerShare]:
    """Divide the own share (Eigenanteil) between the partner bodies.

    * ``GLEICH``: equal parts.
    * ``EINWOHNER``: proportional to ``population``; every body needs a population > 0.
    * ``PROZENT``: proportional to ``percent``; every body needs a percent >= 0 and the
      percents must sum to exactly 100.

    Amounts come from :func:`split_largest_remainder`, so they sum exactly to *own_share*; the
    order of *partners* is preserved. ``percent`` is each body's share of the own share per the
    key, rounded to two places with the same largest-remainder method (on basis points), so the
    displayed percentages always add up to exactly 100,00 % and each is within 0.01 of the
    exact value.

    Raises:
        MoneyError: no partners, an empty or duplicate body name (compared case-insensitively,
            ignoring surrounding whitespace), a missing/invalid key figure, percentages not
            summing to 100, or a negative own share.
    """
    try:
        split_key = SplitKey(key)
    except ValueError:
        known = ", ".join(f"„{k.value}“" for k in SplitKey)
        raise MoneyError(f"Unbekannter Aufteilungsschlüssel „{key}“ (erlaubt: {known}).") from None
    amount = require_cents(own_share, "Der Eigenanteil")
    if amount < 0:
        raise MoneyError(f"Der Eigenanteil darf nicht negativ sein (ist: {msg_eur(amount)}).")
    if len(partners) == 0:
        raise MoneyError("Es wurde kein Partner für die Aufteilung des Eigenanteils angegeben.")
    seen: set[str] = set()
    for partner in partners:
        name = partner.body.strip()
        if not name:
            raise MoneyError("Ein Partner hat keinen Namen (Körperschaft fehlt).")
        normalized = name.casefold()
        if normalized in seen:
            raise MoneyError(
                f"Die Körperschaft „{name}“ ist mehrfach angegeben "
                f"(Partnernamen müssen eindeutig sein)."
            )
        seen.add(normalized)

    weights = _partner_weights(partners, split_key)
    # The weights are validated above: all >= 0 and their sum > 0.
    amounts = split_exact(amount, weights)
    basis_points = split_exact(10_000, weights)
    return [
        PartnerShare(body=partner.body, amount=part, percent=Decimal(f"{bp}E-2"))
        for partner, part, bp in zip(partners, amounts, basis_points, strict=True)
    ]


def financing_plan(
    eligible_costs: Cents,
    funding_rate: Decimal,
    partners: Sequence[PartnerShareInput],
    key: SplitKey,
    cap: Cents | None = None,
    minimum: Cents | None = None,
) -> FinancingPlan:
    """Compute the grant and split the resulting own share between the partners."""
    grant = compute_grant(eligible_costs, funding_rate, cap=cap, minimum=minimum)
    shares = split_own_share(grant.own_share, partners, key)
    return FinancingPlan(grant=grant, key=key, shares=shares)


def line_overrun_allowed(
    planned: Cents,
    actual: Cents,
    total_planned: Cents,
    total_actual: Cents,
    tolerance_percent: Decimal = Decimal("20"),
) -> bool:
    """ANBest rule: may a single cost line exceed its plan?

    A cost line (Einzelansatz) may exceed its planned amount by up to *tolerance_percent*
    (20 % per ANBest-P/ANBest-Gk No. 1.2) provided savings on other lines cover it, i.e. the
    total stays within the total plan. Allowed iff
    ``actual <= planned * (1 + tolerance_percent / 100)`` and ``total_actual <= total_planned``.
    The comparison is exact (exactly 20 % over is allowed).

    Raises:
        MoneyError: an amount is negative or the tolerance is negative / not finite.
    """
    for value, what in (
        (planned, "Der geplante Betrag"),
        (actual, "Der tatsächliche Betrag"),
        (total_planned, "Die geplante Gesamtsumme"),
        (total_actual, "Die tatsächliche Gesamtsumme"),
    ):
        require_cents(value, what)
        if value < 0:
            raise MoneyError(f"{what} darf nicht negativ sein (ist: {msg_eur(value)}).")
    tolerance = to_fraction(tolerance_percent, "Die Toleranz")
    if tolerance < 0:
        raise MoneyError(f"Die Toleranz darf nicht negativ sein (ist: {msg_percent(tolerance)}).")
    limit = planned * (HUNDRED + tolerance) / HUNDRED
    return actual <= limit and total_actual <= total_planned
