"""The one executor of every step: transaction, fingerprint, audit, documents, outbox, summary.

A process (application, strategy cycle, …) defines its steps as functions
``(services, data, today, flow_run_id) -> StepOutcome`` that call :func:`run_step` with a
``work(session)`` deciding the business question and returning a
:class:`models.steps.StepPlan`. :func:`run_step` runs ``work`` in one transaction, carries
out the plan (:func:`carry_out`) and records the outcome under a fingerprint of the input
(and of the state it acted on), so the same input on the same state returns the recorded
outcome and changes nothing. The flow ends with :func:`finish_step`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.settings import Settings
from foerderflow.wiring import Services, get_services
from models.application import Stage
from models.mail import DeliveryReport, OutgoingMail
from models.steps import DocumentPlan, MailPlan, Produced, StepPlan
from models.strategy import CycleStatus
from models.tables import StepRequest
from tasks.artifacts import (
    delivery_markdown,
    documents_markdown,
    md_escape,
    publish_markdown,
    tag_current_run,
)
from tasks.calendar import write_feeds_task
from tasks.compose import render_mail_text
from tasks.deadline_changes import deadlines_touched
from tasks.deadlines import DeadlineView, ensure_deadline
from tasks.delivery import deliver_mail_task
from tasks.documents import DocumentView, store_document
from tasks.mail import queue_mail
from tasks.menu import refresh_menu
from tasks.store import fingerprint, record_audit


class StepOutcome(BaseModel):
    """What a step did: shown in the run's artifact and returned by the flow."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    owner: str = Field(validation_alias=AliasChoices("owner", "reference"))  # FA-… or strategie-…
    step: str
    headline: str
    stage: Stage | None = None  # an application's stage after the step
    year: int | None = None  # a strategy cycle's year
    cycle_status: CycleStatus | None = None
    facts: list[tuple[str, str]] = Field(default_factory=list)
    documents: list[DocumentView] = Field(default_factory=list)
    outbox_ids: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    next_step: str = ""
    repeated: bool = False
    follow_up: str | None = None  # e.g. "entwurf": the flow starts the next step itself
    released: bool = False  # this run lifted the Sperrvermerk
    calendar_changed: bool = False  # a deadline was created, moved or closed: rewrite the feeds
    created: bool = False  # this run created the step's subject (an application, a deadline)
    deadline: DeadlineView | None = None  # the deadline a deadline step created or closed
    moved: bool = False  # its entered due date fell on a weekend or holiday and moved

    @property
    def reference(self) -> str:
        return self.owner

    @property
    def changed(self) -> bool:
        """This run changed something (it is not a repetition of an earlier one)."""
        return not self.repeated


# --- Carrying out a plan -----------------------------------------------------------------------


def render_document(
    session: Session, settings: Settings, owner: str, plan: DocumentPlan
) -> DocumentView:
    """Render and record one planned document version (an existing version is reused).

    The plan's fields besides its ``name`` (which only lets mails attach it) are exactly what
    :func:`store_document` records."""
    request = {f.name: getattr(plan, f.name) for f in fields(plan) if f.name != "name"}
    return store_document(
        session,
        documents_dir=settings.resolved_documents_dir,
        templates_dir=settings.templates_dir,
        owner=owner,
        **request,
    )


def queue_planned_mail(
    session: Session,
    settings: Settings,
    owner: str,
    plan: MailPlan,
    documents: dict[str, DocumentView] | None = None,
) -> int:
    """Render one planned mail and queue it in the outbox (idempotent by its key)."""
    html: str | None = None
    if plan.rendered is not None:
        subject, body, html = plan.rendered
    else:
        subject, body = render_mail_text(settings.templates_dir, plan.template, plan.context)
    attached = [(documents or {})[name].id for name in plan.attach]
    return queue_mail(
        session,
        OutgoingMail(
            key=plan.key,
            owner=owner,
            to=plan.to,
            cc=plan.cc,
            subject=subject,
            body=body,
            html=html,
            attachment_ids=[*attached, *plan.attachment_ids],
        ),
    )


def carry_out(
    session: Session,
    settings: Settings,
    plan: StepPlan,
    *,
    owner: str,
    step: str,
    flow_run_id: str | None,
) -> StepOutcome:
    """Write the plan's audit entries, deadlines, documents and mails; build the outcome."""
    for entry in plan.audit:
        record_audit(session, owner, entry, flow_run_id)
    for spec in plan.deadlines:
        ensure_deadline(session, spec)
    documents = {d.name: render_document(session, settings, owner, d) for d in plan.documents}
    outbox = {m.key: queue_planned_mail(session, settings, owner, m, documents) for m in plan.mails}
    if plan.after is not None:
        plan.after(Produced(documents=documents, outbox=outbox))
    session.flush()
    return StepOutcome(
        owner=owner,
        step=step,
        headline=plan.headline,
        facts=plan.facts,
        documents=list(documents.values()),
        outbox_ids=list(outbox.values()),
        warnings=plan.warnings,
        next_step=plan.next_step,
        follow_up=plan.follow_up,
        repeated=plan.repeated,
        **plan.status,
    )


# --- Running a step once -----------------------------------------------------------------------


def input_payload(data: BaseModel, *exclude: str) -> dict[str, Any]:
    """The part of a step's input that makes it a different request (who typed it does not)."""
    return data.model_dump(mode="json", exclude={"entered_by", *exclude})


def run_step(
    services: Services,
    *,
    step: str,
    owner: str,
    payload: dict[str, Any],
    work: Callable[[Session], StepPlan | StepOutcome],
    flow_run_id: str | None = None,
    lock: Callable[[Session], object] | None = None,
    state: Callable[[Session], str] | None = None,
    follow_up_on_repeat: bool = True,
) -> StepOutcome:
    """Run ``work`` once per identical input (and state); a repeat returns the recorded outcome.

    ``lock`` runs first (e.g. ``SELECT … FOR UPDATE`` of the cycle row) so concurrent runs of
    the same owner are serialised; ``state`` adds a token of the state the step acts on to
    the fingerprint (the same input on a changed state is applied again). A plan marked
    ``repeated`` writes nothing. A concurrent identical run that wins the race (UNIQUE
    violation) makes this one retry once: it then finds the recorded result.
    """

    def transaction(session: Session) -> StepOutcome:
        if lock is not None:
            lock(session)
        identity: dict[str, Any] = {"step": step, "owner": owner, **payload}
        if state is not None:
            identity["state"] = state(session)
        key = fingerprint(identity)
        done = session.scalar(select(StepRequest).where(StepRequest.key == key))
        if done is not None:
            recorded = StepOutcome.model_validate(done.outcome)
            update: dict[str, Any] = {"repeated": True, "created": False}
            if not follow_up_on_repeat:
                update["follow_up"] = None
            return recorded.model_copy(update=update)
        result = work(session)
        if isinstance(result, StepPlan):
            outcome = carry_out(
                session,
                services.settings,
                result,
                owner=result.owner or owner,
                step=step,
                flow_run_id=flow_run_id,
            )
        else:
            outcome = result
        if outcome.repeated:  # the state already was what the input asks for: write nothing
            return outcome
        session.flush()
        if deadlines_touched(session):
            outcome = outcome.model_copy(update={"calendar_changed": True})
        session.add(
            StepRequest(
                key=key, owner=outcome.owner, step=step, outcome=outcome.model_dump(mode="json")
            )
        )
        session.flush()
        return outcome

    try:
        return run_in_transaction(transaction, services.sessions)
    except IntegrityError:
        return run_in_transaction(transaction, services.sessions)


def run_input_step(
    services: Services,
    step: str,
    owner: str,
    data: BaseModel,
    work: Callable[[Session], StepPlan | StepOutcome],
    *,
    state: Callable[[Session], str] | None = None,
    flow_run_id: str | None = None,
) -> StepOutcome:
    """:func:`run_step` keyed by the whole input ``data`` (see :func:`input_payload`) and, with
    ``state``, by the state the step acts on."""
    return run_step(
        services,
        step=step,
        owner=owner,
        payload=input_payload(data),
        work=work,
        flow_run_id=flow_run_id,
        state=state,
    )


# --- The end of every step flow ----------------------------------------------------------------


@dataclass(frozen=True)
class Process:
    """How a process shows its steps: the summary's artifact key and its overview artifacts."""

    summary_key: Callable[[StepOutcome], str | None]
    publish_overview: Callable[[StepOutcome], None]


def step_markdown(outcome: StepOutcome, delivery: DeliveryReport) -> str:
    """The run summary of a step, for coordinators."""
    state = " (wiederholter Aufruf – nichts doppelt ausgeführt)" if outcome.repeated else ""
    if outcome.year is not None and outcome.stage is None:
        title = (
            outcome.headline
            if str(outcome.year) in outcome.headline
            else f"Fortschreibung {outcome.year}: {outcome.headline}"
        )
    else:
        title = f"{outcome.owner}: {outcome.headline}"
    lines = [f"# {md_escape(title)}{state}", ""]
    if outcome.stage is not None:
        lines.append(f"**Stufe jetzt:** {outcome.stage.label}")
    elif outcome.cycle_status is not None:
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


def finish_step(outcome: StepOutcome, process: Process) -> StepOutcome:
    """Tag the run with the owner, send the queued mails (also those of an earlier,
    interrupted attempt), publish the summary and the process's overview, refresh the
    calendar feeds when deadlines changed and the forms' dropdowns."""
    tag_current_run([outcome.owner])
    delivery = deliver_mail_task(outcome.outbox_ids or None)
    publish_markdown(
        process.summary_key(outcome),
        step_markdown(outcome, delivery),
        f"{outcome.step}: {outcome.owner}",
    )
    process.publish_overview(outcome)
    if outcome.calendar_changed:
        write_feeds_task()  # the changed deadlines are in the calendar at once
    refresh_menu(get_services().sessions)
    return outcome
