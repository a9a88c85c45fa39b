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
    with pytest.raises(TenantError, match=r"mandant\.yaml: kreis\.sitz"):
        load_tenant(tmp_path)


def test_missing_file_is_reported_in_german(tmp_path: Path) -> None:
    with pytest.raises(TenantError, match="Datei nicht lesbar"):
        load_tenant(tmp_path)
