"""Reading the export of the Förderdatenbank des Bundes (FDB): the ZIP or its extracted folder.

One XML document per programme below ``BMWI/FDB/Content/DE/Foerderprogramm/`` (sub-folders
possible). A document is a flat list of ``<property name="gsb:…">`` elements carrying
``<text>`` (HTML, maybe CDATA and escaped), ``<value>`` or ``<links>``; classifiers sit in a
``ClassifiedLinkLists`` property. The programme is keyed on its path (its slug is not unique).

Dirt in real files is survived without dropping the programme: control characters are
stripped before parsing, soft hyphens and tabs removed, unparseable dates ignored. A
document that is still not well-formed XML is an error (German), and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

from models.errors import InputError
from models.radar.catalogue import (
    FDB_APPLICANTS,
    FDB_FUNDERS,
    FDB_FUNDING_TYPES,
    FDB_LICENCE,
    FDB_REGIONS,
    FDB_THEMES,
    ApplicantType,
    CallRecord,
    CallStatus,
    DeadlineModel,
    ProgrammeRecord,
    Source,
    fdb_code,
)
from models.radar.textdates import extract_deadline
from tasks.radar.reader import Reading

SITE_URL = "https://www.foerderdatenbank.de"
EXPORT_URL = "https://www.foerderdatenbank.de/FDB/WS/export"
PROGRAMME_DIR = "BMWI/FDB/Content/DE/Foerderprogramm/"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INVISIBLE = re.compile("[\u00ad\u200b\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_CLASSIFIER = re.compile(r"/Common/([^/]+)$")

TEXT_PROPERTIES = {
    "gsb:title": "title",
    "gsb:summary": "summary",
    "gsb:teaserText": "teaser",
    "gsb:bodyText": "body",
    "gsb:requirements": "requirements",
    "gsb:procDescription": "procedure",
    "gsb:procInfluence": "deadlines",
    "gsb:regulatoryFWork": "legal_basis",
    "gsb:remark": "remark",
}
VALUE_PROPERTIES = {
    "gsb:keywords": "keywords",
    "gsb:externalID": "external_id",
    "gsb:dateOfIssue": "date_of_issue",
    "gsb:dateOfExpiration": "date_of_expiration",
}


def clean(text: str | None) -> str:
    """Invisible characters out, whitespace collapsed."""
    if not text:
        return ""
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def strip_html(text: str | None) -> str:
    if not text:
        return ""
    text = html.unescape(text).replace("<![CDATA[", "").replace("]]>", "")
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>", "\n", text)
    return "\n".join(clean(_TAG.sub(" ", line)) for line in text.split("\n")).strip()


def parse_date(value: str) -> dt.date | None:
    """An ISO timestamp as a date; anything else is ignored."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None


def parse_document(data: bytes, name: str) -> ET.Element:
    """Parse one XML document, stripping the control characters XML 1.0 forbids."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        # no DTD, no entity declarations: nothing to expand, nothing external to fetch
        raise InputError(
            f"Das XML-Dokument {name} enthält eine DTD oder Entitäten und wird aus "
            "Sicherheitsgründen nicht gelesen; es wurde nichts importiert."
        )
    try:
        return ET.fromstring(_CONTROL.sub(b"", data))  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise InputError(
            f"Das XML-Dokument {name} ist fehlerhaft (Zeile {line}) und kann nicht gelesen "
            "werden; es wurde nichts importiert."
        ) from None


def _classifiers(prop: ET.Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    lists = prop.find("classifiedLinkLists")
    if lists is None:
        return out
    for entry in lists.findall("classifiedLinkList"):
        classifier = entry.find("classifierLinks/link")
        if classifier is None:
            continue
        match = _CLASSIFIER.search(classifier.get(XLINK_HREF, ""))
        if not match:
            continue
        codes = [fdb_code(link.get(XLINK_HREF, "")) for link in entry.findall("links/link")]
        out.setdefault(match.group(1), []).extend(c for c in codes if c)
    return out


def read_programme(root: ET.Element) -> dict[str, Any]:
    """The raw fields of one programme document (texts cleaned, codes as found)."""
    raw: dict[str, Any] = {"slug": root.get("name", "")}
    for prop in root.findall("property"):
        name = prop.get("name", "")
        if name in TEXT_PROPERTIES:
            node = prop.find("text")
            raw[TEXT_PROPERTIES[name]] = strip_html(node.text if node is not None else "")
        elif name in VALUE_PROPERTIES:
            node = prop.find("value")
            raw[VALUE_PROPERTIES[name]] = clean(node.text if node is not None else "")
        elif prop.get("type") == "ClassifiedLinkLists":
            for classifier, codes in _classifiers(prop).items():
                raw.setdefault("codes", {}).setdefault(classifier, []).extend(codes)
    return raw


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def call_id_for(slug: str, path: str) -> str:
    """A stable, readable id: the slug and a short hash of the path (slugs repeat)."""
    digest = hashlib.sha1(path.encode()).hexdigest()[:6]  # noqa: S324 - an id, not security
    return f"fdb-{slug[:100]}-{digest}" if slug else f"fdb-{digest}"


def to_record(path: str, raw: dict[str, Any]) -> ProgrammeRecord:
    """Map one programme's raw fields onto the catalogue (one programme, one standing call)."""
    codes: dict[str, list[str]] = raw.get("codes", {})
    applicants: list[ApplicantType] = []
    for code in codes.get("Foerderberechtigte", []):
        applicants.extend(FDB_APPLICANTS.get(code, ()))
    regions = [FDB_REGIONS[c] for c in codes.get("Foerdergebiet", []) if c in FDB_REGIONS]
    themes = [FDB_THEMES[c] for c in codes.get("Foerderbereich", []) if c in FDB_THEMES]
    funding = [FDB_FUNDING_TYPES[c] for c in codes.get("Foerderart", []) if c in FDB_FUNDING_TYPES]
    funders = [FDB_FUNDERS[c] for c in codes.get("Foerdergeber", []) if c in FDB_FUNDERS]
    keywords = [k.strip() for k in re.split(r"[,;]", raw.get("keywords", "")) if k.strip()]
    title = raw.get("title") or raw.get("slug") or path
    summary = raw.get("summary") or raw.get("teaser") or ""
    expiry = parse_date(raw.get("date_of_expiration", ""))
    deadline_text = ""
    extracted = False
    deadline = expiry
    if deadline is None:
        found = extract_deadline(raw.get("deadlines", ""), raw.get("procedure", ""), summary)
        if found is not None:
            deadline, deadline_text, extracted = found.date, found.sentence, True
    relative = PurePosixPath(path).relative_to("BMWI").with_suffix(".html")
    url = f"{SITE_URL}/{relative}"
    call = CallRecord(
        call_id=call_id_for(raw.get("slug", ""), path),
        source_ref=path,
        url=url,
        title=title[:500],
        summary=summary,
        funder=", ".join(funders),
        status=CallStatus.OPEN if deadline else CallStatus.ROLLING,
        deadline_model=DeadlineModel.SINGLE if deadline else DeadlineModel.ROLLING,
        open_date=parse_date(raw.get("date_of_issue", "")),
        deadline=deadline,
        deadline_text=deadline_text[:2000],
        deadline_extracted=extracted,
        applicant_types=_unique(applicants),  # type: ignore[arg-type]
        regions=_unique(regions),
        themes=_unique(themes),
        keywords=_unique(keywords),
        funding_type=", ".join(_unique(funding)),
    )
    return ProgrammeRecord(
        key=f"fdb:{path}",
        source=Source.FDB,
        source_ref=raw.get("external_id") or path,
        url=url,
        licence=FDB_LICENCE,
        title=title[:500],
        summary=summary,
        funder=", ".join(funders),
        raw=raw,
        calls=(call,),
    )


def _documents_from_zip(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            f"Die Datei {path.name} ist keine lesbare ZIP-Datei (beschädigt oder unvollständig "
            "heruntergeladen); es wurde nichts importiert."
        ) from None
    with archive:
        names = [
            n
            for n in archive.namelist()
            if PROGRAMME_DIR in n and n.endswith(".xml") and not n.endswith("/")
        ]
        for name in sorted(names):
            inner = name[name.index("BMWI/") :]
            try:
                yield inner, archive.read(name)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise InputError(
                    f"Die ZIP-Datei {path.name} ist beschädigt ({inner}: {exc}); es wurde "
                    "nichts importiert."
                ) from None


def _documents_from_folder(path: Path) -> Iterator[tuple[str, bytes]]:
    files = sorted(p for p in path.rglob("*.xml") if PROGRAMME_DIR in p.as_posix() + "/")
    for file in files:
        posix = file.as_posix()
        yield posix[posix.index("BMWI/") :], file.read_bytes()


def read_fdb(path: Path) -> Reading:
    """The programmes of an FDB export (ZIP or folder): always everything of the source."""
    documents = _documents_from_folder(path) if path.is_dir() else _documents_from_zip(path)
    programmes = [
        to_record(name, read_programme(parse_document(data, name))) for name, data in documents
    ]
    if not programmes:
        raise InputError(
            f"{path.name} enthält keine Programme der Förderdatenbank (erwartet: XML-Dokumente "
            f"unter {PROGRAMME_DIR}); es wurde nichts importiert."
        )
    return Reading(programmes=tuple(programmes), full=True)
