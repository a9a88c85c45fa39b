"""The yearly strategy revision: the four steps of a cycle, their documents, mails and artifacts.

Each step is a plain function ``(services, input, today, flow_run_id) -> StrategyOutcome`` that
runs in one transaction; the Prefect tasks at the end only add names and retries.

Every step first locks the cycle row (``SELECT … FOR UPDATE``), so concurrent runs of the
same year are serialised: of
twelve resolutions arriving at once, exactly one sees all twelve adoptions and lifts the
Sperrvermerk. The release row is UNIQUE per cycle and its mail has a fixed outbox key, so even
a broken lock could not release twice.

Repeated runs: a step is recorded in ``step_requests`` under a fingerprint of its input *and*
of the state it acted on (the body's current report, the resolution of that meeting, the
reports a consolidation used). The same input on the same state returns the recorded outcome
and changes nothing; the same input on a changed state (report A, then B, then A again) is
applied again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from foerderflow.db import run_in_transaction
from foerderflow.settings import Settings
from foerderflow.tenant import body_names
from foerderflow.wiring import Services, get_services
from models.bodies import BodyView
from models.deadlines import compute_deadline, fixed_date, format_date_de, format_day_de
from models.errors import InputError, NotFoundError
from models.fristen import DeadlineKind, DeadlineSpec, DeadlineStatus
from models.mail import DeliveryReport, OutgoingMail
from models.money import euro_to_cents, format_eur
from models.strategy import (
    FOLLOW_UP_WEEKS,
    BeschlussInput,
    BodyCycleView,
    CycleStatus,
    FortschreibungInput,
    FundingApplication,
    Handlungsfeld,
    KonsolidierungInput,
    ProjectStatus,
    ProjectView,
    ReportedStatus,
    ReportState,
    ResolutionOutcome,
    ResolutionView,
    StatusmeldungInput,
    all_adopted,
    check_report,
    consolidate,
    consolidation_token,
    cycle_owner,
    funding_by_body,
    latest_resolution,
    next_project_code,
    progress,
    report_fingerprint,
    year_of,
)
from models.strategy_documents import (
    ENTWURF_TEMPLATE,
    FREIGABE_TEMPLATE,
    MAIL_ESKALATION,
    MAIL_FREIGABE,
    MAIL_GESAMT,
    MAIL_STATUSABFRAGE,
    MAIL_VORLAGE,
    STATUSABFRAGE_TEMPLATE,
    VORLAGE_TEMPLATE,
    CycleFacts,
    ResolutionRecord,
    council_paper_mail_context,
    draft_title,
    entwurf_context,
    escalation_mail_context,
    freigabe_context,
    package_mail_context,
    release_mail_context,
    sitzungsvorlage_strategie_context,
    status_request_mail_context,
    status_table_rows,
    statusabfrage_context,
)
from models.tables import (
    Application,
    ApplicationPartner,
    Body,
    Contact,
    Deadline,
    Project,
    ProjectParticipant,
    ProjectStatusEntry,
    StepRequest,
    StrategyBodyReport,
    StrategyCycle,
    StrategyRelease,
    StrategyResolution,
)
from tasks.applications import council_paper_number
from tasks.artifacts import (
    delivery_markdown,
    documents_markdown,
    md_escape,
    publish_markdown,
    publish_table,
    tag_current_run,
)
from tasks.calendar import write_feeds_task
from tasks.common import step_task
from tasks.compose import render_mail_text
from tasks.deadline_changes import deadlines_touched
from tasks.delivery import deliver_mail_task
from tasks.documents import DocumentView, store_document
from tasks.fristen import complete_deadline, ensure_deadline
from tasks.mail import queue_mail
from tasks.menu import refresh_menu
from tasks.store import audit, body_view, fingerprint, get_application, get_body, get_project

STEP_OPEN = "strategie-fortschreibung"
STEP_REPORT = "strategie-statusmeldung"
STEP_CONSOLIDATE = "strategie-konsolidierung"
STEP_RESOLUTION = "strategie-beschluss"


class StrategyOutcome(BaseModel):
    """What a step of the strategy cycle did: shown in the run's artifact, returned by the flow."""

    model_config = ConfigDict(frozen=True)

    year: int
    owner: str  # strategie-<year>
    step: str
    cycle_status: CycleStatus | None = None
    headline: str
    facts: list[tuple[str, str]] = Field(default_factory=list)
    documents: list[DocumentView] = Field(default_factory=list)
    outbox_ids: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    next_step: str = ""
    repeated: bool = False
    follow_up: str | None = None  # "konsolidierung": the flow starts the consolidation
    released: bool = False  # this run lifted the Sperrvermerk
    calendar_changed: bool = False  # a deadline was created, moved or closed: rewrite the feeds


# --- Lookups ---------------------------------------------------------------------------------


def _body_key(name: str) -> tuple[int, str]:
    """The order of koerperschaften.yaml (the Kreis first); bodies not there at the end."""
    order = body_names()
    return (order.index(name) if name in order else len(order), name)


def find_cycle(session: Session, year: int, *, for_update: bool = False) -> StrategyCycle | None:
    query = select(StrategyCycle).where(StrategyCycle.year == year)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def require_cycle(cycle: StrategyCycle | None, year: int) -> StrategyCycle:
    if cycle is None:
        raise NotFoundError(
            f"Für das Jahr {year} ist keine Fortschreibung der Digitalisierungsstrategie "
            "eröffnet. Bitte das Jahr prüfen oder zuerst „strategie-fortschreibung“ starten. Es "
            "wurde nichts gespeichert."
        )
    return cycle


def all_bodies(session: Session) -> list[Body]:
    """Every body, in the order of the tenant's koerperschaften.yaml (the Kreis first)."""
    return sorted(session.scalars(select(Body)), key=lambda b: _body_key(b.name))


def contact_email(session: Session, body: Body) -> str:
    """The body's coordinator: its primary contact, else the body's general address."""
    primary = session.scalar(
        select(Contact.email)
        .where(Contact.body_id == body.id)
        .order_by(Contact.is_primary.desc(), Contact.id)
        .limit(1)
    )
    return primary or body.email


def _project_query() -> Any:
    return select(Project).options(
        selectinload(Project.participants).selectinload(ProjectParticipant.body),
        selectinload(Project.lead_body),
    )


def project_view(project: Project) -> ProjectView:
    return ProjectView(
        code=project.code,
        title=project.title,
        field=Handlungsfeld(project.field),
        lead=project.lead_body.name,
        participants=sorted(
            (p.body.name for p in project.participants if p.body_id != project.lead_body_id),
            key=_body_key,
        ),
        status=ProjectStatus(project.status),
        description=project.description,
        source=project.source,
    )


def project_views(session: Session) -> list[ProjectView]:
    return [project_view(p) for p in session.scalars(_project_query().order_by(Project.code))]


def body_states(session: Session, cycle: StrategyCycle) -> list[BodyCycleView]:
    """Each body's report and latest resolution, in the order of :func:`all_bodies`."""
    reports = {
        r.body_id: r
        for r in session.scalars(
            select(StrategyBodyReport).where(StrategyBodyReport.cycle_id == cycle.id)
        )
    }
    resolutions: dict[int, list[ResolutionView]] = {}
    for row in session.scalars(
        select(StrategyResolution).where(StrategyResolution.cycle_id == cycle.id)
    ):
        resolutions.setdefault(row.body_id, []).append(_resolution_view(row))
    states = []
    for body in all_bodies(session):
        report = reports.get(body.id)
        states.append(
            BodyCycleView(
                body=body.name,
                official_name=body.official_name,
                slug=body.slug,
                report_state=ReportState(report.state) if report else ReportState.OFFEN,
                version=report.version if report else 0,
                reported_on=report.reported_on if report else None,
                late=report.late if report else False,
                response_due=cycle.response_due,
                paper_number=report.council_paper_number if report else None,
                resolution=latest_resolution(resolutions.get(body.id, [])),
            )
        )
    return states


def _resolution_view(row: StrategyResolution) -> ResolutionView:
    return ResolutionView(
        outcome=ResolutionOutcome(row.outcome),
        meeting_date=row.meeting_date,
        note=row.note,
        next_meeting=row.next_meeting,
    )


def _release(session: Session, cycle: StrategyCycle) -> StrategyRelease | None:
    return session.scalar(select(StrategyRelease).where(StrategyRelease.cycle_id == cycle.id))


def _report_row(session: Session, cycle: StrategyCycle, body: Body) -> StrategyBodyReport | None:
    return session.scalar(
        select(StrategyBodyReport).where(
            StrategyBodyReport.cycle_id == cycle.id, StrategyBodyReport.body_id == body.id
        )
    )


def _ensure_report_row(session: Session, cycle: StrategyCycle, body: Body) -> StrategyBodyReport:
    row = _report_row(session, cycle, body)
    if row is None:  # a body added to the reference data after the cycle opened
        row = StrategyBodyReport(
            cycle_id=cycle.id,
            body_id=body.id,
            contact_email=contact_email(session, body),
            state=ReportState.OFFEN.value,
            version=0,
            late=False,
        )
        session.add(row)
        session.flush()
    return row


def funding_applications(session: Session) -> list[FundingApplication]:
    """Applications linked to a strategy project, reduced to what the draft reports."""
    rows = session.execute(
        select(Application, Project.code)
        .join(Project, Application.project_id == Project.id)
        .options(
            selectinload(Application.partners).selectinload(ApplicationPartner.body),
            selectinload(Application.lead_body),
        )
        .order_by(Application.reference)
    ).all()
    out = []
    for app, code in rows:
        bodies = [app.lead_body.name] + [
            p.body.name for p in app.partners if not p.is_lead and p.decision != "abgesagt"
        ]
        out.append(
            FundingApplication(
                reference=app.reference,
                title=app.title,
                project_code=code,
                stage=app.stage,
                lead=app.lead_body.name,
                bodies=list(dict.fromkeys(bodies)),
                requested_cents=app.requested_grant_cents,
                granted_cents=app.granted_cents,
            )
        )
    return out


def link_application(services: Services, reference: str, project_code: str) -> None:
    """Assign a funding application to a project of the list (its funding then counts)."""

    def work(session: Session) -> None:
        project = get_project(session, project_code)
        get_application(session, reference, for_update=True).project_id = project.id

    run_in_transaction(work, services.sessions)


# --- The step runner -------------------------------------------------------------------------


def run_cycle_step(
    services: Services,
    *,
    year: int,
    step: str,
    payload: dict[str, Any],
    work: Callable[[Session, StrategyCycle | None], StrategyOutcome],
    state: Callable[[Session, StrategyCycle | None], str] | None = None,
) -> StrategyOutcome:
    """Run ``work`` once per input and state, with the cycle row locked for the transaction."""
    owner = cycle_owner(year)

    def transaction(session: Session) -> StrategyOutcome:
        cycle = find_cycle(session, year, for_update=True)
        token = state(session, cycle) if state is not None else ""
        key = fingerprint({"step": step, "owner": owner, **payload, "state": token})
        done = session.scalar(select(StepRequest).where(StepRequest.key == key))
        if done is not None:
            recorded = StrategyOutcome.model_validate(done.outcome)
            return recorded.model_copy(update={"repeated": True, "follow_up": None})
        outcome = work(session, cycle)
        if outcome.repeated:  # the state already was what the input asks for: write nothing
            return outcome
        session.flush()
        if deadlines_touched(session):
            outcome = outcome.model_copy(update={"calendar_changed": True})
        session.add(
            StepRequest(key=key, owner=owner, step=step, outcome=outcome.model_dump(mode="json"))
        )
        session.flush()
        return outcome

    try:
        return run_in_transaction(transaction, services.sessions)
    except IntegrityError:
        # A concurrent identical run won the race (e.g. two openings of the same year):
        # the retry finds its result, or refuses with the German message.
        return run_in_transaction(transaction, services.sessions)


def _render(
    session: Session,
    settings: Settings,
    *,
    owner: str,
    template: str,
    kind: str,
    version: int,
    title: str,
    context: Any,
    subject: str = "",
) -> DocumentView:
    return store_document(
        session,
        documents_dir=settings.resolved_documents_dir,
        templates_dir=settings.templates_dir,
        template=template,
        owner=owner,
        kind=kind,
        version=version,
        title=title,
        context=context,
        subject=subject,
    )


def _others(addresses: Sequence[str], exclude: Sequence[str]) -> list[str]:
    skip = {a.lower() for a in exclude}
    return [a for a in dict.fromkeys(addresses) if a.lower() not in skip]


# === 1. strategie-fortschreibung ================================================================


def open_cycle(
    services: Services,
    data: FortschreibungInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StrategyOutcome:
    """Open the cycle: one Statusabfrage, one deadline and one mail per body."""
    settings = services.settings
    year = data.for_year(today)
    owner = cycle_owner(year)
    due = (
        fixed_date(data.response_due)
        if data.response_due is not None
        else compute_deadline(today, weeks=settings.strategy_response_weeks)
    )
    if due.end <= today:
        raise InputError(
            f"Die Rückmeldefrist {format_date_de(due.end)} muss in der Zukunft liegen. Es wurde "
            "nichts gespeichert."
        )

    def work(session: Session, cycle: StrategyCycle | None) -> StrategyOutcome:
        if cycle is not None:
            raise InputError(
                f"Die Fortschreibung {year} ist bereits seit dem "
                f"{format_date_de(cycle.opened_on)} eröffnet (Rückmeldefrist "
                f"{format_date_de(cycle.response_due)}, Stand: {CycleStatus(cycle.status).label})."
                " Eine zweite Statusabfrage wird nicht verschickt. Meldungen erfassen Sie mit "
                "„strategie-statusmeldung“."
            )
        bodies = all_bodies(session)
        if not bodies:
            raise NotFoundError(
                "Es sind keine Körperschaften angelegt. Bitte zuerst die Stammdaten einspielen "
                "(foerderflow seed)."
            )
        projects = project_views(session)
        cycle = StrategyCycle(
            year=year,
            status=CycleStatus.STATUSABFRAGE.value,
            response_due=due.end,
            opened_on=today,
            opened_by=data.entered_by,
            baseline={p.code: p.status.value for p in projects},
            draft_version=0,
        )
        session.add(cycle)
        session.flush()
        audit(
            session,
            owner=owner,
            actor=data.entered_by,
            action="Fortschreibung eröffnet",
            to_stage=CycleStatus.STATUSABFRAGE.value,
            reason=f"Statusabfrage an {len(bodies)} Körperschaften, Rückmeldung bis "
            f"{format_date_de(due.end)}",
            details={"response_due": due.end.isoformat(), "projects": len(projects)},
            flow_run_id=flow_run_id,
        )
        documents: list[DocumentView] = []
        outbox: list[int] = []
        for body in bodies:
            view = body_view(body)
            contact = contact_email(session, body)
            session.add(
                StrategyBodyReport(
                    cycle_id=cycle.id,
                    body_id=body.id,
                    contact_email=contact,
                    state=ReportState.OFFEN.value,
                    version=0,
                    late=False,
                )
            )
            context = statusabfrage_context(
                year=year,
                body=view,
                projects=projects,
                baseline=cycle.baseline,
                response_due=due.end,
                today=today,
                coordinator_email=settings.central_coordinator_email,
                entered_by=data.entered_by,
            )
            doc = _render(
                session,
                settings,
                owner=owner,
                template=STATUSABFRAGE_TEMPLATE,
                kind="statusabfrage",
                subject=body.slug,
                version=1,
                title=f"Statusabfrage {year} {body.official_name}",
                context=context,
            )
            documents.append(doc)
            subject, text = render_mail_text(
                settings.templates_dir,
                MAIL_STATUSABFRAGE,
                status_request_mail_context(context, view, due.end),
            )
            outbox.append(
                queue_mail(
                    session,
                    OutgoingMail(
                        key=f"{owner}:statusabfrage:{body.slug}",
                        owner=owner,
                        to=[contact],
                        subject=subject,
                        body=text,
                        attachment_ids=[doc.id],
                    ),
                )
            )
            ensure_deadline(
                session,
                DeadlineSpec(
                    key=f"{owner}:statusmeldung:{body.slug}",
                    kind=DeadlineKind.STATUSMELDUNG,
                    title=f"Statusmeldung {body.official_name} zur Fortschreibung {year}",
                    due_date=due.end,
                    is_termin=due.is_termin,
                    explanation=due.explanation,
                    owner=owner,
                    body_id=body.id,
                    contact_email=contact,
                    created_by=data.entered_by,
                ),
            )
        session.flush()
        return StrategyOutcome(
            year=year,
            owner=owner,
            step=STEP_OPEN,
            cycle_status=CycleStatus.STATUSABFRAGE,
            headline=f"Fortschreibung {year} eröffnet: Statusabfrage an {len(bodies)} "
            "Körperschaften",
            facts=[
                ("Rückmeldefrist", format_day_de(due.end)),
                ("Körperschaften", str(len(bodies))),
                ("Projekte in der Liste", str(len(projects))),
            ],
            documents=documents,
            outbox_ids=outbox,
            warnings=["Die Rückmeldefrist wurde auf den nächsten Werktag verschoben."]
            if due.moved
            else [],
            next_step="Eingehende Meldungen mit „strategie-statusmeldung“ erfassen. Sobald alle "
            f"{len(bodies)} Körperschaften gemeldet haben, startet die Konsolidierung "
            "automatisch.",
        )

    return run_cycle_step(
        services,
        year=year,
        step=STEP_OPEN,
        payload={"response_due": data.response_due.isoformat() if data.response_due else None},
        work=work,
    )


# === 2. strategie-statusmeldung =================================================================


def _report_state(data: StatusmeldungInput) -> Callable[[Session, StrategyCycle | None], str]:
    def state(session: Session, cycle: StrategyCycle | None) -> str:
        if cycle is None:
            return ""
        report = session.scalar(
            select(StrategyBodyReport.fingerprint)
            .join(Body, Body.id == StrategyBodyReport.body_id)
            .where(StrategyBodyReport.cycle_id == cycle.id, Body.name == data.body)
        )
        return report or ""

    return state


def record_report(
    services: Services,
    data: StatusmeldungInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StrategyOutcome:
    """Record one body's report; a second report from the same body replaces the first."""
    year = data.year
    owner = cycle_owner(year)
    content = report_fingerprint(data.entries, data.new_projects)

    def work(session: Session, found: StrategyCycle | None) -> StrategyOutcome:
        cycle = require_cycle(found, year)
        body = get_body(session, data.body)
        report = _ensure_report_row(session, cycle, body)
        if report.fingerprint == content:
            return StrategyOutcome(
                year=year,
                owner=owner,
                step=STEP_REPORT,
                cycle_status=CycleStatus(cycle.status),
                headline=f"Statusmeldung {body.official_name} unverändert – nichts doppelt",
                repeated=True,
            )
        if cycle.status == CycleStatus.ABGESCHLOSSEN.value:
            raise InputError(
                f"Die Fortschreibung {year} ist abgeschlossen; Statusmeldungen werden nicht mehr "
                "erfasst. Es wurde nichts gespeichert."
            )
        rows = {p.code: p for p in session.scalars(_project_query())}
        own_proposals = {
            p.title.casefold(): p
            for p in rows.values()
            if p.source == "vorschlag" and p.proposed_year == year and p.lead_body_id == body.id
        }
        wanted_titles = {n.title.casefold() for n in data.new_projects}
        dropped = [p for t, p in own_proposals.items() if t not in wanted_titles]
        kept = {p.code for t, p in own_proposals.items() if t in wanted_titles}
        remaining = {c: p for c, p in rows.items() if p not in dropped}
        views = {c: project_view(p) for c, p in remaining.items()}
        not_reported = check_report(body.name, body.official_name, views, data.entries)
        for proposal in data.new_projects:
            clash = next(
                (
                    p
                    for p in remaining.values()
                    if p.title.casefold() == proposal.title.casefold() and p.code not in kept
                ),
                None,
            )
            if clash is not None:
                raise InputError(
                    f"Ein Projekt mit dem Titel „{proposal.title}“ gibt es bereits ({clash.code}). "
                    "Bitte melden Sie dessen Stand unter „Projekte“. Es wurde nichts gespeichert."
                )
        previous_entries = {
            code: status
            for code, status in session.execute(
                select(Project.code, ProjectStatusEntry.status)
                .join(Project, Project.id == ProjectStatusEntry.project_id)
                .where(ProjectStatusEntry.report_id == report.id)
            )
        }
        replaced = report.version > 0
        session.execute(delete(ProjectStatusEntry).where(ProjectStatusEntry.report_id == report.id))
        for proposal_row in dropped:
            session.execute(
                delete(ProjectParticipant).where(ProjectParticipant.project_id == proposal_row.id)
            )
            session.execute(delete(Project).where(Project.id == proposal_row.id))
        session.flush()
        bodies = {b.name: b for b in all_bodies(session)}
        created_codes: list[str] = []
        for proposal in data.new_projects:
            existing = own_proposals.get(proposal.title.casefold())
            participant_ids = {bodies[b].id for b in proposal.participants if b in bodies} - {
                body.id
            }
            if existing is not None and existing.field == proposal.handlungsfeld.value:
                existing.description = proposal.description
                existing.title = proposal.title
                session.execute(
                    delete(ProjectParticipant).where(ProjectParticipant.project_id == existing.id)
                )
                project_id = existing.id
                created_codes.append(existing.code)
            else:
                if existing is not None:  # moved to another Handlungsfeld: a new code
                    session.execute(
                        delete(ProjectParticipant).where(
                            ProjectParticipant.project_id == existing.id
                        )
                    )
                    session.execute(delete(Project).where(Project.id == existing.id))
                    session.flush()
                codes = session.scalars(select(Project.code)).all()
                project = Project(
                    code=next_project_code(proposal.handlungsfeld, codes),
                    title=proposal.title,
                    field=proposal.handlungsfeld.value,
                    lead_body_id=body.id,
                    status=ProjectStatus.GEPLANT.value,
                    description=proposal.description,
                    source="vorschlag",
                    proposed_year=year,
                )
                session.add(project)
                session.flush()
                project_id = project.id
                created_codes.append(project.code)
            session.add_all(
                ProjectParticipant(project_id=project_id, body_id=b)
                for b in sorted(participant_ids)
            )
        for entry in data.entries:
            project_row = remaining[entry.project_code]
            session.add(
                ProjectStatusEntry(
                    report_id=report.id,
                    project_id=project_row.id,
                    year=year,
                    body_id=body.id,
                    status=entry.status.value,
                    previous_status=cycle.baseline.get(entry.project_code),
                    note=entry.note,
                )
            )
        report.state = ReportState.GEMELDET.value
        report.version += 1
        report.reported_on = today
        report.reported_by = data.entered_by
        report.late = today > cycle.response_due
        report.fingerprint = content
        details = {
            "body": body.name,
            "version": report.version,
            "entries": {e.project_code: e.status.value for e in data.entries},
            "new_projects": created_codes,
        }
        if replaced:
            details["previous_entries"] = previous_entries
        audit(
            session,
            owner=owner,
            actor=data.entered_by,
            action="Statusmeldung ersetzt" if replaced else "Statusmeldung erfasst",
            reason=f"{body.official_name}: {len(data.entries)} Projekte"
            + (
                f", {len(created_codes)} neue Vorschläge ({', '.join(created_codes)})"
                if created_codes
                else ""
            )
            + (f"; ersetzt die {report.version - 1}. Fassung" if replaced else ""),
            details=details,
            flow_run_id=flow_run_id,
        )
        deadline = session.scalar(
            select(Deadline).where(Deadline.key == f"{owner}:statusmeldung:{body.slug}")
        )
        if deadline is not None and deadline.status == DeadlineStatus.OFFEN.value:
            complete_deadline(
                session,
                deadline,
                done_on=today,
                done_by=data.entered_by,
                note=f"Statusmeldung {body.official_name} erfasst",
            )
        session.flush()
        states = body_states(session, cycle)
        reported = sum(1 for s in states if s.reported)
        missing = [s.official_name for s in states if not s.reported]
        warnings: list[str] = []
        if report.late:
            warnings.append(
                f"Die Meldung ist nach Ablauf der Rückmeldefrist "
                f"({format_date_de(cycle.response_due)}) eingegangen; sie wird berücksichtigt."
            )
        if not_reported:
            warnings.append(
                "Ohne Meldung (bisheriger Stand bleibt): " + ", ".join(not_reported) + "."
            )
        follow_up = None
        if missing:
            next_step = f"Es fehlen noch Meldungen von: {', '.join(missing)}."
        elif cycle.status == CycleStatus.STATUSABFRAGE.value:
            follow_up = "konsolidierung"
            next_step = (
                f"Alle {len(states)} Körperschaften haben gemeldet. Die Konsolidierung "
                "(strategie-konsolidierung) startet jetzt automatisch."
            )
        else:
            next_step = "Mit „strategie-konsolidierung“ eine neue Fassung des Entwurfs erstellen."
            warnings.append(
                f"Der Entwurf (Fassung v{cycle.draft_version}) und die Sitzungsvorlagen beruhen "
                "noch auf der früheren Meldung. Bitte „strategie-konsolidierung“ starten, um "
                "eine neue Fassung zu erstellen."
            )
        return StrategyOutcome(
            year=year,
            owner=owner,
            step=STEP_REPORT,
            cycle_status=CycleStatus(cycle.status),
            headline=f"Statusmeldung {body.official_name} "
            + (f"ersetzt ({report.version}. Fassung)" if replaced else "erfasst"),
            facts=[(e.project_code, e.status.label) for e in data.entries]
            + [(code, "neu vorgeschlagen (geplant)") for code in created_codes]
            + [("Statusmeldungen", f"{reported}/{len(states)}")],
            warnings=warnings,
            next_step=next_step,
            follow_up=follow_up,
        )

    return run_cycle_step(
        services,
        year=year,
        step=STEP_REPORT,
        payload=data.model_dump(mode="json", exclude={"entered_by", "year"}),
        work=work,
        state=_report_state(data),
    )


# === 3. strategie-konsolidierung ================================================================


def _consolidation_state(session: Session, cycle: StrategyCycle | None) -> str:
    return consolidation_token(body_states(session, cycle)) if cycle is not None else ""


def cycle_facts(
    session: Session, cycle: StrategyCycle, *, version: int, today: dt.date
) -> CycleFacts:
    """Everything the consolidation documents say, read in the current transaction."""
    states = body_states(session, cycle)
    bodies = [body_view(b) for b in all_bodies(session)]
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
    return CycleFacts(
        year=cycle.year,
        version=version,
        today=today,
        opened_on=cycle.opened_on,
        response_due=cycle.response_due,
        bodies=bodies,
        states=states,
        rows=consolidate(projects, cycle.baseline, reported),
        funding=funding_by_body(funding_applications(session), [b.name for b in bodies]),
        restricted_amount_cents=cycle.restricted_amount_cents,
    )


def consolidate_cycle(
    services: Services,
    data: KonsolidierungInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StrategyOutcome:
    """Render the draft and the 12 Vorlagen; mail each body its Vorlage, the centre the set."""
    settings = services.settings
    year = data.year
    owner = cycle_owner(year)

    def work(session: Session, found: StrategyCycle | None) -> StrategyOutcome:
        cycle = require_cycle(found, year)
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
            report = reports.get(body.id) or _ensure_report_row(session, cycle, body)
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
        draft = _render(
            session,
            settings,
            owner=owner,
            template=ENTWURF_TEMPLATE,
            kind="entwurf",
            version=version,
            title=f"Entwurf „{title}“",
            context=entwurf_context(facts),
        )
        papers: list[DocumentView] = []
        outbox: list[int] = []
        for body in bodies:
            view = body_view(body)
            report = reports[body.id]
            number = report.council_paper_number or ""
            paper = _render(
                session,
                settings,
                owner=owner,
                template=VORLAGE_TEMPLATE,
                kind="sitzungsvorlage",
                subject=body.slug,
                version=version,
                title=f"Sitzungsvorlage {number} {body.official_name}",
                context=sitzungsvorlage_strategie_context(facts, view, number),
            )
            papers.append(paper)
            subject, text = render_mail_text(
                settings.templates_dir,
                MAIL_VORLAGE,
                council_paper_mail_context(facts, view, number, settings.central_coordinator_email),
            )
            outbox.append(
                queue_mail(
                    session,
                    OutgoingMail(
                        key=f"{owner}:vorlage:{body.slug}:v{version}",
                        owner=owner,
                        to=[report.contact_email],
                        subject=subject,
                        body=text,
                        attachment_ids=[paper.id, draft.id],
                    ),
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
        subject, text = render_mail_text(settings.templates_dir, MAIL_GESAMT, package)
        outbox.append(
            queue_mail(
                session,
                OutgoingMail(
                    key=f"{owner}:gesamtpaket:v{version}",
                    owner=owner,
                    to=[settings.central_coordinator_email],
                    subject=subject,
                    body=text,
                    attachment_ids=[d.id for d in documents],
                ),
            )
        )
        previous_status = cycle.status
        cycle.status = CycleStatus.BESCHLUSSFASSUNG.value
        cycle.draft_version = version
        cycle.consolidated_token = token
        cycle.consolidated_on = today
        audit(
            session,
            owner=owner,
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
            flow_run_id=flow_run_id,
        )
        session.flush()
        return StrategyOutcome(
            year=year,
            owner=owner,
            step=STEP_CONSOLIDATE,
            cycle_status=CycleStatus.BESCHLUSSFASSUNG,
            headline=f"Entwurf der Fortschreibung {year} (Fassung v{version}) und "
            f"{len(papers)} Sitzungsvorlagen erstellt",
            facts=[(line.split(": ", 1)[0], line.split(": ", 1)[1]) for line in package.facts],
            documents=documents,
            outbox_ids=outbox,
            warnings=warnings,
            next_step="Beschlüsse der Gremien mit „strategie-beschluss“ erfassen.",
        )

    return run_cycle_step(
        services,
        year=year,
        step=STEP_CONSOLIDATE,
        payload={},
        work=work,
        state=_consolidation_state,
    )


# === 4. strategie-beschluss =====================================================================


def _resolution_state(data: BeschlussInput) -> Callable[[Session, StrategyCycle | None], str]:
    def state(session: Session, cycle: StrategyCycle | None) -> str:
        if cycle is None:
            return ""
        row = session.scalar(
            select(StrategyResolution)
            .join(Body, Body.id == StrategyResolution.body_id)
            .where(
                StrategyResolution.cycle_id == cycle.id,
                Body.name == data.body,
                StrategyResolution.meeting_date == data.meeting_date,
            )
        )
        return "" if row is None else f"{row.outcome}|{row.note}|{row.next_meeting}"

    return state


def _same_resolution(row: StrategyResolution, data: BeschlussInput) -> bool:
    same_next = data.next_meeting is None or row.next_meeting == data.next_meeting
    return row.outcome == data.outcome.value and row.note == data.note and same_next


def record_resolution(
    services: Services,
    data: BeschlussInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StrategyOutcome:
    """Record one council's resolution; the last adoption lifts the Sperrvermerk, once."""
    settings = services.settings
    year = data.year
    owner = cycle_owner(year)
    if data.meeting_date > today:
        raise InputError(
            f"Das Sitzungsdatum {format_date_de(data.meeting_date)} liegt in der Zukunft. "
            "Beschlüsse werden nach der Sitzung erfasst. Es wurde nichts gespeichert."
        )

    def work(session: Session, found: StrategyCycle | None) -> StrategyOutcome:
        cycle = require_cycle(found, year)
        body = get_body(session, data.body)
        view = body_view(body)
        row = session.scalar(
            select(StrategyResolution).where(
                StrategyResolution.cycle_id == cycle.id,
                StrategyResolution.body_id == body.id,
                StrategyResolution.meeting_date == data.meeting_date,
            )
        )
        if row is not None and _same_resolution(row, data):
            return StrategyOutcome(
                year=year,
                owner=owner,
                step=STEP_RESOLUTION,
                cycle_status=CycleStatus(cycle.status),
                headline=f"Beschluss {body.council} vom {format_date_de(data.meeting_date)} war "
                "bereits erfasst – nichts doppelt",
                repeated=True,
            )
        if cycle.status == CycleStatus.STATUSABFRAGE.value:
            raise InputError(
                f"Zur Fortschreibung {year} gibt es noch keine Sitzungsvorlagen (die "
                "Statusabfrage läuft). Beschlüsse werden erfasst, nachdem "
                "„strategie-konsolidierung“ die Vorlagen erstellt hat. Es wurde nichts "
                "gespeichert."
            )
        if cycle.status == CycleStatus.ABGESCHLOSSEN.value:
            release = _release(session, cycle)
            when = f" am {format_date_de(release.released_on)}" if release else ""
            raise InputError(
                f"Die Fortschreibung {year} ist bereits von allen Gremien beschlossen; der "
                f"Sperrvermerk wurde{when} aufgehoben. Weitere Beschlüsse werden nicht erfasst. "
                "Es wurde nichts gespeichert."
            )
        if data.meeting_date < cycle.opened_on:
            raise InputError(
                f"Das Sitzungsdatum {format_date_de(data.meeting_date)} liegt vor der Eröffnung "
                f"der Fortschreibung {year} am {format_date_de(cycle.opened_on)}. Bitte das "
                "Datum prüfen. Es wurde nichts gespeichert."
            )
        report = _ensure_report_row(session, cycle, body)
        corrected = row is not None
        previous = row.outcome if row is not None else None
        if row is None:
            row = StrategyResolution(
                cycle_id=cycle.id,
                body_id=body.id,
                outcome=data.outcome.value,
                meeting_date=data.meeting_date,
                note=data.note,
                entered_by=data.entered_by,
            )
            session.add(row)
        else:
            row.outcome = data.outcome.value
            row.note = data.note
            row.next_meeting = None
            row.entered_by = data.entered_by
        warnings: list[str] = []
        follow_up_text = ""
        follow_up_key = f"{owner}:gremientermin:{body.slug}:{data.meeting_date.isoformat()}"
        if data.outcome is ResolutionOutcome.VERTAGT:
            due = (
                fixed_date(data.next_meeting)
                if data.next_meeting is not None
                else compute_deadline(data.meeting_date, weeks=FOLLOW_UP_WEEKS)
            )
            row.next_meeting = due.end
            deadline_id, created = ensure_deadline(
                session,
                DeadlineSpec(
                    key=follow_up_key,
                    kind=DeadlineKind.GREMIENTERMIN,
                    title=f"Erneute Beratung der Fortschreibung {year} im {body.council}",
                    due_date=due.end,
                    is_termin=due.is_termin,
                    explanation=due.explanation,
                    owner=owner,
                    body_id=body.id,
                    contact_email=report.contact_email,
                    created_by=data.entered_by,
                ),
            )
            if not created:  # a corrected deferral of the same meeting: move the follow-up
                follow_up = session.get_one(Deadline, deadline_id)
                if follow_up.status == DeadlineStatus.OFFEN.value:
                    follow_up.due_date = due.end
                    follow_up.is_termin = due.is_termin
                    follow_up.explanation = due.explanation
            follow_up_text = (
                f"Erneute Beratung: {format_day_de(due.end)} – als "
                f"{'Termin' if due.is_termin else 'Frist'} im Fristenkalender eingetragen."
            )
        # The council has met: follow-ups of earlier meetings are done (the follow-up of this
        # meeting stays open when it deferred again).
        open_follow_ups = session.scalars(
            select(Deadline).where(
                Deadline.owner == owner,
                Deadline.kind == DeadlineKind.GREMIENTERMIN.value,
                Deadline.body_id == body.id,
                Deadline.status == DeadlineStatus.OFFEN.value,
            )
        ).all()
        for deadline in open_follow_ups:
            if deadline.key == follow_up_key and data.outcome is ResolutionOutcome.VERTAGT:
                continue
            complete_deadline(
                session,
                deadline,
                done_on=today,
                done_by=data.entered_by,
                note=f"{body.council} hat am {format_date_de(data.meeting_date)} beraten: "
                f"{data.outcome.label}",
            )
        session.flush()
        audit(
            session,
            owner=owner,
            actor=data.entered_by,
            action="Beschluss korrigiert" if corrected else "Beschluss erfasst",
            reason=f"{body.council}, Sitzung am {format_date_de(data.meeting_date)}: "
            f"{data.outcome.label}" + (f" – {data.note}" if data.note else ""),
            details={
                "body": body.name,
                "outcome": data.outcome.value,
                "meeting_date": data.meeting_date.isoformat(),
                "previous": previous,
                "next_meeting": row.next_meeting.isoformat() if row.next_meeting else None,
            },
            flow_run_id=flow_run_id,
        )
        states = body_states(session, cycle)
        bodies = [body_view(b) for b in all_bodies(session)]
        outbox: list[int] = []
        documents: list[DocumentView] = []
        resolution = _resolution_view(row)
        if data.outcome is not ResolutionOutcome.BESCHLOSSEN:
            subject, text = render_mail_text(
                settings.templates_dir,
                MAIL_ESKALATION,
                escalation_mail_context(
                    year=year,
                    body=view,
                    resolution=resolution,
                    states=states,
                    bodies=bodies,
                    amount_cents=cycle.restricted_amount_cents,
                    follow_up=follow_up_text,
                    entered_by=data.entered_by,
                    ui_url=settings.resolved_ui_url,
                ),
            )
            outbox.append(
                queue_mail(
                    session,
                    OutgoingMail(
                        key=f"{owner}:beschluss:{body.slug}:{data.meeting_date.isoformat()}:"
                        f"{data.outcome.value}",
                        owner=owner,
                        to=[settings.central_coordinator_email],
                        cc=_others([report.contact_email], [settings.central_coordinator_email]),
                        subject=subject,
                        body=text,
                    ),
                )
            )
            if data.outcome.escalates:
                warnings.append(
                    f"{body.council}: {data.outcome.label} – an die zentrale Koordination "
                    "eskaliert."
                )
        released = False
        if all_adopted(states) and _release(session, cycle) is None:
            documents, release_outbox = _lift_restriction(
                session, settings, cycle, view, states, bodies, data, today, flow_run_id
            )
            outbox.extend(release_outbox)
            released = True
        info = progress(states, today if released else None)
        release = _release(session, cycle)
        facts = [
            ("Gremium", body.council),
            ("Sitzung", format_date_de(data.meeting_date)),
            ("Beschluss", data.outcome.label),
            ("Beschlüsse", f"{info.adopted}/{info.total}"),
            (
                "Sperrvermerk",
                f"aufgehoben am {format_date_de(release.released_on)}" if release else "besteht",
            ),
        ]
        if follow_up_text:
            facts.append(("Erneute Beratung", format_date_de(row.next_meeting or today)))
        open_ = [s.official_name for s in states if not s.adopted]
        return StrategyOutcome(
            year=year,
            owner=owner,
            step=STEP_RESOLUTION,
            cycle_status=CycleStatus(cycle.status),
            headline=(
                f"Beschluss {body.council}: {data.outcome.label}"
                + (" (korrigiert)" if corrected else "")
                + (" – alle Gremien haben beschlossen, Sperrvermerk aufgehoben" if released else "")
            ),
            facts=facts,
            documents=documents,
            outbox_ids=outbox,
            warnings=warnings,
            next_step=(
                "Das Verfahren ist abgeschlossen; alle Körperschaften haben die Bestätigung "
                "erhalten."
                if cycle.status == CycleStatus.ABGESCHLOSSEN.value
                else f"Noch ausstehende Beschlüsse: {', '.join(open_)}."
            ),
            released=released,
        )

    return run_cycle_step(
        services,
        year=year,
        step=STEP_RESOLUTION,
        payload=data.model_dump(mode="json", exclude={"entered_by", "year"}),
        work=work,
        state=_resolution_state(data),
    )


def _lift_restriction(
    session: Session,
    settings: Settings,
    cycle: StrategyCycle,
    completing: BodyView,
    states: list[BodyCycleView],
    bodies: list[BodyView],
    data: BeschlussInput,
    today: dt.date,
    flow_run_id: str | None,
) -> tuple[list[DocumentView], list[int]]:
    """Record the release (UNIQUE per cycle), render the confirmation, mail every body."""
    owner = cycle_owner(cycle.year)
    release = StrategyRelease(
        cycle_id=cycle.id,
        released_on=today,
        amount_cents=cycle.restricted_amount_cents,
        completing_body_id=completing.id,
        entered_by=data.entered_by,
    )
    session.add(release)
    session.flush()  # the UNIQUE constraint fires here, before anything is rendered or sent
    by_id = {b.id: b.name for b in bodies}
    history = [
        ResolutionRecord(body=by_id[r.body_id], resolution=_resolution_view(r))
        for r in session.scalars(
            select(StrategyResolution).where(StrategyResolution.cycle_id == cycle.id)
        )
        if r.body_id in by_id
    ]
    context = freigabe_context(
        year=cycle.year,
        bodies=bodies,
        states=states,
        history=history,
        completing_body=completing,
        released_on=today,
        amount_cents=cycle.restricted_amount_cents,
    )
    doc = _render(
        session,
        settings,
        owner=owner,
        template=FREIGABE_TEMPLATE,
        kind="freigabe",
        version=1,
        title=f"{context.heading} – {draft_title(cycle.year)}",
        context=context,
    )
    contacts = list(
        session.scalars(
            select(StrategyBodyReport.contact_email)
            .where(StrategyBodyReport.cycle_id == cycle.id)
            .order_by(StrategyBodyReport.id)
        )
    )
    recipients = list(dict.fromkeys(contacts))
    subject, text = render_mail_text(
        settings.templates_dir,
        MAIL_FREIGABE,
        release_mail_context(context, completing, cycle.restricted_amount_cents),
    )
    outbox_id = queue_mail(
        session,
        OutgoingMail(
            key=f"{owner}:sperrvermerk-freigabe",
            owner=owner,
            to=recipients,
            cc=_others([settings.central_coordinator_email], recipients),
            subject=subject,
            body=text,
            attachment_ids=[doc.id],
        ),
    )
    release.document_id = doc.id
    release.outbox_id = outbox_id
    previous_status = cycle.status
    cycle.status = CycleStatus.ABGESCHLOSSEN.value
    audit(
        session,
        owner=owner,
        actor=data.entered_by,
        action="Sperrvermerk aufgehoben"
        if cycle.restricted_amount_cents is not None
        else "Beschlussfassung abgeschlossen",
        from_stage=previous_status,
        to_stage=cycle.status,
        reason=f"Letzter Beschluss: {completing.council} am "
        f"{format_date_de(data.meeting_date)}"
        + (
            f"; freigegeben: {format_eur(cycle.restricted_amount_cents)}"
            if cycle.restricted_amount_cents is not None
            else ""
        ),
        details={"release_id": release.id, "document_id": doc.id, "outbox_id": outbox_id},
        flow_run_id=flow_run_id,
    )
    session.flush()
    return [doc], [outbox_id]


# --- Status artifacts ------------------------------------------------------------------------


class CycleOverview(BaseModel):
    """The state of a cycle for the Prefect UI (table and progress artifact)."""

    model_config = ConfigDict(frozen=True)

    year: int
    status: CycleStatus
    response_due: dt.date
    draft_version: int
    restricted_amount_cents: int | None
    released_on: dt.date | None
    rows: list[dict[str, object]]
    reported: int
    adopted: int
    total: int
    missing: list[str]
    not_adopted: list[str]


def cycle_overview(services: Services, year: int) -> CycleOverview | None:
    with services.sessions() as session:
        cycle = find_cycle(session, year)
        if cycle is None:
            return None
        states = body_states(session, cycle)
        bodies = [body_view(b) for b in all_bodies(session)]
        release = _release(session, cycle)
        info = progress(states, release.released_on if release else None)
        names = {b.name: b.official_name for b in bodies}
        return CycleOverview(
            year=year,
            status=CycleStatus(cycle.status),
            response_due=cycle.response_due,
            draft_version=cycle.draft_version,
            restricted_amount_cents=cycle.restricted_amount_cents,
            released_on=release.released_on if release else None,
            rows=[dict(row) for row in status_table_rows(states, bodies)],
            reported=info.reported,
            adopted=info.adopted,
            total=info.total,
            missing=[names.get(n, n) for n in info.missing],
            not_adopted=[names.get(n, n) for n in info.not_adopted],
        )


def progress_markdown(view: CycleOverview) -> str:
    if view.released_on is not None:
        restriction = f"aufgehoben am {format_date_de(view.released_on)}"
        if view.restricted_amount_cents is not None:
            restriction += f" ({format_eur(view.restricted_amount_cents)} freigegeben)"
    elif view.restricted_amount_cents is not None:
        restriction = f"besteht ({format_eur(view.restricted_amount_cents)} gesperrt)"
    else:
        restriction = "besteht (bis alle Gremien beschlossen haben)"
    draft = f"Fassung v{view.draft_version}" if view.draft_version else "noch nicht erstellt"
    lines = [
        f"# Fortschreibung {view.year} – Stand des Verfahrens",
        "",
        "| | |",
        "|---|---|",
        f"| Verfahrensstand | {view.status.label} |",
        f"| Statusmeldungen | {view.reported}/{view.total} |",
        f"| Beschlüsse | {view.adopted}/{view.total} |",
        f"| Sperrvermerk | {restriction} |",
        f"| Rückmeldefrist | {format_date_de(view.response_due)} |",
        f"| Entwurf | {draft} |",
    ]
    if view.missing:
        lines += ["", f"**Noch ohne Statusmeldung:** {md_escape(', '.join(view.missing))}"]
    if view.draft_version and view.not_adopted and view.released_on is None:
        lines += ["", f"**Noch ohne Beschluss:** {md_escape(', '.join(view.not_adopted))}"]
    return "\n".join(lines) + "\n"


def publish_cycle_artifacts(year: int) -> None:
    """Refresh the table ``strategie-<year>`` and the progress artifact of the cycle."""
    view = cycle_overview(get_services(), year)
    if view is None:
        return
    owner = cycle_owner(year)
    publish_table(
        owner,
        view.rows,
        f"Fortschreibung {year}: Statusmeldung, Sitzungsvorlage und Beschluss je Körperschaft.",
    )
    publish_markdown(
        f"{owner}-fortschritt",
        progress_markdown(view),
        f"Fortschreibung {year}: gemeldet {view.reported}/{view.total}, beschlossen "
        f"{view.adopted}/{view.total}",
    )


def step_markdown(outcome: StrategyOutcome, delivery: DeliveryReport) -> str:
    state = " (wiederholter Aufruf – nichts doppelt ausgeführt)" if outcome.repeated else ""
    prefix = f"Fortschreibung {outcome.year}"
    title = (
        outcome.headline
        if str(outcome.year) in outcome.headline
        else f"{prefix}: {outcome.headline}"
    )
    lines = [f"# {md_escape(title)}{state}", ""]
    if outcome.cycle_status is not None:
        lines.append(f"**Verfahrensstand:** {outcome.cycle_status.label}")
    for warning in outcome.warnings:
        lines += ["", f"> ⚠️ **Achtung:** {md_escape(warning)}"]
    if outcome.facts:
        lines += ["", "| | |", "|---|---|"]
        lines += [f"| {md_escape(k)} | {md_escape(v)} |" for k, v in outcome.facts]
    lines += ["", "## Dokumente", documents_markdown(outcome.documents)]
    lines += ["", "## Mails", delivery_markdown(delivery, len(outcome.outbox_ids))]
    if outcome.next_step:
        lines += ["", "## Wie geht es weiter?", md_escape(outcome.next_step)]
    return "\n".join(lines) + "\n"


def finish_strategy_step(outcome: StrategyOutcome) -> StrategyOutcome:
    """Tag the run, send the queued mails, publish the run summary and the cycle artifacts."""
    tag_current_run([outcome.owner])
    delivery = deliver_mail_task(outcome.outbox_ids or None)
    publish_markdown(None, step_markdown(outcome, delivery), f"{outcome.step}: {outcome.owner}")
    publish_cycle_artifacts(outcome.year)
    if outcome.calendar_changed:
        write_feeds_task()  # the changed deadlines are in the calendar at once
    refresh_menu(get_services().sessions)  # open years and the project list in the forms
    return outcome


def tag_year(year: object) -> None:
    """Tag the run ``strategie-<year>`` as early as possible (a failed run is found too)."""
    found = year_of(year)
    if found is not None:
        tag_current_run([cycle_owner(found)])


# --- Prefect tasks ---------------------------------------------------------------------------


open_cycle_task = step_task("fortschreibung-eroeffnen", open_cycle)


record_report_task = step_task("statusmeldung-erfassen", record_report)


consolidate_cycle_task = step_task("fortschreibung-konsolidieren", consolidate_cycle)


record_resolution_task = step_task("beschluss-erfassen", record_resolution)
