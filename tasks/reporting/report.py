"""The Sachstandsbericht: read the figures, draw the charts, render the Mitteilungsvorlage,
record it and queue it for the central coordination – in one transaction, once per input."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from prefect import task
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.settings import get_tenant
from foerderflow.tenant import Tenant
from foerderflow.wiring import Services, get_services
from models.deadlines import format_date_de
from models.errors import InputError
from models.mail import OutgoingMail
from models.reporting.aggregate import OUTLOOK_DAYS
from models.reporting.formatting import eur, format_count
from models.reporting.inputs import BerichtSachstandInput
from models.reporting.mails import SachstandMailContext
from models.reporting.period import default_period
from models.reporting.sachstand import (
    TEMPLATE,
    SachstandContext,
    SachstandFacts,
    sachstand_context,
    sachstand_facts,
)
from models.tables import Document
from models.tables_reporting import SachstandReport
from tasks.compose import render_mail_text
from tasks.documents import (
    TENANT_VARIABLE,
    _as_render_dict,
    _prepare,
    document_filename,
    resolve_template,
)
from tasks.mail import queue_mail
from tasks.reporting.charts import render_charts
from tasks.reporting.common import run_once, write_atomic
from tasks.reporting.queries import report_data

log = logging.getLogger(__name__)

STEP = "bericht-sachstand"
KIND = "sachstandsbericht"
CHART_WIDTH = Mm(160)
SLOTS = {
    "funding": "chart_funding",
    "stages": "chart_stages",
    "fields": "chart_fields",
    "deadlines": "chart_deadlines",
}


def report_owner(stichtag: dt.date) -> str:
    return f"sachstand-{stichtag.isoformat()}"


class ReportOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    owner: str
    stichtag: dt.date
    committee: str
    period: str
    version: int
    document_path: str
    document_id: int
    outbox_ids: list[int] = Field(default_factory=list)
    figures: list[tuple[str, str]] = Field(default_factory=list)
    repeated: bool = False


def source_line(tenant: Tenant, stichtag: dt.date) -> str:
    return f"Quelle: {tenant.agentur.name}, Fördermittelverfahren; Stand {format_date_de(stichtag)}"


def render_report_docx(
    templates_dir: Path, context: SachstandContext, charts: dict[str, bytes]
) -> bytes:
    """Render the Mitteilungsvorlage with the charts as pictures (with alt texts)."""
    tpl = DocxTemplate(str(resolve_template(templates_dir, TEMPLATE)))
    values = _as_render_dict(context)
    values[TENANT_VARIABLE] = _prepare(get_tenant().model_dump(mode="json"))
    slots = []
    for key, slot in SLOTS.items():
        values[slot]["image"] = InlineImage(tpl, io.BytesIO(charts[key]), width=CHART_WIDTH)
        slots.append(getattr(context, slot))
    tpl.render(values, autoescape=True)
    # Alt texts for screen readers: Word reads them from the picture's docPr.
    for shape, slot in zip(tpl.docx.inline_shapes, slots, strict=False):
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", slot.alt)
        doc_pr.set("title", slot.title)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def _committee(tenant: Tenant, wanted: str | None) -> tuple[str, str]:
    if wanted is None:
        first = tenant.ausschuesse[0]
        return first.name, first.gremium
    for item in tenant.ausschuesse:
        if item.name == wanted:
            return item.name, item.gremium
    names = ", ".join(f"„{c}“" for c in tenant.committee_names)
    raise InputError(
        f"Bericht ungültig – es wurde nichts gespeichert:\n• Ausschuss „{wanted}“ ist nicht "
        f"bekannt; möglich sind {names}."
    )


def key_figures(facts: SachstandFacts) -> list[tuple[str, str]]:
    t = facts.totals
    return [
        ("Beantragt (eingereicht)", f"{format_count(t.applied_count)} · {eur(t.applied_cents)}"),
        ("Bewilligt", f"{format_count(t.granted_count)} · {eur(t.granted_cents)}"),
        ("Eigenanteile (bewilligt)", eur(t.own_share_cents)),
        ("Abgelehnt", f"{format_count(t.rejected_count)} · {eur(t.rejected_cents)}"),
        ("Offen (Bescheid steht aus)", f"{format_count(t.open_count)} · {eur(t.open_cents)}"),
        ("In Vorbereitung", format_count(t.preparation_count)),
        ("Projekte der Strategie", format_count(facts.projects_total)),
        (f"Fristen der nächsten {OUTLOOK_DAYS} Tage", format_count(len(facts.outlook.upcoming))),
        ("Überschrittene Fristen", format_count(len(facts.outlook.overdue))),
    ]


def create_report(services: Services, data: BerichtSachstandInput, today: dt.date) -> ReportOutcome:
    """Render and queue the report as of ``data.stichtag`` (default ``today``)."""
    tenant = get_tenant()
    stichtag = data.stichtag or today
    committee, committee_body = _committee(tenant, data.committee)
    owner = report_owner(stichtag)
    settings = services.settings

    def work(session: Session) -> ReportOutcome:
        last = session.scalar(
            select(func.max(SachstandReport.stichtag)).where(SachstandReport.stichtag < stichtag)
        )
        period = default_period(stichtag, last, data.period_start)
        facts = sachstand_facts(report_data(session, since=period.start), stichtag, period, last)
        context = sachstand_context(facts, committee=committee, committee_body=committee_body)
        charts = render_charts(facts, source_line(tenant, stichtag))
        content = render_report_docx(settings.templates_dir, context, charts)
        version = 1 + (
            session.scalar(
                select(func.count())
                .select_from(SachstandReport)
                .where(SachstandReport.stichtag == stichtag)
            )
            or 0
        )
        path = settings.resolved_documents_dir / owner / document_filename(owner, KIND, "", version)
        write_atomic(path, content)
        doc = Document(
            owner=owner,
            kind=KIND,
            subject="",
            version=version,
            title=f"Sachstandsbericht zum {format_date_de(stichtag)}",
            path=str(path),
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
        )
        session.add(doc)
        session.flush()
        figures = key_figures(facts)
        subject, body = render_mail_text(
            settings.templates_dir,
            "sachstand.txt",
            SachstandMailContext(
                stichtag=format_date_de(stichtag),
                committee=committee,
                period=period.label,
                figures=[f"{label}: {value}" for label, value in figures],
                document=path.name,
                entered_by=data.entered_by,
                signature=tenant.agentur.signatur,
            ),
        )
        outbox_id = queue_mail(
            session,
            OutgoingMail(
                key=f"{owner}:v{version}",
                owner=owner,
                to=[settings.central_coordinator_email],
                subject=subject,
                body=body,
                attachment_ids=[doc.id],
            ),
        )
        session.add(
            SachstandReport(
                stichtag=stichtag,
                version=version,
                period_start=period.start,
                committee=committee,
                document_id=doc.id,
                outbox_id=outbox_id,
                figures={label: value for label, value in figures},
                entered_by=data.entered_by,
            )
        )
        return ReportOutcome(
            owner=owner,
            stichtag=stichtag,
            committee=committee,
            period=period.label,
            version=version,
            document_path=str(path),
            document_id=doc.id,
            outbox_ids=[outbox_id],
            figures=figures,
        )

    payload = {
        "stichtag": stichtag.isoformat(),
        "committee": committee,
        "period_start": data.period_start.isoformat() if data.period_start else None,
    }
    return run_once(
        services, step=STEP, owner=owner, payload=payload, outcome_type=ReportOutcome, work=work
    )


@task(name="sachstandsbericht-erstellen")
def create_report_task(data: BerichtSachstandInput, today: dt.date) -> ReportOutcome:
    return create_report(get_services(), data, today)
