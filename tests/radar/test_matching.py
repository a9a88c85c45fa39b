"""Matching: pure rules (filters, score, reasons) and the ranking for HF2-01 from the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from benchmarks.radar_export import write_folder
from foerderflow.cli import app
from foerderflow.wiring import Services
from models.radar.catalogue import ApplicantType, CallStatus, DeadlineModel
from models.radar.matching import (
    BodyProfile,
    CallProfile,
    MatchRules,
    ProjectProfile,
    field_leads,
    score_call,
)
from models.radar.tables import RadarCall
from models.radar.textdates import extract_deadline
from tasks.radar.importing import run_import
from tasks.radar.matching import hits_for_key, overview_rows
from tests.radar.test_import import EXPORT

TODAY = dt.date(2026, 12, 7)
RULES = MatchRules(today=TODAY)
KREIS = BodyProfile(name="Kreis Coesfeld", kind="kreis", regionalschluessel="055580000000")
BILLERBECK = BodyProfile(
    name="Billerbeck", kind="stadt", regionalschluessel="055580008008", leader_region="baumberge"
)
PORTAL = ProjectProfile(
    code="HF2-01",
    title="Gemeinsames Serviceportal zur Umsetzung des Onlinezugangsgesetzes",
    field="Verwaltung & Bürgerservice",
    description="Onlinedienste der Verwaltung für alle Kommunen",
    lead="Kreis Coesfeld",
    participants=("Ascheberg", "Billerbeck"),
)


def call(**kw: object) -> CallProfile:
    base: dict[str, object] = {
        "call_id": "c",
        "title": "Digitale Verwaltung",
        "status": CallStatus.OPEN,
        "deadline": TODAY + dt.timedelta(days=90),
        "applicant_types": (ApplicantType.GEMEINDE, ApplicantType.KREIS),
        "regions": ("05",),
        "themes": ("Digitalisierung", "Verwaltung"),
        "keywords": ("Onlinezugang", "interkommunal"),
        "rate_percent": Decimal(90),
    }
    base.update(kw)
    return CallProfile.model_validate(base)


def test_hard_filters() -> None:
    assert score_call(call(), KREIS, RULES, PORTAL) is not None
    companies = call(applicant_types=(ApplicantType.UNTERNEHMEN,))
    assert score_call(companies, KREIS, RULES, PORTAL) is None
    assert score_call(call(regions=("09",)), KREIS, RULES, PORTAL) is None  # another Land
    assert score_call(call(regions=("055",)), KREIS, RULES) is not None  # Reg.-Bez. Münster
    assert score_call(call(regions=("leader:baumberge",)), KREIS, RULES) is None
    assert score_call(call(regions=("leader:baumberge",)), BILLERBECK, RULES) is not None
    assert score_call(call(status=CallStatus.CLOSED), KREIS, RULES) is None
    assert score_call(call(status=CallStatus.UNKNOWN), KREIS, RULES) is None
    # 41 days is too short for a council decision, 42 days is enough (configurable)
    assert score_call(call(deadline=TODAY + dt.timedelta(days=41)), KREIS, RULES) is None
    assert score_call(call(deadline=TODAY + dt.timedelta(days=42)), KREIS, RULES) is not None
    short = MatchRules(today=TODAY, lead_days=30)
    assert score_call(call(deadline=TODAY + dt.timedelta(days=35)), KREIS, short) is not None
    # a two-stage call only needs the sketch in time
    sketch = call(deadline_model=DeadlineModel.TWO_STAGE, deadline=TODAY + dt.timedelta(days=20))
    assert score_call(sketch, KREIS, RULES) is not None
    # cut-off dates: the first one far enough ahead counts
    cutoffs = call(
        deadline_model=DeadlineModel.MULTIPLE_CUT_OFF,
        deadline=None,
        cut_off_dates=(TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=60)),
    )
    hit = score_call(cutoffs, KREIS, RULES)
    assert hit is not None and hit.deadline == TODAY + dt.timedelta(days=60)
    # partner minimum and cost limit of a project
    assert score_call(call(min_partners=4), KREIS, RULES, PORTAL) is None
    assert score_call(call(min_partners=3), KREIS, RULES, PORTAL) is not None
    costly = PORTAL.model_copy(update={"estimated_costs_cents": 5_000_000})
    assert score_call(call(max_cost_cents=2_000_000), KREIS, RULES, costly) is None


def test_score_and_german_reasons() -> None:
    hit = score_call(call(deadline=TODAY + dt.timedelta(days=34)), KREIS, MatchRules(
        today=TODAY, lead_days=30), PORTAL)  # fmt: skip
    assert hit is not None
    assert hit.reasons[0] == "Kreis antragsberechtigt"
    assert "Digitalisierung" in hit.reasons and "bis 90 %" in hit.reasons
    assert "Frist in 34 Tagen" in hit.reasons and "Kooperation erwünscht" in hit.reasons
    assert "Handlungsfeld Verwaltung & Bürgerservice" in hit.reasons
    assert hit.reason_text.startswith("Kreis antragsberechtigt · Digitalisierung · ")
    weaker = score_call(call(rate_percent=Decimal(50), themes=("Mobilität",)), KREIS, RULES, PORTAL)
    assert weaker is not None and 0 <= weaker.score < hit.score <= 100
    gemeinde = score_call(call(), BILLERBECK, RULES)
    assert gemeinde is not None and gemeinde.reasons[0] == "Gemeinde antragsberechtigt"


def test_field_leads() -> None:
    other = PORTAL.model_copy(update={"code": "HF2-02", "lead": "Dülmen"})
    third = PORTAL.model_copy(update={"code": "HF2-03", "lead": "Dülmen"})
    assert field_leads([PORTAL, other, third]) == {"Verwaltung & Bürgerservice": "Dülmen"}


def test_deadline_extraction_marks_only_unambiguous_dates() -> None:
    found = extract_deadline("Die Förderung läuft seit 2020. Stichtag: 15. April 2027. Danke.")
    assert found is not None and found.date == dt.date(2027, 4, 15)
    assert found.sentence == "Stichtag: 15. April 2027"
    assert extract_deadline("Skizzen bis 01.02.2027; Anträge bis 01.06.2027.") is None
    assert extract_deadline("Veröffentlicht am 01.02.2027.") is None  # no deadline cue
    assert extract_deadline("Frist: 31.02.2027") is None  # no such day


def test_hf2_01_ranking_from_the_database(seeded: Services, tmp_path: Path) -> None:
    run_import(seeded, str(write_folder(tmp_path / "fdb", EXPORT)), entered_by="T", today=TODAY)
    hits = hits_for_key(seeded.sessions, "HF2-01", RULES)
    with seeded.sessions() as session:
        calls = {c.call_id: c for c in session.scalars(select(RadarCall))}
    assert hits and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    best = calls[hits[0].call_id]
    # first: a Kommune-eligible digitalisation programme of the Bund or of NRW
    assert "kreis" in best.applicant_types and "Digitalisierung" in best.themes
    assert set(best.regions) <= {"DE", "05"}
    for hit in hits:
        c = calls[hit.call_id]
        assert "kreis" in c.applicant_types, c.call_id  # never companies/private persons only
        assert all(r in ("DE", "EU") or "055580000000".startswith(r) for r in c.regions)
    ids = {h.call_id for h in hits}
    assert "go-digital" not in ids and "digitales-rathaus-bayern" not in ids
    assert not any(
        i.startswith("fdb-digitales-rathaus") or i.startswith("fdb-go-digital") for i in ids
    )
    assert "digitale-modellregionen-nrw" not in ids  # closed
    # the same through the CLI: SCORE | CALL-ID | TITLE | REASONS
    result = CliRunner().invoke(app, ["radar", "treffer", "HF2-01"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0].split(" | ")
    assert len(first) == 4 and first[1] == hits[0].call_id and 0 <= int(first[0]) <= 100
    # a body as key
    body = hits_for_key(seeded.sessions, "Billerbeck", RULES)
    assert "leader-baumberge-2027" in {h.call_id for h in body}
    rows = overview_rows(seeded.sessions, RULES, per_project=10)
    fdb_row = next(r for r in rows if str(r["Aufruf"]).startswith("fdb-"))
    assert fdb_row["Quelle"] == "Quelle: Förderdatenbank des Bundes (BMWE), CC BY-ND 4.0"


def test_material_changes() -> None:
    from models.radar.catalogue import diff_call, is_material

    old = {"deadline": "2027-03-31", "rate_percent": "90", "applicant_types": ["kreis"]}
    assert not is_material(diff_call(old, {**old, "applicant_types": ["kreis", "gemeinde"]}))
    assert not is_material(diff_call(old, {**old, "rate_percent": "80"}))
    assert is_material(diff_call(old, {**old, "rate_percent": "95"}))
    assert is_material(diff_call(old, {**old, "deadline": "2027-06-30"}))
    assert not is_material(diff_call(old, {**old, "deadline": None}))
