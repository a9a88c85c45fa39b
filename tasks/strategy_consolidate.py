"""strategie-konsolidierung: the draft of the revised strategy and one Sitzungsvorlage per
body, mailed to each body and, as a set, to the central coordination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import InputError
from models.money import euro_to_cents
from models.steps import AuditEntry, DocumentPlan, MailPlan, StepPlan, fact_pairs
from models.strategy import (
    CycleStatus,
    ProjectStatus,
    ReportedStatus,
    ReportState,
    consolidate,
    funding_by_body,
)
from models.strategy_docs import (
    ENTWURF_TEMPLATE,
    MAIL_GESAMT,
    MAIL_VORLAGE,
    VORLAGE_TEMPLATE,
    CycleFacts,
    council_paper_mail_context,
    draft_title,
    entwurf_context,
    package_mail_context,
    sitzungsvorlage_strategie_context,
)
from models.strategy_inputs import KonsolidierungInput
from models.strategy_progress import consolidation_token
from models.tables import (
    Body,
    Project,
    ProjectStatusEntry,
    StrategyBodyReport,
    StrategyCycle,
    StrategyResolution,
)
from tasks.applications import council_paper_number
from tasks.common import step_task
from tasks.store import body_view
from tasks.strategy import (
    STEP_CONSOLIDATE,
    CycleRun,
    Work,
    all_bodies,
    body_states,
    cycle_standing,
    cycle_step,
    ensure_report_row,
    find_cycle,
    funding_applications,
    project_views,
    require_cycle,
)


def _consolidation_state(session: Session, cycle: StrategyCycle | None) -> str:
    return consolidation_token(body_states(session, cycle)) if cycle is not None else ""


def _state_of(data: KonsolidierungInput) -> Callable[[Session], str]:
    return lambda session: _consolidation_state(session, find_cycle(session, data.year))


def cycle_facts(
    session: Session, cycle: StrategyCycle, *, version: int, today: dt.date
) -> CycleFacts:
    """Everything the consolidation documents say, read in the current transaction."""
    standing = cycle_standing(session, cycle)
    projects = project_views(session)
    reported = [
        ReportedStatus(
            project_code=code,
            body=body_name,
            body_label=official,
            status=ProjectStatus(status),
            note=note,
        )
        for code, body_name, official, status, note in session.execute(
            select(
                Project.code,
                Body.name,
                Body.official_name,
                ProjectStatusEntry.status,
                ProjectStatusEntry.note,
            )
            .join(Project, Project.id == ProjectStatusEntry.project_id)
            .join(StrategyBodyReport, StrategyBodyReport.id == ProjectStatusEntry.report_id)
            .join(Body, Body.id == StrategyBodyReport.body_id)
            .where(
                StrategyBodyReport.cycle_id == cycle.id,
                StrategyBodyReport.state == ReportState.GEMELDET.value,
            )
            .order_by(StrategyBodyReport.reported_on, StrategyBodyReport.id)
        )
    ]
    names = [b.name for b in standing.bodies]
    return CycleFacts(
        **dict(standing),  # year, bodies, states and the restricted amount
        version=version,
        today=today,
        opened_on=cycle.opened_on,
        response_due=cycle.response_due,
        rows=consolidate(projects, cycle.baseline, reported),
        funding=funding_by_body(funding_applications(session), names),
    )


@cycle_step(STEP_CONSOLIDATE, payload=lambda data: {}, state=_state_of)
def consolidate_cycle(run: CycleRun, data: KonsolidierungInput, today: dt.date) -> Work:
    """Render the draft and the 12 Vorlagen; mail each body its Vorlage, the centre the set."""
    settings, year, owner = run.settings, run.year, run.owner

    def work(session: Session) -> StepPlan:
        cycle = require_cycle(find_cycle(session, year), year)
        if cycle.status == CycleStatus.ABGESCHLOSSEN.value:
            raise InputError(
                f"Die Fortschreibung {year} ist bereits von allen Gremien beschlossen; ein neuer "
                "Entwurf wird nicht mehr erstellt. Es wurde nichts gespeichert."
            )
        token = _consolidation_state(session, cycle)
        earlier_resolutions = session.scalar(
            select(StrategyResolution.id).where(StrategyResolution.cycle_id == cycle.id).limit(1)
        )
        version = cycle.draft_version + 1
        cycle.restricted_amount_cents = (
            euro_to_cents(settings.strategy_restricted_amount_eur)
            if settings.strategy_restricted_amount_eur is not None
            else None
        )
        bodies = all_bodies(session)
        reports = {
            r.body_id: r
            for r in session.scalars(
                select(StrategyBodyReport).where(StrategyBodyReport.cycle_id == cycle.id)
            )
        }
        for body in bodies:
            report = reports.get(body.id) or ensure_report_row(session, cycle, body)
            reports[body.id] = report
            if not report.council_paper_number:
                report.council_paper_number = council_paper_number(session, year)
        session.flush()
        facts = cycle_facts(session, cycle, version=version, today=today)
        projects = {p.code: p for p in session.scalars(select(Project))}
        for row in facts.rows:
            project = projects.get(row.project.code)
            if project is not None and project.status != row.current.value:
                project.status = row.current.value
        title = draft_title(year)
        draft = DocumentPlan(
            name="entwurf",
            template=ENTWURF_TEMPLATE,
            kind="entwurf",
            version=version,
            title=f"Entwurf „{title}“",
            context=entwurf_context(facts),
        )
        papers: list[DocumentPlan] = []
        mails: list[MailPlan] = []
        for body in bodies:
            view = body_view(body)
            report = reports[body.id]
            number = report.council_paper_number or ""
            papers.append(
                DocumentPlan(
                    name=body.slug,
                    template=VORLAGE_TEMPLATE,
                    kind="sitzungsvorlage",
                    subject=body.slug,
                    version=version,
                    title=f"Sitzungsvorlage {number} {body.official_name}",
                    context=sitzungsvorlage_strategie_context(facts, view, number),
                )
            )
            mails.append(
                MailPlan(
                    key=f"{owner}:vorlage:{body.slug}:v{version}",
                    to=[report.contact_email],
                    template=MAIL_VORLAGE,
                    context=council_paper_mail_context(
                        facts, view, number, settings.central_coordinator_email
                    ),
                    attach=[body.slug, draft.name],
                )
            )
        listed = facts.listed
        missing = [s.official_name for s in facts.states if not s.reported]
        warnings = []
        if missing:
            warnings.append(
                f"Ohne Statusmeldung: {', '.join(missing)}. Für deren Projekte wurde der "
                "bisherige Stand übernommen."
            )
        if earlier_resolutions is not None:
            warnings.append(
                f"Es liegen bereits Beschlüsse zu einer früheren Fassung vor. Bitte prüfen, ob "
                f"die Gremien die Fassung v{version} erneut beraten müssen."
            )
        documents = [draft, *papers]
        package = package_mail_context(
            facts,
            papers=len(papers),
            documents=[f"{d.title} (Fassung v{d.version})" for d in documents],
            warnings=warnings,
            entered_by=data.entered_by,
            ui_url=settings.resolved_ui_url,
        )
        mails.append(
            MailPlan(
                key=f"{owner}:gesamtpaket:v{version}",
                to=[settings.central_coordinator_email],
                template=MAIL_GESAMT,
                context=package,
                attach=[d.name for d in documents],
            )
        )
        previous_status = cycle.status
        cycle.status = CycleStatus.BESCHLUSSFASSUNG.value
        cycle.draft_version = version
        cycle.consolidated_token = token
        cycle.consolidated_on = today
        entry = AuditEntry(
            actor=data.entered_by,
            action="Fortschreibung konsolidiert",
            from_stage=previous_status,
            to_stage=cycle.status,
            reason=f"Entwurf Fassung v{version} und {len(papers)} Sitzungsvorlagen",
            details={
                "version": version,
                "missing": missing,
                "listed": len(listed),
                "restricted_amount_cents": cycle.restricted_amount_cents,
            },
        )
        session.flush()
        return StepPlan(
            status={"year": year, "cycle_status": CycleStatus.BESCHLUSSFASSUNG},
            audit=[entry],
            mails=mails,
            headline=f"Entwurf der Fortschreibung {year} (Fassung v{version}) und "
            f"{len(papers)} Sitzungsvorlagen erstellt",
            facts=fact_pairs(package.facts),
            documents=documents,
            warnings=warnings,
            next_step="Beschlüsse der Gremien mit „strategie-beschluss“ erfassen.",
        )

    return work


consolidate_cycle_task = step_task("fortschreibung-konsolidieren", consolidate_cycle)
