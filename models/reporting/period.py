"""The reporting period and the quarterly rule of the Sachstandsbericht.

The report is scheduled on the first working day of January, April, July and October at
08:00 (Europe/Berlin). Cron cannot say "first working day", so the schedule fires on the
first seven days of those months and :func:`is_quarterly_report_day` decides; working days
are those of ``models.deadlines`` (Monday to Friday except the public holidays of NRW,
§ 2 FeiertG NW).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, model_validator

from models.deadlines import format_date_de, next_working_day
from models.errors import InputError

QUARTER_MONTHS = (1, 4, 7, 10)
# The cron line of the deployment: 08:00 on days 1-7 of the quarter's first month.
QUARTERLY_CRON = "0 8 1-7 1,4,7,10 *"


def period_error(start: dt.date, end: dt.date) -> str:
    return (
        f"Der Berichtszeitraum beginnt am {format_date_de(start)} nach seinem Ende am "
        f"{format_date_de(end)} – bitte Beginn und Stichtag prüfen."
    )


class ReportPeriod(BaseModel):
    """A closed range of days [start, end]."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> ReportPeriod:
        if self.start > self.end:
            raise ValueError(period_error(self.start, self.end))
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{format_date_de(self.start)} bis {format_date_de(self.end)}"


def default_period(
    stichtag: dt.date, last_report: dt.date | None, start: dt.date | None = None
) -> ReportPeriod:
    """The period of a report as of ``stichtag``: from ``start`` when given, else since the
    last report (its Stichtag included, so nothing of that day is lost), else since
    1 January of the Stichtag's year."""
    if start is None:
        if last_report is not None and last_report <= stichtag:
            start = last_report
        else:
            start = dt.date(stichtag.year, 1, 1)
    if start > stichtag:
        raise InputError(period_error(start, stichtag))
    return ReportPeriod(start=start, end=stichtag)


def first_working_day_of_quarter(year: int, month: int) -> dt.date:
    """The first working day of the quarter that begins in ``month`` (1, 4, 7 or 10)."""
    if month not in QUARTER_MONTHS:
        raise ValueError(f"{month} ist kein Quartalsbeginn")
    return next_working_day(dt.date(year, month, 1))


def is_quarterly_report_day(day: dt.date) -> bool:
    """True on the first working day of January, April, July and October."""
    return day.month in QUARTER_MONTHS and day == first_working_day_of_quarter(day.year, day.month)
