"""Smoke test: every entrypoint in prefect.yaml loads, and every form is in German."""

from pathlib import Path

import pytest
import yaml
from prefect.flows import load_flow_from_entrypoint
from prefect.utilities.callables import parameter_schema

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "prefect.yaml").read_text())
DEPLOYMENTS = CONFIG["deployments"]


def test_no_secrets_and_local_pull_step() -> None:
    text = (ROOT / "prefect.yaml").read_text().lower()
    assert "password" not in text and "passwort" not in text
    step = CONFIG["pull"][0]["prefect.deployments.steps.set_working_directory"]
    assert step["directory"] == "{{ $FOERDERFLOW_PROJECT_DIR }}"


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_entrypoint_loads_and_form_is_german(deployment: dict) -> None:
    flow = load_flow_from_entrypoint(str(ROOT / deployment["entrypoint"]))
    assert flow.name == deployment["name"]
    assert deployment["entrypoint"].startswith("flows/")
    assert deployment.get("enforce_parameter_schema") is False, "Flows prüfen selbst (deutsch)"
    assert deployment["tags"] and set(deployment["tags"]) <= {
        "antrag",
        "fristen",
        "strategie",
        "radar",
        "bericht",
        "kommunikation",
    }
    description = deployment["description"]
    for part in ("Wann", "Ergebnis", "Mail"):
        assert part in description, f"{deployment['name']}: Beschreibung ohne „{part}“"
    schema = parameter_schema(flow).model_dump()
    for name, prop in schema["properties"].items():
        assert prop.get("title") and prop["title"] != name, f"{name} ohne deutschen Titel"
        assert prop.get("description"), f"{name} ohne Beschreibung"
