"""Deadline arithmetic for funding procedures in North Rhine-Westphalia.

Rules (§ 31 VwVfG NRW in connection with §§ 187–193 BGB):

* The day of the triggering event is not counted (§ 187 Abs. 1 BGB): a period of N days
  starting on event day E ends on E + N days.
* A period of weeks ends on the weekday with the same name as the event day; a period of
  months ends on the day with the same number in the target month, or on the last day of that
  month if the number does not exist there (§ 188 Abs. 2 and 3 BGB). Combined periods add
  months first, then weeks and days.
* If the end of a period (Frist) falls on a Saturday, a Sunday or a public holiday of NRW, it
  moves to the next working day (§ 31 Abs. 3 VwVfG NRW, § 193 BGB).
* Fixed dates set by an authority (Termine) never move.

Everything here is pure (no I/O). Holidays come from the maintained ``holidays`` package and
are cached per year, so ``is_working_day`` stays cheap even for large batches.

Identifiers and comments are English; every user-facing text (explanations, error messages)
is German.
"""

import calendar
import re
from collections.abc import Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import holidays
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "MAX_MONTHS",
    "MONTHS_DE",
    "WEEKDAYS_DE",
    "DeadlineError",
    "DeadlineResult",
    "Period",
    "add_months",
    "compute_deadline",
    "end_of_month_date",
    "final_report_date",
    "fixed_date",
    "format_date_de",
    "format_day_de",
    "holiday_name",
    "interim_report_dates",
    "is_working_day",
    "next_working_day",
    "nrw_holidays",
    "parse_date_de",
]

WEEKDAYS_DE: tuple[str, ...] = (
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
)

MONTHS_DE: tuple[str, ...] = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

#: Upper bound for the month count of a single period (100 years).
MAX_MONTHS = 1200

# The ``holidays`` package spells a few names out ("Erster Mai"); administrative German
# usually writes them with ordinals.
_HOLIDAY_NAME_OVERRIDES: Mapping[str, str] = {
    "Erster Mai": "1. Mai",
    "Erster Weihnachtstag": "1. Weihnachtstag",
    "Zweiter Weihnachtstag": "2. Weihnachtstag",
}

_EXPECTED_FORMAT = "erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT."
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_GERMAN_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_MAX_ECHO = 40


class DeadlineError(ValueError):
    """A deadline cannot be computed or a date cannot be parsed; ``str(exc)`` is German."""


# --------------------------------------------------------------------------- formatting


def format_date_de(d: date) -> str:
    """Format a date as ``TT.MM.JJJJ`` (e.g. ``29.04.2028``)."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def format_day_de(d: date) -> str:
    """Format a date with its German weekday (e.g. ``Samstag, 29.04.2028``)."""
    return f"{WEEKDAYS_DE[d.weekday()]}, {format_date_de(d)}"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _join_de(parts: list[str]) -> str:
    """Join ``["a", "b", "c"]`` as ``"a, b und c"``."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} und {parts[-1]}"


# --------------------------------------------------------------------------- holidays


@lru_cache(maxsize=1)
def _supported_years() -> tuple[int, int]:
    """Years for which the ``holidays`` package knows the German holidays."""
    calendar_ = holidays.country_holidays("DE", subdiv="NW")
    return int(calendar_.start_year), int(calendar_.end_year)


def _display_name(raw: str) -> str:
    # Two holidays on one day are joined with "; " by the package (e.g. 1 May 2008).
    parts = [part.strip() for part in raw.split(";") if part.strip()]
    return "/".join(_HOLIDAY_NAME_OVERRIDES.get(part, part) for part in parts)


@lru_cache(maxsize=1024)
def _holiday_map(year: int) -> Mapping[date, str]:
    """Read-only, cached mapping of the NRW public holidays of ``year``."""
    first, last = _supported_years()
    if not first <= year <= last:
        raise DeadlineError(
            f"Für das Jahr {year} liegen keine Feiertagsdaten für NRW vor "
            f"(unterstützt: {first}–{last})."
        )
    calendar_ = holidays.country_holidays("DE", subdiv="NW", years=year, language="de")
    return MappingProxyType(
        {day: _display_name(str(name)) for day, name in sorted(calendar_.items())}
    )


def nrw_holidays(year: int) -> dict[date, str]:
    """Public holidays of NRW in ``year`` as ``{date: German name}`` (sorted by date).

    The lookup is cached per year; the returned dict is a fresh copy the caller may modify.
    Raises ``DeadlineError`` for years the ``holidays`` package does not cover.
    """
    return dict(_holiday_map(year))


def holiday_name(d: date) -> str | None:
    """German name of the NRW public holiday on ``d``, or ``None``."""
    return _holiday_map(d.year).get(d)


def is_working_day(d: date) -> bool:
    """``True`` for Monday to Friday unless the day is a public holiday in NRW."""
    # Looking up the (cached) holiday map first keeps the error behaviour for unsupported
    # years identical for weekdays and weekends.
    holidays_of_year = _holiday_map(d.year)
    return d.weekday() < 5 and d not in holidays_of_year


def _shift(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise DeadlineError(
            f"Das Fristende liegt außerhalb des unterstützten Datumsbereichs "
            f"(ab {format_date_de(d)} um {_plural(days, 'Tag', 'Tage')})."
        ) from None


def next_working_day(d: date) -> date:
    """``d`` itself if it is a working day, otherwise the next working day after it."""
    current = d
    while not is_working_day(current):
        current = _shift(current, 1)
    return current


# --------------------------------------------------------------------------- month arithmetic


def end_of_month_date(year: int, month: int, day: int) -> date:
    """``date(year, month, day)``, clamped to the last day of the month if ``day`` is too big."""
    if not MINYEAR <= year <= MAXYEAR:
        raise DeadlineError(f"Das Jahr {year} liegt außerhalb des unterstützten Bereichs.")
    if not 1 <= month <= 12:
        raise DeadlineError(f"Der Monat muss zwischen 1 und 12 liegen (angegeben: {month}).")
    if day < 1:
        raise DeadlineError(f"Der Tag muss mindestens 1 sein (angegeben: {day}).")
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _check_count(value: int, label: str, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DeadlineError(f"Die Angabe „{label}“ muss eine ganze Zahl sein.")
    if value < 0:
        raise DeadlineError(f"Die Angabe „{label}“ darf nicht negativ sein (angegeben: {value}).")
    if maximum is not None and value > maximum:
        raise DeadlineError(
            f"Die Angabe „{label}“ darf höchstens {maximum} betragen (angegeben: {value})."
        )


def add_months(d: date, months: int) -> date:
    """Add ``months`` (0..1200) calendar months; clamps to the last day of the target month."""
    _check_count(months, "Monate", MAX_MONTHS)
    index = d.year * 12 + (d.month - 1) + months
    year, month_index = divmod(index, 12)
    if year > MAXYEAR:
        raise DeadlineError(
            f"Das Fristende liegt außerhalb des unterstützten Datumsbereichs "
            f"(ab {format_date_de(d)} um {_plural(months, 'Monat', 'Monate')})."
        )
    return end_of_month_date(year, month_index + 1, d.day)


# --------------------------------------------------------------------------- periods


def _validate_period(days: int, weeks: int, months: int) -> None:
    _check_count(days, "Tage")
    _check_count(weeks, "Wochen")
    _check_count(months, "Monate", MAX_MONTHS)
    if days == 0 and weeks == 0 and months == 0:
        raise DeadlineError(
            "Die Frist muss mindestens einen Tag, eine Woche oder einen Monat umfassen."
        )


class Period(BaseModel):
    """A period (Frist) of months, weeks and days; all non-negative, not all zero.

    Constructing it with invalid values raises ``DeadlineError`` (German message).
    """

    model_config = ConfigDict(frozen=True, strict=True)

    days: int = Field(default=0, ge=0)
    weeks: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0, le=MAX_MONTHS)

    def __init__(self, *, days: int = 0, weeks: int = 0, months: int = 0, **extra: Any) -> None:
        if extra:
            raise DeadlineError(f"Unbekannte Angabe zur Frist: {', '.join(sorted(extra))}.")
        _validate_period(days, weeks, months)
        super().__init__(days=days, weeks=weeks, months=months)

    @model_validator(mode="after")
    def _not_empty(self) -> "Period":
        # Also guards ``Period.model_validate``, which does not go through ``__init__``.
        if self.days == 0 and self.weeks == 0 and self.months == 0:
            raise ValueError(
                "Die Frist muss mindestens einen Tag, eine Woche oder einen Monat umfassen."
            )
        return self

    def describe(self) -> str:
        """German description, e.g. ``1 Monat, 2 Wochen und 3 Tage``."""
        parts: list[str] = []
        if self.months:
            parts.append(_plural(self.months, "Monat", "Monate"))
        if self.weeks:
            parts.append(_plural(self.weeks, "Woche", "Wochen"))
        if self.days:
            parts.append(_plural(self.days, "Tag", "Tage"))
        return _join_de(parts)

    def end_from(self, start: date) -> date:
        """Computed end (§ 188 BGB) before any move to a working day."""
        after_months = add_months(start, self.months) if self.months else start
        return _shift(after_months, 7 * self.weeks + self.days)


# --------------------------------------------------------------------------- results


class DeadlineResult(BaseModel, frozen=True):
    """Outcome of a deadline computation."""

    start: date  # the triggering event day (or the Termin date for fixed dates)
    raw_end: date  # end before moving to a working day
    end: date  # the effective deadline
    is_termin: bool
    moved: bool
    explanation: str  # short German explanation, lines joined with "\n"


def _require_date(value: object, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise DeadlineError(f"{label} muss ein Kalenderdatum (ohne Uhrzeit) sein.")
    return value


def _move_reasons(raw_end: date, end: date) -> str:
    skipped: list[date] = []
    current = raw_end
    while current < end:
        skipped.append(current)
        current += timedelta(days=1)
    if not any(holiday_name(day) for day in skipped):
        return "Wochenende"
    reasons: list[str] = []
    for day in skipped:
        name = holiday_name(day)
        if name is not None:
            reasons.append(f"{name} ist Feiertag")
        elif day != raw_end:  # the weekday of raw_end is already named in the line itself
            reasons.append(f"{format_date_de(day)} ist {WEEKDAYS_DE[day.weekday()]}")
    return ", ".join(reasons)


def _end_line(raw_end: date, end: date) -> str:
    if raw_end == end:
        return f"Fristende: {format_day_de(end)} (Werktag)"
    return (
        f"Fristende fällt auf {format_day_de(raw_end)} → nächster Werktag: "
        f"{format_day_de(end)} ({_move_reasons(raw_end, end)})"
    )


def _month_clamp_note(start: date, months: int) -> str | None:
    if not months:
        return None
    month_end = add_months(start, months)
    if month_end.day == start.day:
        return None
    return (
        f"Hinweis: Der {MONTHS_DE[month_end.month - 1]} {month_end.year} hat keinen "
        f"{start.day}. Tag; die Monatsfrist endet mit dem Monatsletzten, "
        f"{format_date_de(month_end)} (§ 188 Abs. 3 BGB)."
    )


def compute_deadline(
    start: date, *, days: int = 0, weeks: int = 0, months: int = 0
) -> DeadlineResult:
    """Compute a Frist that starts with the event day ``start`` (not counted).

    Months are added first, then weeks and days. An end on a Saturday, Sunday or NRW holiday
    moves to the next working day. Raises ``DeadlineError`` for negative or all-zero values.
    """
    start = _require_date(start, "Der Fristbeginn")
    period = Period(days=days, weeks=weeks, months=months)
    raw_end = period.end_from(start)
    end = next_working_day(raw_end)
    lines = [
        f"Fristbeginn: {format_day_de(start)} (Ereignistag, wird nicht mitgezählt)",
        f"Frist: {period.describe()}",
        f"Rechnerisches Fristende: {format_day_de(raw_end)}",
    ]
    note = _month_clamp_note(start, period.months)
    if note is not None:
        lines.append(note)
    lines.append(_end_line(raw_end, end))
    return DeadlineResult(
        start=start,
        raw_end=raw_end,
        end=end,
        is_termin=False,
        moved=end != raw_end,
        explanation="\n".join(lines),
    )


def fixed_date(d: date) -> DeadlineResult:
    """A Termin set by an authority: it never moves, not even on a Sunday or holiday."""
    d = _require_date(d, "Der Termin")
    lines = [f"Termin am {format_day_de(d)} – feste Termine werden nicht verschoben."]
    try:
        name = holiday_name(d)
    except DeadlineError:  # informative only; a Termin is valid without holiday data
        name = None
    if name is not None:
        lines.append(f"Hinweis: Der {format_date_de(d)} ist ein Feiertag ({name}).")
    return DeadlineResult(
        start=d, raw_end=d, end=d, is_termin=True, moved=False, explanation="\n".join(lines)
    )


def interim_report_dates(period_start: date, period_end: date) -> list[DeadlineResult]:
    """Due dates of the Zwischennachweise (ANBest-P Nr. 6).

    One report per calendar year of the Bewilligungszeitraum except the last one, due on
    30 April of the following year (four months after the end of the budget year) and moved
    to the next working day like any Frist.
    """
    period_start = _require_date(period_start, "Der Beginn des Bewilligungszeitraums")
    period_end = _require_date(period_end, "Das Ende des Bewilligungszeitraums")
    if period_end < period_start:
        raise DeadlineError(
            f"Der Bewilligungszeitraum endet ({format_date_de(period_end)}) vor seinem "
            f"Beginn ({format_date_de(period_start)})."
        )
    results: list[DeadlineResult] = []
    for year in range(period_start.year, period_end.year):
        year_end = date(year, 12, 31)
        raw_end = date(year + 1, 4, 30)
        end = next_working_day(raw_end)
        lines = [
            f"Zwischennachweis für das Haushaltsjahr {year} (ANBest-P Nr. 6): "
            "binnen vier Monaten nach Ablauf des Haushaltsjahres",
            f"Fristbeginn: {format_day_de(year_end)} (Ablauf des Haushaltsjahres)",
            f"Rechnerisches Fristende: {format_day_de(raw_end)}",
            _end_line(raw_end, end),
        ]
        results.append(
            DeadlineResult(
                start=year_end,
                raw_end=raw_end,
                end=end,
                is_termin=False,
                moved=end != raw_end,
                explanation="\n".join(lines),
            )
        )
    return results


def final_report_date(period_end: date, months: int = 6) -> DeadlineResult:
    """Due date of the Verwendungsnachweis: ``months`` months after ``period_end``."""
    period_end = _require_date(period_end, "Das Ende des Bewilligungszeitraums")
    result = compute_deadline(period_end, months=months)
    header = (
        f"Verwendungsnachweis: {_plural(months, 'Monat', 'Monate')} nach Ende des "
        "Bewilligungszeitraums (ANBest-P Nr. 6)"
    )
    return result.model_copy(update={"explanation": f"{header}\n{result.explanation}"})


# --------------------------------------------------------------------------- parsing


def _echo(text: str) -> str:
    return text if len(text) <= _MAX_ECHO else f"{text[: _MAX_ECHO - 1]}…"


def parse_date_de(text: str) -> date:
    """Parse ``TT.MM.JJJJ`` (also ``T.M.JJJJ``) or ISO ``JJJJ-MM-TT``.

    Malformed or impossible dates raise ``DeadlineError`` with a German message.
    """
    if not isinstance(text, str):
        raise DeadlineError(
            "Ungültiges Datum: Erwartet wird ein Text im Format TT.MM.JJJJ oder JJJJ-MM-TT."
        )
    cleaned = text.strip()
    if not cleaned:
        raise DeadlineError(f"Kein Datum angegeben: {_EXPECTED_FORMAT}")
    if match := _ISO_RE.fullmatch(cleaned):
        year, month, day = (int(group) for group in match.groups())
    elif match := _GERMAN_RE.fullmatch(cleaned):
        day, month, year = (int(group) for group in match.groups())
    else:
        raise DeadlineError(f"Ungültiges Datum „{_echo(cleaned)}“: {_EXPECTED_FORMAT}")

    prefix = f"Ungültiges Datum „{cleaned}“"
    if not MINYEAR <= year <= MAXYEAR:
        raise DeadlineError(f"{prefix}: Das Jahr muss zwischen {MINYEAR} und {MAXYEAR} liegen.")
    if not 1 <= month <= 12:
        raise DeadlineError(f"{prefix}: Der Monat muss zwischen 1 und 12 liegen.")
    if day < 1:
        raise DeadlineError(f"{prefix}: Der Tag muss mindestens 1 sein.")
    days_in_month = calendar.monthrange(year, month)[1]
    if day > days_in_month:
        raise DeadlineError(
            f"{prefix}: Der {MONTHS_DE[month - 1]} {year} hat nur {days_in_month} Tage."
        )
    return date(year, month, day)
