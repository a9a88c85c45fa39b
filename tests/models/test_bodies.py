from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from foerderflow.settings import body_names
from models.bodies import BodyChoice, BodyRecord, ProgrammeRecord
from models.errors import InputError
from models.forms import validate_input

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BORKEN = ROOT / "tests" / "data" / "borken"


def test_shipped_yaml_has_the_twelve_bodies_of_kreis_coesfeld() -> None:
    items = yaml.safe_load((DATA / "koerperschaften.yaml").read_text())["koerperschaften"]
    records = [BodyRecord.model_validate(i) for i in items]
    assert len(records) == 12
    assert [r.name for r in records] == list(body_names(DATA))
    kreis = records[0]
    assert kreis.kind == "kreis" and kreis.legal_basis == "§ 26 (1) KrO NRW"
    assert all(r.legal_basis == "§ 41 (1) GO NRW" for r in records[1:])
    assert {r.name for r in records if r.kind == "stadt"} == {
        "Billerbeck",
        "Coesfeld",
        "Dülmen",
        "Lüdinghausen",
        "Olfen",
    }


def test_second_tenant_has_the_kreis_borken_and_its_seventeen_municipalities() -> None:
    items = yaml.safe_load((BORKEN / "koerperschaften.yaml").read_text())["koerperschaften"]
    records = [BodyRecord.model_validate(i) for i in items]
    assert len(records) == 18 and len(body_names(BORKEN)) == 18
    kreis, *towns = records
    assert (kreis.name, kreis.council, kreis.regionalschluessel) == (
        "Kreis Borken",
        "Kreistag des Kreises Borken",
        "055540000000",
    )
    assert kreis.population == sum(t.population for t in towns)
    assert len([t for t in towns if t.kind == "stadt"]) == 9
    assert len([t for t in towns if t.kind == "gemeinde"]) == 8
    for town in towns:
        assert town.council == f"Rat der {town.official_name}", town.name
        assert town.legal_basis == "§ 41 (1) GO NRW"
        assert town.regionalschluessel is not None
        assert town.regionalschluessel.startswith("05554")
        # NRW: Verbandsschlüssel 0 + Gemeindeschlüssel, e.g. 05554 0012 012 for Borken
        assert town.regionalschluessel[5:9] == "0" + town.regionalschluessel[9:]
        assert str(town.email).endswith(".example")
    assert {t.name: t.regionalschluessel for t in towns}["Bocholt"] == "055540008008"


class _Form(BaseModel):
    body: BodyChoice


def test_body_choice_accepts_the_configured_tenants_bodies_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _Form.model_validate({"body": "Olfen"}).body == "Olfen"
    with pytest.raises(InputError) as info:
        validate_input(_Form, {"body": "Bocholt"}, what="Eingabe")
    assert "Eingabe ungültig – es wurde nichts gespeichert" in str(info.value)
    assert "muss einer der Werte „Kreis Coesfeld“, „Ascheberg“" in str(info.value)
    assert "(angegeben: „Bocholt“)" in str(info.value)

    monkeypatch.setenv("FOERDERFLOW_DATA_DIR", str(BORKEN))
    from foerderflow.settings import get_settings

    get_settings.cache_clear()
    assert _Form.model_validate({"body": "Bocholt"}).body == "Bocholt"
    with pytest.raises(ValidationError):
        _Form.model_validate({"body": "Olfen"})
    schema = _Form.model_json_schema()["properties"]["body"]
    assert schema["enum"][:2] == ["Kreis Borken", "Ahaus"] and len(schema["enum"]) == 18


def test_programme_figures_match_product_description() -> None:
    items = yaml.safe_load((DATA / "programme.yaml").read_text())["programme"]
    records = {r.name: r for r in (ProgrammeRecord.model_validate(i) for i in items)}
    assert set(records) == {"Smarte.Land.Regionen", "Heimat 2.0"}
    heimat = records["Heimat 2.0"]
    assert (heimat.funding_rate_percent, heimat.min_grant_eur, heimat.max_grant_eur) == (
        90,
        200000,
        600000,
    )
    assert heimat.max_duration_months == 36
    slr = records["Smarte.Land.Regionen"]
    assert (slr.funding_rate_percent, slr.max_grant_eur, slr.max_duration_months) == (
        90,
        1000000,
        48,
    )
