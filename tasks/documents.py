"""Rendering Word documents from the committed templates, and the template lint.

User text only ever arrives as *values* in a pydantic context; it is never compiled as a
template. Rendering uses autoescape, so ``&``, ``<`` and ``>`` cannot corrupt the XML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template, nodes
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.settings import SHIPPED_TEMPLATES_DIR, get_tenant
from foerderflow.tenant import Tenant
from models.deadlines import format_date_de
from models.documents import DocumentContext
from models.grammar import TEMPLATE_FILTERS
from models.registry import TEMPLATE_CONTEXTS
from models.tables import Document
from tasks.store import view_of

# Characters XML 1.0 cannot carry at all: dropped so a document always opens. Control
# characters except tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
# One regular expression in C: a character-by-character check in Python cost about a fifth
# of the rendering time of a strategy draft with 300 projects.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class DocumentView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    owner: str
    kind: str
    subject: str
    version: int
    title: str
    path: str
    sha256: str
    created: bool


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _text(value: str) -> Markup:
    """User text as finished XML: escaped, and braces as character references. docxtpl turns
    ``{_{``/``}_}`` in the rendered XML into ``{{``/``}}``; encoded braces keep the text
    verbatim. docxtpl turns line feeds into line breaks and tabs into tabs."""
    xml = str(escape(_clean(value)))
    return Markup(xml.replace("{", "&#123;").replace("}", "&#125;"))  # noqa: S704 - escaped


def docx_safe(value: Any) -> Any:
    """Make values safe for docxtpl: escaped XML, bad chars go, the text stays verbatim."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [docx_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: docx_safe(v) for k, v in value.items()}
    return value


def render_values(context: BaseModel) -> dict[str, Any]:
    """The fields of ``context`` as docxtpl's render values, every string made safe."""
    out: dict[str, Any] = {}
    for name in type(context).model_fields:
        value = getattr(context, name)
        if isinstance(value, BaseModel):
            out[name] = docx_safe(value.model_dump())
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            out[name] = [docx_safe(v.model_dump()) for v in value]
        else:
            out[name] = docx_safe(value)
    return out


# Every template may use the tenant's facts as ``{{ mandant.kreis.name }}`` and so on.
TENANT_VARIABLE = "mandant"


class _CompilingOnce(Environment):
    """docxtpl hands the whole document XML of a template to ``from_string`` on every render,
    and compiling it cost about a fifth of a Sitzungsvorlage's rendering time. The XML of one
    template is the same string each time (user text only ever arrives in the context), so
    each is compiled once per process; a template edited in Word is new XML, a new entry."""

    CACHE_SIZE = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self.filters.update(TEMPLATE_FILTERS)
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(
        self, source: str | nodes.Template, globals: Any = None, template_class: Any = None
    ) -> Template:
        if not isinstance(source, str) or globals or template_class or not self.autoescape:
            return super().from_string(source, globals, template_class)
        with self._lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._lock:
            self._compiled[source] = template
            while len(self._compiled) > self.CACHE_SIZE:
                self._compiled.popitem(last=False)
        return template


@lru_cache(maxsize=64)
def _patched_xml(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)


class WordTemplate(DocxTemplate):
    """A docxtpl template whose XML is cleaned for Jinja once per process. Before every render
    docxtpl runs about twenty regular expressions over each part's XML (to join Jinja tags
    that Word split into runs); the result depends only on that XML, and it was a seventh of
    a Sitzungsvorlage's rendering time."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched_xml(src_xml)


@lru_cache(maxsize=1)
def template_environment() -> Environment:
    """The Jinja environment of the Word templates: autoescaped, with the German filters of
    :mod:`models.grammar` (``zahlwort``, ``gross``, ``aufzaehlung``, ``satz``)."""
    return _CompilingOnce()


def _tenant_value(value: Any) -> Any:
    """Tenant facts for the templates: dates German (``31.12.2023``), the rest as in the file."""
    if isinstance(value, dt.date):
        return format_date_de(value)
    if isinstance(value, list):
        return [_tenant_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _tenant_value(v) for k, v in value.items()}
    return value


def tenant_values(tenant: Tenant) -> dict[str, Any]:
    return docx_safe(_tenant_value(tenant.model_dump()))


def resolve_template(templates_dir: Path, name: str) -> Path:
    """The tenant's own copy of template ``name`` (FOERDERFLOW_TEMPLATES_DIR), or the shipped one.

    ``name`` is always one of our fixed template names, never user text."""
    own = templates_dir / name
    return own if own.is_file() else SHIPPED_TEMPLATES_DIR / name


def render_docx(template_path: Path, context: DocumentContext) -> bytes:
    """Render ``template_path`` (or the shipped template of that name, when the tenant's
    templates folder has no such file) with ``context``; return the .docx bytes."""
    expected = TEMPLATE_CONTEXTS.get(template_path.name)
    if expected is not None and not isinstance(context, expected):
        raise TypeError(f"{template_path.name} erwartet {expected.__name__}")
    tpl = WordTemplate(str(resolve_template(template_path.parent, template_path.name)))
    values = render_values(context)
    values[TENANT_VARIABLE] = tenant_values(get_tenant())
    tpl.render(values, template_environment(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".docx")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_filename(owner: str, kind: str, subject: str, version: int) -> str:
    """File name from controlled identifiers only (reference, kind, slug): never user text."""
    parts = [owner, kind] + ([subject] if subject else []) + [f"v{version}"]
    return "_".join(parts) + ".docx"


def find_document(
    session: Session, owner: str, kind: str, subject: str, version: int
) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.owner == owner,
            Document.kind == kind,
            Document.subject == subject,
            Document.version == version,
        )
    )


def _view(doc: Document, created: bool) -> DocumentView:
    return view_of(DocumentView, doc, created=created)


def store_document(
    session: Session,
    *,
    documents_dir: Path,
    templates_dir: Path,
    template: str,
    owner: str,
    kind: str,
    version: int,
    title: str,
    context: DocumentContext,
    subject: str = "",
    content: bytes | None = None,
) -> DocumentView:
    """Render and record a document version, inside the caller's transaction.

    A version that exists already is returned as it is: a repeated run renders nothing twice.
    """
    existing = find_document(session, owner, kind, subject, version)
    if existing is not None:
        return _view(existing, created=False)
    data = content if content is not None else render_docx(templates_dir / template, context)
    path = documents_dir / owner / document_filename(owner, kind, subject, version)
    _atomic_write(path, data)
    doc = Document(
        owner=owner,
        kind=kind,
        subject=subject,
        version=version,
        title=title,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )
    session.add(doc)
    session.flush()
    return _view(doc, created=True)
