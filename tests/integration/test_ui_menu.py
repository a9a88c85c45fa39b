"""The menu as the coordinator sees it: every deployment and form read back from the
running Prefect server of a stack started as ``make up`` starts it (not from the code)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests_integration_support import db_rows

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}
EXPECTED = set(CONFIG)
ENGLISH = re.compile(r"\b(the|of|and|is|are|with|for|when|which|this)\b", re.IGNORECASE)
# the UI renders descriptions as markdown/HTML: "<Jahr>" would silently disappear
HTML_LIKE = re.compile(r"<[A-Za-zÄÖÜäöü/]")
TYPE_NAME = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$")
# fields a coordinator must pick from a list, by their German title
DROPDOWNS = {
    "Federführende Körperschaft",
    "Körperschaft",
    "Partnerkommune",
    "Förderprogramm",
    "Ergebnis des Bescheids",
    "Antwort",
    "Aufteilungsschlüssel Eigenanteil",
}


@pytest.fixture(scope="module")
def deployments(stack: Any) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings({PREFECT_API_URL: stack.api_url}),
        get_client(sync_client=True) as client,
    ):
        found = client.read_deployments()
    return {d.name: d for d in found}


def _resolve(prop: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref") or next(
        (p["$ref"] for p in prop.get("allOf", []) + prop.get("anyOf", []) if "$ref" in p), None
    )
    if ref:
        return {
            **definitions[ref.rsplit("/", 1)[-1]],
            **{k: v for k, v in prop.items() if k != "$ref"},
        }
    return prop


def _fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, resolved property) for every field, including fields of list entries."""
    definitions = schema.get("definitions", {})
    out: list[tuple[str, dict[str, Any]]] = []

    def walk(prefix: str, props: dict[str, Any]) -> None:
        for name, raw in props.items():
            prop = _resolve(raw, definitions)
            out.append((prefix + name, prop))
            items = _resolve(prop.get("items", {}), definitions)
            if "properties" in items:
                walk(f"{prefix}{name}[].", items["properties"])

    walk("", schema.get("properties", {}))
    return out


def _descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["description"]] if isinstance(node.get("description"), str) else []
        return found + [d for v in node.values() for d in _descriptions(v)]
    if isinstance(node, list):
        return [d for v in node for d in _descriptions(v)]
    return []


def test_every_deployment_is_served_with_german_description_and_tags(deployments: dict) -> None:
    assert set(deployments) >= EXPECTED, EXPECTED - set(deployments)
    for name in EXPECTED:
        deployment = deployments[name]
        text = deployment.description or ""
        for part in ("Wann", "Was passiert", "Ergebnis", "Mail an"):
            assert part in text, f"{name}: Beschreibung ohne „{part}“"
        assert not ENGLISH.search(text), f"{name}: Beschreibung enthält Englisch"
        assert not HTML_LIKE.search(text), f"{name}: „<…>“ verschwindet in der Oberfläche"
        # served as declared: the tags group the menu (antrag, fristen, strategie, radar, …)
        assert deployment.tags and sorted(deployment.tags) == sorted(CONFIG[name]["tags"])


def test_every_parameter_has_a_german_form_field(deployments: dict) -> None:
    problems: list[str] = []
    seen_titles: set[str] = set()
    for name in sorted(EXPECTED):
        schema = deployments[name].parameter_openapi_schema or {}
        top = schema.get("properties", {})
        # The UI orders fields by "position" (the server keeps the schema as JSONB, which
        # does not keep the key order): each field needs its own.
        positions = [p.get("position") for p in top.values()]
        if None in positions or sorted(positions) != list(range(len(positions))):
            problems.append(f"{name}: Reihenfolge der Felder fehlt")
        # The fields of a list entry need their own positions, too.
        for model, definition in (schema.get("definitions") or {}).items():
            fields = definition.get("properties") or {}
            if any(not isinstance(f.get("position"), int) for f in fields.values()):
                problems.append(f"{name}: {model} ohne Reihenfolge der Felder")
        for path, prop in _fields(schema):
            where = f"{name}.{path}"
            title = prop.get("title")
            seen_titles.add(str(title))
            # a referenced type's title shows when the field has none: "BodyChoice" is no title
            if not title or title == path.rsplit(".", 1)[-1] or TYPE_NAME.match(title):
                problems.append(f"{where}: kein deutscher Titel")
            if not prop.get("description"):
                problems.append(f"{where}: keine Beschreibung")
            if prop.get("type") == "object" and "properties" not in prop:
                problems.append(f"{where}: rohes JSON-Feld")
            bounded = any(k in prop for k in ("minimum", "exclusiveMinimum"))
            if prop.get("type") in ("number", "integer") and not bounded:
                problems.append(f"{where}: Zahl ohne Untergrenze")
            if re.search(r"(date|datum)$", path, re.IGNORECASE) and prop.get("format") != "date":
                problems.append(f"{where}: Datum ohne Datumsauswahl")
            if (
                title in DROPDOWNS
                and "enum" not in prop
                and "enum" not in _resolve(prop.get("items", {}), schema.get("definitions", {}))
            ):
                problems.append(f"{where}: „{title}“ ist keine Auswahlliste")
        for text in _descriptions(schema):
            if ENGLISH.search(text):
                problems.append(f"{name}: englischer Text im Formular: {text[:60]}")
            if HTML_LIKE.search(text):
                problems.append(f"{name}: „<…>“ verschwindet im Formular: {text[:60]}")
    assert not problems, "\n".join(problems)
    assert seen_titles >= DROPDOWNS, DROPDOWNS - seen_titles


def test_reference_fields_offer_the_open_applications(stack: Any, deployments: dict) -> None:
    """Before any application exists the Aktenzeichen field explains why it is empty; the
    lifecycle tests check that the dropdown fills after antrag-idee."""
    from tasks.menu import STEP_STAGES

    for name in STEP_STAGES:
        prop = deployments[name].parameter_openapi_schema["properties"]["reference"]
        assert prop["title"] == "Aktenzeichen"
        assert "enum" in prop or "Zurzeit ist kein Antrag" in prop["description"], name


def test_new_application_appears_in_the_next_steps_dropdown(stack: Any, prefect_api: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    run = run_deployment(
        "antrag-idee/antrag-idee",
        parameters={
            "title": "Digitale Schultafeln",
            "summary": "Interaktive Tafeln für alle Grundschulen.",
            "lead_body": "Ascheberg",
            "partner_bodies": ["Nordkirchen"],
            "programme": "Heimat 2.0",
            "estimated_costs_eur": 120000,
            "coordinator_email": "schule@ascheberg.example",
            "entered_by": "Test",
        },
        timeout=180,
        poll_interval=0.5,
    )
    assert run.state is not None and run.state.is_completed(), run.state
    ref = next(t for t in run.tags if t.startswith("FA-"))
    with get_client(sync_client=True) as client:

        def options(name: str) -> list[str]:
            schema = client.read_deployment_by_name(f"{name}/{name}").parameter_openapi_schema
            return list(schema["properties"]["reference"].get("enum", []))

        assert f"{ref} · Digitale Schultafeln (Ascheberg)" in options("antrag-partnercheck")
        assert any(o.startswith(ref) for o in options("antrag-zurueckziehen"))
        assert not any(o.startswith(ref) for o in options("antrag-freigabe"))

        # Withdrawn (antrag-zurueckziehen): no step offers it any more.
        run = run_deployment(
            "antrag-zurueckziehen/antrag-zurueckziehen",
            parameters={"reference": ref, "reason": "Programm passt nicht.", "entered_by": "Test"},
            timeout=180,
            poll_interval=0.5,
        )
        assert run.state is not None and run.state.is_completed(), run.state
        offered = [n for n in ("antrag-partnercheck", "antrag-zurueckziehen") if any(
            o.startswith(ref) for o in options(n)
        )]  # fmt: skip
        assert offered == []
    stages = db_rows(stack.db_url, "select stage from applications where reference = :r", r=ref)
    assert stages == [("zurueckgezogen",)]
