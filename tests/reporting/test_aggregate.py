"""Pure aggregations of the Sachstandsbericht: exact cent sums, counts, periods, public data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InputError
from models.reporting.aggregate import (
    deadline_outlook,
    funding_by_body,
    funding_by_programme,
    funding_by_year,
    funding_totals,
    own_shares,
    project_matrix,
    stage_counts,
    total_row,
)
from models.reporting.period import (
    ReportPeriod,
    default_period,
    first_working_day_of_quarter,
    is_quarterly_report_day,
)
from models.reporting.public import public_funding, public_projects, redact
from models.reporting.records import (
    ApplicationRecord,
    BodyRecord,
    DeadlineRecord,
    ProjectRecord,
    ReportData,
    ShareRecord,
    StageChange,
)
from models.reporting.sachstand import sachstand_context, sachstand_facts

BODIES = ["Kreis", "Adorf", "Bedorf"]
DAY = dt.date(2027, 4, 1)
PERIOD = ReportPeriod(start=dt.date(2027, 1, 1), end=DAY)


def _app(ref: str, stage: str, lead: str = "Adorf", **kw: object) -> ApplicationRecord:
    values: dict[str, object] = {
        "reference": ref,
        "title": f"Antrag {ref}",
        "year": 2026,
        "stage": stage,
        "lead": lead,
        "programme": "Heimat 2.0",
        "created_on": dt.date(2026, 5, 1),
    }
    values.update(kw)
    return ApplicationRecord.model_validate(values)


def _share(body: str, cents: int | None, lead: bool = False, decision: str = "zugesagt"):
    return ShareRecord(body=body, is_lead=lead, decision=decision, share_cents=cents)


GRANTED = _app(
    "FA-2026-001",
    "bewilligt",
    requested_cents=45_000_001,
    granted_cents=42_000_001,
    eligible_costs_cents=50_000_000,
    shares=[
        _share("Adorf", 4_000_000, lead=True),
        _share("Bedorf", 3_999_999),
        _share("Kreis", None, decision="abgesagt"),
    ],
)
REJECTED = _app("FA-2026-002", "abgelehnt", lead="Bedorf", requested_cents=10_000_033)
OPEN = _app("FA-2027-003", "eingereicht", lead="Kreis", year=2027, requested_cents=77_777)
IDEA = _app("FA-2027-004", "idee", created_on=dt.date(2027, 2, 1), requested_cents=99)
CLOSED = _app(
    "FA-2025-005",
    "abgeschlossen",
    lead="Kreis",
    year=2025,
    programme="Smarte.Land.Regionen",
    requested_cents=90_000_000,
    granted_cents=88_888_888,
    eligible_costs_cents=100_000_000,
)  # no plan recorded: the lead carries the own share
APPS = [GRANTED, REJECTED, OPEN, IDEA, CLOSED]


def test_totals_are_exact_cent_sums() -> None:
    t = funding_totals(APPS)
    assert t.applied_count == 4
    assert t.applied_cents == 45_000_001 + 10_000_033 + 77_777 + 90_000_000
    assert (t.granted_count, t.granted_cents) == (2, 42_000_001 + 88_888_888)
    assert t.own_share_cents == 4_000_000 + 3_999_999 + (100_000_000 - 88_888_888)
    assert (t.rejected_count, t.rejected_cents) == (1, 10_000_033)
    assert (t.open_count, t.open_cents) == (1, 77_777)
    assert t.preparation_count == 1


def test_own_shares_come_from_the_plan_and_skip_declined_partners() -> None:
    assert own_shares(GRANTED) == {"Adorf": 4_000_000, "Bedorf": 3_999_999}
    assert own_shares(CLOSED) == {"Kreis": 100_000_000 - 88_888_888}
    assert own_shares(OPEN) == {}


def test_rows_add_up_to_the_totals_in_every_table() -> None:
    t = funding_totals(APPS)
    for rows in (funding_by_body(APPS, BODIES), funding_by_programme(APPS), funding_by_year(APPS)):
        total = total_row(rows)
        assert total.granted_cents == t.granted_cents
        assert total.own_share_cents == t.own_share_cents
        assert total.requested_cents == t.applied_cents
        assert total.applications == t.applied_count
    by_body = {r.label: r for r in funding_by_body(APPS, BODIES)}
    assert by_body["Adorf"].granted_cents == 42_000_001  # the lead gets the grant
    assert by_body["Bedorf"].granted_cents == 0
    assert by_body["Bedorf"].own_share_cents == 3_999_999  # its share as a partner
    assert [r.label for r in funding_by_year(APPS)] == ["2025", "2026", "2027"]


def test_an_unknown_lead_still_counts() -> None:
    rows = funding_by_body([_app("FA-1", "bewilligt", lead="Cedorf", granted_cents=5)], BODIES)
    assert rows[-1].label == "Cedorf" and rows[-1].granted_cents == 5


def test_stage_counts_and_changes_in_period() -> None:
    changes = [
        StageChange(
            reference="FA-2027-003", title="x", on=dt.date(2027, 3, 1),
            from_stage="freigegeben", to_stage="eingereicht",
        ),
        StageChange(
            reference="FA-2026-001", title="y", on=dt.date(2026, 12, 31),
            from_stage="eingereicht", to_stage="bewilligt",
        ),
    ]  # fmt: skip
    counts = {c.stage.value: c for c in stage_counts(APPS, changes, PERIOD)}
    assert len(counts) == 10 and sum(c.count for c in counts.values()) == len(APPS)
    assert counts["eingereicht"].new_in_period == 1
    assert counts["bewilligt"].new_in_period == 0  # before the period
    assert counts["idee"].new_in_period == 1  # FA-2027-004 created in the period


def test_project_matrix_by_field_and_status() -> None:
    projects = [
        ProjectRecord(code="HF2-01", title="a", field="Verwaltung & Bürgerservice",
                      status="geplant", lead="Kreis"),
        ProjectRecord(code="HF1-01", title="b", field="Bildung", status="in_umsetzung",
                      lead="Kreis"),
        ProjectRecord(code="HF1-02", title="c", field="Bildung", status="in_umsetzung",
                      lead="Adorf"),
        ProjectRecord(code="X-1", title="d", field="Anderes", status="abgeschlossen", lead="A"),
    ]  # fmt: skip
    rows = project_matrix(projects)
    assert [r.field for r in rows] == ["Bildung", "Verwaltung & Bürgerservice", "Anderes"]
    assert rows[0].counts == [0, 2, 0, 0, 0] and rows[0].total == 2
    assert sum(r.total for r in rows) == 4


def test_deadline_outlook_90_days_and_overdue() -> None:
    def d(day: dt.date, title: str) -> DeadlineRecord:
        return DeadlineRecord(title=title, kind="sonstige", due=day)

    items = [
        d(DAY + dt.timedelta(days=90), "last"),
        d(DAY + dt.timedelta(days=91), "too late"),
        d(DAY, "today"),
        d(DAY - dt.timedelta(days=1), "overdue"),
    ]
    out = deadline_outlook(items, DAY)
    assert [x.title for x in out.upcoming] == ["today", "last"]
    assert [x.title for x in out.overdue] == ["overdue"]


def test_period_defaults_and_bad_period() -> None:
    assert default_period(DAY, None) == ReportPeriod(start=dt.date(2027, 1, 1), end=DAY)
    assert default_period(DAY, dt.date(2027, 1, 4)).start == dt.date(2027, 1, 4)
    with pytest.raises(InputError, match=r"beginnt am 02\.04\.2027 nach seinem Ende"):
        default_period(DAY, None, start=dt.date(2027, 4, 2))


def test_first_working_day_of_the_quarter() -> None:
    # 1 Jan is Neujahr; 2027-01-01 is a Friday -> Monday 4 Jan.
    assert first_working_day_of_quarter(2027, 1) == dt.date(2027, 1, 4)
    # 2024-04-01 is Ostermontag -> Tuesday 2 April.
    assert first_working_day_of_quarter(2024, 4) == dt.date(2024, 4, 2)
    # 2028-07-01 is a Saturday -> Monday 3 July.
    assert first_working_day_of_quarter(2028, 7) == dt.date(2028, 7, 3)
    assert first_working_day_of_quarter(2027, 10) == dt.date(2027, 10, 1)
    assert is_quarterly_report_day(dt.date(2027, 1, 4))
    assert not is_quarterly_report_day(dt.date(2027, 1, 5))
    assert not is_quarterly_report_day(dt.date(2027, 2, 1))


def test_public_data_only() -> None:
    projects = [
        ProjectRecord(code="A", title="a", field="f", status="geplant", lead="x", public=False),
        ProjectRecord(code="B", title="b", field="f", status="verworfen", lead="x"),
        ProjectRecord(code="C", title="c", field="f", status="geplant", lead="x"),
    ]
    assert [p.code for p in public_projects(projects)] == ["C"]
    hidden = GRANTED.model_copy(update={"public": False})
    assert [a.reference for a in public_funding([hidden, OPEN, CLOSED])] == ["FA-2025-005"]
    assert redact("Fragen an anna.muster@kreis.example bitte") == (
        "Fragen an [Adresse entfernt] bitte"
    )


def test_empty_installation_reads_sensibly() -> None:
    data = ReportData(bodies=[BodyRecord(name=b, official_name=b) for b in BODIES],
                      applications=[], projects=[])  # fmt: skip
    facts = sachstand_facts(data, DAY, PERIOD, None)
    assert facts.totals.applied_cents == 0 and facts.projects_total == 0
    ctx = sachstand_context(facts, committee="A", committee_body="K")
    assert ctx.by_body_total.granted == "0,00\u00a0€"
    assert len(ctx.by_body) == 3 and ctx.body_count == "3"
    assert ctx.last_report == "" and ctx.fields == []
    assert "0 Fristen" in ctx.chart_deadlines.alt


def test_context_formats_german_amounts() -> None:
    data = ReportData(bodies=[BodyRecord(name=b, official_name=b) for b in BODIES],
                      applications=APPS, projects=[])  # fmt: skip
    ctx = sachstand_context(
        sachstand_facts(data, DAY, PERIOD, dt.date(2027, 1, 1)),
        committee="A", committee_body="K",
    )  # fmt: skip
    assert ctx.by_body_total.granted == "1.308.888,89\u00a0€"
    assert ctx.last_report == "01.01.2027"


cents = st.integers(min_value=0, max_value=10**12)


@given(st.lists(st.tuples(cents, cents, st.sampled_from(BODIES)), max_size=30))
def test_body_rows_always_sum_to_the_total(items: list[tuple[int, int, str]]) -> None:
    apps = [
        _app(f"FA-{i}", "bewilligt", lead=lead, granted_cents=g, requested_cents=g,
             shares=[_share(lead, s, lead=True)])
        for i, (g, s, lead) in enumerate(items)
    ]  # fmt: skip
    t = funding_totals(apps)
    total = total_row(funding_by_body(apps, BODIES))
    assert (total.granted_cents, total.own_share_cents) == (t.granted_cents, t.own_share_cents)
    assert t.granted_cents == sum(g for g, _, _ in items)
