"""form_flow: one declaration gives every flow its form, description and failure mail."""

from __future__ import annotations

from typing import Any

import pytest
from prefect.utilities.callables import parameter_schema

from models.errors import InputError
from models.forms import FormModel
from tasks.form_flow import form_flow
from tasks.notify import notify_failure


class EchoInput(FormModel):
    count: int


def test_the_docstring_is_the_description_and_the_form_is_the_model() -> None:
    seen: list[dict[str, Any]] = []

    @form_flow(EchoInput, name="echo-test", what="Echo", before=seen.append)
    def echo(data: EchoInput) -> int:
        """Erste Zeile der Beschreibung,
        zweite Zeile."""
        return data.count * 2

    assert echo.name == "echo-test"
    assert echo.description == "Erste Zeile der Beschreibung, zweite Zeile."
    assert echo.should_validate_parameters is False
    assert echo.on_failure_hooks == [notify_failure]
    assert list(parameter_schema(echo).model_dump()["properties"]) == ["count"]
    assert echo.fn(count="21") == 42
    assert seen == [{"count": "21"}]
    with pytest.raises(InputError, match="Echo"):
        echo.fn(count="viele")


def test_a_flow_without_description_is_refused() -> None:
    with pytest.raises(TypeError, match="docstring"):

        @form_flow(EchoInput, name="stumm", what="Stumm")
        def stumm(data: EchoInput) -> None:
            return None
