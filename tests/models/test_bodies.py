from pathlib import Path

import yaml

from models.bodies import BodyName, BodyRecord, ProgrammeName, ProgrammeRecord

DATA = Path(__file__).resolve().parents[2] / "data"


def test_yaml_has_exactly_the_twelve_bodies() -> None:
    items = yaml.safe_load((DATA / "koerperschaften.yaml").read_text())["koerperschaften"]
    records = [BodyRecord.model_validate(i) for i in items]
    assert [r.name for r in records] == list(BodyName)
    assert len(records) == 12
    kreis = records[0]
    assert kreis.kind == "kreis" and kreis.legal_basis == "§ 26 (1) KrO NRW"
    assert all(r.legal_basis == "§ 41 (1) GO NRW" for r in records[1:])
    assert {r.name.value for r in records if r.kind == "stadt"} == {
        "Billerbeck",
        "Coesfeld",
        "Dülmen",
        "Lüdinghausen",
        "Olfen",
    }


def test_programme_figures_match_product_description() -> None:
    items = yaml.safe_load((DATA / "programme.yaml").read_text())["programme"]
    records = {r.name: r for r in (ProgrammeRecord.model_validate(i) for i in items)}
    assert set(records) == set(ProgrammeName)
    heimat = records[ProgrammeName.HEIMAT_2_0]
    assert (heimat.funding_rate_percent, heimat.min_grant_eur, heimat.max_grant_eur) == (
        90,
        200000,
        600000,
    )
    assert heimat.max_duration_months == 36
    slr = records[ProgrammeName.SMARTE_LAND_REGIONEN]
    assert (slr.funding_rate_percent, slr.max_grant_eur, slr.max_duration_months) == (
        90,
        1000000,
        48,
    )
