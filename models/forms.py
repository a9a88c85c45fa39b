"""Input validation with German messages, and form fields for the Prefect UI.

Flows declare their parameters with :func:`form_field`, which copies the German title,
description and bounds from the flow's pydantic input model into the parameter schema that
``prefect deploy`` publishes. The flow then validates its raw parameters with
:func:`validate_input`, which turns pydantic errors into German sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, WithJsonSchema
from pydantic_core import PydanticUndefined

from models.bodies import OptionalBodyChoice
from models.errors import InputError
from models.fristen import DeadlineKind

M = TypeVar("M", bound=BaseModel)

# A euro amount as the form shows it: a number field (the model turns it into exact cents).
EuroField = Annotated[Decimal, WithJsonSchema({"type": "number"})]
# Optional form fields: shown as a plain (not required) input, never as a type switch
# "number / None" – an empty field simply means "not given".
OptionalEuroField = Annotated[Decimal | None, WithJsonSchema({"type": "number"})]
OptionalDateField = Annotated[dt.date | None, WithJsonSchema({"type": "string", "format": "date"})]
OptionalIntField = Annotated[int | None, WithJsonSchema({"type": "integer"})]
OptionalTextField = Annotated[str | None, WithJsonSchema({"type": "string"})]
OptionalBodyField = OptionalBodyChoice
OptionalDeadlineKindField = Annotated[
    DeadlineKind | None,
    WithJsonSchema({"type": "string", "enum": [k.value for k in DeadlineKind]}),
]

_COPIED_SCHEMA_KEYS = (
    "title",
    "description",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "pattern",
    "format",
    "examples",
)


def form_field(model: type[BaseModel], name: str, *, position: int | None = None) -> Any:
    """A ``Field`` for a flow signature that mirrors ``model.<name>`` in the UI form."""
    info = model.model_fields[name]
    prop = model.model_json_schema()["properties"][name]
    extra = {key: prop[key] for key in _COPIED_SCHEMA_KEYS if key in prop}
    for branch in prop.get("anyOf", []):
        # Decimal fields: take the bounds of the number branch for the form.
        if branch.get("type") in ("number", "integer"):
            extra.update({k: branch[k] for k in _COPIED_SCHEMA_KEYS if k in branch})
    if position is not None:
        extra["position"] = position
    if info.is_required():
        default: Any = ...
    elif info.default_factory is not None:
        default = info.default_factory()  # type: ignore[call-arg]
    else:
        default = info.default
    return Field(default=default, description=info.description, json_schema_extra=extra)


def _missing(value: Any) -> bool:
    from pydantic.fields import FieldInfo

    return value is PydanticUndefined or value is Ellipsis or isinstance(value, FieldInfo)


_MESSAGES: dict[str, str] = {
    "missing": "fehlt",
    "string_too_short": "ist zu kurz (mindestens {min_length} Zeichen)",
    "string_too_long": "ist zu lang (höchstens {max_length} Zeichen)",
    "greater_than": "muss größer als {gt} sein",
    "greater_than_equal": "darf nicht kleiner als {ge} sein",
    "less_than": "muss kleiner als {lt} sein",
    "less_than_equal": "darf nicht größer als {le} sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "decimal_parsing": "muss eine Zahl sein",
    "decimal_type": "muss eine Zahl sein",
    "decimal_max_places": "hat mehr als {decimal_places} Nachkommastellen",
    "decimal_max_digits": "ist zu groß",
    "float_parsing": "muss eine Zahl sein",
    "finite_number": "muss eine endliche Zahl sein",
    "bool_parsing": "muss ja oder nein sein",
    "bool_type": "muss ja oder nein sein",
    "date_parsing": "ist kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)",
    "date_from_datetime_parsing": "ist kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)",
    "date_type": "ist kein gültiges Datum",
    "date_from_datetime_inexact": "muss ein Datum ohne Uhrzeit sein",
    "enum": "muss einer der Werte {expected} sein",
    "literal_error": "muss einer der Werte {expected} sein",
    "list_type": "muss eine Liste sein",
    "string_type": "muss ein Text sein",
    "string_pattern_mismatch": "hat ein ungültiges Format",
    "too_short": "braucht mindestens {min_length} Einträge",
    "too_long": "darf höchstens {max_length} Einträge haben",
    "extra_forbidden": "ist kein bekannter Parameter",
    "model_type": "hat eine ungültige Form",
    "dict_type": "hat eine ungültige Form",
}


def _field_label(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"Eintrag {item + 1}")
            continue
        name = str(item)
        field = current.model_fields.get(name) if current is not None else None
        if field is not None:
            parts.append(field.title or name)
            annotation = field.annotation
            inner = getattr(annotation, "__args__", (annotation,))
            current = next(
                (a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None
            )
        else:
            parts.append(name)
    return " › ".join(parts) if parts else "Eingabe"


def _alternatives(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" in German: „a“, „b“ oder „c“."""
    items = re.findall(r"'([^']*)'", expected)
    if not items:
        return expected
    quoted = [f"„{item}“" for item in items]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} oder {quoted[-1]}"


def german_error_lines(model: type[BaseModel], exc: ValidationError) -> list[str]:
    """Turn a pydantic ``ValidationError`` into German lines, one per problem."""
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        label = _field_label(model, tuple(error.get("loc", ())))
        etype = error["type"]
        ctx = dict(error.get("ctx") or {})
        if etype == "value_error" and "reason" in ctx and "error" not in ctx:
            # EmailStr (email-validator) explains in English; say it in German.
            lines.append(f"{label}: ist keine gültige E-Mail-Adresse (Beispiel: name@kreis.de)")
            continue
        if etype == "value_error":
            text = str(ctx.get("error", error["msg"]))
            text = text.removeprefix("Value error, ")
            lines.append(f"{label}: {text}")
            continue
        if etype == "assertion_error":
            lines.append(f"{label}: {error['msg'].removeprefix('Assertion failed, ')}")
            continue
        template = _MESSAGES.get(etype)
        if template is None:
            lines.append(f"{label}: ungültiger Wert")
            continue
        if "expected" in ctx:
            ctx["expected"] = _alternatives(str(ctx["expected"]))
        try:
            text = template.format(**ctx)
        except (KeyError, IndexError):
            text = template
        lines.append(f"{label} {text}{_given(etype, error.get('input'))}")
    return lines


def _given(etype: str, value: Any) -> str:
    """Repeat a short wrong value, so the coordinator sees which entry was meant."""
    if etype in ("missing", "extra_forbidden") or not isinstance(value, str | int | float):
        return ""
    # one line, no control or direction characters, our quotes stay ours
    shown = "".join(ch if ch.isprintable() else " " for ch in str(value))
    shown = " ".join(shown.replace("„", '"').replace("“", '"').split())
    if not shown or len(shown) > 60:
        return ""
    return f" (angegeben: „{shown}“)"


def dropdown_key(value: object) -> object:
    """A dropdown entry "FA-2026-001 · Titel (Federführung)" (see ``tasks.menu.label``) as its
    key, the first word; typed keys pass unchanged. Anything but text is left to validation."""
    return value.strip().split(" ", 1)[0] if isinstance(value, str) else value


def validate_input(model: type[M], data: dict[str, Any], *, what: str = "Eingabe") -> M:
    """Validate raw flow parameters; on error raise :class:`InputError` in German."""
    clean = {key: value for key, value in data.items() if not _missing(value)}
    try:
        return model.model_validate(clean)
    except ValidationError as exc:
        lines = german_error_lines(model, exc)
        raise InputError(
            f"{what} ungültig – es wurde nichts gespeichert:\n"
            + "\n".join(f"• {line}" for line in lines)
        ) from None


def today_berlin() -> dt.date:
    """Today's date in the district's time zone."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
