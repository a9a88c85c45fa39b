"""Money arithmetic for funding applications (Förderanträge).

Conventions used throughout this module:

* Amounts of money are integer euro cents (:data:`Cents`), never floats.
* Rates and percentages are :class:`~decimal.Decimal` values in percent
  (``Decimal("90")`` means 90 %).
* Intermediate results are computed with exact integer / :class:`~fractions.Fraction`
  arithmetic, so no value is ever rounded by a float or by a ``decimal`` context.
* Every error raised for bad input is a :class:`MoneyError` (a ``ValueError``) with a German
  message that names the offending value or body, so it can be shown to the coordinator as is.
  Passing a ``float`` (or another wrong type) is a programming error and raises ``TypeError``.

All functions are pure: no I/O, no global state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel

__all__ = [
    "Cents",
    "FinancingPlan",
    "Grant",
    "MoneyError",
    "PartnerShare",
    "SplitKey",
    "cents_to_decimal",
    "compute_grant",
    "euro_to_cents",
    "format_eur",
    "format_percent",
    "split_largest_remainder",
]

Cents = int
"""An amount of money in integer euro cents (``123456`` is 1.234,56 €)."""

NBSP = "\u00a0"
"""No-break space; used between a number and its unit (``€``, ``%``) so Word never wraps there."""

HUNDRED = Fraction(100)


class MoneyError(ValueError):
    """Invalid money input; the message is German and meant for the end user."""


# --------------------------------------------------------------------------------------------
# Internal helpers
# --------------------------------------------------------------------------------------------


def require_cents(value: object, what: str) -> int:
    """Return *value* if it is an ``int`` (not ``bool``), else raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{what} muss ein ganzzahliger Centbetrag (int) sein, nicht {type(value).__name__}."
        )
    return value


def to_fraction(value: object, what: str) -> Fraction:
    """Convert an ``int`` or finite ``Decimal`` exactly to a ``Fraction``.

    Floats, bools and other types raise ``TypeError``; NaN/infinity raise :class:`MoneyError`.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(
            f"{what} muss ein Decimal oder int sein, nicht {type(value).__name__} "
            f"(Gleitkommazahlen sind für Geld- und Prozentwerte nicht zulässig)."
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise MoneyError(f"{what} „{value}“ ist keine endliche Zahl.")
    return Fraction(value)


def _floor(value: Fraction) -> int:
    """Round *value* towards negative infinity."""
    return value.numerator // value.denominator


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """Exact ``Decimal`` for a ``Fraction`` that came from ``Decimal``/``int`` values.

    Such a fraction has a denominator of the form 2**a * 5**b, so it has a finite decimal
    expansion; the result is built from a string, so no decimal context rounds it.
    """
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:  # pragma: no cover - only terminating fractions are passed in
        raise ValueError(f"{value} has no finite decimal expansion")
    places = max(twos, fives)
    return Decimal(f"{value.numerator * 10**places // value.denominator}E-{places}")


def msg_eur(c: Cents) -> str:
    """:func:`format_eur` with a normal space, for plain-text error messages."""
    return format_eur(c).replace(NBSP, " ")


def msg_percent(p: Decimal | Fraction) -> str:
    """:func:`format_percent` with a normal space, for plain-text error messages."""
    value = _fraction_to_decimal(p) if isinstance(p, Fraction) else p
    return format_percent(value).replace(NBSP, " ")


# --------------------------------------------------------------------------------------------
# Parsing and formatting
# --------------------------------------------------------------------------------------------

# "1.234.567" / "1.234,56" / "-12.500,5": German thousands dots (leading group without zero).
_GERMAN_GROUPED = re.compile(r"(?P<sign>[-+]?)(?P<int>[1-9]\d{0,2}(?:\.\d{3})+)(?:,(?P<frac>\d+))?")
# "1234" / "1234,56" / "-0,5": German decimal comma, no grouping.
_GERMAN_PLAIN = re.compile(r"(?P<sign>[-+]?)(?P<int>\d+)(?:,(?P<frac>\d+))?")
# "1234.56" / "0.5": decimal point, no grouping.
_DOT_DECIMAL = re.compile(r"(?P<sign>[-+]?)(?P<int>\d+)\.(?P<frac>\d+)")
# Currency markers accepted around the number ("1.234,56 €", "€ 1.234,56", "1234.56 EUR").
_CURRENCY = re.compile(r"^\s*(?:€|EUR)?\s*(?P<number>.*?)\s*(?:€|EUR)?\s*$", re.IGNORECASE)


def _decimal_to_cents(value: Decimal, shown: str) -> Cents:
    if not value.is_finite():
        raise MoneyError(f"Betrag „{shown}“ ist keine endliche Zahl.")
    cents = Fraction(value) * HUNDRED
    if cents.denominator != 1:
        raise MoneyError(f"Betrag „{shown}“ hat mehr als zwei Nachkommastellen.")
    return cents.numerator


def _parse_euro_string(text: str) -> Cents:
    shown = text.strip()
    if not shown:
        raise MoneyError("Es wurde kein Betrag angegeben (leere Eingabe).")
    match = _CURRENCY.match(text.replace(NBSP, " "))
    number = match.group("number") if match else shown

    grouped = _GERMAN_GROUPED.fullmatch(number)
    if grouped is not None:
        if grouped.group("frac") is None and grouped.group("int").count(".") == 1:
            # "1.234" is 1234 € in German but 1,234 € in English notation. Guessing wrong
            # would be off by a factor of 1000, so ask for an unambiguous spelling instead.
            raise MoneyError(
                f"Betrag „{shown}“ ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?). "
                f"Bitte z. B. „{grouped.group('int')},00“ oder "
                f"„{grouped.group('int').replace('.', '')}“ schreiben."
            )
        match_: re.Match[str] | None = grouped
    else:
        match_ = _GERMAN_PLAIN.fullmatch(number) or _DOT_DECIMAL.fullmatch(number)
    if match_ is None:
        raise MoneyError(
            f"Betrag „{shown}“ ist kein gültiger Eurobetrag "
            f"(erwartet z. B. „1.234,56“, „1234,56“ oder „1234.56“)."
        )
    sign = "-" if match_.group("sign") == "-" else ""
    integer = match_.group("int").replace(".", "")
    fraction = match_.group("frac") or "0"
    return _decimal_to_cents(Decimal(f"{sign}{integer}.{fraction}"), shown)


def euro_to_cents(value: Decimal | int | str) -> Cents:
    """Convert a euro amount to integer cents.

    * ``int``: whole euros (``12`` -> ``1200``).
    * ``Decimal``: exact euros (``Decimal("1234.56")`` -> ``123456``); trailing zeros beyond the
      second decimal place are harmless (``Decimal("1.230")`` -> ``123``).
    * ``str``: German notation ``"1.234,56"`` / ``"1234,56"`` / ``"1.234.567"`` or plain
      ``"1234.56"``; surrounding whitespace and a ``€``/``EUR`` marker are ignored, so the output
      of :func:`format_eur` parses back. A single dot followed by exactly three digits and no
      comma (``"1.234"``) is ambiguous (1234 € or 1,234 €) and is rejected.

    Raises:
        MoneyError: the value is not a whole number of cents ("mehr als zwei Nachkommastellen"),
            is ambiguous, not finite, or not a number at all.
        TypeError: *value* is a ``float``, ``bool`` or another unsupported type.
    """
    if isinstance(value, bool):
        raise TypeError(f"Betrag {value!r} ist ein Wahrheitswert, kein Geldbetrag.")
    if isinstance(value, float):
        raise TypeError(
            f"Betrag {value!r} ist vom Typ {type(value).__name__}; Geldbeträge werden nie als "
            f"Gleitkommazahl übergeben (Decimal, int oder str verwenden)."
        )
    if isinstance(value, int):
        return value * 100
    if isinstance(value, Decimal):
        return _decimal_to_cents(value, str(value))
    if isinstance(value, str):
        return _parse_euro_string(value)
    raise TypeError(
        f"Betrag vom Typ {type(value).__name__} wird nicht unterstützt (Decimal, int oder str)."
    )


def cents_to_decimal(c: Cents) -> Decimal:
    """Convert cents to an exact euro ``Decimal`` with two places (``123456`` -> ``1234.56``)."""
    cents = require_cents(c, "Der Betrag")
    # Built from a string so no decimal context (precision 28) can round huge values.
    return Decimal(f"{cents}E-2")


def format_eur(c: Cents) -> str:
    """Format cents German-style: ``123456789`` -> ``"1.234.567,89\u00a0€"``.

    Thousands are separated by ``.``, the decimal separator is ``,`` and there are always two
    decimal places. Negative amounts get a leading minus (``"-1.234,00\u00a0€"``).

    The space before the euro sign is a **no-break space (U+00A0)**, not a normal space, so that
    Word and other renderers never wrap the ``€`` onto the next line.
    """
    cents = require_cents(c, "Der Betrag")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"{sign}{grouped},{rest:02d}{NBSP}€"


def format_percent(p: Decimal) -> str:
    """Format a percentage German-style without superfluous zeros.

    ``Decimal("90")`` -> ``"90\u00a0%"``, ``Decimal("33.33")`` -> ``"33,33\u00a0%"``,
    ``Decimal("12.50")`` -> ``"12,5\u00a0%"``. The value is shown exactly, never rounded. As with
    :func:`format_eur`, the space before ``%`` is a no-break space (U+00A0).
    """
    if isinstance(p, bool) or not isinstance(p, Decimal | int):
        raise TypeError(
            f"Prozentwert muss ein Decimal sein, nicht {type(p).__name__} "
            f"(Gleitkommazahlen sind nicht zulässig)."
        )
    value = Decimal(p)
    if not value.is_finite():
        raise MoneyError(f"Prozentwert „{value}“ ist keine endliche Zahl.")
    if value == 0:
        return f"0{NBSP}%"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}{NBSP}%"


# --------------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------------


class SplitKey(StrEnum):
    # How the own share (Eigenanteil) is divided between the partner bodies. The docstring
    # is shown in the Prefect form, so it is German.
    """Aufteilung des Eigenanteils auf die beteiligten Körperschaften."""

    GLEICH = "gleich"
    """Equal parts."""
    EINWOHNER = "einwohner"
    """Proportional to population (Einwohnerzahl)."""
    PROZENT = "prozent"
    """Agreed percentages that sum to exactly 100 %."""


def split_largest_remainder(total: Cents, weights: Sequence[Decimal | int]) -> list[Cents]:
    """Split *total* cents proportionally to *weights* (Hamilton / largest remainder method).

    Every part first gets the floor of its exact share ``total * w / sum(weights)``; the cents
    left over are then handed out one by one to the parts with the largest fractional
    remainders, ties going to the lower index. Consequently ``sum(parts) == total``, every part
    differs from its exact share by less than one cent, and parts with weight 0 get 0.

    Arithmetic is exact (``Fraction``); the result is deterministic.

    Raises:
        MoneyError: *total* is negative, *weights* is empty, a weight is negative or not finite,
            or all weights are 0.
        TypeError: *total* is not an ``int`` or a weight is a ``float``.
    """
    amount = require_cents(total, "Der aufzuteilende Betrag")
    if amount < 0:
        raise MoneyError(
            f"Der aufzuteilende Betrag darf nicht negativ sein (ist: {msg_eur(amount)})."
        )
    if len(weights) == 0:
        raise MoneyError("Es wurden keine Gewichte für die Aufteilung angegeben.")
    exact_weights: list[Fraction] = []
    for index, weight in enumerate(weights, start=1):
        fraction = to_fraction(weight, f"Gewicht Nr. {index}")
        if fraction < 0:
            raise MoneyError(f"Gewicht Nr. {index} darf nicht negativ sein (ist: {weight}).")
        exact_weights.append(fraction)
    if not any(exact_weights):
        raise MoneyError("Mindestens ein Gewicht muss größer als 0 sein.")
    return split_exact(amount, exact_weights)


def split_exact(amount: int, weights: list[Fraction]) -> list[Cents]:
    """Largest remainder core; *amount* >= 0, weights >= 0 with a positive sum (validated)."""
    weight_sum = sum(weights, Fraction(0))
    shares = [amount * weight / weight_sum for weight in weights]
    parts = [_floor(share) for share in shares]
    left_over = amount - sum(parts)
    # 0 <= left_over < len(parts), because every fractional remainder is < 1.
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(shares[i] - parts[i]), i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return parts


# --------------------------------------------------------------------------------------------
# Grant calculation
# --------------------------------------------------------------------------------------------


class Grant(BaseModel, frozen=True):
    """Result of :func:`compute_grant`; all amounts in cents."""

    eligible_costs: Cents
    """Zuwendungsfähige Ausgaben."""
    funding_rate: Decimal
    """Förderquote in percent, e.g. ``Decimal("90")``."""
    cap: Cents | None
    """Programme maximum grant (Höchstbetrag), if any."""
    minimum: Cents | None
    """Programme minimum grant (Mindestbetrag / Bagatellgrenze), if any."""
    grant: Cents
    """``min(round_down(eligible_costs * funding_rate / 100), cap)``."""
    own_share: Cents
    """Eigenanteil: ``eligible_costs - grant``."""
    capped: bool
    """The cap was binding (the uncapped grant would have exceeded it)."""
    below_minimum: bool
    """The grant is below the programme minimum: a warning for the coordinator, not an error."""


def compute_grant(
    eligible_costs: Cents,
    funding_rate: Decimal,
    cap: Cents | None = None,
    minimum: Cents | None = None,
) -> Grant:
    """Compute the grant (Zuwendung) and the own share (Eigenanteil).

    The grant is ``eligible_costs * funding_rate / 100`` rounded **down** to the cent (funders
    never round up), limited to *cap*. ``capped`` is true only if the cap actually reduced the
    grant. A grant below *minimum* is not an error; it is flagged via ``below_minimum``.

    Raises:
        MoneyError: costs are not positive, the rate is not in ``(0, 100]``, the cap is not
            positive, the minimum is negative, or the minimum exceeds the cap.
        TypeError: an amount is not an ``int`` or the rate is a ``float``.
    """
    costs = require_cents(eligible_costs, "Die zuwendungsfähigen Ausgaben")
    if costs <= 0:
        raise MoneyError(
            f"Die zuwendungsfähigen Ausgaben müssen größer als 0 € sein (sind: {msg_eur(costs)})."
        )
    rate = to_fraction(funding_rate, "Die Förderquote")
    if not 0 < rate <= 100:
        raise MoneyError(
            f"Die Förderquote muss zwischen 0 und 100 % liegen (ist: {msg_percent(rate)})."
        )
    if cap is not None:
        require_cents(cap, "Der Förderhöchstbetrag")
        if cap <= 0:
            raise MoneyError(
                f"Der Förderhöchstbetrag muss größer als 0 € sein (ist: {msg_eur(cap)})."
            )
    if minimum is not None:
        require_cents(minimum, "Der Fördermindestbetrag")
        if minimum < 0:
            raise MoneyError(
                f"Der Fördermindestbetrag darf nicht negativ sein (ist: {msg_eur(minimum)})."
            )
        if cap is not None and minimum > cap:
            raise MoneyError(
                f"Der Fördermindestbetrag ({msg_eur(minimum)}) liegt über dem "
                f"Förderhöchstbetrag ({msg_eur(cap)})."
            )

    uncapped = _floor(costs * rate / HUNDRED)
    capped = cap is not None and uncapped > cap
    grant = cap if capped and cap is not None else uncapped
    return Grant(
        eligible_costs=costs,
        funding_rate=Decimal(funding_rate),
        cap=cap,
        minimum=minimum,
        grant=grant,
        own_share=costs - grant,
        capped=capped,
        below_minimum=minimum is not None and grant < minimum,
    )


# --------------------------------------------------------------------------------------------
# Own share between partners
# --------------------------------------------------------------------------------------------


class PartnerShare(BaseModel, frozen=True):
    """A partner's part of the own share."""

    body: str
    amount: Cents
    percent: Decimal
    """Percent of the own share per the split key, two decimal places (for display)."""


class FinancingPlan(BaseModel, frozen=True):
    """Grant plus the split of the own share between the partners (Finanzierungsplan)."""

    grant: Grant
    key: SplitKey
    shares: list[PartnerShare]


# --------------------------------------------------------------------------------------------
# Budget rules
# --------------------------------------------------------------------------------------------
