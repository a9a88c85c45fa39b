"""The tenant description: the shipped one loads, and a broken one gets a German message."""

from __future__ import annotations

from pathlib import Path

import pytest

from foerderflow.settings import PROJECT_ROOT
from foerderflow.tenant import TenantError, load_tenant


def test_shipped_tenant_is_kreis_coesfeld() -> None:
    tenant = load_tenant(PROJECT_ROOT / "data")
    assert tenant.kreis.name == "Kreis Coesfeld"
    assert tenant.agentur.name == "Digitalagentur COE"
    assert "Ausschuss für Finanzen, Wirtschaftsförderung und Kreisentwicklung" in (
        tenant.committee_names
    )


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    source = (PROJECT_ROOT / "data" / "mandant.yaml").read_text(encoding="utf-8")
    broken = source.replace("  sitz: Coesfeld", "")
    (tmp_path / "mandant.yaml").write_text(broken, encoding="utf-8")
    kreis_line = broken.splitlines().index("kreis:") + 1
    with pytest.raises(TenantError) as info:
        load_tenant(tmp_path)
    assert str(info.value) == f"mandant.yaml, Zeile {kreis_line}: Feld „kreis.sitz“ fehlt"


def test_wrong_value_names_its_own_line(tmp_path: Path) -> None:
    source = (PROJECT_ROOT / "data" / "mandant.yaml").read_text(encoding="utf-8")
    broken = source.replace("einwohner_stichtag: 2023-12-31", "einwohner_stichtag: Silvester")
    (tmp_path / "mandant.yaml").write_text(broken, encoding="utf-8")
    line = next(i for i, t in enumerate(broken.splitlines(), 1) if "Silvester" in t)
    with pytest.raises(TenantError, match=f"mandant.yaml, Zeile {line}: Feld „einwohner_stichtag“"):
        load_tenant(tmp_path)


def test_missing_file_is_reported_in_german(tmp_path: Path) -> None:
    with pytest.raises(TenantError, match="Datei nicht lesbar"):
        load_tenant(tmp_path)
