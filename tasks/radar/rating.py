"""Marking a call (radar-bewertung), entering a call by hand (radar-aufruf), and the one click
from a call to an application idea."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.application import IdeaInput
from models.errors import InputError, NotFoundError
from models.money import euro_to_cents
from models.radar.catalogue import CallRecord, ProgrammeRecord, Snapshot, Source
from models.radar.inputs import RATING_LABELS, CallEntryInput, RatingInput
from models.radar.matching import MatchRules
from models.radar.tables import RadarCall, RadarChange, RadarProgramme, RadarRating
from models.tables import Body, Programme
from tasks.radar.matching import matcher
from tasks.radar.store import ImportReport, apply_snapshot
from tasks.store import audit


class RadarIdeaInput(IdeaInput):
    """The idea's input with a programme from the catalogue (not only the fixed list)."""

    programme: str  # type: ignore[assignment]


class IdeaPlan(BaseModel):
    """What ``antrag-idee`` gets pre-filled with, and the call's deadline for the Stichtag."""

    model_config = ConfigDict(frozen=True)

    idea: RadarIdeaInput
    call_id: str
    deadline: dt.date | None


class RatingOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    body: str
    call_id: str
    call_title: str
    rating: str
    replaced: str | None = None  # the body's previous rating of this call
    idea: IdeaPlan | None = None


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
    return programme


def _plan_idea(
    session: Session, data: RatingInput, body: Body, call: RadarCall, today: dt.date
) -> IdeaPlan:
    """The pre-filled idea: programme/call, project, lead body, participants as partners."""
    from models.radar.matching import next_deadline
    from tasks.radar.matching import call_profile

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
    idea = RadarIdeaInput.model_validate(
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
    return IdeaPlan(
        idea=idea, call_id=call.call_id, deadline=next_deadline(call_profile(call), today)
    )


def record_rating(
    services: Services, data: RatingInput, today: dt.date, flow_run_id: str | None = None
) -> RatingOutcome:
    """Store the body's rating (the latest counts); plan the idea when asked."""

    def work(session: Session) -> RatingOutcome:
        body = session.scalar(select(Body).where(Body.name == data.body))
        if body is None:
            raise NotFoundError(f"Die Körperschaft „{data.body}“ ist nicht bekannt.")
        call = get_call(session, data.call_id)
        if data.application_reference is not None:
            from models.tables import Application

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
        audit(
            session,
            owner="foerder-radar",
            actor=data.entered_by,
            action=f"Aufruf bewertet: {RATING_LABELS[data.rating]}",
            from_stage=None,
            to_stage=None,
            reason=data.note or (data.reason.value if data.reason else ""),
            details={"body": body.name, "call_id": call.call_id, "previous": previous},
            flow_run_id=flow_run_id,
        )
        plan = _plan_idea(session, data, body, call, today) if data.create_idea else None
        return RatingOutcome(
            body=body.name,
            call_id=call.call_id,
            call_title=call.title,
            rating=data.rating.value,
            replaced=previous,
            idea=plan,
        )

    return run_in_transaction(work, services.sessions)


def link_application(services: Services, call_id: str, body: str, reference: str) -> None:
    """Note the application on the body's rating of the call."""

    def work(session: Session) -> None:
        row = session.scalar(
            select(RadarRating)
            .join(Body, Body.id == RadarRating.body_id)
            .join(RadarCall, RadarCall.id == RadarRating.call_id)
            .where(RadarCall.call_id == call_id, Body.name == body)
        )
        if row is not None:
            row.application_reference = reference

    run_in_transaction(work, services.sessions)


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


def record_entry(services: Services, data: CallEntryInput, today: dt.date) -> ImportReport:
    snapshot = entry_snapshot(data)
    return run_in_transaction(
        lambda session: apply_snapshot(session, snapshot, entered_by=data.entered_by, today=today),
        services.sessions,
    )


def ensure_call_deadline(services: Services, reference: str, plan: IdeaPlan) -> bool:
    """The call's deadline as the application's Stichtag in the deadline system (the same key
    the partner check uses, so it exists once). Returns whether it was created."""
    from models.deadline_types import DeadlineKind, DeadlineSpec
    from models.deadlines import fixed_date
    from models.tables import Application
    from tasks.deadlines import ensure_deadline

    if plan.deadline is None:
        return False
    due = plan.deadline

    def work(session: Session) -> bool:
        app = session.scalar(select(Application).where(Application.reference == reference))
        assert app is not None
        _, created = ensure_deadline(
            session,
            DeadlineSpec(
                key=f"{reference}:aufrufstichtag",
                kind=DeadlineKind.AUFRUFSTICHTAG,
                title=f"Stichtag {plan.idea.programme} ({plan.call_id}) für {reference}",
                due_date=due,
                is_termin=True,
                explanation=fixed_date(due).explanation,
                owner=reference,
                application_id=app.id,
                contact_email=app.coordinator_email,
                created_by=plan.idea.entered_by,
            ),
        )
        return created

    return run_in_transaction(work, services.sessions)
