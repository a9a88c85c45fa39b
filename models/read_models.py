"""Filling the plain read models of reports and matching from database rows."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def read_model(model: type[M], row: object, **computed: Any) -> M:
    """``model`` filled from ``row``: each field given in ``computed`` takes that value, every
    other field the row's attribute of the same name."""
    copied = {name: getattr(row, name) for name in model.model_fields if name not in computed}
    return model(**copied, **computed)
