"""Tests for models.money: cents arithmetic, German formatting, splitting and grant rules.

Expected values are worked out by hand (see the comments) or by small reference computations
written independently of the implementation (plain integer ``divmod`` instead of ``Fraction``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.money import (
    FinancingPlan,
    Grant,
    MoneyError,
    PartnerShare,
    SplitKey,
    cents_to_decimal,
    compute_grant,
    euro_to_cents,
    format_eur,
    format_percent,
    split_largest_remainder,
)
from models.own_share import (
    PartnerShareInput,
    financing_plan,
    line_overrun_allowed,
    split_own_share,
)

NBSP = "\u00a0"
EUR = 100  # cents per euro, for readable amounts below

# Hermetic property tests: no .hypothesis example database in the working tree.
PROPERTY = settings(deadline=None, database=None)  # examples: the profile (conftest)

# Kreis Coesfeld, approximate populations (rounded, order of magnitude 2023).
COESFELD_POPULATION = {
    "Ascheberg": 15_600,
    "Billerbeck": 11_800,
    "Coesfeld": 37_000,
    "Dülmen": 47_000,
    "Havixbeck": 12_100,
    "Lüdinghausen": 25_500,
    "Nordkirchen": 10_400,
    "Nottuln": 20_300,
    "Olfen": 13_200,
    "Rosendahl": 10_900,
    "Senden": 20_700,
}


def reference_split(total: int, weights: list[int]) -> list[int]:
    """Independent largest-remainder reference using only integer divmod."""
    weight_sum = sum(weights)
    floors_and_remainders = [divmod(total * w, weight_sum) for w in weights]
    parts = [floor for floor, _ in floors_and_remainders]
    left_over = total - sum(parts)
    # Remainders share the common denominator weight_sum, so comparing numerators suffices.
    order = sorted(range(len(weights)), key=lambda i: (-floors_and_remainders[i][1], i))
    for i in order[:left_over]:
        parts[i] += 1
    return parts


# ----------------------------------------------------------------------------------------------
# format_eur / cents_to_decimal
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (0, f"0,00{NBSP}€"),
        (1, f"0,01{NBSP}€"),
        (99, f"0,99{NBSP}€"),
        (100, f"1,00{NBSP}€"),
        (100_050, f"1.000,50{NBSP}€"),
        (123_456_789, f"1.234.567,89{NBSP}€"),
        (1_000_000 * EUR, f"1.000.000,00{NBSP}€"),
        (-123_400, f"-1.234,00{NBSP}€"),
        (-1, f"-0,01{NBSP}€"),
    ],
)
def test_format_eur_examples(cents: int, expected: str) -> None:
    assert format_eur(cents) == expected


def test_format_eur_uses_no_break_space_not_normal_space() -> None:
    text = format_eur(123_456)
    assert " " not in text
    assert text.endswith("\u00a0€")


def test_format_eur_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_eur(12.5)  # type: ignore[arg-type]


@PROPERTY
@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_format_eur_matches_python_grouping(cents: int) -> None:
    # Independent rendering: Python's English grouping with the separators swapped.
    english = format(Decimal(cents) / 100, ",.2f")
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert format_eur(cents) == f"{german}{NBSP}€"


@pytest.mark.parametrize(
    ("cents", "expected"),
    [(123_456, "1234.56"), (0, "0.00"), (5, "0.05"), (-5, "-0.05"), (100, "1.00")],
)
def test_cents_to_decimal(cents: int, expected: str) -> None:
    value = cents_to_decimal(cents)
    assert value == Decimal(expected)
    assert str(value) == expected


def test_cents_to_decimal_is_exact_beyond_decimal_context_precision() -> None:
    huge = 10**40 + 1  # 41 digits, more than the default decimal precision of 28
    assert Fraction(cents_to_decimal(huge)) == Fraction(huge, 100)


@PROPERTY
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_cents_roundtrips(cents: int) -> None:
    assert Fraction(cents_to_decimal(cents)) * 100 == cents
    assert euro_to_cents(cents_to_decimal(cents)) == cents
    assert euro_to_cents(format_eur(cents)) == cents
    assert euro_to_cents(str(cents_to_decimal(cents))) == cents


# ----------------------------------------------------------------------------------------------
# euro_to_cents
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), 123_456),
        (Decimal("0.01"), 1),
        (Decimal("1.230"), 123),  # trailing zero beyond two places is still whole cents
        (Decimal("1E+3"), 100_000),
        (Decimal("-7.5"), -750),
        (12, 1_200),
        (0, 0),
        ("1.234,56", 123_456),
        ("1234,56", 123_456),
        ("1234.56", 123_456),
        ("1.234.567", 123_456_700),
        ("1.234.567,8", 123_456_780),
        ("600.000,00", 60_000_000),
        ("0,5", 50),
        ("-0,50", -50),
        ("+3,00", 300),
        ("1234", 123_400),
        ("  1.234,56  ", 123_456),
        ("1.234,56 €", 123_456),
        (f"1.234,56{NBSP}€", 123_456),
        ("1234.56 EUR", 123_456),
        ("€ 99", 9_900),
    ],
)
def test_euro_to_cents_valid(value: Decimal | int | str, expected: int) -> None:
    assert euro_to_cents(value) == expected


@pytest.mark.parametrize(
    "value", [Decimal("1.234"), Decimal("0.001"), "1,234", "1.234,567", "0.125", "1234.5678"]
)
def test_euro_to_cents_more_than_two_decimals(value: Decimal | str) -> None:
    with pytest.raises(MoneyError, match="hat mehr als zwei Nachkommastellen") as info:
        euro_to_cents(value)
    assert f"„{value}“" in str(info.value)


@pytest.mark.parametrize("value", ["1.234", "12.500", "-600.000"])
def test_euro_to_cents_rejects_ambiguous_single_thousands_dot(value: str) -> None:
    # "12.500" is 12500 € in German but 12,50 € in English notation: never guess.
    with pytest.raises(MoneyError, match="mehrdeutig") as info:
        euro_to_cents(value)
    assert f"„{value}“" in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "12,34,56",
        "1,234.56",  # English grouping
        "1.23.456",  # broken grouping
        "0.125,00",  # grouping must not start with 0
        "12,",
        ",5",
        "1e3",
        "NaN",
        "1 234,56",
        "--5",
        "12 Euro 50",
    ],
)
def test_euro_to_cents_garbage(value: str) -> None:
    with pytest.raises(MoneyError, match="kein gültiger Eurobetrag") as info:
        euro_to_cents(value)
    assert f"„{value}“" in str(info.value)


@pytest.mark.parametrize("value", ["", "   "])
def test_euro_to_cents_empty(value: str) -> None:
    with pytest.raises(MoneyError, match="kein Betrag"):
        euro_to_cents(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_euro_to_cents_non_finite_decimal(value: Decimal) -> None:
    with pytest.raises(MoneyError, match="keine endliche Zahl"):
        euro_to_cents(value)


@pytest.mark.parametrize("value", [1234.56, 1.0, True, None, [1]])
def test_euro_to_cents_refuses_floats_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        euro_to_cents(value)  # type: ignore[arg-type]


def test_money_error_is_value_error() -> None:
    assert issubclass(MoneyError, ValueError)


# ----------------------------------------------------------------------------------------------
# format_percent
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", "90"),
        ("33.33", "33,33"),
        ("12.5", "12,5"),
        ("12.50", "12,5"),
        ("90.00", "90"),
        ("9E+1", "90"),
        ("100", "100"),
        ("0", "0"),
        ("0.00", "0"),
        ("-0", "0"),
        ("0.001", "0,001"),
    ],
)
def test_format_percent(value: str, expected: str) -> None:
    assert format_percent(Decimal(value)) == f"{expected}{NBSP}%"


def test_format_percent_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_percent(90.0)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# split_largest_remainder
# ----------------------------------------------------------------------------------------------


def test_split_100_cents_three_ways() -> None:
    assert split_largest_remainder(100, [1, 1, 1]) == [34, 33, 33]


def test_split_1000_cents_seven_ways() -> None:
    # 1000 / 7 = 142 remainder 6: the first six (lowest index on equal remainders) get 143.
    parts = split_largest_remainder(1000, [1, 1, 1, 1, 1, 1, 1])
    assert sum(parts) == 1000
    assert parts == [143, 143, 143, 143, 143, 143, 142]


def test_split_small_population_example_by_hand() -> None:
    # W = 46_000 + 15_500 + 36_500 = 98_000
    # Dülmen 1000*46000/98000 = 469.39, Ascheberg 158.16, Coesfeld 372.45 -> floors sum to 999,
    # the one left-over cent goes to the largest remainder (Coesfeld, 0.45).
    assert split_largest_remainder(1000, [46_000, 15_500, 36_500]) == [469, 158, 373]


def test_split_kreis_coesfeld_population() -> None:
    total = 50_000 * EUR  # own share 50.000 €
    weights = list(COESFELD_POPULATION.values())
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    assert parts == reference_split(total, weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, weight_sum)) < 1
    # Dülmen (largest) pays most, Nordkirchen (smallest) least.
    by_body = dict(zip(COESFELD_POPULATION, parts, strict=True))
    assert max(by_body, key=by_body.__getitem__) == "Dülmen"
    assert min(by_body, key=by_body.__getitem__) == "Nordkirchen"


def test_split_zero_total_and_zero_weights() -> None:
    assert split_largest_remainder(0, [1, 2, 3]) == [0, 0, 0]
    assert split_largest_remainder(10, [0, 1, 0]) == [0, 10, 0]


def test_split_ties_go_to_lower_index_deterministically() -> None:
    assert split_largest_remainder(2, [1, 1, 1, 1]) == [1, 1, 0, 0]
    # exact 2,5 / 0,83 / 0,83 / 0,83: floors 2+0+0+0, the 3 left-over cents go to the 0,83s
    assert split_largest_remainder(5, [3, 1, 1, 1]) == [2, 1, 1, 1]
    # exact 0,5 / 0,5 / 0,5 / 0,5 / 1: floors sum to 1, 2 cents left for four tied 0,5s
    assert split_largest_remainder(3, [1, 1, 1, 1, 2]) == [1, 1, 0, 0, 1]


def test_split_decimal_weights() -> None:
    # 33.33 / 33.33 / 33.34 % of 100 cents -> exact 33.33, 33.33, 33.34 -> 33, 33, 33 + 1
    assert split_largest_remainder(100, [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) == [
        33,
        33,
        34,
    ]


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, [1], "nicht negativ"),
        (100, [], "keine Gewichte"),
        (100, [1, -1], "Gewicht Nr. 2 darf nicht negativ sein"),
        (100, [0, 0], "Mindestens ein Gewicht"),
        (100, [Decimal("NaN")], "keine endliche Zahl"),
    ],
)
def test_split_errors(total: int, weights: list[Decimal | int], message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        split_largest_remainder(total, weights)


def test_split_refuses_float_weights() -> None:
    with pytest.raises(TypeError):
        split_largest_remainder(100, [0.5, 0.5])  # type: ignore[list-item]


weight_lists = st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=20).filter(
    any
)


@PROPERTY
@given(total=st.integers(min_value=0, max_value=10**12), weights=weight_lists)
def test_split_properties(total: int, weights: list[int]) -> None:
    parts = split_largest_remainder(total, weights)
    weight_sum = sum(weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert part >= 0
        assert abs(part - Fraction(total * weight, weight_sum)) < 1
        if weight == 0:
            assert part == 0
    # Monotone: a larger weight never gets fewer cents.
    for i, wi in enumerate(weights):
        for j, wj in enumerate(weights):
            if wi > wj:
                assert parts[i] >= parts[j]
    assert parts == reference_split(total, weights)


@PROPERTY
@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=20,
    ).filter(any),
)
def test_split_properties_decimal_weights(total: int, weights: list[Decimal]) -> None:
    parts = split_largest_remainder(total, list(weights))
    weight_sum = sum(Fraction(w) for w in weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert part >= 0
        assert abs(part - total * Fraction(weight) / weight_sum) < 1
    # Scaling decimal weights by 1000 gives integer weights with the same result.
    assert parts == reference_split(total, [int(w * 1000) for w in weights])


# ----------------------------------------------------------------------------------------------
# compute_grant
# ----------------------------------------------------------------------------------------------

HEIMAT_RATE = Decimal("90")
HEIMAT_CAP = 600_000 * EUR
HEIMAT_MIN = 200_000 * EUR
SLR_RATE = Decimal("90")  # Smarte.Land.Regionen
SLR_CAP = 1_000_000 * EUR


def test_heimat_2_0_within_cap() -> None:
    grant = compute_grant(500_000 * EUR, HEIMAT_RATE, cap=HEIMAT_CAP, minimum=HEIMAT_MIN)
    assert grant == Grant(
        eligible_costs=500_000 * EUR,
        funding_rate=Decimal("90"),
        cap=HEIMAT_CAP,
        minimum=HEIMAT_MIN,
        grant=450_000 * EUR,
        own_share=50_000 * EUR,
        capped=False,
        below_minimum=False,
    )


def test_heimat_2_0_capped() -> None:
    # 90 % of 800.000 € = 720.000 € > 600.000 € cap
    grant = compute_grant(800_000 * EUR, HEIMAT_RATE, cap=HEIMAT_CAP, minimum=HEIMAT_MIN)
    assert grant.grant == 600_000 * EUR
    assert grant.own_share == 200_000 * EUR
    assert grant.capped is True
    assert grant.below_minimum is False


def test_heimat_2_0_below_minimum_is_a_warning_not_an_error() -> None:
    # 90 % of 200.000 € = 180.000 € < 200.000 € minimum
    grant = compute_grant(200_000 * EUR, HEIMAT_RATE, cap=HEIMAT_CAP, minimum=HEIMAT_MIN)
    assert grant.grant == 180_000 * EUR
    assert grant.own_share == 20_000 * EUR
    assert grant.below_minimum is True
    assert grant.capped is False


def test_exactly_minimum_is_not_below_minimum() -> None:
    # 90 % of 222.222,23 € = 200.000,007 € -> 200.000,00 € == minimum
    grant = compute_grant(22_222_223, HEIMAT_RATE, cap=HEIMAT_CAP, minimum=HEIMAT_MIN)
    assert grant.grant == HEIMAT_MIN
    assert grant.below_minimum is False


def test_smarte_land_regionen() -> None:
    within = compute_grant(1_000_000 * EUR, SLR_RATE, cap=SLR_CAP)
    assert (within.grant, within.own_share, within.capped) == (900_000 * EUR, 100_000 * EUR, False)
    assert within.minimum is None
    assert within.below_minimum is False

    capped = compute_grant(1_200_000 * EUR, SLR_RATE, cap=SLR_CAP)
    assert (capped.grant, capped.own_share, capped.capped) == (SLR_CAP, 200_000 * EUR, True)


def test_grant_equal_to_cap_is_not_capped() -> None:
    # 90 % of 1.111.111,12 € = 1.000.000,008 € -> rounded down exactly to the cap
    grant = compute_grant(111_111_112, SLR_RATE, cap=SLR_CAP)
    assert grant.grant == SLR_CAP
    assert grant.capped is False


@pytest.mark.parametrize(
    ("costs", "rate", "expected_grant"),
    [
        (12_345, Decimal("90"), 11_110),  # 11.110,5 -> 11.110 (half-up would give 11.111)
        (12_351, Decimal("90"), 11_115),  # 11.115,9 -> 11.115
        (1, Decimal("90"), 0),  # 0,9 cents -> 0
        (10_001, Decimal("33.33"), 3_333),  # 3.333,3333
        (99_999, Decimal("99.99"), 99_989),  # 99.989,0001
        (77_777, Decimal("100"), 77_777),
    ],
)
def test_grant_is_rounded_down(costs: int, rate: Decimal, expected_grant: int) -> None:
    grant = compute_grant(costs, rate)
    assert grant.grant == expected_grant
    assert grant.own_share == costs - expected_grant
    assert grant.capped is False


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-10"), Decimal("100.01"), Decimal(150)])
def test_grant_rate_out_of_range(rate: Decimal) -> None:
    with pytest.raises(MoneyError, match="Die Förderquote muss zwischen 0 und 100 % liegen"):
        compute_grant(100_000, rate)


def test_grant_rate_nan() -> None:
    with pytest.raises(MoneyError):
        compute_grant(100_000, Decimal("NaN"))


def test_grant_rate_float_refused() -> None:
    with pytest.raises(TypeError):
        compute_grant(100_000, 0.9)  # type: ignore[arg-type]


@pytest.mark.parametrize("costs", [0, -1])
def test_grant_costs_must_be_positive(costs: int) -> None:
    with pytest.raises(MoneyError, match="zuwendungsfähigen Ausgaben"):
        compute_grant(costs, HEIMAT_RATE)


def test_grant_inconsistent_programme_limits() -> None:
    with pytest.raises(MoneyError, match="Förderhöchstbetrag"):
        compute_grant(100_000, HEIMAT_RATE, cap=0)
    with pytest.raises(MoneyError, match="Fördermindestbetrag"):
        compute_grant(100_000, HEIMAT_RATE, minimum=-1)
    with pytest.raises(MoneyError, match="liegt über dem Förderhöchstbetrag"):
        compute_grant(100_000, HEIMAT_RATE, cap=HEIMAT_MIN, minimum=HEIMAT_CAP)


def test_grant_is_frozen() -> None:
    grant = compute_grant(100_000, HEIMAT_RATE)
    with pytest.raises(ValueError, match="frozen"):
        grant.grant = 1  # type: ignore[misc]


@PROPERTY
@given(
    costs=st.integers(min_value=1, max_value=10**12),
    basis_points=st.integers(min_value=1, max_value=10_000),
    cap=st.none() | st.integers(min_value=1, max_value=10**12),
)
def test_grant_properties(costs: int, basis_points: int, cap: int | None) -> None:
    rate = Decimal(basis_points) / 100  # 0,01 % .. 100 %
    grant = compute_grant(costs, rate, cap=cap)
    exact = Fraction(costs) * Fraction(basis_points, 10_000)
    assert grant.grant + grant.own_share == costs
    assert 0 <= grant.grant <= costs
    if cap is not None and exact >= cap + 1:
        assert grant.capped and grant.grant == cap
    elif cap is not None and exact > cap:
        # exact in (cap, cap + 1): rounding down lands exactly on the cap, which is not binding
        assert not grant.capped and grant.grant == cap
    else:
        assert not grant.capped
        assert grant.grant <= exact < grant.grant + 1


# ----------------------------------------------------------------------------------------------
# split_own_share / financing_plan
# ----------------------------------------------------------------------------------------------


def partners_by_population(names: list[str]) -> list[PartnerShareInput]:
    return [PartnerShareInput(body=n, population=COESFELD_POPULATION[n]) for n in names]


def test_split_own_share_equal() -> None:
    partners = [PartnerShareInput(body=b) for b in ("Kreis Coesfeld", "Dülmen", "Olfen")]
    shares = split_own_share(100, partners, SplitKey.GLEICH)
    assert shares == [
        PartnerShare(body="Kreis Coesfeld", amount=34, percent=Decimal("33.34")),
        PartnerShare(body="Dülmen", amount=33, percent=Decimal("33.33")),
        PartnerShare(body="Olfen", amount=33, percent=Decimal("33.33")),
    ]


def test_split_own_share_by_population_preserves_order() -> None:
    names = ["Senden", "Dülmen", "Ascheberg"]  # not sorted by anything
    shares = split_own_share(50_000 * EUR, partners_by_population(names), SplitKey.EINWOHNER)
    assert [s.body for s in shares] == names
    weights = [COESFELD_POPULATION[n] for n in names]
    assert [s.amount for s in shares] == reference_split(50_000 * EUR, weights)
    assert sum(s.amount for s in shares) == 50_000 * EUR
    # W = 83.300; Senden 20.700/83.300 = 24,85 %, Dülmen 56,42 %, Ascheberg 18,73 %
    assert [s.percent for s in shares] == [Decimal("24.85"), Decimal("56.42"), Decimal("18.73")]


def test_split_own_share_all_municipalities_percent_sums_to_100() -> None:
    partners = partners_by_population(list(COESFELD_POPULATION))
    shares = split_own_share(123_456_789, partners, SplitKey.EINWOHNER)
    assert sum(s.amount for s in shares) == 123_456_789
    assert sum(s.percent for s in shares) == Decimal("100.00")
    population_sum = sum(COESFELD_POPULATION.values())
    for share in shares:
        exact_percent = Fraction(100 * COESFELD_POPULATION[share.body], population_sum)
        assert abs(Fraction(share.percent) - exact_percent) < Fraction(1, 100)
        assert share.percent.as_tuple().exponent == -2


def test_split_own_share_by_percent() -> None:
    partners = [
        PartnerShareInput(body="Kreis Coesfeld", percent=Decimal("50")),
        PartnerShareInput(body="Coesfeld", percent=Decimal("33.33")),
        PartnerShareInput(body="Billerbeck", percent=Decimal("16.67")),
    ]
    shares = split_own_share(1_000_001, partners, SplitKey.PROZENT)
    # exact: 500.000,5 / 333.300,3333 / 166.700,1667 cents; floors 500.000 + 333.300 + 166.700
    # = 1.000.000, one cent left -> largest remainder 0,5 (Kreis Coesfeld).
    assert [s.amount for s in shares] == [500_001, 333_300, 166_700]
    assert [s.percent for s in shares] == [Decimal("50.00"), Decimal("33.33"), Decimal("16.67")]


@pytest.mark.parametrize(
    ("percents", "shown"),
    [
        (["33.33", "33.33", "33.33"], "99,99"),
        (["50", "45"], "95"),
        (["50", "50.01"], "100,01"),
    ],
)
def test_split_own_share_percent_must_sum_to_100(percents: list[str], shown: str) -> None:
    partners = [
        PartnerShareInput(body=f"Partner {i}", percent=Decimal(p)) for i, p in enumerate(percents)
    ]
    with pytest.raises(MoneyError) as info:
        split_own_share(10_000, partners, SplitKey.PROZENT)
    assert str(info.value) == f"Die Prozentanteile ergeben {shown} % statt 100 %."


def test_split_own_share_missing_percent_names_body() -> None:
    partners = [
        PartnerShareInput(body="Nottuln", percent=Decimal("100")),
        PartnerShareInput(body="Havixbeck"),
    ]
    with pytest.raises(MoneyError, match="Havixbeck"):
        split_own_share(10_000, partners, SplitKey.PROZENT)


def test_split_own_share_negative_percent_names_body() -> None:
    partners = [
        PartnerShareInput(body="Nottuln", percent=Decimal("110")),
        PartnerShareInput(body="Havixbeck", percent=Decimal("-10")),
    ]
    with pytest.raises(MoneyError, match="Havixbeck"):
        split_own_share(10_000, partners, SplitKey.PROZENT)


@pytest.mark.parametrize("population", [None, 0, -5])
def test_split_own_share_population_missing_or_zero_names_body(population: int | None) -> None:
    partners = [
        PartnerShareInput(body="Olfen", population=13_200),
        PartnerShareInput(body="Rosendahl", population=population),
    ]
    with pytest.raises(MoneyError, match="Rosendahl"):
        split_own_share(10_000, partners, SplitKey.EINWOHNER)


def test_split_own_share_empty_partner_list() -> None:
    with pytest.raises(MoneyError, match="kein Partner"):
        split_own_share(10_000, [], SplitKey.GLEICH)


@pytest.mark.parametrize("second", ["Dülmen", " Dülmen ", "DÜLMEN"])
def test_split_own_share_duplicate_bodies(second: str) -> None:
    partners = [PartnerShareInput(body="Dülmen"), PartnerShareInput(body=second)]
    with pytest.raises(MoneyError, match="mehrfach"):
        split_own_share(10_000, partners, SplitKey.GLEICH)


def test_split_own_share_blank_body() -> None:
    with pytest.raises(MoneyError, match="keinen Namen"):
        split_own_share(10_000, [PartnerShareInput(body="  ")], SplitKey.GLEICH)


def test_split_own_share_negative_own_share() -> None:
    with pytest.raises(MoneyError, match="Eigenanteil"):
        split_own_share(-1, [PartnerShareInput(body="Olfen")], SplitKey.GLEICH)


def test_split_own_share_zero_own_share() -> None:
    partners = [PartnerShareInput(body="A"), PartnerShareInput(body="B")]
    shares = split_own_share(0, partners, SplitKey.GLEICH)
    assert [(s.amount, s.percent) for s in shares] == [(0, Decimal("50.00")), (0, Decimal("50.00"))]


def test_split_own_share_accepts_key_as_plain_string() -> None:
    partners = [PartnerShareInput(body="A"), PartnerShareInput(body="B")]
    shares = split_own_share(3, partners, "gleich")  # type: ignore[arg-type]
    assert [s.amount for s in shares] == [2, 1]
    with pytest.raises(MoneyError, match="„nach Fläche“"):
        split_own_share(3, partners, "nach Fläche")  # type: ignore[arg-type]


@PROPERTY
@given(
    own_share=st.integers(min_value=0, max_value=10**11),
    count=st.integers(min_value=1, max_value=25),
)
def test_split_own_share_equal_properties(own_share: int, count: int) -> None:
    partners = [PartnerShareInput(body=f"Gemeinde {i}") for i in range(count)]
    shares = split_own_share(own_share, partners, SplitKey.GLEICH)
    amounts = [s.amount for s in shares]
    assert sum(amounts) == own_share
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True)  # extra cents go to the first partners
    assert sum(s.percent for s in shares) == 100


def test_financing_plan_heimat_by_population() -> None:
    names = ["Dülmen", "Ascheberg", "Coesfeld"]
    plan = financing_plan(
        500_000 * EUR,
        HEIMAT_RATE,
        partners_by_population(names),
        SplitKey.EINWOHNER,
        cap=HEIMAT_CAP,
        minimum=HEIMAT_MIN,
    )
    assert isinstance(plan, FinancingPlan)
    assert plan.key is SplitKey.EINWOHNER
    assert plan.grant.grant == 450_000 * EUR
    assert plan.grant.own_share == 50_000 * EUR
    assert [s.body for s in plan.shares] == names
    assert sum(s.amount for s in plan.shares) == 50_000 * EUR
    weights = [COESFELD_POPULATION[n] for n in names]
    assert [s.amount for s in plan.shares] == reference_split(50_000 * EUR, weights)


def test_financing_plan_propagates_errors() -> None:
    with pytest.raises(MoneyError, match="Förderquote"):
        financing_plan(100_000, Decimal("0"), [PartnerShareInput(body="A")], SplitKey.GLEICH)
    with pytest.raises(MoneyError, match="kein Partner"):
        financing_plan(100_000, HEIMAT_RATE, [], SplitKey.GLEICH)


def test_financing_plan_json_roundtrip() -> None:
    plan = financing_plan(
        800_000 * EUR,
        HEIMAT_RATE,
        [PartnerShareInput(body="Lüdinghausen", percent=Decimal("100"))],
        SplitKey.PROZENT,
        cap=HEIMAT_CAP,
    )
    assert FinancingPlan.model_validate_json(plan.model_dump_json()) == plan
    assert plan.shares == [
        PartnerShare(body="Lüdinghausen", amount=200_000 * EUR, percent=Decimal("100.00"))
    ]


# ----------------------------------------------------------------------------------------------
# line_overrun_allowed (ANBest 20 % rule)
# ----------------------------------------------------------------------------------------------

PLANNED = 10_000 * EUR
TOTAL = 100_000 * EUR


def test_overrun_exactly_20_percent_allowed() -> None:
    assert line_overrun_allowed(PLANNED, 12_000 * EUR, TOTAL, TOTAL) is True


def test_overrun_20_01_percent_not_allowed() -> None:
    assert line_overrun_allowed(PLANNED, 1_200_100, TOTAL, TOTAL) is False  # 12.001,00 €


def test_overrun_one_cent_above_20_percent_not_allowed() -> None:
    assert line_overrun_allowed(PLANNED, 12_000 * EUR + 1, TOTAL, TOTAL) is False


def test_overrun_total_exceeding_not_allowed() -> None:
    assert line_overrun_allowed(PLANNED, 11_000 * EUR, TOTAL, TOTAL + 1) is False
    # even a line under plan does not help when the total is exceeded
    assert line_overrun_allowed(PLANNED, 9_000 * EUR, TOTAL, TOTAL + 1) is False


def test_overrun_within_plan_and_savings() -> None:
    assert line_overrun_allowed(PLANNED, 9_000 * EUR, TOTAL, TOTAL - 1) is True
    assert line_overrun_allowed(PLANNED, PLANNED, TOTAL, TOTAL) is True


def test_overrun_exact_arithmetic_on_odd_amounts() -> None:
    # 333 cents * 1.2 = 399.6 cents
    assert line_overrun_allowed(333, 399, 1_000, 1_000) is True
    assert line_overrun_allowed(333, 400, 1_000, 1_000) is False


def test_overrun_custom_tolerance() -> None:
    assert line_overrun_allowed(PLANNED, PLANNED + 1, TOTAL, TOTAL, Decimal("0")) is False
    assert line_overrun_allowed(PLANNED, 13_000 * EUR, TOTAL, TOTAL, Decimal("30")) is True
    assert line_overrun_allowed(PLANNED, 13_000 * EUR, TOTAL, TOTAL) is False


def test_overrun_unplanned_line() -> None:
    assert line_overrun_allowed(0, 0, TOTAL, TOTAL) is True
    assert line_overrun_allowed(0, 1, TOTAL, TOTAL) is False


def test_overrun_invalid_input() -> None:
    with pytest.raises(MoneyError, match="nicht negativ"):
        line_overrun_allowed(-1, 0, TOTAL, TOTAL)
    with pytest.raises(MoneyError, match="Toleranz"):
        line_overrun_allowed(PLANNED, PLANNED, TOTAL, TOTAL, Decimal("-1"))
