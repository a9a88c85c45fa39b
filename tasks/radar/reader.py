"""The one interface of the catalogue's sources: a reader turns one kind of file into the
programmes it holds (:class:`Reading`); :func:`tasks.radar.sources.read_path` picks the
reader and makes its reading the import's :class:`~models.radar.catalogue.Snapshot`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from models.radar.catalogue import ProgrammeRecord, Snapshot, Source


class Reading(NamedTuple):
    """What one file holds. ``full``: everything of its source, so what is missing is gone."""

    programmes: tuple[ProgrammeRecord, ...]
    full: bool


@dataclass(frozen=True)
class Reader:
    source: Source
    accepts: Callable[[Path, bytes], bool]  # the path and its first bytes (b"" for a folder)
    read: Callable[[Path], Reading]

    def snapshot(self, path: Path) -> Snapshot:
        programmes, full = self.read(path)
        return Snapshot(source=self.source, location=str(path), full=full, programmes=programmes)
