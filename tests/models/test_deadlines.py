"""Tests for models.deadlines (§ 31 VwVfG NRW, §§ 187–193 BGB).

Expected values are computed independently of the module under test: Easter comes from the
anonymous Gregorian algorithm below (checked against known dates), everything else is
hard-coded from a calendar.
"""

from datetime import date, timedelta

import pytest

from models.deadlines import (
    WEEKDAYS_DE,
    DeadlineError,
    DeadlineResult,
    Period,
    add_months,
    compute_deadline,
    end_of_month_date,
    final_report_date,
    fixed_date,
    format_date_de,
    format_day_de,
    holiday_name,
    interim_report_dates,
    is_working_day,
    next_working_day,
    nrw_holidays,
    parse_date_de,
)

# --------------------------------------------------------------------------- reference data


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


FIXED_HOLIDAYS: list[tuple[int, int, str]] = [
    (1, 1, "Neujahr"),
    (5, 1, "1. Mai"),
    (10, 3, "Tag der Deutschen Einheit"),
    (11, 1, "Allerheiligen"),
    (12, 25, "1. Weihnachtstag"),
    (12, 26, "2. Weihnachtstag"),
]

# offset in days relative to Easter Sunday
MOVABLE_HOLIDAYS: list[tuple[int, str]] = [
    (-2, "Karfreitag"),
    (1, "Ostermontag"),
    (39, "Christi Himmelfahrt"),
    (50, "Pfingstmontag"),
    (60, "Fronleichnam"),
]


def reference_holidays(year: int) -> dict[date, str]:
    result = {date(year, month, day): name for month, day, name in FIXED_HOLIDAYS}
    easter = easter_sunday(year)
    for offset, name in MOVABLE_HOLIDAYS:
        result[easter + timedelta(days=offset)] = name
    return result


def d(text: str) -> date:
    """Shorthand: ISO string to date (independent of parse_date_de)."""
    return date.fromisoformat(text)


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("value", "expected_date", "expected_day"),
    [
        (d("2028-04-29"), "29.04.2028", "Samstag, 29.04.2028"),
        (d("2027-01-04"), "04.01.2027", "Montag, 04.01.2027"),
        (d("2030-05-05"), "05.05.2030", "Sonntag, 05.05.2030"),
        (d("2029-12-31"), "31.12.2029", "Montag, 31.12.2029"),
    ],
)
def test_format_de(value: date, expected_date: str, expected_day: str) -> None:
    assert format_date_de(value) == expected_date
    assert format_day_de(value) == expected_day


def test_weekday_names() -> None:
    assert WEEKDAYS_DE == (
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    )


# --------------------------------------------------------------------------- holidays


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, d("2024-03-31")),
        (2025, d("2025-04-20")),
        (2026, d("2026-04-05")),
        (2027, d("2027-03-28")),
        (2028, d("2028-04-16")),
        (2029, d("2029-04-01")),
        (2030, d("2030-04-21")),
    ],
)
def test_reference_easter_algorithm(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected
    assert expected.weekday() == 6


@pytest.mark.parametrize("year", [2026, 2027, 2028])
@pytest.mark.parametrize(("month", "day", "name"), FIXED_HOLIDAYS)
def test_fixed_holidays(year: int, month: int, day: int, name: str) -> None:
    assert holiday_name(date(year, month, day)) == name
    assert not is_working_day(date(year, month, day))


@pytest.mark.parametrize("year", [2026, 2027, 2028])
@pytest.mark.parametrize(("offset", "name"), MOVABLE_HOLIDAYS)
def test_movable_holidays(year: int, offset: int, name: str) -> None:
    holiday = easter_sunday(year) + timedelta(days=offset)
    assert holiday_name(holiday) == name
    assert not is_working_day(holiday)


@pytest.mark.parametrize(
    ("holiday", "name"),
    [
        (d("2027-03-26"), "Karfreitag"),
        (d("2027-03-29"), "Ostermontag"),
        (d("2027-05-06"), "Christi Himmelfahrt"),
        (d("2027-05-17"), "Pfingstmontag"),
        (d("2027-05-27"), "Fronleichnam"),
        (d("2028-04-14"), "Karfreitag"),
        (d("2028-04-17"), "Ostermontag"),
        (d("2028-05-25"), "Christi Himmelfahrt"),
        (d("2028-06-05"), "Pfingstmontag"),
        (d("2028-06-15"), "Fronleichnam"),
    ],
)
def test_movable_holidays_hard_coded(holiday: date, name: str) -> None:
    assert holiday_name(holiday) == name


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2029, 2030])
def test_nrw_holidays_complete(year: int) -> None:
    holidays_of_year = nrw_holidays(year)
    assert holidays_of_year == reference_holidays(year)
    assert len(holidays_of_year) == 11
    assert list(holidays_of_year) == sorted(holidays_of_year)


def test_nrw_holidays_returns_a_copy() -> None:
    first = nrw_holidays(2027)
    first.clear()
    assert len(nrw_holidays(2027)) == 11


@pytest.mark.parametrize(
    "not_a_holiday",
    [
        d("2027-01-06"),  # Heilige Drei Könige (only BW, BY, ST)
        d("2027-12-24"),  # Heiligabend
        d("2027-12-31"),  # Silvester
        d("2027-10-31"),  # Reformationstag (not NRW)
        d("2027-11-17"),  # Buß- und Bettag (only SN)
        d("2027-08-15"),  # Mariä Himmelfahrt (only BY, SL)
        d("2027-02-08"),  # Rosenmontag: no public holiday
        d("2027-03-08"),  # Internationaler Frauentag (only BE, MV)
    ],
)
def test_not_holidays_in_nrw(not_a_holiday: date) -> None:
    assert holiday_name(not_a_holiday) is None


@pytest.mark.parametrize("year", [2027, 2028])
def test_is_working_day_matches_reference_for_whole_year(year: int) -> None:
    reference = reference_holidays(year)
    day = date(year, 1, 1)
    while day.year == year:
        expected = day.weekday() < 5 and day not in reference
        assert is_working_day(day) is expected, day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (d("2027-03-24"), d("2027-03-24")),  # Wednesday: itself
        (d("2027-03-26"), d("2027-03-30")),  # Karfreitag → Tuesday after Ostermontag
        (d("2027-12-25"), d("2027-12-27")),
        (d("2028-01-01"), d("2028-01-03")),  # Neujahr on Saturday
        (d("2028-04-29"), d("2028-05-02")),
        (d("2028-06-03"), d("2028-06-06")),  # Saturday before Pfingsten
    ],
)
def test_next_working_day(start: date, expected: date) -> None:
    assert next_working_day(start) == expected


def test_unsupported_year_raises_german_error() -> None:
    with pytest.raises(DeadlineError, match="Feiertagsdaten"):
        is_working_day(date(2500, 1, 4))


# --------------------------------------------------------------------------- month arithmetic


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (d("2027-01-31"), 1, d("2027-02-28")),
        (d("2028-01-31"), 1, d("2028-02-29")),  # leap year
        (d("2027-08-31"), 6, d("2028-02-29")),  # leap year
        (d("2028-08-31"), 6, d("2029-02-28")),  # non-leap year
        (d("2026-11-30"), 3, d("2027-02-28")),
        (d("2027-11-30"), 3, d("2028-02-29")),
        (d("2027-12-31"), 6, d("2028-06-30")),
        (d("2027-03-31"), 1, d("2027-04-30")),
        (d("2100-01-31"), 1, d("2100-02-28")),  # 2100 is not a leap year
        (d("2000-01-31"), 1, d("2000-02-29")),  # 2000 was a leap year
        (d("2027-05-15"), 12, d("2028-05-15")),
        (d("2027-05-15"), 0, d("2027-05-15")),
        (d("2027-05-15"), 1200, d("2127-05-15")),
        (d("2028-02-29"), 12, d("2029-02-28")),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize("months", [-1, 1201])
def test_add_months_out_of_range(months: int) -> None:
    with pytest.raises(DeadlineError):
        add_months(d("2027-01-31"), months)


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 31, d("2027-02-28")),
        (2028, 2, 30, d("2028-02-29")),
        (2027, 4, 31, d("2027-04-30")),
        (2027, 4, 15, d("2027-04-15")),
    ],
)
def test_end_of_month_date(year: int, month: int, day: int, expected: date) -> None:
    assert end_of_month_date(year, month, day) == expected


# --------------------------------------------------------------------------- compute_deadline


@pytest.mark.parametrize(
    ("start", "kwargs", "raw_end", "end"),
    [
        # days: the event day is not counted
        (d("2027-03-01"), {"days": 1}, d("2027-03-02"), d("2027-03-02")),
        (d("2027-03-01"), {"days": 14}, d("2027-03-15"), d("2027-03-15")),
        (d("2027-03-01"), {"days": 21}, d("2027-03-22"), d("2027-03-22")),
        (d("2027-03-02"), {"days": 30}, d("2027-04-01"), d("2027-04-01")),
        (d("2027-12-02"), {"days": 30}, d("2028-01-01"), d("2028-01-03")),  # Neujahr, Sat
        # weeks: same weekday name
        (d("2027-03-03"), {"weeks": 1}, d("2027-03-10"), d("2027-03-10")),
        (d("2027-02-26"), {"weeks": 4}, d("2027-03-26"), d("2027-03-30")),  # Karfreitag chain
        (d("2027-12-10"), {"weeks": 2}, d("2027-12-24"), d("2027-12-24")),  # Heiligabend
        # months
        (d("2028-03-29"), {"months": 1}, d("2028-04-29"), d("2028-05-02")),
        (d("2027-08-31"), {"months": 6}, d("2028-02-29"), d("2028-02-29")),
        (d("2028-08-31"), {"months": 6}, d("2029-02-28"), d("2029-02-28")),
        (d("2027-01-31"), {"months": 1}, d("2027-02-28"), d("2027-03-01")),  # Sunday
        (d("2026-11-30"), {"months": 3}, d("2027-02-28"), d("2027-03-01")),
        (d("2027-12-31"), {"months": 6}, d("2028-06-30"), d("2028-06-30")),
        (d("2099-08-31"), {"months": 6}, d("2100-02-28"), d("2100-03-01")),  # Sunday
        # combined: months first, then weeks and days
        (d("2027-01-31"), {"months": 1, "days": 1}, d("2027-03-01"), d("2027-03-01")),
        (d("2027-01-31"), {"months": 1, "weeks": 1}, d("2027-03-07"), d("2027-03-08")),
        (d("2027-03-05"), {"months": 1, "weeks": 1, "days": 1}, d("2027-04-13"), d("2027-04-13")),
        # holidays and chains
        (d("2027-02-26"), {"days": 28}, d("2027-03-26"), d("2027-03-30")),
        (d("2027-11-25"), {"months": 1}, d("2027-12-25"), d("2027-12-27")),
        (d("2027-11-26"), {"months": 1}, d("2027-12-26"), d("2027-12-27")),
        (d("2027-11-24"), {"months": 1}, d("2027-12-24"), d("2027-12-24")),
        (d("2027-12-01"), {"days": 30}, d("2027-12-31"), d("2027-12-31")),
        (d("2026-12-06"), {"months": 1}, d("2027-01-06"), d("2027-01-06")),  # Drei Könige
        (d("2027-09-03"), {"months": 1}, d("2027-10-03"), d("2027-10-04")),
        (d("2026-10-01"), {"months": 1}, d("2026-11-01"), d("2026-11-02")),
        (d("2028-05-03"), {"months": 1}, d("2028-06-03"), d("2028-06-06")),  # Pfingsten
        (d("2028-04-25"), {"months": 1}, d("2028-05-25"), d("2028-05-26")),  # Himmelfahrt
        (d("2028-05-15"), {"months": 1}, d("2028-06-15"), d("2028-06-16")),  # Fronleichnam
        (d("2027-10-17"), {"months": 1}, d("2027-11-17"), d("2027-11-17")),  # Buß- und Bettag
    ],
)
def test_compute_deadline(start: date, kwargs: dict[str, int], raw_end: date, end: date) -> None:
    result = compute_deadline(start, **kwargs)
    assert result.start == start
    assert result.raw_end == raw_end
    assert result.end == end
    assert result.moved is (end != raw_end)
    assert result.is_termin is False
    assert is_working_day(result.end)


def test_weeks_end_on_same_weekday_name() -> None:
    start = d("2027-06-09")  # Wednesday
    for weeks in range(1, 30):
        raw_end = compute_deadline(start, weeks=weeks).raw_end
        assert raw_end.weekday() == start.weekday()
        assert raw_end == start + timedelta(days=7 * weeks)


def test_explanation_example_from_specification() -> None:
    result = compute_deadline(d("2028-03-29"), months=1)
    assert result.explanation == (
        "Fristbeginn: Mittwoch, 29.03.2028 (Ereignistag, wird nicht mitgezählt)\n"
        "Frist: 1 Monat\n"
        "Rechnerisches Fristende: Samstag, 29.04.2028\n"
        "Fristende fällt auf Samstag, 29.04.2028 → nächster Werktag: Dienstag, 02.05.2028 "
        "(30.04.2028 ist Sonntag, 1. Mai ist Feiertag)"
    )


def test_explanation_not_moved() -> None:
    result = compute_deadline(d("2028-04-25"), weeks=1)
    assert result.explanation.splitlines()[-1] == "Fristende: Dienstag, 02.05.2028 (Werktag)"


def test_explanation_chain_names_holidays() -> None:
    last_line = compute_deadline(d("2027-02-26"), weeks=4).explanation.splitlines()[-1]
    assert last_line.startswith(
        "Fristende fällt auf Freitag, 26.03.2027 → nächster Werktag: Dienstag, 30.03.2027 ("
    )
    assert "Karfreitag ist Feiertag" in last_line
    assert "Ostermontag ist Feiertag" in last_line


def test_explanation_weekend_only() -> None:
    last_line = compute_deadline(d("2027-03-06"), weeks=1).explanation.splitlines()[-1]
    assert last_line == (
        "Fristende fällt auf Samstag, 13.03.2027 → nächster Werktag: Montag, 15.03.2027 "
        "(Wochenende)"
    )


def test_explanation_mentions_month_end_clamp() -> None:
    explanation = compute_deadline(d("2027-08-31"), months=6).explanation
    assert "Rechnerisches Fristende: Dienstag, 29.02.2028" in explanation
    assert "Februar 2028" in explanation


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"months": 1}, "Frist: 1 Monat"),
        ({"months": 6}, "Frist: 6 Monate"),
        ({"weeks": 1}, "Frist: 1 Woche"),
        ({"weeks": 2}, "Frist: 2 Wochen"),
        ({"days": 1}, "Frist: 1 Tag"),
        ({"days": 21}, "Frist: 21 Tage"),
        ({"months": 2, "days": 3}, "Frist: 2 Monate und 3 Tage"),
        ({"months": 1, "weeks": 2, "days": 1}, "Frist: 1 Monat, 2 Wochen und 1 Tag"),
    ],
)
def test_explanation_period_wording(kwargs: dict[str, int], expected: str) -> None:
    lines = compute_deadline(d("2027-03-03"), **kwargs).explanation.splitlines()
    assert lines[1] == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": -1},
        {"weeks": -2},
        {"months": -1},
        {"months": 1, "days": -1},
        {},
        {"days": 0, "weeks": 0, "months": 0},
        {"months": 1201},
    ],
)
def test_compute_deadline_invalid_period(kwargs: dict[str, int]) -> None:
    with pytest.raises(DeadlineError) as excinfo:
        compute_deadline(d("2027-03-03"), **kwargs)
    message = str(excinfo.value)
    assert message.startswith("Die ")
    assert "must" not in message


def test_period_validates_on_construction() -> None:
    with pytest.raises(DeadlineError, match="negativ"):
        Period(days=-1)
    with pytest.raises(DeadlineError, match="mindestens"):
        Period()
    assert Period(months=1, weeks=2, days=3).describe() == "1 Monat, 2 Wochen und 3 Tage"


def test_deadline_error_is_value_error() -> None:
    assert issubclass(DeadlineError, ValueError)


def test_result_is_frozen() -> None:
    result = compute_deadline(d("2027-03-03"), days=1)
    with pytest.raises(ValueError, match="frozen"):
        result.end = d("2027-03-05")  # type: ignore[misc]


# --------------------------------------------------------------------------- Termine


@pytest.mark.parametrize(
    "termin",
    [
        d("2030-05-05"),  # Sunday
        d("2030-12-25"),  # 1. Weihnachtstag
        d("2029-03-30"),  # Karfreitag
        d("2028-04-29"),  # Saturday
        d("2027-03-24"),  # ordinary Wednesday
    ],
)
def test_fixed_date_never_moves(termin: date) -> None:
    result = fixed_date(termin)
    assert result == DeadlineResult(
        start=termin,
        raw_end=termin,
        end=termin,
        is_termin=True,
        moved=False,
        explanation=result.explanation,
    )
    assert "feste Termine werden nicht verschoben" in result.explanation


def test_fixed_date_explanation() -> None:
    assert fixed_date(d("2030-05-05")).explanation == (
        "Termin am Sonntag, 05.05.2030 – feste Termine werden nicht verschoben."
    )


# --------------------------------------------------------------------------- reports


def test_interim_report_dates_example() -> None:
    results = interim_report_dates(d("2027-03-01"), d("2030-02-28"))
    assert [r.raw_end for r in results] == [d("2028-04-30"), d("2029-04-30"), d("2030-04-30")]
    # 30.04.2028 is a Sunday and 01.05.2028 is Tag der Arbeit
    assert [r.end for r in results] == [d("2028-05-02"), d("2029-04-30"), d("2030-04-30")]
    assert [r.moved for r in results] == [True, False, False]
    assert not any(r.is_termin for r in results)
    assert "1. Mai ist Feiertag" in results[0].explanation


@pytest.mark.parametrize(
    ("period_start", "period_end", "expected_ends"),
    [
        (d("2027-01-01"), d("2027-12-31"), []),  # one calendar year: no interim report
        (d("2027-03-01"), d("2027-03-01"), []),
        (d("2027-12-31"), d("2028-01-01"), [d("2028-05-02")]),
        (d("2032-07-01"), d("2033-06-30"), [d("2033-05-02")]),  # 30.04. Sat, 01.05. Sun
        (d("2030-01-01"), d("2032-12-31"), [d("2031-04-30"), d("2032-04-30")]),
    ],
)
def test_interim_report_dates(
    period_start: date, period_end: date, expected_ends: list[date]
) -> None:
    assert [r.end for r in interim_report_dates(period_start, period_end)] == expected_ends


def test_interim_report_dates_end_before_start() -> None:
    with pytest.raises(DeadlineError, match="Bewilligungszeitraum"):
        interim_report_dates(d("2028-01-01"), d("2027-12-31"))


@pytest.mark.parametrize(
    ("period_end", "months", "raw_end", "end"),
    [
        (d("2030-02-28"), 6, d("2030-08-28"), d("2030-08-28")),
        (d("2029-12-31"), 6, d("2030-06-30"), d("2030-07-01")),  # Sunday
        (d("2027-08-31"), 6, d("2028-02-29"), d("2028-02-29")),
        (d("2028-03-29"), 1, d("2028-04-29"), d("2028-05-02")),
        (d("2027-11-30"), 3, d("2028-02-29"), d("2028-02-29")),
    ],
)
def test_final_report_date(period_end: date, months: int, raw_end: date, end: date) -> None:
    result = final_report_date(period_end, months)
    assert (result.start, result.raw_end, result.end) == (period_end, raw_end, end)
    assert result.is_termin is False
    assert result.explanation.startswith("Verwendungsnachweis")


def test_final_report_date_default_is_six_months() -> None:
    assert final_report_date(d("2029-12-31")).end == d("2030-07-01")


def test_final_report_date_zero_months() -> None:
    with pytest.raises(DeadlineError):
        final_report_date(d("2029-12-31"), 0)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2028-04-29", date(2028, 4, 29)),
        ("29.04.2028", date(2028, 4, 29)),
        ("29.4.2028", date(2028, 4, 29)),
        ("1.1.2027", date(2027, 1, 1)),
        ("  05.05.2030 ", date(2030, 5, 5)),
        ("29.02.2028", date(2028, 2, 29)),
        ("29.02.2000", date(2000, 2, 29)),
        ("2027-12-31", date(2027, 12, 31)),
    ],
)
def test_parse_date_de_valid(text: str, expected: date) -> None:
    assert parse_date_de(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.2027", "Ungültiges Datum „31.02.2027“: Der Februar 2027 hat nur 28 Tage."),
        ("29.02.2027", "Ungültiges Datum „29.02.2027“: Der Februar 2027 hat nur 28 Tage."),
        ("29.02.2100", "Ungültiges Datum „29.02.2100“: Der Februar 2100 hat nur 28 Tage."),
        ("31.04.2027", "Ungültiges Datum „31.04.2027“: Der April 2027 hat nur 30 Tage."),
        ("2027-13-01", "Ungültiges Datum „2027-13-01“: Der Monat muss zwischen 1 und 12 liegen."),
        ("00.01.2027", "Ungültiges Datum „00.01.2027“: Der Tag muss mindestens 1 sein."),
        ("morgen", "Ungültiges Datum „morgen“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
        ("abc", "Ungültiges Datum „abc“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
        ("29.04.28", "Ungültiges Datum „29.04.28“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
        ("2027/01/01", "Ungültiges Datum „2027/01/01“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
        ("", "Kein Datum angegeben: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
        ("   ", "Kein Datum angegeben: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."),
    ],
)
def test_parse_date_de_invalid(text: str, message: str) -> None:
    with pytest.raises(DeadlineError) as excinfo:
        parse_date_de(text)
    assert str(excinfo.value) == message


def test_parse_date_de_truncates_long_input() -> None:
    with pytest.raises(DeadlineError) as excinfo:
        parse_date_de("x" * 500)
    assert len(str(excinfo.value)) < 120
