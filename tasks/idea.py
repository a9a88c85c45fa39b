"""The idea step: create the application, render the Projektskizze, queue the mail.

The step decides (find or create the application, link the strategy project) and returns a
:class:`~models.steps.StepPlan`; :func:`tasks.steps.run_step` carries it out in the same
transaction: either the application exists with its document, audit event and queued mail,
or nothing was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.application import IdeaInput, Stage
from models.documents import projektskizze_context
from models.mail import IdeaMailContext
from models.money import euro_to_cents
from models.steps import DocumentPlan, MailPlan, StepPlan
from models.tables import Application, ApplicationPartner, Project
from tasks.applications import to_view
from tasks.common import step_task
from tasks.steps import StepOutcome, run_step
from tasks.store import (
    fingerprint,
    get_application,
    get_body,
    get_programme,
    get_project,
    next_reference,
)


def _identity(data: IdeaInput, year: int) -> dict[str, Any]:
    """What makes two ideas the same application (who typed it and the project link do not)."""
    return {
        "year": year,
        "title": data.title,
        "summary": data.summary,
        "lead": data.lead_body,
        "partners": sorted(data.partner_bodies),
        "programme": str(data.programme),
        "costs": str(euro_to_cents(data.estimated_costs_eur)),
        "coordinator": str(data.coordinator_email).lower(),
    }


def _create(session: Session, data: IdeaInput, year: int, key: str) -> str:
    """Add the application in stage ``idee`` with its lead and partners; its reference."""
    lead = get_body(session, data.lead_body)
    partners = [get_body(session, b) for b in data.partner_bodies]
    app = Application(
        reference=next_reference(session, year),
        year=year,
        stage=Stage.IDEE.value,
        title=data.title,
        summary=data.summary,
        lead_body_id=lead.id,
        programme_id=get_programme(session, str(data.programme)).id,
        estimated_costs_cents=euro_to_cents(data.estimated_costs_eur),
        coordinator_email=str(data.coordinator_email),
        created_by=data.entered_by,
        fingerprint=key,
        draft_version=0,
    )
    session.add(app)
    session.flush()
    for position, body in enumerate([lead, *partners]):
        session.add(
            ApplicationPartner(
                application_id=app.id, body_id=body.id, position=position, is_lead=position == 0
            )
        )
    return app.reference


def _plan(
    app: Application, settings: Settings, created_on: dt.date, project: Project | None
) -> StepPlan:
    """The Projektskizze, the mail to the coordinator and the run summary of ``app``."""
    view = to_view(app)
    reference, lead, programme = view.reference, view.lead, view.programme
    partners = [p.body for p in view.candidates]
    context = projektskizze_context(view, created_on)
    mail_context = IdeaMailContext(
        reference=reference,
        title=app.title,
        lead_body=lead.official_name,
        partners=[p.official_name for p in partners],
        programme=programme.name,
        estimated_costs=context.estimated_costs,
        expected_grant=context.expected_grant,
        entered_by=app.created_by,
        ui_url=settings.resolved_ui_url,
    )
    return StepPlan(
        headline="Idee angelegt",
        owner=reference,
        facts=[
            ("Titel", app.title),
            ("Federführung", lead.name),
            ("Partner", ", ".join(p.name for p in partners) or "noch keine"),
            ("Förderprogramm", programme.name),
            ("Geschätzte Kosten", context.estimated_costs),
            ("Voraussichtliche Zuwendung", context.expected_grant),
            ("Strategieprojekt", f"{project.code} · {project.title}" if project else "keins"),
        ],
        next_step="Skizze mit der Federführung abstimmen, dann „antrag-partnercheck“ für "
        f"{reference} starten.",
        status={"stage": Stage(app.stage)},
        documents=[
            DocumentPlan(
                name="projektskizze",
                template="projektskizze.docx",
                kind="projektskizze",
                version=1,
                title=f"Projektskizze {reference}",
                context=context,
            )
        ],
        mails=[
            MailPlan(
                key=f"{reference}:projektskizze:v1:koordination",
                to=[app.coordinator_email],
                template="idee_projektskizze.txt",
                context=mail_context,
                attach=["projektskizze"],
            )
        ],
    )


def record_idea(
    services: Services, data: IdeaInput, today: dt.date, flow_run_id: str | None = None
) -> StepOutcome:
    """Create the application ``FA-<year>-<nnn>`` (or find the identical one created before)."""
    identity = _identity(data, today.year)
    key = fingerprint(identity)

    def work(session: Session) -> StepPlan:
        programme = get_programme(session, str(data.programme))
        project = None if data.project_code is None else get_project(session, data.project_code)
        reference = session.scalar(
            select(Application.reference).where(Application.fingerprint == key)
        )
        created = reference is None
        if reference is None:
            reference = _create(session, data, today.year, key)
        app = get_application(session, reference)
        linked = project is not None and app.project_id is None
        if project is not None and linked:
            app.project_id = project.id  # also when the link is added to an existing idea
        created_on = app.created_at.date() if not created and app.created_at else today
        plan = _plan(app, services.settings, created_on, project)
        plan.record_creation(
            created,
            "Idee",
            data.entered_by,
            f"Neue Antragsidee für {programme.name}",
            to_stage=Stage.IDEE,
            details={"title": data.title, "programme": programme.name},
        )
        if not created:
            plan.headline = "Idee war bereits angelegt (gleiche Eingabe)"
        plan.repeated = not (created or linked)
        return plan

    return run_step(
        services,
        step="antrag-idee",
        owner=f"idee-{today.year}",  # the application's reference exists only once created
        payload={**identity, "project": data.project_code},
        work=work,
        flow_run_id=flow_run_id,
    )


idea_task = step_task("idee-erfassen", record_idea)
