"""The strategy cycle's shared lookups: the cycle, its bodies, reports, resolutions, projects.

The four steps of a cycle live in ``tasks.strategy_open``, ``tasks.strategy_report``,
``tasks.strategy_consolidate`` and ``tasks.strategy_resolution``; the cycle's artifacts in
``tasks.strategy_overview``. Each step is declared with :func:`cycle_step`: it decides and
returns its work, which runs through ``tasks.steps.run_step`` with the cycle row locked
(``SELECT … FOR UPDATE``), so concurrent runs of the same year are serialised: of twelve
resolutions arriving at once, exactly one sees all adoptions and lifts the Sperrvermerk. The
release row is UNIQUE per cycle and its mail has a fixed outbox key, so even a broken lock
could not release twice.

Repeated runs: a step is recorded in ``step_requests`` under a fingerprint of its input *and*
of the state it acted on (the body's current report, the resolution of that meeting, the
reports a consolidation used). The same input on the same state returns the recorded outcome
and changes nothing; the same input on a changed state (report A, then B, then A again) is
applied again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from foerderflow.db import run_in_transaction
from foerderflow.settings import Settings, body_names
from foerderflow.wiring import Services
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.deadlines import DeadlineResult
from models.errors import NotFoundError
from models.read_models import read_model
from models.steps import StepPlan
from models.strategy import (
    BodyCycleView,
    FundingApplication,
    Handlungsfeld,
    ProjectStatus,
    ProjectView,
    ReportState,
    ResolutionOutcome,
    ResolutionView,
    cycle_owner,
)
from models.strategy_docs import CycleStanding
from models.strategy_inputs import year_of
from models.strategy_progress import latest_resolution
from models.tables import (
    Application,
    ApplicationPartner,
    Body,
    Contact,
    Project,
    ProjectParticipant,
    StrategyBodyReport,
    StrategyCycle,
    StrategyRelease,
    StrategyResolution,
)
from tasks.artifacts import tag_current_run
from tasks.steps import StepOutcome, run_step
from tasks.store import body_view, get_application, get_project

D = TypeVar("D", bound=BaseModel)
D_contra = TypeVar("D_contra", bound=BaseModel, contravariant=True)
Work = Callable[[Session], StepPlan]  # the business decision of a step, in its transaction

STEP_OPEN = "strategie-fortschreibung"
STEP_REPORT = "strategie-statusmeldung"
STEP_CONSOLIDATE = "strategie-konsolidierung"
STEP_RESOLUTION = "strategie-beschluss"


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


def project_query() -> Any:
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
    return [project_view(p) for p in session.scalars(project_query().order_by(Project.code))]


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
        resolutions.setdefault(row.body_id, []).append(resolution_view(row))
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


def cycle_standing(session: Session, cycle: StrategyCycle) -> CycleStanding:
    """Where ``cycle`` stands: every body, its report and resolution, the restricted amount."""
    return CycleStanding(
        year=cycle.year,
        bodies=[body_view(b) for b in all_bodies(session)],
        states=body_states(session, cycle),
        restricted_amount_cents=cycle.restricted_amount_cents,
    )


def resolution_view(row: StrategyResolution) -> ResolutionView:
    return ResolutionView(
        outcome=ResolutionOutcome(row.outcome),
        meeting_date=row.meeting_date,
        note=row.note,
        next_meeting=row.next_meeting,
    )


def release_of(session: Session, cycle: StrategyCycle) -> StrategyRelease | None:
    return session.scalar(select(StrategyRelease).where(StrategyRelease.cycle_id == cycle.id))


def report_row(session: Session, cycle: StrategyCycle, body: Body) -> StrategyBodyReport | None:
    return session.scalar(
        select(StrategyBodyReport).where(
            StrategyBodyReport.cycle_id == cycle.id, StrategyBodyReport.body_id == body.id
        )
    )


def ensure_report_row(session: Session, cycle: StrategyCycle, body: Body) -> StrategyBodyReport:
    row = report_row(session, cycle, body)
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
            read_model(
                FundingApplication,
                app,
                project_code=code,
                lead=app.lead_body.name,
                bodies=list(dict.fromkeys(bodies)),
                requested_cents=app.requested_grant_cents,
            )
        )
    return out


def link_application(services: Services, reference: str, project_code: str) -> None:
    """Assign a funding application to a project of the list (its funding then counts)."""

    def work(session: Session) -> None:
        project = get_project(session, project_code)
        get_application(session, reference, for_update=True).project_id = project.id

    run_in_transaction(work, services.sessions)


@dataclass(frozen=True)
class CycleRun:
    """What a step of a cycle starts from: the settings, the cycle's year and the run."""

    settings: Settings
    year: int
    flow_run_id: str | None = None

    @property
    def owner(self) -> str:
        return cycle_owner(self.year)


class CycleStep(Protocol[D_contra]):
    """A step of the cycle as the flows call it (see :func:`tasks.common.step_task`)."""

    __name__: str

    def __call__(
        self, services: Services, data: D_contra, today: dt.date, flow_run_id: str | None = None
    ) -> StepOutcome: ...


def cycle_step(
    step: str,
    *,
    payload: Callable[[D], dict[str, Any]],
    state: Callable[[D], Callable[[Session], str]] | None = None,
    year: Callable[[D, dt.date], int] = lambda data, today: data.year,  # type: ignore[attr-defined]
) -> Callable[[Callable[[CycleRun, D, dt.date], Work]], CycleStep[D]]:
    """Make ``decide(cycle, data, today)`` (checks the input, returns the step's work) a step
    of the cycle: run through ``run_step``, owned by the cycle, its row locked for the
    transaction (concurrent steps of one year run one after the other), and a repeated run
    does not start the follow-up step again."""

    def wrap(decide: Callable[[CycleRun, D, dt.date], Work]) -> CycleStep[D]:
        def run(
            services: Services, data: D, today: dt.date, flow_run_id: str | None = None
        ) -> StepOutcome:
            cycle = CycleRun(services.settings, year(data, today), flow_run_id)
            return run_step(
                services,
                step=step,
                owner=cycle.owner,
                payload=payload(data),
                work=decide(cycle, data, today),
                flow_run_id=flow_run_id,
                lock=lambda session: find_cycle(session, cycle.year, for_update=True),
                state=state(data) if state is not None else None,
                follow_up_on_repeat=False,
            )

        run.__name__ = run.__qualname__ = decide.__name__
        run.__module__, run.__doc__ = decide.__module__, decide.__doc__
        return run

    return wrap


def body_deadline(
    key: str,
    kind: DeadlineKind,
    title: str,
    due: DeadlineResult,
    body: Body,
    contact: str,
    entered_by: str,
    owner: str,
) -> DeadlineSpec:
    """A deadline of ``body`` in a cycle (``owner``), dated and explained by ``due``."""
    return DeadlineSpec.falling_due(
        due,
        key=key,
        kind=kind,
        title=title,
        owner=owner,
        body_id=body.id,
        contact_email=contact,
        created_by=entered_by,
    )


def tag_year(raw: Mapping[str, object]) -> None:
    """The ``before`` hook of the strategy flows: tag the run ``strategie-<year>`` from the raw
    ``year`` as early as possible (a failed run is found too)."""
    found = year_of(raw["year"])
    if found is not None:
        tag_current_run([cycle_owner(found)])
