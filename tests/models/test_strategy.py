"""Pure rules of the strategy revision: codes, inputs, consolidation, progress, funding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from foerderflow.settings import body_names
from models.errors import InputError, NotFoundError
from models.forms import validate_input
from models.strategy import (
    BodyCycleView,
    ChangeKind,
    FundingApplication,
    Handlungsfeld,
    ProjectRecord,
    ProjectStatus,
    ProjectView,
    ReportedStatus,
    ReportState,
    ResolutionOutcome,
    ResolutionView,
    changes_since_last_year,
    consolidate,
    field_of_code,
    funding_by_body,
    next_project_code,
    status_counts,
)
from models.strategy_inputs import (
    BeschlussInput,
    FortschreibungInput,
    StatusEntryInput,
    StatusmeldungInput,
    check_report,
    report_fingerprint,
)
from models.strategy_progress import (
    all_adopted,
    consolidation_token,
    latest_resolution,
    missing_bodies,
    progress,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "projektliste.yaml"


def _project(code: str, lead: str, participants: list[str], status: str = "in_umsetzung"):
    return ProjectView(
        code=code,
        title=f"Projekt {code}",
        field=field_of_code(code),
        lead=lead,
        participants=participants,
        status=ProjectStatus(status),
    )


def _reported(code: str, body: str, status: str, note: str = "") -> ReportedStatus:
    return ReportedStatus(
        project_code=code, body=body, body_label=f"Stadt {body}", status=status, note=note
    )


# --- the project list -----------------------------------------------------------------------


def test_shipped_project_list_is_valid_and_covers_every_body() -> None:
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))["projekte"]
    records = [ProjectRecord.model_validate(item) for item in items]
    assert 28 <= len(records) <= 36
    codes = [r.code for r in records]
    assert len(set(codes)) == len(codes)
    assert {r.handlungsfeld for r in records} == set(Handlungsfeld)
    bodies = body_names(DATA.parent)
    for body in bodies:
        assert any(r.lead == body or body in r.participant_names(bodies) for r in records), body
    everyone = next(r for r in records if r.code == "HF2-01")
    assert everyone.participants == "alle" and len(everyone.participant_names(bodies)) == 11


def test_project_record_checks_code_and_lead() -> None:
    base = {"title": "Test", "lead": "Olfen", "status": "geplant"}
    with pytest.raises(ValidationError, match="passt nicht zum Handlungsfeld"):
        ProjectRecord.model_validate({**base, "code": "HF1-09", "handlungsfeld": "Mobilität"})
    with pytest.raises(ValidationError, match="federführend"):
        ProjectRecord.model_validate(
            {**base, "code": "HF3-09", "handlungsfeld": "Mobilität", "participants": ["Olfen"]}
        )


def test_codes() -> None:
    assert Handlungsfeld.VERWALTUNG.prefix == "HF2"
    assert field_of_code("HF8-03") is Handlungsfeld.UMWELT
    assert next_project_code(Handlungsfeld.MOBILITAET, ["HF3-01", "HF3-04", "HF4-07"]) == "HF3-05"
    assert next_project_code(Handlungsfeld.GESUNDHEIT, []) == "HF5-01"
    with pytest.raises(InputError, match="kein gültiger Projekt-Code"):
        field_of_code("X-1")


# --- inputs ---------------------------------------------------------------------------------


def test_report_input_is_validated_in_german() -> None:
    with pytest.raises(InputError, match="weder Projekte noch neue Vorschläge"):
        validate_input(
            StatusmeldungInput,
            {"year": 2027, "body": "Olfen", "entered_by": "Anna"},
            what="Statusmeldung",
        )
    with pytest.raises(InputError, match="HF3-04 ist mehrfach gemeldet"):
        validate_input(
            StatusmeldungInput,
            {
                "year": 2027,
                "body": "Olfen",
                "entries": [
                    {"project_code": "HF3-04", "status": "geplant"},
                    {"project_code": "hf3-04", "status": "abgeschlossen"},
                ],
                "entered_by": "Anna",
            },
        )
    with pytest.raises(InputError, match="Körperschaft muss einer der Werte"):
        validate_input(
            StatusmeldungInput,
            {
                "year": 2027,
                "body": "Münster",
                "entries": [{"project_code": "HF3-04", "status": "geplant"}],
                "entered_by": "Anna",
            },
        )
    with pytest.raises(InputError, match="Projekte › Eintrag 1 › Stand muss einer der Werte"):
        validate_input(
            StatusmeldungInput,
            {
                "year": 2027,
                "body": "Olfen",
                "entries": [{"project_code": "HF3-04", "status": "fertig"}],
                "entered_by": "Anna",
            },
        )


def test_resolution_input_rules() -> None:
    base = {"year": 2027, "body": "Olfen", "meeting_date": "2027-03-10", "entered_by": "Anna"}
    with pytest.raises(ValidationError, match="mit welchen Änderungen"):
        BeschlussInput.model_validate({**base, "outcome": "geaendert_beschlossen"})
    with pytest.raises(ValidationError, match="nur bei „vertagt“"):
        BeschlussInput.model_validate(
            {**base, "outcome": "beschlossen", "next_meeting": "2027-05-01"}
        )
    with pytest.raises(ValidationError, match="nach der Sitzung"):
        BeschlussInput.model_validate({**base, "outcome": "vertagt", "next_meeting": "2027-03-01"})
    with pytest.raises(InputError, match="Jahr der Fortschreibung darf nicht kleiner als 2020"):
        validate_input(BeschlussInput, {**base, "outcome": "beschlossen", "year": 1999})


def test_open_input_defaults_to_the_current_year() -> None:
    assert FortschreibungInput().for_year(dt.date(2028, 1, 15)) == 2028
    assert FortschreibungInput(year=2027).for_year(dt.date(2028, 1, 15)) == 2027
    assert FortschreibungInput().entered_by == "Jahreslauf (automatisch)"


# --- a report against the list ---------------------------------------------------------------


def test_check_report_refuses_unknown_and_foreign_projects() -> None:
    projects = {
        "HF3-04": _project("HF3-04", "Olfen", ["Senden"]),
        "HF1-03": _project("HF1-03", "Dülmen", ["Havixbeck"]),
        "HF8-03": _project("HF8-03", "Olfen", [], "abgeschlossen"),
        "HF8-01": _project("HF8-01", "Senden", ["Olfen"]),
    }
    entry = StatusEntryInput(project_code="HF3-04", status="abgeschlossen")
    assert check_report("Olfen", "Stadt Olfen", projects, [entry]) == ["HF8-01"]
    with pytest.raises(NotFoundError, match="Der Projekt-Code HF5-09 ist in der Projektliste"):
        check_report(
            "Olfen",
            "Stadt Olfen",
            projects,
            [StatusEntryInput(project_code="HF5-09", status="geplant")],
        )
    with pytest.raises(InputError, match="Stadt Olfen ist an HF1-03 „Projekt HF1-03“ nicht"):
        check_report(
            "Olfen",
            "Stadt Olfen",
            projects,
            [StatusEntryInput(project_code="HF1-03", status="geplant")],
        )


def test_report_fingerprint_ignores_order() -> None:
    a = StatusEntryInput(project_code="HF3-04", status="geplant")
    b = StatusEntryInput(project_code="HF8-01", status="abgeschlossen", note="fertig")
    assert report_fingerprint([a, b], []) == report_fingerprint([b, a], [])
    assert report_fingerprint([a], []) != report_fingerprint([a, b], [])


# --- consolidation ---------------------------------------------------------------------------


def test_consolidation_lead_decides_and_differences_are_kept() -> None:
    projects = [
        _project("HF2-04", "Coesfeld", ["Billerbeck", "Dülmen"]),
        _project("HF3-04", "Olfen", ["Senden"]),
        _project("HF3-02", "Kreis Coesfeld", ["Nottuln"], "geplant"),
        _project("HF2-03", "Senden", [], "abgeschlossen"),
        _project("HF7-04", "Rosendahl", [], "geplant"),  # proposed this year
        _project("HF3-03", "Dülmen", [], "zurueckgestellt"),
    ]
    baseline = {
        "HF2-04": "in_umsetzung",
        "HF3-04": "in_umsetzung",
        "HF3-02": "geplant",
        "HF2-03": "abgeschlossen",
        "HF3-03": "zurueckgestellt",
    }
    reports = [
        _reported("HF2-04", "Billerbeck", "in_umsetzung"),
        _reported("HF2-04", "Coesfeld", "abgeschlossen", "Seit Oktober im Einsatz"),
        _reported("HF3-04", "Senden", "zurueckgestellt"),
        _reported("HF3-02", "Nottuln", "in_umsetzung"),
        _reported("HF3-03", "Dülmen", "verworfen"),
    ]
    rows = {r.project.code: r for r in consolidate(projects, baseline, reports)}
    assert rows["HF2-04"].current is ProjectStatus.ABGESCHLOSSEN
    assert rows["HF2-04"].note == "Seit Oktober im Einsatz"
    assert rows["HF2-04"].conflicts == ["Stadt Billerbeck: in Umsetzung"]
    assert rows["HF3-04"].current is ProjectStatus.ZURUECKGESTELLT  # only a participant reported
    assert rows["HF3-02"].change is ChangeKind.BEGONNEN
    assert rows["HF2-03"].change is None and not rows["HF2-03"].listed
    assert rows["HF7-04"].is_new and rows["HF7-04"].current is ProjectStatus.GEPLANT
    changes = changes_since_last_year(list(rows.values()))
    assert [r.project.code for r in changes.new] == ["HF7-04"]
    assert [r.project.code for r in changes.completed] == ["HF2-04"]
    assert [r.project.code for r in changes.deferred] == ["HF3-04"]
    assert [r.project.code for r in changes.dropped] == ["HF3-03"]
    assert [r.project.code for r in changes.started] == ["HF3-02"]
    counts = status_counts(list(rows.values()))
    assert counts[ProjectStatus.ABGESCHLOSSEN] == 1 and sum(counts.values()) == 5


def test_without_reports_last_years_status_stays() -> None:
    rows = consolidate([_project("HF1-01", "Kreis Coesfeld", [])], {"HF1-01": "geplant"}, [])
    assert rows[0].current is ProjectStatus.GEPLANT and rows[0].change is None
    assert not changes_since_last_year(rows).any


# --- progress --------------------------------------------------------------------------------


def _state(body: str, reported: bool, outcome: str | None = None, version: int = 1):
    resolution = (
        ResolutionView(outcome=outcome, meeting_date=dt.date(2027, 3, 1)) if outcome else None
    )
    return BodyCycleView(
        body=body,
        official_name=body,
        slug=body.lower(),
        report_state=ReportState.GEMELDET if reported else ReportState.OFFEN,
        version=version if reported else 0,
        resolution=resolution,
    )


def test_progress_counts_reports_and_adoptions() -> None:
    states = [
        _state("Kreis Coesfeld", True, "beschlossen"),
        _state("Olfen", True, "geaendert_beschlossen"),
        _state("Senden", True, "vertagt"),
        _state("Nottuln", False),
    ]
    info = progress(states)
    assert (info.reported, info.adopted, info.total) == (3, 2, 4)
    assert info.missing == ["Nottuln"] and info.not_adopted == ["Senden", "Nottuln"]
    assert info.describe() == "Statusmeldungen 3/4, Beschlüsse 2/4, Sperrvermerk besteht noch"
    assert [s.body for s in missing_bodies(states)] == ["Nottuln"]
    assert not all_adopted(states)
    assert all_adopted(states[:2])
    assert consolidation_token(states) != consolidation_token(
        [*states[:3], _state("Nottuln", True)]
    )


def test_latest_meeting_counts() -> None:
    deferred = ResolutionView(outcome="vertagt", meeting_date=dt.date(2027, 3, 1))
    adopted = ResolutionView(outcome="beschlossen", meeting_date=dt.date(2027, 5, 3))
    assert latest_resolution([adopted, deferred]) == adopted
    assert latest_resolution([]) is None
    assert ResolutionOutcome.VERTAGT.escalates and not ResolutionOutcome.BESCHLOSSEN.escalates
    assert ResolutionOutcome.GEAENDERT_BESCHLOSSEN.label == "geändert beschlossen"


# --- funding ---------------------------------------------------------------------------------


def test_funding_per_body_counts_joint_applications_for_each_body_and_once_in_total() -> None:
    apps = [
        FundingApplication(
            reference="FA-2026-001", title="A", project_code="HF4-01", stage="bewilligt",
            lead="Dülmen", bodies=["Dülmen", "Olfen"], requested_cents=450_000_00,
            granted_cents=400_000_00,
        ),
        FundingApplication(
            reference="FA-2026-002", title="B", project_code="HF4-01", stage="eingereicht",
            lead="Olfen", bodies=["Olfen"], requested_cents=100_000_00, granted_cents=None,
        ),
        FundingApplication(
            reference="FA-2026-003", title="C", project_code="HF1-01", stage="idee",
            lead="Olfen", bodies=["Olfen"], requested_cents=None, granted_cents=None,
        ),
        FundingApplication(
            reference="FA-2026-004", title="D", project_code="HF1-01", stage="zurueckgezogen",
            lead="Olfen", bodies=["Olfen"], requested_cents=5_00, granted_cents=None,
        ),
    ]  # fmt: skip
    summary = funding_by_body(apps, ["Dülmen", "Olfen", "Senden"])
    rows = {r.body: r for r in summary.rows}
    assert (rows["Dülmen"].applications, rows["Dülmen"].requested_cents) == (1, 450_000_00)
    assert rows["Olfen"].requested_cents == 550_000_00 and rows["Olfen"].granted_cents == 400_000_00
    assert rows["Senden"].applications == 0
    assert summary.total_requested_cents == 550_000_00
    assert summary.total_granted_cents == 400_000_00
    assert summary.total_applications == 2 and summary.in_preparation == 1
