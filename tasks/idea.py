"""The idea step: create the application, render the Projektskizze, queue the mail.

All of it happens in one transaction: either the application exists with its document,
audit event and queued mail, or nothing was written.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.application import ApplicationSummary, IdeaInput, Stage
from models.documents import projektskizze_context
from models.mail import IdeaMailContext
from models.money import compute_grant, euro_to_cents, format_eur
from models.steps import DocumentPlan, MailPlan
from models.tables import Application, ApplicationPartner
from tasks.common import step_task
from tasks.documents import DocumentView
from tasks.steps import queue_planned_mail, render_document
from tasks.store import (
    audit,
    body_view,
    fingerprint,
    get_application,
    get_body,
    get_programme,
    get_project,
    next_reference,
    programme_view,
    summary,
)


class IdeaOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    application: ApplicationSummary
    document: DocumentView
    outbox_ids: list[int]
    expected_grant: str
    project: str | None = None  # "HF4-01 · Titel" when linked to the strategy's project list


def _fingerprint(data: IdeaInput, year: int) -> str:
    return fingerprint(
        {
            "year": year,
            "title": data.title,
            "summary": data.summary,
            "lead": data.lead_body,
            "partners": sorted(data.partner_bodies),
            "programme": str(data.programme),
            "costs": str(euro_to_cents(data.estimated_costs_eur)),
            "coordinator": str(data.coordinator_email).lower(),
        }
    )


def record_idea(
    services: Services, data: IdeaInput, today: dt.date, flow_run_id: str | None = None
) -> IdeaOutcome:
    """Create the application ``FA-<year>-<nnn>`` (or find the identical one created before)."""
    settings = services.settings
    key = _fingerprint(data, today.year)
    costs = euro_to_cents(data.estimated_costs_eur)

    def work(session):  # type: ignore[no-untyped-def]
        lead = get_body(session, data.lead_body)
        partners = [get_body(session, b) for b in data.partner_bodies]
        programme = get_programme(session, str(data.programme))
        project = None if data.project_code is None else get_project(session, data.project_code)
        existing_ref = session.scalar(
            select(Application.reference).where(Application.fingerprint == key)
        )
        created = existing_ref is None
        if created:
            reference = next_reference(session, today.year)
            app = Application(
                reference=reference,
                year=today.year,
                stage=Stage.IDEE.value,
                title=data.title,
                summary=data.summary,
                lead_body_id=lead.id,
                programme_id=programme.id,
                estimated_costs_cents=costs,
                coordinator_email=str(data.coordinator_email),
                created_by=data.entered_by,
                fingerprint=key,
                draft_version=0,
            )
            session.add(app)
            session.flush()
            session.add(
                ApplicationPartner(application_id=app.id, body_id=lead.id, position=0, is_lead=True)
            )
            for position, partner_body in enumerate(partners, start=1):
                session.add(
                    ApplicationPartner(
                        application_id=app.id,
                        body_id=partner_body.id,
                        position=position,
                        is_lead=False,
                    )
                )
            audit(
                session,
                owner=reference,
                actor=data.entered_by,
                action="Idee angelegt",
                from_stage=None,
                to_stage=Stage.IDEE,
                reason=f"Neue Antragsidee für {programme.name}",
                details={"title": data.title, "programme": programme.name},
                flow_run_id=flow_run_id,
            )
        else:
            reference = existing_ref
        app = get_application(session, reference)
        if project is not None and app.project_id is None:
            app.project_id = project.id  # also when the link is added on a repeated run
        lead_view = body_view(app.lead_body)
        partner_views = [body_view(p.body) for p in app.partners if not p.is_lead]
        prog_view = programme_view(app.programme)
        context = projektskizze_context(
            reference=reference,
            title=app.title,
            summary=app.summary,
            lead=lead_view,
            partners=partner_views,
            programme=prog_view,
            estimated_costs_cents=app.estimated_costs_cents,
            coordinator_email=app.coordinator_email,
            entered_by=app.created_by,
            created_on=app.created_at.date() if not created and app.created_at else today,
        )
        document = render_document(
            session,
            settings,
            reference,
            DocumentPlan(
                name="projektskizze",
                template="projektskizze.docx",
                kind="projektskizze",
                version=1,
                title=f"Projektskizze {reference}",
                context=context,
            ),
        )
        outbox_id = queue_planned_mail(
            session,
            settings,
            reference,
            MailPlan(
                key=f"{reference}:projektskizze:v1:koordination",
                to=[app.coordinator_email],
                template="idee_projektskizze.txt",
                context=IdeaMailContext(
                    reference=reference,
                    title=app.title,
                    lead_body=lead_view.official_name,
                    partners=[p.official_name for p in partner_views],
                    programme=prog_view.name,
                    estimated_costs=context.estimated_costs,
                    expected_grant=context.expected_grant,
                    entered_by=app.created_by,
                    ui_url=settings.resolved_ui_url,
                ),
                attachment_ids=[document.id],
            ),
        )
        grant = compute_grant(
            app.estimated_costs_cents,
            prog_view.funding_rate_percent,
            cap=prog_view.max_grant_cents,
            minimum=prog_view.min_grant_cents,
        )
        return IdeaOutcome(
            application=summary(app, created=created),
            document=document,
            outbox_ids=[outbox_id],
            expected_grant=format_eur(grant.grant),
            project=f"{project.code} · {project.title}" if project is not None else None,
        )

    try:
        return run_in_transaction(work, services.sessions)
    except IntegrityError:
        # A concurrent identical run (double click) won the race: return its result.
        return run_in_transaction(work, services.sessions)


record_idea_task = step_task("idee-erfassen", record_idea)
