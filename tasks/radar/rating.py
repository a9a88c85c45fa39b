"""Marking a call (radar-bewertung), entering a call by hand (radar-aufruf), and the one click
from a call to an application idea."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.application import IdeaInput
from models.bodies import remember_programmes
from models.deadline_types import DeadlineKind, DeadlineSpec
from models.deadlines import fixed_date, format_date_de
from models.errors import InputError, NotFoundError
from models.money import euro_to_cents
from models.radar.catalogue import CallRecord, ProgrammeRecord, Snapshot, Source
from models.radar.inputs import CallEntryInput, RatingInput
from models.radar.matching import MatchRules
from models.radar.tables import RadarCall, RadarChange, RadarProgramme, RadarRating
from models.steps import AuditEntry, StepPlan
from models.tables import Application, Body, Programme
from tasks.radar.matching import matcher
from tasks.radar.store import apply_snapshot
from tasks.steps import StepOutcome, run_input_step
from tasks.store import get_body

RADAR_OWNER = "foerder-radar"  # the owner of the radar's steps in the audit trail


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-")[:80] or "aufruf"


def get_call(session: Session, call_id: str) -> RadarCall:
    call = session.scalar(select(RadarCall).where(RadarCall.call_id == call_id))
    if call is None:
        raise NotFoundError(
            f"Den Aufruf „{call_id}“ gibt es im Förder-Radar nicht (Kennung wie in der Tabelle "
            "„foerder-radar“); es wurde nichts gespeichert."
        )
    return call


def application_programme(session: Session, call: RadarCall, today: dt.date) -> Programme:
    """The application's programme for a call: the linked one, or a new entry in the
    programme list from the catalogue. Its Stichtag becomes the call's next deadline."""
    from models.radar.matching import next_deadline
    from tasks.radar.matching import call_profile

    source = session.get(RadarProgramme, call.programme_id)
    assert source is not None
    rate = call.max_rate_percent or call.rate_percent
    deadline = next_deadline(call_profile(call), today)
    programme = session.get(Programme, source.programme_id) if source.programme_id else None
    if programme is None:
        if rate is None:
            raise InputError(
                f"Der Aufruf „{call.call_id}“ nennt keine Förderquote; für eine Antragsidee "
                "bitte zuerst mit „radar-aufruf“ die Quote ergänzen. Es wurde nichts gespeichert."
            )
        name = source.title[:200]
        if session.scalar(select(Programme.id).where(Programme.name == name)) is not None:
            name = f"{source.title[:180]} (Förder-Radar)"
        programme = Programme(
            slug=f"radar-{source.id}",
            name=name,
            funder=(source.funder or call.funder or "keine Angabe")[:200],
            funding_rate_percent=Decimal(rate),
            max_grant_cents=call.max_grant_cents,
            call_deadline=deadline,
            description=source.summary[:2000],
        )
        session.add(programme)
        session.flush()
        source.programme_id = programme.id
    elif deadline is not None:
        programme.call_deadline = deadline
    remember_programmes([programme.name])  # the idea's form accepts it from now on
    return programme


def _idea_input(
    session: Session, data: RatingInput, body: Body, call: RadarCall, today: dt.date
) -> IdeaInput:
    """The pre-filled idea: programme/call, project, lead body, participants as partners."""
    programme = application_programme(session, call, today)
    m, projects = matcher(session, MatchRules(today=today, lead_days=0))
    project = None
    if data.project_code:
        project = next((p for p in projects if p.code == data.project_code), None)
        if project is None:
            raise NotFoundError(f"Das Projekt {data.project_code} ist nicht in der Projektliste.")
    else:
        own = [p for p in projects if body.name == p.lead or body.name in p.participants]
        scored = [
            (hit.score, p.code, p)
            for p in own
            for hit in m.for_project(p)
            if hit.call_id == call.call_id
        ]
        project = max(scored, key=lambda t: (t[0], t[1]))[2] if scored else None
    lead = project.lead if project else body.name
    partners = list(project.participants) if project else []
    rate = Decimal(call.max_rate_percent or call.rate_percent or 100)
    costs = data.estimated_costs_eur
    if costs is None:
        if call.max_grant_cents is None:
            raise InputError(
                "Der Aufruf nennt keine Höchstförderung: bitte die geschätzten Kosten angeben. "
                "Es wurde nichts gespeichert."
            )
        costs = (Decimal(call.max_grant_cents) * 100 / rate / 100).quantize(Decimal("0.01"))
    lead_email = session.scalar(select(Body.email).where(Body.name == lead))
    summary = (project.description if project and project.description else call.summary) or (
        f"Vorhaben zum Förderaufruf {call.title}."
    )
    return IdeaInput.model_validate(
        {
            "title": (project.title if project else call.title)[:300],
            "summary": summary[:5000],
            "lead_body": lead,
            "partner_bodies": partners,
            "programme": programme.name,
            "estimated_costs_eur": costs,
            "coordinator_email": lead_email,
            "project_code": project.code if project else None,
            "entered_by": data.entered_by,
        }
    )


def entry_snapshot(data: CallEntryInput) -> Snapshot:
    """A call entered by hand as a one-programme snapshot of the source ``manual``."""
    slug = slugify(data.programme_title)
    call = CallRecord(
        call_id=data.call_id or f"{slug}-{slugify(data.title)}"[:120],
        source_ref="radar-aufruf",
        url=data.url,
        title=data.title,
        summary=data.summary,
        funder=data.funder,
        status=data.status,
        deadline_model=data.deadline_model,
        open_date=data.open_date,
        deadline=data.deadline,
        applicant_types=tuple(data.applicant_types),
        regions=tuple(data.regions),
        themes=tuple(data.themes),
        keywords=tuple(data.keywords),
        rate_percent=data.rate_percent,
        max_grant_cents=euro_to_cents(data.max_grant_eur) if data.max_grant_eur else None,
        min_partners=data.min_partners,
    )
    programme = ProgrammeRecord(
        key=f"manual:{slug}",
        source=Source.MANUAL,
        source_ref=slug,
        url=data.url,
        title=data.programme_title,
        summary=data.summary,
        funder=data.funder,
        calls=(call,),
    )
    return Snapshot(
        source=Source.MANUAL, location="radar-aufruf", full=False, programmes=(programme,)
    )


def _entry_state(session: Session) -> str:
    """The catalogue's last change: the same entry after an import changed the call is new."""
    return str(session.scalar(select(func.coalesce(func.max(RadarChange.id), 0))))


def record_entry(services: Services, data: CallEntryInput, today: dt.date) -> StepOutcome:
    """A call entered by hand; a changed deadline or rate is recorded as a change."""
    snapshot = entry_snapshot(data)

    def work(session: Session) -> StepPlan:
        report = apply_snapshot(session, snapshot, entered_by=data.entered_by, today=today)
        call = snapshot.programmes[0].calls[0]
        what = "neu erfasst" if report.new else "geändert" if report.changed else "unverändert"
        facts = [("Aufruf", f"{call.title} ({call.call_id})"), ("Programm", data.programme_title)]
        facts.append(("Frist", format_date_de(call.deadline) if call.deadline else "laufend"))
        return StepPlan(
            headline=f"Förderaufruf „{call.title}“ {what}",
            facts=[*facts, ("Import", report.summary_line)],
            warnings=list(report.warnings),
            next_step="Die Körperschaften sehen den Aufruf im nächsten Wochenüberblick "
            "(„radar-digest“) und bewerten ihn mit „radar-bewertung“.",
        )

    return run_input_step(services, "radar-aufruf", RADAR_OWNER, data, work, state=_entry_state)


def plan_idea(services: Services, data: RatingInput, today: dt.date) -> IdeaInput:
    """The input of ``antrag-idee`` pre-filled from the call (in its own transaction: a call
    without an application programme gets one in the programme list)."""

    def work(session: Session) -> IdeaInput:
        body = get_body(session, data.body)
        return _idea_input(session, data, body, get_call(session, data.call_id), today)

    return run_in_transaction(work, services.sessions)


def _rating_state(data: RatingInput) -> Callable[[Session], str]:
    """The rating and the call's last change: the same input on a changed call is new."""

    def state(session: Session) -> str:
        row = session.execute(
            select(RadarRating.rating, RadarRating.note, RadarRating.seen_change_id)
            .join(RadarCall, RadarCall.id == RadarRating.call_id)
            .join(Body, Body.id == RadarRating.body_id)
            .where(RadarCall.call_id == data.call_id, Body.name == data.body)
        ).first()
        last = session.scalar(
            select(func.coalesce(func.max(RadarChange.id), 0))
            .join(RadarCall, RadarCall.id == RadarChange.call_id)
            .where(RadarCall.call_id == data.call_id)
        )
        return f"{tuple(row) if row else ''}|{last}"

    return state


def _stichtag(
    session: Session, reference: str, call: RadarCall, entered_by: str, today: dt.date
) -> DeadlineSpec | None:
    """The call's deadline as the application's Stichtag (the same key the partner check
    uses, so it exists once)."""
    from models.radar.matching import next_deadline
    from tasks.radar.matching import call_profile

    due = next_deadline(call_profile(call), today)
    app = session.scalar(select(Application).where(Application.reference == reference))
    if due is None or app is None:
        return None
    programme = session.get_one(Programme, app.programme_id)
    return DeadlineSpec.falling_due(
        fixed_date(due),
        key=f"{reference}:aufrufstichtag",
        kind=DeadlineKind.AUFRUFSTICHTAG,
        title=f"Stichtag {programme.name} ({call.call_id}) für {reference}",
        owner=reference,
        application_id=app.id,
        contact_email=app.coordinator_email,
        created_by=entered_by,
    )


def record_rating(
    services: Services, data: RatingInput, today: dt.date, flow_run_id: str | None = None
) -> StepOutcome:
    """Store the body's rating (the latest counts); with an idea's reference, note it and
    enter the call's deadline as the application's Stichtag."""

    def work(session: Session) -> StepPlan:
        body = get_body(session, data.body)
        call = get_call(session, data.call_id)
        if data.application_reference is not None:
            known = session.scalar(
                select(Application.id).where(Application.reference == data.application_reference)
            )
            if known is None:
                raise NotFoundError(
                    f"Den Antrag {data.application_reference} gibt es nicht; es wurde nichts "
                    "gespeichert."
                )
        last_change = session.scalar(
            select(func.coalesce(func.max(RadarChange.id), 0)).where(RadarChange.call_id == call.id)
        )
        row = session.scalar(
            select(RadarRating)
            .where(RadarRating.call_id == call.id, RadarRating.body_id == body.id)
            .with_for_update()
        )
        previous = row.rating if row is not None else None
        values = {
            "rating": data.rating.value,
            "reason": data.reason.value if data.reason else "",
            "note": data.note,
            "application_reference": data.application_reference,
            "entered_by": data.entered_by,
            "seen_change_id": last_change or 0,
        }
        if row is None:
            session.add(RadarRating(call_id=call.id, body_id=body.id, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        label = data.rating.label
        facts = [("Körperschaft", body.name), ("Aufruf", f"{call.title} ({call.call_id})")]
        facts.append(("Bewertung", label + (f" (vorher {previous})" if previous else "")))
        plan = StepPlan(
            headline=f"{body.name} hat „{call.title}“ bewertet: {label}",
            facts=facts,
            audit=[
                AuditEntry(
                    action=f"Aufruf bewertet: {label}",
                    actor=data.entered_by,
                    reason=data.note or (data.reason.value if data.reason else ""),
                    details={"body": body.name, "call_id": call.call_id, "previous": previous},
                )
            ],
        )
        if data.create_idea and data.application_reference is not None:
            spec = _stichtag(session, data.application_reference, call, data.entered_by, today)
            plan.facts.append(("Antragsidee", data.application_reference))
            plan.facts.append(
                ("Stichtag des Antrags", format_date_de(spec.due_date) if spec else "laufend")
            )
            plan.deadlines = [spec] if spec is not None else []
            plan.next_step = (
                f"Die Antragsidee {data.application_reference} geht weiter mit "
                "„antrag-partnercheck“."
            )
        return plan

    return run_input_step(
        services,
        "radar-bewertung",
        RADAR_OWNER,
        data,
        work,
        state=_rating_state(data),
        flow_run_id=flow_run_id,
    )
