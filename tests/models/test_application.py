from decimal import Decimal

import pytest

from models.application import (
    TRANSITIONS,
    IdeaInput,
    Stage,
    allowed_actions,
    check_transition,
    format_reference,
)
from models.errors import InputError, StageError
from models.forms import validate_input

VALID = {
    "title": "Digitale Dorfplätze",
    "summary": "Ein gemeinsamer digitaler Marktplatz für die Ortskerne.",
    "lead_body": "Dülmen",
    "partner_bodies": ["Olfen", "Senden"],
    "programme": "Heimat 2.0",
    "estimated_costs_eur": 450000,
    "coordinator_email": "koordination@duelmen.example",
    "entered_by": "Anna Beispiel",
}


def test_reference_format() -> None:
    assert format_reference(2026, 4) == "FA-2026-004"
    assert format_reference(2027, 1234) == "FA-2027-1234"


def test_illegal_step_names_stage_and_options() -> None:
    with pytest.raises(StageError) as info:
        check_transition("FA-2026-004", Stage.IDEE, Stage.ENTWURF)
    assert str(info.value) == (
        "Antrag FA-2026-004 steht in Stufe 'idee'; möglich sind: Partnerprüfung starten, "
        "zurückziehen"
    )


def test_closed_stage_offers_nothing() -> None:
    with pytest.raises(StageError, match="keine weiteren Schritte"):
        check_transition("FA-2026-001", Stage.ABGESCHLOSSEN, Stage.ZURUECKGEZOGEN)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Stage.IDEE, Stage.PARTNERPRUEFUNG),
        (Stage.PARTNERPRUEFUNG, Stage.ENTWURF),
        (Stage.ENTWURF, Stage.ENTWURF),
        (Stage.ENTWURF, Stage.FREIGEGEBEN),
        (Stage.FREIGEGEBEN, Stage.EINGEREICHT),
        (Stage.EINGEREICHT, Stage.BEWILLIGT),
        (Stage.EINGEREICHT, Stage.ABGELEHNT),
        (Stage.BEWILLIGT, Stage.BERICHTSPFLICHT),
        (Stage.BERICHTSPFLICHT, Stage.ABGESCHLOSSEN),
    ],
)
def test_main_path_is_legal(current: Stage, target: Stage) -> None:
    assert check_transition("FA-2026-001", current, target)


@pytest.mark.parametrize("stage", list(Stage))
def test_withdrawal_only_from_open_stages(stage: Stage) -> None:
    legal = (stage, Stage.ZURUECKGEZOGEN) in TRANSITIONS
    assert legal == (
        stage
        in {Stage.IDEE, Stage.PARTNERPRUEFUNG, Stage.ENTWURF, Stage.FREIGEGEBEN, Stage.EINGEREICHT}
    )


def test_no_skipping_to_submission() -> None:
    with pytest.raises(StageError):
        check_transition("FA-2026-001", Stage.IDEE, Stage.EINGEREICHT)
    assert allowed_actions(Stage.ABGELEHNT) == []


def test_valid_idea() -> None:
    data = validate_input(IdeaInput, VALID)
    assert data.estimated_costs_eur == Decimal("450000")
    assert data.partner_bodies == ["Olfen", "Senden"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"programme": "Unbekanntes Programm"}, "Förderprogramm muss einer der Werte"),
        ({"estimated_costs_eur": -5}, "Geschätzte Gesamtkosten (EUR) darf nicht kleiner als 0"),
        ({"estimated_costs_eur": 0}, "müssen größer als 0 € sein"),
        ({"partner_bodies": ["Dülmen", "Olfen"]}, "Dülmen ist federführend"),
        ({"coordinator_email": "keine-adresse"}, "E-Mail der Koordination"),
        ({"title": ""}, "Titel des Vorhabens ist zu kurz"),
        ({"partner_bodies": ["Olfen", "Olfen"]}, "Olfen ist mehrfach"),
        ({"lead_body": "Münster"}, "Federführende Körperschaft muss einer der Werte"),
    ],
)
def test_bad_idea_gets_german_message(change: dict[str, object], expected: str) -> None:
    with pytest.raises(InputError) as info:
        validate_input(IdeaInput, {**VALID, **change}, what="Antragsidee")
    message = str(info.value)
    assert message.startswith("Antragsidee ungültig – es wurde nichts gespeichert")
    assert expected in message


def test_missing_field_is_named() -> None:
    data = dict(VALID)
    del data["entered_by"]
    with pytest.raises(InputError, match="Erfasst von fehlt"):
        validate_input(IdeaInput, data)


def test_control_characters_refused() -> None:
    with pytest.raises(InputError, match="Steuerzeichen"):
        validate_input(IdeaInput, {**VALID, "title": "Titel\x00mit Null"})
