"""atlas-sichtbarkeit: mark a project or an application "nicht veröffentlichen" (or public
again). The next run of projektatlas shows or drops its page and its funding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.wiring import Services
from models.errors import NotFoundError
from models.reporting.inputs import AtlasSichtbarkeitInput
from models.steps import AuditEntry, StepPlan
from models.tables import Application, Project
from tasks.common import step_task
from tasks.steps import StepOutcome, run_input_step

STEP = "atlas-sichtbarkeit"


def _label(publish: bool) -> str:
    return "veröffentlicht" if publish else "nicht veröffentlichen"


def _row(session: Session, data: AtlasSichtbarkeitInput) -> Project | Application:
    if data.project_code is not None:
        project = session.scalar(
            select(Project).where(Project.code == data.project_code).with_for_update()
        )
        if project is None:
            raise NotFoundError(
                f"Das Projekt {data.project_code} gibt es in der Projektliste nicht. Es wurde "
                "nichts gespeichert."
            )
        return project
    application = session.scalar(
        select(Application).where(Application.reference == data.reference).with_for_update()
    )
    if application is None:
        raise NotFoundError(
            f"Den Antrag {data.reference} gibt es nicht. Es wurde nichts gespeichert."
        )
    return application


def set_visibility(
    services: Services,
    data: AtlasSichtbarkeitInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StepOutcome:
    """Set the ``publish`` mark of one project or application; the same mark twice is a
    repetition that writes nothing."""
    owner = data.project_code or data.reference or ""
    what = "Projekt" if data.project_code else "Antrag"

    def state(session: Session) -> str:
        return str(_row(session, data).publish)

    def work(session: Session) -> StepPlan:
        row = _row(session, data)
        title = row.title
        facts = [(what, f"{owner} · {title}"), ("Im Projektatlas", _label(data.publish))]
        next_step = "Wirksam beim nächsten Lauf von projektatlas (leeres Formular genügt)."
        if row.publish == data.publish:
            return StepPlan(
                headline=f"Sichtbarkeit im Projektatlas war bereits „{_label(data.publish)}“ – "
                "nichts geändert",
                facts=facts,
                next_step=next_step,
                repeated=True,
            )
        previous = row.publish
        row.publish = data.publish
        return StepPlan(
            headline=f"Im Projektatlas: {_label(data.publish)}",
            facts=facts,
            next_step=next_step,
            audit=[
                AuditEntry(
                    action="Sichtbarkeit im Projektatlas geändert",
                    actor=data.entered_by,
                    from_stage=_label(previous),
                    to_stage=_label(data.publish),
                    reason=f"{what} {owner}: {_label(data.publish)}",
                    details={"publish": data.publish},
                )
            ],
        )

    return run_input_step(services, STEP, owner, data, work, state=state, flow_run_id=flow_run_id)


set_visibility_task = step_task("sichtbarkeit-setzen", set_visibility)
