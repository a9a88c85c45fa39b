"""Reading the tenant's YAML files with the line of every value, for messages that say where.

``yaml.safe_load`` forgets where a value stood. :func:`read_yaml` composes the node tree
once, builds the data from it and keeps the start line of every mapping key and sequence
item, so a problem can be reported as "koerperschaften.yaml, Zeile 47".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

# libyaml's composer (in C) when PyYAML has it: about ten times faster, with the same nodes and
# the same line marks. The data is built from the nodes by the safe constructor either way.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFileError(ValueError):
    """The file cannot be read or is no valid YAML (German message with file and line)."""


@dataclass(frozen=True)
class YamlFile:
    """The parsed data of one file and the line (1-based) of every key and list item."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def line_of(self, where: Sequence[str | int]) -> int:
        """The line of ``where`` or, when it is missing (a missing field), of the nearest
        enclosing entry that exists."""
        key = tuple(where)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def at(self, where: Sequence[str | int]) -> str:
        """ "koerperschaften.yaml, Zeile 47" – the place for a German message."""
        return f"{self.name}, Zeile {self.line_of(where)}"


def _walk(node: yaml.Node, here: Path_, lines: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            path = (*here, str(key_node.value))
            lines[path] = key_node.start_mark.line + 1
            _walk(value_node, path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = (*here, index)
            lines[path] = item.start_mark.line + 1
            _walk(item, path, lines)


def read_yaml(path: Path) -> YamlFile:
    """Parse ``path`` (safe YAML) and remember the line of every key and list item."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlFileError(f"{path}: Datei nicht lesbar ({exc.strerror}).") from None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", Zeile {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "Syntaxfehler"
        raise YamlFileError(f"{path.name}{where}: kein gültiges YAML ({problem}).") from None
    if node is None:
        return YamlFile(path, {})
    loader = yaml.SafeLoader("")
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", Zeile {mark.line + 1}" if mark is not None else ""
        raise YamlFileError(f"{path.name}{where}: ungültiger Wert ({exc}).") from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _walk(node, (), lines)
    return YamlFile(path, data, lines)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser when PyYAML has it (the same safe constructor:
    only plain data, never Python objects). Raises ``yaml.YAMLError`` as safe_load does."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)
