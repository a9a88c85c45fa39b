"""One interface for all importers: a location (path or URL) in, a :class:`Snapshot` out.

* a folder or a ZIP file: the export of the Förderdatenbank des Bundes;
* ``.json``: a saved response of the EU Funding & Tenders search API;
* ``.yaml`` / ``.yml`` / ``.jsonl``: our own format (see ``data/foerderaufrufe.yaml``).

A URL is downloaded first (the only network access of the radar, and only when asked).
"""

from __future__ import annotations

import json
import tempfile
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foerderflow.yamlfile import load_yaml
from models.errors import InputError
from models.forms import german_error_lines
from models.money import euro_to_cents
from models.radar.catalogue import (
    ApplicantType,
    CallRecord,
    CallStatus,
    DeadlineModel,
    ProgrammeRecord,
    Snapshot,
    Source,
)
from tasks.radar.fdb import EXPORT_URL, read_fdb
from tasks.radar.reader import Reader, Reading
from tasks.radar.sedia import read_sedia

ZIP_MAGIC = b"PK\x03\x04"
MAX_DOWNLOAD_BYTES = 500 * 1024 * 1024


class _OwnEntry(BaseModel):
    """What a programme and a call of our own format both have (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=500)
    summary: str = ""
    url: str = ""


class OwnCall(_OwnEntry):
    """One call in our own format (money in euro)."""

    call_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{1,119}$")
    status: CallStatus = CallStatus.UNKNOWN
    deadline_model: DeadlineModel = DeadlineModel.SINGLE
    open_date: Any = None
    deadline: Any = None
    cut_off_dates: list[Any] = Field(default_factory=list)
    deadline_text: str = ""
    applicant_types: list[ApplicantType] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    funding_type: str = ""
    rate_percent: Decimal | None = Field(default=None, gt=0, le=100)
    max_rate_percent: Decimal | None = Field(default=None, gt=0, le=100)
    max_grant_eur: Decimal | None = Field(default=None, gt=0)
    max_cost_eur: Decimal | None = Field(default=None, gt=0)
    min_partners: int | None = Field(default=None, ge=1, le=50)


class OwnProgramme(_OwnEntry):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,99}$")
    funder: str = ""
    granting_body: str = ""
    licence: str = ""
    application_programme: str | None = None
    checked_by: str = ""
    calls: list[OwnCall] = Field(default_factory=list)


def _cents(value: Decimal | None) -> int | None:
    return euro_to_cents(value) if value is not None else None


def own_record(item: OwnProgramme) -> ProgrammeRecord:
    calls = []
    for c in item.calls:
        data = c.model_dump(exclude={"max_grant_eur", "max_cost_eur"})
        data.update(
            source_ref=c.call_id,
            url=c.url or item.url,
            funder=item.funder,
            granting_body=item.granting_body,
            max_grant_cents=_cents(c.max_grant_eur),
            max_cost_cents=_cents(c.max_cost_eur),
            cut_off_dates=tuple(c.cut_off_dates),
        )
        calls.append(CallRecord.model_validate(data))
    return ProgrammeRecord(
        key=f"manual:{item.slug}",
        source=Source.MANUAL,
        source_ref=item.slug,
        url=item.url,
        licence=item.licence,
        title=item.title,
        summary=item.summary,
        funder=item.funder,
        granting_body=item.granting_body,
        application_programme=item.application_programme,
        raw={"checked_by": item.checked_by} if item.checked_by else {},
        calls=tuple(calls),
    )


def _validated(item: object, where: str) -> ProgrammeRecord:
    if not isinstance(item, dict):
        raise InputError(f"{where}: Eintrag ist kein Programm; es wurde nichts importiert.")
    try:
        return own_record(OwnProgramme.model_validate(item))
    except ValidationError as exc:
        lines = "; ".join(german_error_lines(OwnProgramme, exc))
        raise InputError(
            f"{where} ({item.get('slug', '?')}) ungültig: {lines}; es wurde nichts importiert."
        ) from None


def read_own(data: bytes, name: str) -> Reading:
    """Our YAML (``programme:`` list, optional ``vollstaendig: true``) or JSONL (one programme
    per line; never a full snapshot)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name} ist keine UTF-8-Textdatei; es wurde nichts importiert.") from None
    if name.endswith(".jsonl"):
        programmes = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{name}, Zeile {number}: kein gültiges JSON ({exc.msg}); es wurde nichts "
                    "importiert."
                ) from None
            programmes.append(_validated(item, f"{name}, Zeile {number}"))
        return Reading(programmes=tuple(programmes), full=False)
    try:
        document = load_yaml(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(
            f"{name} ist kein gültiges YAML ({exc}); es wurde nichts importiert."
        ) from None
    items = document.get("programme") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise InputError(f"{name}: Liste „programme“ fehlt; es wurde nichts importiert.")
    programmes = [_validated(item, f"{name}, Programm {i}") for i, item in enumerate(items, 1)]
    return Reading(programmes=tuple(programmes), full=bool(document.get("vollstaendig", False)))


def download(url: str, target: Path) -> Path:
    """Fetch ``url`` into ``target`` (the FDB export is a ZIP of some 30 MB)."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "foerderflow"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=120) as response, target.open("wb") as out:  # noqa: S310
            size = 0
            while chunk := response.read(1 << 20):
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise InputError(f"{url}: Download größer als 500 MB – abgebrochen.")
                out.write(chunk)
    except OSError as exc:
        raise InputError(
            f"{url} konnte nicht geladen werden ({exc}). Ohne Internetzugang bitte den Export "
            "herunterladen und als lokalen Pfad angeben."
        ) from None
    return target


def _suffix_in(*suffixes: str) -> Callable[[Path, bytes], bool]:
    return lambda path, head: path.suffix.lower() in suffixes


# The readers by file type, the first that accepts a path reads it.
READERS = (
    Reader(
        Source.FDB,
        accepts=lambda path, head: (
            path.is_dir() or path.suffix.lower() == ".zip" or head == ZIP_MAGIC
        ),
        read=read_fdb,
    ),
    Reader(
        Source.SEDIA, _suffix_in(".json"), lambda path: read_sedia(path.read_bytes(), path.name)
    ),
    Reader(
        Source.MANUAL,
        _suffix_in(".yaml", ".yml", ".jsonl"),
        lambda path: read_own(path.read_bytes(), path.name),
    ),
)


def read_path(path: Path) -> Snapshot:
    """The snapshot in a local file or folder, by its type."""
    if not path.exists():
        raise InputError(f"{path} gibt es nicht; es wurde nichts importiert.")
    head = b""
    if not path.is_dir():
        with path.open("rb") as handle:
            head = handle.read(4)
    for reader in READERS:
        if reader.accepts(path, head):
            return reader.snapshot(path)
    raise InputError(
        f"Der Dateityp von {path.name} wird nicht unterstützt. Erwartet: der Export der "
        "Förderdatenbank (ZIP oder entpackter Ordner), eine gespeicherte Antwort des EU Funding "
        "& Tenders Portals (.json) oder eine eigene Liste (.yaml, .jsonl)."
    )


def read_location(location: str | None) -> Snapshot:
    """A path or URL; empty means the official export of the Förderdatenbank."""
    location = (location or "").strip() or EXPORT_URL
    if location.startswith(("http://", "https://")):
        with tempfile.TemporaryDirectory(prefix="radar-") as tmp:
            name = "export.zip" if location == EXPORT_URL else Path(location).name or "quelle"
            snapshot = read_path(download(location, Path(tmp) / name))
        return snapshot.model_copy(update={"location": location})
    return read_path(Path(location).expanduser())
