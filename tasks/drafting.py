"""Drafting and approval: the versioned document set, and the coordinator's review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from models.antrag_docs import (
    SITZUNGSVORLAGE_TEMPLATE,
    finanzierungsplan_context,
    foerderantrag_context,
    kooperationsvereinbarung_context,
    sitzungsvorlage_antrag_context,
)
from models.application import Stage
from models.application_inputs import ApprovalInput, DraftInput
from models.bodies import BodyKind
from models.errors import StageError
from models.financing import plan_for
from models.money import SplitKey, format_eur
from models.steps import DocumentPlan
from models.tables import Body
from models.views import ApplicationView
from tasks.application_step import ApplicationStep, application_step
from tasks.applications import (
    council_paper_number,
    require_stage,
    to_view,
)
from tasks.common import step_task
from tasks.documents import DocumentView
from tasks.mail import queue_mail
from tasks.steps import StepOutcome, render_document


def render_draft_set(
    step: ApplicationStep, *, notes: str = "", change_note: str = ""
) -> tuple[ApplicationView, list[DocumentView]]:
    """Render version n+1 of the whole set: Förderantrag, Finanzierungsplan,
    Kooperationsvereinbarung and one Sitzungsvorlage per participating body."""
    session, settings, app, view, today, _ = step.parts
    for row in app.partners:
        is_in = row.is_lead or row.decision == "zugesagt"
        if is_in and not row.council_paper_number:
            row.council_paper_number = council_paper_number(session, today.year)
    app.draft_version += 1
    version = app.draft_version
    session.flush()
    view = to_view(app)
    plan = plan_for(view, view.confirmed, SplitKey(view.split_key or "gleich"))
    municipalities = session.scalar(
        select(func.count()).select_from(Body).where(Body.kind != BodyKind.KREIS.value)
    )
    ref = view.reference
    contract = [  # (document kind = template name, title, context)
        (
            "foerderantrag",
            f"Förderantrag {ref} (Entwurf)",
            foerderantrag_context(view, plan, version, today, notes, change_note),
        ),
        (
            "finanzierungsplan",
            f"Kosten- und Finanzierungsplan {ref}",
            finanzierungsplan_context(view, plan, version, today),
        ),
        (
            "kooperationsvereinbarung",
            f"Kooperationsvereinbarung {ref}",
            kooperationsvereinbarung_context(view, plan, version, today),
        ),
    ]
    plans = [
        DocumentPlan(
            name=kind,
            template=f"{kind}.docx",
            kind=kind,
            version=version,
            title=title,
            context=context,
        )
        for kind, title, context in contract
    ]
    plans += [
        DocumentPlan(
            name="sitzungsvorlage",
            template=SITZUNGSVORLAGE_TEMPLATE,
            kind="sitzungsvorlage",
            subject=partner.body.slug,
            version=version,
            title=f"Sitzungsvorlage {partner.body.official_name}",
            context=sitzungsvorlage_antrag_context(
                view,
                plan,
                partner.body,
                partner.council_paper_number or "",
                version,
                today,
                municipality_count=municipalities or None,
            ),
        )
        for partner in view.confirmed
    ]
    return view, [render_document(session, settings, ref, p) for p in plans]


def _draft_facts(view: ApplicationView) -> list[str]:
    facts = [
        f"Fassung: v{view.draft_version}",
        f"Beantragte Zuwendung: {format_eur(view.requested_grant_cents or 0)}",
    ]
    facts += [
        f"Eigenanteil {p.body.official_name}: {format_eur(p.final_share_cents or 0)}"
        for p in view.confirmed
    ]
    return facts


def _pair(fact: str) -> tuple[str, str]:
    label, _, value = fact.partition(": ")
    return label, value


@dataclass(frozen=True)
class DraftVersionTexts:
    """What a new draft version says; the texts depend on the version just rendered."""

    reason: Callable[[ApplicationView], str]
    subject: Callable[[ApplicationView], str]
    intro: Callable[[ApplicationView], str]
    headline: Callable[[ApplicationView], str]
    mail_next_step: str
    next_step: str
    facts_in_summary: bool


def _issue_version(
    step: ApplicationStep,
    texts: DraftVersionTexts,
    *,
    entered_by: str,
    notes: str = "",
    change_note: str = "",
) -> StepOutcome:
    """Render the next version of the set, record it and mail it to the coordinator."""
    session, view = step.session, step.view
    view, docs = render_draft_set(step, notes=notes, change_note=change_note)
    step.move(
        Stage.ENTWURF,
        actor=entered_by,
        reason=texts.reason(view),
        details={"version": view.draft_version},
    )
    mail = step.mail(
        f"entwurf:v{view.draft_version}",
        subject=texts.subject(view),
        intro=texts.intro(view),
        facts=_draft_facts(view),
        documents=docs,
        entered_by=entered_by,
        next_step=texts.mail_next_step,
    )
    return step.outcome(
        texts.headline(view),
        facts=[_pair(f) for f in _draft_facts(view)] if texts.facts_in_summary else [],
        documents=docs,
        outbox_ids=[queue_mail(session, mail)],
        next_step=texts.next_step,
    )


@application_step("antrag-entwurf")
def create_draft(step: ApplicationStep, data: DraftInput) -> StepOutcome:
    app, view = step.app, step.view
    require_stage(app, Stage.PARTNERPRUEFUNG, Stage.ENTWURF, target=Stage.ENTWURF)
    missing = [p.body.name for p in view.candidates if p.decision == "offen"]
    if missing:
        raise StageError(
            f"Der Entwurf für {view.reference} kann erst erstellt werden, wenn alle Partner "
            f"geantwortet haben. Es fehlen: {', '.join(missing)}."
        )
    if len(view.confirmed) < 2:
        raise StageError(
            f"Für {view.reference} haben keine Partner zugesagt; ein Entwurf braucht "
            "mindestens zwei beteiligte Körperschaften."
        )
    return _issue_version(
        step,
        DraftVersionTexts(
            reason=lambda v: f"Entwurf Fassung v{v.draft_version} erstellt",
            subject=lambda v: f"{v.reference}: Antragsentwurf v{v.draft_version} zur Prüfung",
            intro=lambda v: (
                f"der Entwurf (Fassung v{v.draft_version}) für den Förderantrag liegt vor. "
                "Im Anhang finden Sie den Förderantrag, den Kosten- und Finanzierungsplan, "
                f"die Kooperationsvereinbarung und {len(v.confirmed)} Sitzungsvorlagen – je "
                "eine für jede beteiligte Körperschaft."
            ),
            headline=lambda v: f"Entwurf v{v.draft_version} erstellt",
            mail_next_step="Bitte prüfen Sie den Entwurf und geben Sie ihn mit "
            "„antrag-freigabe“ frei oder fordern Sie dort Änderungen an.",
            next_step="Entwurf prüfen, dann „antrag-freigabe“.",
            facts_in_summary=True,
        ),
        entered_by=data.entered_by,
        notes=data.notes,
    )


@application_step("antrag-freigabe")
def review_draft(step: ApplicationStep, data: ApprovalInput) -> StepOutcome:
    session, app, view = step.session, step.app, step.view
    if data.approved:
        require_stage(app, Stage.ENTWURF, target=Stage.FREIGEGEBEN)
        step.move(
            Stage.FREIGEGEBEN,
            actor=data.entered_by,
            reason=data.comments or f"Fassung v{view.draft_version} freigegeben",
            details={"version": view.draft_version},
        )
        view = to_view(app)
        mail = step.mail(
            f"freigabe:v{view.draft_version}",
            subject=f"{view.reference}: Entwurf v{view.draft_version} freigegeben",
            intro=(
                f"{data.entered_by} hat die Fassung v{view.draft_version} des Antrags "
                "freigegeben. Die Sitzungsvorlagen können in die Gremien gehen; der Antrag "
                "kann eingereicht werden."
            ),
            facts=_draft_facts(view) + ([f"Anmerkung: {data.comments}"] if data.comments else []),
            documents=[],
            entered_by=data.entered_by,
            next_step="Nach der Einreichung Datum und Aktenzeichen des Zuwendungsgebers mit "
            "„antrag-einreichung“ erfassen.",
        )
        return step.outcome(
            f"Fassung v{view.draft_version} freigegeben",
            outbox_ids=[queue_mail(session, mail)],
            next_step="Einreichen und mit „antrag-einreichung“ erfassen.",
        )
    require_stage(app, Stage.ENTWURF, target=Stage.ENTWURF)
    previous = view.draft_version
    return _issue_version(
        step,
        DraftVersionTexts(
            reason=lambda v: f"Änderungen angefordert zu v{previous}: {data.comments}",
            subject=lambda v: f"{v.reference}: Überarbeiteter Entwurf v{v.draft_version}",
            intro=lambda v: (
                f"zu Fassung v{previous} wurden Änderungen angefordert. Die neue Fassung "
                f"v{v.draft_version} enthält den Änderungsvermerk:\n{data.comments}"
            ),
            headline=lambda v: f"Änderungen angefordert – Fassung v{v.draft_version} erstellt",
            mail_next_step="Bitte die neue Fassung prüfen und mit „antrag-freigabe“ freigeben.",
            next_step="Neue Fassung prüfen und freigeben.",
            facts_in_summary=False,
        ),
        entered_by=data.entered_by,
        change_note=data.comments,
    )


create_draft_task = step_task("entwurf-erstellen", create_draft)


review_draft_task = step_task("entwurf-pruefen", review_draft)
