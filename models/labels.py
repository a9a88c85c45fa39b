"""Code lists with German labels: each member names its stored value and its label once."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    # A member is declared as ``NAME = "stored value", "German label"``; it compares, stores
    # and validates as the value alone. (No docstring: it would appear in the Prefect forms.)

    _label_: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ = label or value
        return member

    @property
    def label(self) -> str:
        return self._label_

    @classmethod
    def labels(cls) -> dict[Self, str]:
        """Every member with its label, in declaration order."""
        return {member: member.label for member in cls}
