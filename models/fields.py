"""Form field types that several flow input models share: one declaration per concept.

Each type carries the bounds and the German validation of its concept (see
:mod:`models.forms`); a model field adds only its own title, description and default.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from models.forms import dropdown_key, plain_text
from models.strategy import PROJECT_CODE_PATTERN

# Text a coordinator typed: no control characters (they break mails and .docx).
PlainText = Annotated[str, AfterValidator(plain_text)]

# The title a coordinator gives a project, an application, a call or a deadline: 3 to 300
# characters (the width of the tables' title columns). The bounds come before the check for
# control characters, so that a too short title is told "ist zu kurz".
Title = Annotated[str, Field(min_length=3, max_length=300), AfterValidator(plain_text)]


def remark(title: str, *, max_length: int = 5000) -> Any:
    """A free text a form may leave empty (a note, a remark, an editorial): empty by default,
    at most ``max_length`` characters; the field's type is :data:`PlainText`. Its description
    is the field's docstring, as for every form field (see ``models.forms.FormModel``)."""
    return Field(default="", title=title, max_length=max_length)


# A euro amount a form may leave empty: more than 0, exact to the cent, at most a billion.
OptionalEuroAmount = Annotated[
    Decimal | None, Field(gt=0, le=Decimal("1000000000"), decimal_places=2)
]

# A funding rate in percent a form may leave empty: more than 0, at most 100, two decimals.
OptionalPercent = Annotated[Decimal | None, Field(gt=0, le=100, decimal_places=2)]


def upper_key(value: object) -> object:
    """A dropdown entry ("HF2-04 · Titel (Federführung)") or a typed key, as its upper-case
    key; anything but text is left to validation."""
    key = dropdown_key(value)
    return key.upper() if isinstance(key, str) else key


def optional_upper_key(value: object) -> object:
    """Like :func:`upper_key`; an empty field means "not given" (None)."""
    key = upper_key(value)
    return (key or None) if isinstance(key, str) else key


# A project of the strategy's list, chosen from the dropdown or typed; may stay empty.
OptionalProjectCode = Annotated[
    str | None, Field(pattern=PROJECT_CODE_PATTERN), BeforeValidator(optional_upper_key)
]


def catch_up_day(runs: str | None = None) -> Any:
    """The ``today`` field of a scheduled flow: empty means today, a date tests or catches up
    the run of that day. ``runs`` names what runs, e.g. "der Fristenwächter"."""
    if runs is None:
        description = "Nur zum Testen oder Nachholen; leer bedeutet heute (Europe/Berlin)."
    else:
        description = (
            f"Nur zum Testen oder Nachholen: der Tag, für den {runs} läuft. Leer bedeutet "
            "heute (Europe/Berlin)."
        )
    return Field(default=None, title="Stichtag", description=description)
