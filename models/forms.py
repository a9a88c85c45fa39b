"""Input validation with German messages, and form fields for the Prefect UI.

Each flow declares its parameters once, as the fields of its pydantic input model:
:func:`form_input` gives the flow one parameter per field (with the German title,
description and bounds that :func:`form_field` copies into the parameter schema that
``prefect deploy`` publishes), validates the call's arguments with :func:`validate_input`,
which turns pydantic errors into German sentences, and hands the flow the validated model.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticUndefined

from models.bodies import OptionalBodyChoice
from models.deadline_types import DeadlineKind
from models.errors import InputError

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

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


class FormModel(BaseModel):
    """The base of every flow's input model: text is stripped, unknown parameters refused.

    A field's German description (the help text under it in the Prefect form) is the
    docstring written below the field; its line breaks are folded into spaces, so the text
    reads as one paragraph whatever the source's line width.
    """

    model_config = ConfigDict(
        str_strip_whitespace=True, extra="forbid", use_attribute_docstrings=True
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        folded = False
        for info in cls.model_fields.values():
            one_line = " ".join((info.description or "").split())
            if info.description and one_line != info.description:
                info.description = one_line
                folded = True
        if folded:  # the JSON schema is built from the field infos when the model is built
            cls.model_rebuild(force=True)


def plain_text(value: str) -> str:
    """Refuse control characters in text a coordinator typed (they break mails and .docx)."""
    if any((ord(ch) < 32 and ch not in "\n\t") or ch in "\ufffe\uffff" for ch in value):
        raise ValueError("enthält unzulässige Steuerzeichen")
    return value


EnteredBy = Annotated[
    str,
    Field(
        title="Erfasst von",
        description="Ihr Name; er wird im Verlauf (Audit) festgehalten.",
        min_length=2,
        max_length=200,
    ),
    AfterValidator(plain_text),
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


# --- Flow parameters from the input model -----------------------------------------------------

# A form field that may stay empty: shown as a plain input of the inner type, never as a
# type switch "X / None" (see the Optional…Field aliases above).
_OPTIONAL_FORM_TYPES: dict[Any, Any] = {
    Decimal: OptionalEuroField,
    dt.date: OptionalDateField,
    int: OptionalIntField,
    str: OptionalTextField,
    DeadlineKind: OptionalDeadlineKindField,
}


def _form_annotation(annotation: Any) -> Any:
    """The annotation a flow parameter gets for a field of the input model."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
        inner = str if _is_email(args[0]) else args[0]
        optional = _OPTIONAL_FORM_TYPES.get(inner)
        if optional is not None:
            return optional
        return Annotated[inner | None, WithJsonSchema(TypeAdapter(inner).json_schema())]
    if annotation is Decimal:
        return EuroField
    if _is_email(annotation):
        return str
    return annotation


def _is_email(annotation: Any) -> bool:
    from pydantic import EmailStr

    return annotation is EmailStr


def _with_schema_marks(annotation: Any, metadata: list[Any]) -> Any:
    """Keep what shapes the field's JSON schema (e.g. the body dropdown of
    ``models.bodies``): pydantic moves ``Annotated`` extras of a field into its metadata."""
    marks = [m for m in metadata if hasattr(m, "__get_pydantic_json_schema__")]
    return Annotated[(annotation, *marks)] if marks else annotation


def form_parameters(model: type[BaseModel]) -> inspect.Signature:
    """One flow parameter per field of ``model``, in its order, with the German title,
    description and bounds of the field (see :func:`form_field`)."""
    return inspect.Signature(
        [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=form_field(model, name),
                annotation=_with_schema_marks(_form_annotation(info.annotation), info.metadata),
            )
            for name, info in model.model_fields.items()
        ]
    )


def form_input(
    model: type[M],
    *,
    what: str,
    before: Callable[[dict[str, Any]], None] | None = None,
) -> Callable[[Callable[[M], R]], Callable[..., R]]:
    """Declare a flow's parameters once, as the fields of its input model.

    ``@form_input(NoticeInput, what="Bescheid")`` on ``def antrag_bescheid(data: NoticeInput)``
    gives the flow one parameter per field of ``NoticeInput`` (Prefect builds the form of
    the deployment from this signature), validates the call's arguments with
    :func:`validate_input` (German messages) and calls the function with the model.
    ``before`` sees the raw arguments first, e.g. to tag the run even when they are invalid.
    """

    signature = form_parameters(model)

    def decorate(fn: Callable[[M], R]) -> Callable[..., R]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            raw = dict(bound.arguments)
            if before is not None:
                before(raw)
            return fn(validate_input(model, raw, what=what))

        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            return_annotation=inspect.signature(fn).return_annotation
        )
        del run.__wrapped__  # the form, not the wrapped function, is the flow's signature
        return run

    return decorate
