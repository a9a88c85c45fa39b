"""Code lists with German labels: stored and validated by value, shown by label."""

from __future__ import annotations

from pydantic import BaseModel

from models.radar.catalogue import CallStatus
from models.strategy import CycleStatus, ProjectStatus


class _Form(BaseModel):
    status: ProjectStatus


def test_value_label_and_lookup() -> None:
    assert ProjectStatus("in_umsetzung") is ProjectStatus.IN_UMSETZUNG
    assert ProjectStatus.IN_UMSETZUNG.value == "in_umsetzung" == str(ProjectStatus.IN_UMSETZUNG)
    assert ProjectStatus.IN_UMSETZUNG.label == "in Umsetzung"
    assert CycleStatus.ABGESCHLOSSEN.label == "abgeschlossen (Sperrvermerk aufgehoben)"
    assert CallStatus.labels()[CallStatus.ROLLING] == "laufend (ohne Stichtag)"
    assert list(CallStatus.labels()) == list(CallStatus)


def test_forms_see_the_values_only() -> None:
    assert _Form.model_validate({"status": "zurueckgestellt"}).status.label == "zurückgestellt"
    schema = _Form.model_json_schema()["$defs"]["ProjectStatus"]
    assert schema["enum"] == [s.value for s in ProjectStatus]
    assert "description" not in schema
