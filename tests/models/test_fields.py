"""The shared form field types of ``models.fields``: one declaration, the same German
validation in every input model that uses it."""

from __future__ import annotations

import re

import pytest

from models.application import IdeaInput
from models.application_inputs import ApprovalInput, DraftInput, NoticeInput, PartnerCheckInput
from models.deadline_inputs import FristAnlegenInput, FristenWaechterInput, FristErledigtInput
from models.errors import InputError
from models.forms import validate_input
from models.radar.inputs import CallEntryInput, RadarDigestInput, RadarImportInput, RatingInput
from models.reporting.inputs import AtlasSichtbarkeitInput, NewsletterEntwurfInput
from models.strategy_inputs import (
    BeschlussInput,
    FortschreibungInput,
    NewProjectInput,
    StatusEntryInput,
)


def test_plain_text_refuses_control_characters_in_every_model() -> None:
    cases = [
        (DraftInput, {"reference": "FA-2026-001", "notes": "a\x07b", "entered_by": "Anna"}),
        (
            FristAnlegenInput,
            {
                "kind": "sonstige",
                "title": "Rat\x00sitzung",
                "due_date": "2027-03-01",
                "entered_by": "Anna",
            },
        ),
        (FortschreibungInput, {"entered_by": "Jahres\x1blauf"}),
    ]
    for model, data in cases:
        with pytest.raises(InputError, match="enthält unzulässige Steuerzeichen"):
            validate_input(model, data)


def test_fortschreibung_keeps_its_default_author_with_the_shared_bounds() -> None:
    assert FortschreibungInput().entered_by == "Jahreslauf (automatisch)"
    with pytest.raises(InputError, match="Erfasst von ist zu kurz"):
        validate_input(FortschreibungInput, {"entered_by": "A"})
    with pytest.raises(InputError, match="Jahr der Fortschreibung darf nicht kleiner als 2020"):
        validate_input(FortschreibungInput, {"year": 2019})


def test_euro_amount_and_percent_bounds_in_german() -> None:
    base = {"reference": "FA-2026-001", "split_key": "gleich", "entered_by": "Anna"}
    with pytest.raises(InputError, match=r"Förderquote \(%\) darf nicht größer als 100"):
        validate_input(PartnerCheckInput, {**base, "funding_rate_percent": "100.5"})
    with pytest.raises(InputError, match="hat mehr als 2 Nachkommastellen"):
        validate_input(PartnerCheckInput, {**base, "eligible_costs_eur": "10.001"})
    ok = validate_input(PartnerCheckInput, {**base, "eligible_costs_eur": "450000.50"})
    assert str(ok.eligible_costs_eur) == "450000.50"
    with pytest.raises(InputError, match=r"Förderquote \(%\) muss größer als 0"):
        validate_input(
            CallEntryInput,
            {
                "programme_title": "Programm",
                "title": "Aufruf 2027",
                "funder": "MWIKE",
                "url": "https://example.org",
                "deadline": "2027-05-01",
                "rate_percent": 0,
                "entered_by": "Anna",
            },
        )


def test_optional_project_code_from_dropdown_upper_case_or_empty() -> None:
    chosen = validate_input(
        AtlasSichtbarkeitInput,
        {"project_code": "hf2-04 · Titel (Kreis)", "publish": True, "entered_by": "Anna"},
    )
    assert chosen.project_code == "HF2-04"
    by_reference = validate_input(
        AtlasSichtbarkeitInput,
        {"project_code": "", "reference": "fa-2026-001", "publish": True, "entered_by": "Anna"},
    )
    assert by_reference.project_code is None
    assert by_reference.reference == "FA-2026-001"
    with pytest.raises(InputError, match="Projekt hat ein ungültiges Format"):
        validate_input(
            AtlasSichtbarkeitInput,
            {"project_code": "HF9-01", "publish": True, "entered_by": "Anna"},
        )


def test_catch_up_day_says_what_runs() -> None:
    for model, runs in (
        (FristenWaechterInput, "für den der Fristenwächter läuft"),
        (RadarDigestInput, "für den der Wochenüberblick läuft"),
        (RadarImportInput, "Nur zum Testen oder Nachholen; leer bedeutet heute"),
    ):
        field = model.model_fields["today"]
        assert field.title == "Stichtag"
        assert field.default is None
        assert runs in (field.description or "")


def test_title_bounds_and_message_are_the_same_in_every_model() -> None:
    titled = [
        (IdeaInput, "title", "Titel des Vorhabens"),
        (FristAnlegenInput, "title", "Bezeichnung"),
        (CallEntryInput, "programme_title", "Name des Förderprogramms"),
        (CallEntryInput, "title", "Titel des Aufrufs"),
        (NewProjectInput, "title", "Titel des neuen Projekts"),
    ]
    for model, name, label in titled:
        schema = model.model_json_schema()["properties"][name]
        assert (schema["title"], schema["minLength"], schema["maxLength"]) == (label, 3, 300)
        with pytest.raises(InputError, match=f"{re.escape(label)} ist zu kurz"):
            validate_input(model, {name: "ab"})
        with pytest.raises(InputError, match=f"{re.escape(label)} ist zu lang"):
            validate_input(model, {name: "x" * 301})


def test_remarks_are_empty_by_default_and_keep_their_own_length() -> None:
    remarks = [
        (DraftInput, "notes", 5000),
        (ApprovalInput, "comments", 5000),
        (NoticeInput, "note", 5000),
        (FristErledigtInput, "note", 2000),
        (FristAnlegenInput, "note", 2000),
        (CallEntryInput, "summary", 5000),
        (RatingInput, "note", 2000),
        (StatusEntryInput, "note", 1000),
        (NewProjectInput, "description", 2000),
        (BeschlussInput, "note", 3000),
        (NewsletterEntwurfInput, "editorial", 5000),
    ]
    for model, name, longest in remarks:
        field = model.model_fields[name]
        assert field.default == "" and field.title and field.description
        label = re.escape(field.title or "")
        with pytest.raises(InputError, match=f"{label} ist zu lang \\(höchstens {longest} Zeichen"):
            validate_input(model, {name: "x" * (longest + 1)})
        with pytest.raises(InputError, match=f"{label}: enthält unzulässige Steuerzeichen"):
            validate_input(model, {name: "a\x07b"})


def test_radar_rating_takes_references_and_projects_like_the_other_forms() -> None:
    rating = {"body": "Kreis Coesfeld", "call_id": "ikz-nrw-2027", "entered_by": "Anna"}
    applied = validate_input(
        RatingInput,
        {**rating, "rating": "beantragt", "application_reference": "fa-2026-001 · Titel (Kreis)"},
    )
    assert applied.application_reference == "FA-2026-001"
    idea = validate_input(
        RatingInput,
        {**rating, "rating": "interessiert", "create_idea": True, "project_code": "hf2-04"},
    )
    assert idea.project_code == "HF2-04"
    with pytest.raises(InputError, match="Projekt \\(für die Antragsidee\\) hat ein ungültiges"):
        validate_input(RatingInput, {**rating, "rating": "interessiert", "project_code": "HF9-01"})
