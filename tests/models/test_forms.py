from decimal import Decimal

import pytest
from prefect import flow
from prefect.utilities.callables import parameter_schema

from models.application import IdeaInput
from models.bodies import BODY_DROPDOWN, BodyChoice
from models.forms import EuroField, form_field


def test_form_field_carries_german_title_description_and_bounds() -> None:
    @flow(validate_parameters=False)
    def sample(
        title: str = form_field(IdeaInput, "title"),
        lead_body: BodyChoice = form_field(IdeaInput, "lead_body"),
        estimated_costs_eur: EuroField = form_field(IdeaInput, "estimated_costs_eur"),
    ) -> None:
        return None

    schema = parameter_schema(sample).model_dump()
    props = schema["properties"]
    assert props["title"]["title"] == "Titel des Vorhabens"
    assert props["title"]["maxLength"] == 300
    assert "Titel" in props["title"]["description"]
    assert props["lead_body"]["title"] == "Federführende Körperschaft"
    # the tenant's bodies from the data folder, marked for the menu's refresh from the database
    assert props["lead_body"]["enum"][0] == "Kreis Coesfeld"
    assert len(props["lead_body"]["enum"]) == 12 and props["lead_body"][BODY_DROPDOWN]
    assert props["estimated_costs_eur"]["type"] == "number"
    assert props["estimated_costs_eur"]["minimum"] == 0
    assert set(schema["required"]) == {"title", "lead_body", "estimated_costs_eur"}


def test_wrong_value_is_repeated_on_one_clean_line() -> None:
    from models.errors import InputError
    from models.forms import validate_input

    raw = {
        "title": "Bürgerportal",
        "summary": "Eine ausreichend lange Beschreibung.",
        "lead_body": "Olfen",
        "programme": "Heimat\u2028„2.0“\r\nneu",
        "estimated_costs_eur": 1000,
        "coordinator_email": "k@olfen.example",
        "entered_by": "Anna",
    }
    with pytest.raises(InputError) as info:
        validate_input(IdeaInput, raw, what="Antragsidee")
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert lines[1].endswith('(angegeben: „Heimat "2.0" neu“)'), lines[1]


def test_form_input_declares_each_parameter_once() -> None:
    """The flow's signature comes from the input model; the call is validated in German."""
    import inspect

    import pytest
    from pydantic import Field

    from models.errors import InputError
    from models.forms import EnteredBy, FormModel, form_input

    class Example(FormModel):
        reference: str = Field(title="Aktenzeichen", description="z. B. FA-2026-001")
        amount_eur: Decimal | None = Field(default=None, title="Betrag", description="in Euro")
        entered_by: EnteredBy

    seen: list[dict[str, object]] = []

    @form_input(Example, what="Beispiel", before=seen.append)
    def example(data: Example) -> str:
        return f"{data.reference}:{data.amount_eur}:{data.entered_by}"

    parameters = inspect.signature(example).parameters
    assert list(parameters) == ["reference", "amount_eur", "entered_by"]
    assert parameters["reference"].default.description == "z. B. FA-2026-001"
    assert example("FA-2026-001", entered_by="Anna Berg") == "FA-2026-001:None:Anna Berg"
    assert example(reference="FA-2026-002", amount_eur="12.50", entered_by="Anna Berg") == (
        "FA-2026-002:12.50:Anna Berg"
    )
    with pytest.raises(InputError) as refused:
        example(reference="FA-2026-003", amount_eur="zwölf", entered_by="A")
    assert "Beispiel ungültig" in str(refused.value)
    assert "Betrag muss eine Zahl sein" in str(refused.value)
    assert "Erfasst von ist zu kurz" in str(refused.value)
    assert seen[-1]["reference"] == "FA-2026-003"  # seen before validation refused it


def test_a_fields_docstring_is_its_one_paragraph_description() -> None:
    """The help text under a field is the docstring below it, its line breaks folded."""
    from pydantic import Field

    from models.forms import FormModel

    class Sample(FormModel):
        due: int = Field(title="Frist")
        """Die Frist in Tagen,
        gezählt ab heute."""

    class Wider(Sample):
        note: str = Field(default="", title="Vermerk")
        """Erscheint
        im Verlauf."""

    folded = "Die Frist in Tagen, gezählt ab heute."
    assert Sample.model_fields["due"].description == folded
    schema = Wider.model_json_schema()["properties"]
    assert schema["due"]["description"] == folded
    assert schema["note"]["description"] == "Erscheint im Verlauf."
    assert form_field(Wider, "note").description == "Erscheint im Verlauf."
