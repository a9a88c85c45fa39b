"""What a coordinator sees in the Prefect UI: run tags and artifacts."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext

from models.mail import DeliveryReport
from tasks.documents import DocumentView

log = logging.getLogger(__name__)


def current_flow_run_id() -> str | None:
    ctx = FlowRunContext.get()
    return str(ctx.flow_run.id) if ctx and ctx.flow_run else None


def tag_current_run(tags: Sequence[str]) -> None:
    """Add ``tags`` (e.g. the reference) to the running flow run so the UI can filter by it."""
    ctx = FlowRunContext.get()
    if ctx is None or ctx.flow_run is None:
        return
    current = list(ctx.flow_run.tags or [])
    wanted = current + [t for t in tags if t not in current]
    if wanted == current:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(ctx.flow_run.id, tags=wanted)
    ctx.flow_run.tags = wanted


def md_escape(text: str) -> str:
    for ch in "\\`*_{}[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def documents_markdown(documents: Sequence[DocumentView]) -> str:
    if not documents:
        return "_Keine Dokumente erzeugt._"
    lines = ["| Dokument | Fassung | Datei |", "|---|---|---|"]
    for doc in documents:
        state = "" if doc.created else " (bereits vorhanden)"
        lines.append(f"| {md_escape(doc.title)}{state} | v{doc.version} | `{doc.path}` |")
    return "\n".join(lines)


def delivery_markdown(report: DeliveryReport, queued: int) -> str:
    lines = [f"- In den Postausgang gestellt: {queued}", f"- Versendet: {len(report.sent)}"]
    if report.pending:
        lines.append(
            f"- **Noch nicht versendet: {len(report.pending)}** – der Mailserver war nicht "
            "erreichbar. Die Mails bleiben im Postausgang und werden beim nächsten Lauf "
            "(spätestens beim täglichen Fristenwächter) erneut versendet."
        )
        lines.extend(f"  - {md_escape(err)}" for err in report.errors)
    return "\n".join(lines)


def publish_markdown(key: str | None, markdown: str, description: str) -> None:
    try:
        create_markdown_artifact(markdown=markdown, key=key, description=description)
    except Exception:
        log.warning("Artefakt %s konnte nicht veröffentlicht werden", key, exc_info=True)


def publish_table(key: str, rows: list[dict[str, object]], description: str) -> None:
    try:
        create_table_artifact(table=rows, key=key, description=description)
    except Exception:
        log.warning("Tabelle %s konnte nicht veröffentlicht werden", key, exc_info=True)
