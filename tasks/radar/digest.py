"""Mails of the radar: the weekly digest per body and the immediate mail to the Handlungsfeld's
lead body. Each item is noted in ``radar_notices``, so nothing is reported twice; the mails
go through the outbox (queued in the same transaction as the notices)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.settings import get_tenant
from foerderflow.wiring import Services
from models.deadlines import format_date_de
from models.money import format_percent
from models.radar.catalogue import Source, format_change_value
from models.radar.inputs import MUTING, Rating
from models.radar.mails import (
    DIGEST_TEMPLATE,
    IMMEDIATE_TEMPLATE,
    RadarDigestContext,
    RadarImmediateContext,
    RadarItem,
)
from models.radar.matching import Hit, MatchRules, field_leads, next_deadline
from models.radar.tables import RadarCall, RadarChange, RadarNotice, RadarProgramme, RadarRating
from models.steps import MailPlan, StepPlan
from models.tables import Body
from tasks.radar.matching import applicants_text, call_profile, matcher
from tasks.radar.rating import RADAR_OWNER
from tasks.steps import StepOutcome, carry_out


class DigestOutcome(BaseModel):
    """The digest's counts per body, with the step's outcome (its summary and outbox)."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    mails: dict[str, list[int]] = Field(default_factory=dict)  # body -> [new, changed, due]
    summary: StepOutcome

    @property
    def outbox_ids(self) -> list[int]:
        return self.summary.outbox_ids


def _rate(call: RadarCall) -> str:
    rate = call.max_rate_percent or call.rate_percent
    return f"bis {format_percent(Decimal(rate))}" if rate is not None else "keine Angabe"


def _deadline(call: RadarCall, today: dt.date, due: dt.date | None = None) -> str:
    due = due or next_deadline(call_profile(call), today)
    if due is None:
        return "laufend, ohne Stichtag"
    extracted = " – aus dem Text erkannt, bitte prüfen" if call.deadline_extracted else ""
    return f"{format_date_de(due)} (in {(due - today).days} Tagen{extracted})"


def radar_item(
    call: RadarCall,
    programme: str,
    today: dt.date,
    hit: Hit | None = None,
    changes: list[str] | None = None,
) -> RadarItem:
    return RadarItem(
        call_id=call.call_id,
        title=call.title,
        programme=programme,
        funder=call.funder or "keine Angabe",
        applicants=applicants_text(call.applicant_types),
        rate=_rate(call),
        deadline=_deadline(call, today, hit.deadline if hit else None),
        source=call.licence or f"Quelle: {Source(call.source).label}",
        url=call.url or "–",
        checked=f"zuletzt geprüft {format_date_de(call.last_checked_at.date())}",
        score=hit.score if hit else None,
        reasons=hit.reason_text if hit else "",
        changes=changes or [],
    )


def _note(session: Session, body_id: int, call_id: int, item: str, today: dt.date) -> bool:
    """Record that ``body`` was told ``item`` about the call; False if it was before."""
    inserted = session.execute(
        pg_insert(RadarNotice)
        .values(body_id=body_id, call_id=call_id, item=item, sent_on=today)
        .on_conflict_do_nothing()
        .returning(RadarNotice.id)
    ).scalar()
    return inserted is not None


def _muted(session: Session, body_id: int) -> set[int]:
    """Calls this body marked passt_nicht/stumm with no material change since."""
    rows = session.execute(
        select(RadarRating.call_id, RadarRating.seen_change_id).where(
            RadarRating.body_id == body_id,
            RadarRating.rating.in_([r.value for r in MUTING]),
        )
    ).all()
    muted: set[int] = set()
    for call_id, seen in rows:
        revived = session.scalar(
            select(func.count())
            .select_from(RadarChange)
            .where(
                RadarChange.call_id == call_id,
                RadarChange.id > seen,
                RadarChange.material.is_(True),
            )
        )
        if not revived:
            muted.add(call_id)
    return muted


class _Catalogue:
    """The calls and programme titles, loaded once for all bodies of a digest."""

    def __init__(self, session: Session) -> None:
        self.calls = {c.call_id: c for c in session.scalars(select(RadarCall))}
        self.by_pk = {c.id: c for c in self.calls.values()}
        self.programmes: dict[int, str] = {
            pid: title
            for pid, title in session.execute(select(RadarProgramme.id, RadarProgramme.title))
        }


def _body_digest(
    session: Session,
    services: Services,
    body: Body,
    hits: list[Hit],
    rules: MatchRules,
    catalogue: _Catalogue,
) -> tuple[list[int], MailPlan | None]:
    today = rules.today
    calls, by_pk, programmes = catalogue.calls, catalogue.by_pk, catalogue.programmes
    muted = _muted(session, body.id)
    ratings = dict(
        session.execute(
            select(RadarRating.call_id, RadarRating.rating).where(RadarRating.body_id == body.id)
        ).all()
    )
    new_items: list[RadarItem] = []
    for hit in hits:
        call = calls[hit.call_id]
        if call.id in muted or call.id in ratings:
            continue
        if _note(session, body.id, call.id, "neu", today):
            new_items.append(radar_item(call, programmes[call.programme_id], today, hit))
    # changes of calls this body has heard of (told, rated, or matching now), unless muted
    known = {c for (c,) in session.execute(
        select(RadarNotice.call_id).where(RadarNotice.body_id == body.id)
    )} | set(ratings) | {calls[h.call_id].id for h in hits}  # fmt: skip
    changed: dict[int, list[str]] = {}
    for change in session.scalars(
        select(RadarChange)
        .where(RadarChange.kind.in_(["geaendert", "entfallen"]), RadarChange.call_id.in_(known))
        .order_by(RadarChange.id)
    ):
        if change.call_id in muted:
            continue
        if not _note(session, body.id, change.call_id, f"aenderung:{change.id}", today):
            continue
        if change.kind == "entfallen":
            text = "Nicht mehr in der Quelle enthalten (entfallen)"
        elif change.field == "entfallen":
            text = "Wieder in der Quelle enthalten"
        else:
            from models.radar.catalogue import TRACKED_FIELDS

            old = format_change_value(change.field, change.old_value)
            new = format_change_value(change.field, change.new_value)
            text = f"{TRACKED_FIELDS.get(change.field, change.field)}: {old} → {new}"
        changed.setdefault(change.call_id, []).append(text)
    changed_items = [
        radar_item(by_pk[cid], programmes[by_pk[cid].programme_id], today, changes=texts)
        for cid, texts in changed.items()
    ]
    deadline_items: list[RadarItem] = []
    for call_pk, rating in sorted(ratings.items()):
        if rating != Rating.INTERESSIERT.value:
            continue
        call = by_pk[call_pk]
        due = next_deadline(call_profile(call), today)
        if due is not None and 0 <= (due - today).days <= rules.lead_days:
            deadline_items.append(radar_item(call, programmes[call.programme_id], today))
    counts = [len(new_items), len(changed_items), len(deadline_items)]
    if not any(counts):
        return counts, None
    settings = services.settings
    return counts, MailPlan(
        key=f"radar:digest:{body.slug}:{today.isoformat()}",
        to=[body.email],
        template=DIGEST_TEMPLATE,
        context=RadarDigestContext(
            body_name=body.official_name,
            week_text=f"Woche vom {format_date_de(today)}",
            new_items=new_items,
            changed_items=changed_items,
            deadline_items=deadline_items,
            window_days=rules.lead_days,
            ui_url=settings.resolved_ui_url,
            signature=get_tenant().agentur.signatur,
        ),
    )


def digest_plan(
    session: Session, services: Services, rules: MatchRules
) -> tuple[dict[str, list[int]], StepPlan]:
    """One digest mail per body with something to report; the counts per body."""
    m, _ = matcher(session, rules)
    catalogue = _Catalogue(session)
    counts: dict[str, list[int]] = {}
    mails: list[MailPlan] = []
    for body in session.scalars(select(Body).order_by(Body.id)).all():
        body_counts, mail = _body_digest(
            session, services, body, m.for_body(body.name), rules, catalogue
        )
        counts[body.name] = body_counts
        if mail is not None:
            mails.append(mail)
    plan = StepPlan(
        headline=f"Wochenüberblick vom {format_date_de(rules.today)}: {len(mails)} Mails",
        facts=[
            (
                body,
                f"neu {new} · geändert {changed} · Fristen {due} · Mail "
                + ("ja" if new or changed or due else "nein (nichts zu melden)"),
            )
            for body, (new, changed, due) in counts.items()
        ],
        mails=mails,
    )
    return counts, plan


def send_digests(
    services: Services, rules: MatchRules, flow_run_id: str | None = None
) -> DigestOutcome:
    """One digest per body in one transaction: a repeated run on the same day sends nothing
    twice (notices and the outbox key)."""

    def work(session: Session) -> DigestOutcome:
        counts, plan = digest_plan(session, services, rules)
        # carried out without run_step's fingerprint: the digest is idempotent per item
        # (radar_notices), so a second run the same day still reports what arrived since
        summary = carry_out(
            session,
            services.settings,
            plan,
            owner=RADAR_OWNER,
            step="radar-digest",
            flow_run_id=flow_run_id,
        )
        return DigestOutcome(today=rules.today, mails=counts, summary=summary)

    return run_in_transaction(work, services.sessions)


def immediate_mails(
    session: Session,
    services: Services,
    new_call_ids: list[str],
    rules: MatchRules,
    threshold: int,
) -> list[MailPlan]:
    """Mails to the Handlungsfeld's lead body about each new call scoring at least
    ``threshold`` for a project of that field (once per body and call)."""
    if not new_call_ids:
        return []
    wanted = set(new_call_ids)
    m, projects = matcher(session, rules)
    leads = field_leads(projects)
    bodies = {b.name: b for b in session.scalars(select(Body))}
    calls = {c.call_id: c for c in session.scalars(select(RadarCall))}
    programmes = dict(session.execute(select(RadarProgramme.id, RadarProgramme.title)).all())
    best: dict[tuple[str, str], tuple[Hit, str]] = {}  # (body, call) -> hit, project
    for project in projects:
        for hit in m.for_project(project):
            if hit.call_id not in wanted or hit.score < threshold:
                continue
            key = (leads[project.field], hit.call_id)
            if key not in best or hit.score > best[key][0].score:
                best[key] = (hit, f"{project.code} · {project.title}|{project.field}")
    mails: list[MailPlan] = []
    signature = get_tenant().agentur.signatur
    for (body_name, call_id), (hit, label) in sorted(best.items()):
        body, call = bodies[body_name], calls[call_id]
        project_label, field = label.split("|", 1)
        mails.append(
            MailPlan(
                key=f"radar:sofort:{call_id}:{body.slug}"[:200],
                to=[body.email],
                template=IMMEDIATE_TEMPLATE,
                context=RadarImmediateContext(
                    body_name=body.official_name,
                    item=radar_item(call, programmes[call.programme_id], rules.today, hit),
                    project=project_label,
                    field=field,
                    threshold=threshold,
                    ui_url=services.settings.resolved_ui_url,
                    signature=signature,
                ),
            )
        )
        _note(session, body.id, call.id, "sofort", rules.today)
        _note(session, body.id, call.id, "neu", rules.today)
    return mails
