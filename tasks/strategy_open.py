"""strategie-fortschreibung: open the cycle, one Statusabfrage, deadline and mail per body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from models.deadline_types import DeadlineKind
from models.deadlines import compute_deadline, fixed_date, format_date_de, format_day_de
from models.errors import InputError, NotFoundError
from models.steps import AuditEntry, DocumentPlan, MailPlan, StepPlan
from models.strategy import CycleStatus, ReportState
from models.strategy_docs import (
    MAIL_STATUSABFRAGE,
    STATUSABFRAGE_TEMPLATE,
    status_request_mail_context,
    statusabfrage_context,
)
from models.strategy_inputs import FortschreibungInput
from models.tables import StrategyBodyReport, StrategyCycle
from tasks.common import step_task
from tasks.store import body_view
from tasks.strategy import (
    STEP_OPEN,
    CycleRun,
    Work,
    all_bodies,
    body_deadline,
    contact_email,
    cycle_step,
    find_cycle,
    project_views,
)


def _response_due(data: FortschreibungInput) -> dict[str, Any]:
    return {"response_due": data.response_due.isoformat() if data.response_due else None}


@cycle_step(STEP_OPEN, payload=_response_due, year=lambda data, today: data.for_year(today))
def open_cycle(run: CycleRun, data: FortschreibungInput, today: dt.date) -> Work:
    """Open the cycle: one Statusabfrage, one deadline and one mail per body."""
    settings, year, owner = run.settings, run.year, run.owner
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

    def work(session: Session) -> StepPlan:
        cycle = find_cycle(session, year)
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
        plan = StepPlan(
            headline=f"Fortschreibung {year} eröffnet: Statusabfrage an {len(bodies)} "
            "Körperschaften",
            status={"year": year, "cycle_status": CycleStatus.STATUSABFRAGE},
            facts=[
                ("Rückmeldefrist", format_day_de(due.end)),
                ("Körperschaften", str(len(bodies))),
                ("Projekte in der Liste", str(len(projects))),
            ],
            warnings=["Die Rückmeldefrist wurde auf den nächsten Werktag verschoben."]
            if due.moved
            else [],
            next_step="Eingehende Meldungen mit „strategie-statusmeldung“ erfassen. Sobald alle "
            f"{len(bodies)} Körperschaften gemeldet haben, startet die Konsolidierung "
            "automatisch.",
            audit=[
                AuditEntry(
                    actor=data.entered_by,
                    action="Fortschreibung eröffnet",
                    to_stage=CycleStatus.STATUSABFRAGE.value,
                    reason=f"Statusabfrage an {len(bodies)} Körperschaften, Rückmeldung bis "
                    f"{format_date_de(due.end)}",
                    details={"response_due": due.end.isoformat(), "projects": len(projects)},
                )
            ],
        )
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
                bodies=[body_view(b) for b in bodies],
            )
            plan.documents.append(
                DocumentPlan(
                    name=body.slug,
                    template=STATUSABFRAGE_TEMPLATE,
                    kind="statusabfrage",
                    subject=body.slug,
                    version=1,
                    title=f"Statusabfrage {year} {body.official_name}",
                    context=context,
                )
            )
            plan.mails.append(
                MailPlan(
                    key=f"{owner}:statusabfrage:{body.slug}",
                    to=[contact],
                    template=MAIL_STATUSABFRAGE,
                    context=status_request_mail_context(context, view, due.end),
                    attach=[body.slug],
                )
            )
            title = f"Statusmeldung {body.official_name} zur Fortschreibung {year}"
            plan.deadlines.append(
                body_deadline(
                    f"{owner}:statusmeldung:{body.slug}",
                    DeadlineKind.STATUSMELDUNG,
                    title,
                    due,
                    body,
                    contact,
                    data.entered_by,
                    owner,
                )
            )
        session.flush()
        return plan

    return work


open_cycle_task = step_task("fortschreibung-eroeffnen", open_cycle)
