"""The charts: four PNG pictures in German number format, also for an empty installation."""

from __future__ import annotations

import datetime as dt

from matplotlib.figure import Figure

from models.reporting.formatting import format_count, format_eur_short
from models.reporting.period import ReportPeriod
from models.reporting.records import (
    ApplicationRecord,
    BodyRecord,
    DeadlineRecord,
    ProjectRecord,
    ReportData,
)
from models.reporting.sachstand import sachstand_facts
from tasks.reporting import charts

DAY = dt.date(2031, 4, 1)


def _facts(empty: bool):  # type: ignore[no-untyped-def]
    bodies = [BodyRecord(name=n, official_name=n) for n in ("Kreis", "Adorf")]
    apps = [] if empty else [
        ApplicationRecord(reference="FA-1", title="t", year=2031, stage="bewilligt", lead="Adorf",
                          programme="P", created_on=DAY, granted_cents=123_456_789,
                          eligible_costs_cents=150_000_000),
    ]  # fmt: skip
    projects = (
        []
        if empty
        else [
            ProjectRecord(code="HF1-01", title="p", field="Bildung", status="geplant", lead="Kreis")
        ]
    )
    deadlines = (
        []
        if empty
        else [DeadlineRecord(title="Zwischennachweis", kind="zwischennachweis", due=DAY)]
    )
    data = ReportData(bodies=bodies, applications=apps, projects=projects, deadlines=deadlines)
    return sachstand_facts(data, DAY, ReportPeriod(start=DAY, end=DAY), None)


def test_german_formats() -> None:
    assert format_eur_short(123_456_789) == "1.234.568\u00a0€"
    assert format_count(12345) == "12.345"


def test_four_pngs_with_title_and_source(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts: list[str] = []
    original = Figure.text

    def spy(self, x, y, s, *args, **kwargs):  # type: ignore[no-untyped-def]
        texts.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Figure, "text", spy)
    for empty in (False, True):
        pictures = charts.render_charts(_facts(empty), "Quelle: Test; Stand 01.04.2031")
        assert set(pictures) == {"funding", "stages", "fields", "deadlines"}
        assert all(p.startswith(b"\x89PNG") for p in pictures.values())
    assert texts.count("Quelle: Test; Stand 01.04.2031") == 8


def test_euro_axis_is_german() -> None:
    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    charts._euro_axis(ax)
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(1_500_000, 0) == "1.500.000\u00a0€"
