"""The Sachstandsbericht: read the figures, draw the charts, render the Mitteilungsvorlage,
record it and queue it for the central coordination – in one transaction, once per input."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from docx.shared import Mm
from docxtpl import InlineImage
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.settings import get_tenant
from foerderflow.tenant import Tenant
from foerderflow.wiring import Services
from models.deadlines import format_date_de
from models.errors import InputError
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
from models.steps import AuditEntry, DocumentPlan, MailPlan, Produced, StepPlan
from models.tables_reporting import SachstandReport
from tasks.common import step_task
from tasks.documents import (
    TENANT_VARIABLE,
    WordTemplate,
    document_filename,
    render_values,
    resolve_template,
    template_environment,
    tenant_values,
)
from tasks.reporting.charts import render_charts
from tasks.reporting.queries import report_data
from tasks.reporting.radar_feed import interested_calls
from tasks.steps import StepOutcome, run_step

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


def source_line(tenant: Tenant, stichtag: dt.date) -> str:
    return f"Quelle: {tenant.agentur.name}, Fördermittelverfahren; Stand {format_date_de(stichtag)}"


def render_report_docx(
    templates_dir: Path, context: SachstandContext, charts: dict[str, bytes]
) -> bytes:
    """Render the Mitteilungsvorlage with the charts as pictures (with alt texts)."""
    tpl = WordTemplate(str(resolve_template(templates_dir, TEMPLATE)))
    values = render_values(context)
    values[TENANT_VARIABLE] = tenant_values(get_tenant())
    slots = []
    for key, slot in SLOTS.items():
        values[slot]["image"] = InlineImage(tpl, io.BytesIO(charts[key]), width=CHART_WIDTH)
        slots.append(getattr(context, slot))
    tpl.render(values, template_environment(), autoescape=True)
    # Alt texts for screen readers: Word reads them from the picture's docPr.
    for shape, slot in zip(tpl.docx.inline_shapes, slots, strict=False):
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", slot.alt)
        doc_pr.set("title", slot.title)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def committee_of(tenant: Tenant, wanted: str | None) -> tuple[str, str]:
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


def create_report(
    services: Services,
    data: BerichtSachstandInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StepOutcome:
    """Render and queue the report as of ``data.stichtag`` (default ``today``)."""
    tenant = get_tenant()
    stichtag = data.stichtag or today
    committee, committee_body = committee_of(tenant, data.committee)
    owner = report_owner(stichtag)
    settings = services.settings

    def work(session: Session) -> StepPlan:
        last = session.scalar(
            select(func.max(SachstandReport.stichtag)).where(SachstandReport.stichtag < stichtag)
        )
        period = default_period(stichtag, last, data.period_start)
        facts = sachstand_facts(report_data(session, since=period.start), stichtag, period, last)
        context = sachstand_context(
            facts, committee=committee, committee_body=committee_body
        ).model_copy(update={"radar": interested_calls(session)})
        charts = render_charts(facts, source_line(tenant, stichtag))
        version = 1 + (
            session.scalar(
                select(func.count())
                .select_from(SachstandReport)
                .where(SachstandReport.stichtag == stichtag)
            )
            or 0
        )
        figures = key_figures(facts)
        mail_key = f"{owner}:v{version}"
        document = DocumentPlan(
            name=KIND,
            template=TEMPLATE,
            kind=KIND,
            version=version,
            title=f"Sachstandsbericht zum {format_date_de(stichtag)}",
            context=context,
            content=render_report_docx(settings.templates_dir, context, charts),
        )
        mail = MailPlan(
            key=mail_key,
            to=[settings.central_coordinator_email],
            template="sachstand.txt",
            context=SachstandMailContext(
                stichtag=format_date_de(stichtag),
                committee=committee,
                period=period.label,
                figures=[f"{label}: {value}" for label, value in figures],
                document=document_filename(owner, KIND, "", version),
                entered_by=data.entered_by,
                signature=tenant.agentur.signatur,
            ),
            attach=[KIND],
        )

        def record(produced: Produced) -> None:
            session.add(
                SachstandReport(
                    stichtag=stichtag,
                    version=version,
                    period_start=period.start,
                    committee=committee,
                    document_id=produced.documents[KIND].id,
                    outbox_id=produced.outbox[mail_key],
                    figures={label: value for label, value in figures},
                    entered_by=data.entered_by,
                )
            )

        return StepPlan(
            headline=f"Sachstandsbericht zum {format_date_de(stichtag)} (Fassung {version})",
            facts=[
                ("Gremium", committee),
                ("Berichtszeitraum", period.label),
                ("Fassung", str(version)),
                *figures,
            ],
            audit=[
                AuditEntry(
                    action="Sachstandsbericht erstellt",
                    actor=data.entered_by,
                    reason=f"{committee}, Berichtszeitraum {period.label}",
                    details={"version": version, "stichtag": stichtag.isoformat()},
                )
            ],
            documents=[document],
            mails=[mail],
            next_step="Der Bericht ging an die zentrale Koordination; sie legt ihn dem Gremium "
            "als Mitteilungsvorlage vor.",
            after=record,
        )

    payload = {
        "stichtag": stichtag.isoformat(),
        "committee": committee,
        "period_start": data.period_start.isoformat() if data.period_start else None,
    }
    return run_step(
        services,
        step=STEP,
        owner=owner,
        payload=payload,
        work=work,
        flow_run_id=flow_run_id,
    )


create_report_task = step_task("sachstandsbericht-erstellen", create_report)
