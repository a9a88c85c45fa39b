"""The newsletter: a draft to the central coordination first, then the release of the edition
to every body's contact address – exactly once, through the outbox.

HTML and plain text are rendered from ``templates/mail/newsletter.html.j2`` (autoescape: the
editorial and every title are text, never markup) and ``newsletter.txt.j2``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from foerderflow.settings import SHIPPED_TEMPLATES_DIR, get_tenant
from foerderflow.wiring import Services
from models.deadlines import format_date_de
from models.errors import NotFoundError
from models.reporting.inputs import NewsletterEntwurfInput, NewsletterVersandInput
from models.reporting.newsletter import NewsletterContext, StrategyState, newsletter_context
from models.reporting.period import default_period
from models.steps import AuditEntry, MailPlan, Produced, StepPlan
from models.tables import Body
from models.tables_reporting import NewsletterEdition
from tasks.common import step_task
from tasks.reporting.queries import report_data, strategy_state
from tasks.reporting.radar_feed import new_and_changed_calls
from tasks.steps import StepOutcome, run_step
from tasks.store import fingerprint

OWNER = "newsletter"
HTML_TEMPLATE = "newsletter.html.j2"
TEXT_TEMPLATE = "newsletter.txt.j2"


@lru_cache(maxsize=4)
def _environment(mail_dir: str) -> jinja2.Environment:
    """HTML templates (``*.html.j2``) are autoescaped, plain-text ones are not."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([mail_dir, str(SHIPPED_TEMPLATES_DIR / "mail")]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render_newsletter(templates_dir: Path, context: NewsletterContext) -> tuple[str, str, str]:
    """``(subject, plain text, html)`` of an edition."""
    values = {**context.model_dump(), "mandant": get_tenant().model_dump(mode="json")}
    mail_dir = str(templates_dir / "mail")
    text = _environment(mail_dir).get_template(TEXT_TEMPLATE).render(**values)
    head, _, body = text.partition("\n\n")
    subject = " ".join(head.removeprefix("Betreff:").split())
    html = _environment(mail_dir).get_template(HTML_TEMPLATE).render(**values)
    return subject, body.strip() + "\n", html


def _state(session: Session) -> StrategyState | None:
    found = strategy_state(session)
    if found is None:
        return None
    year, status, reported, adopted, bodies = found
    return StrategyState(
        year=year, status=status, reported=reported, adopted=adopted, bodies=bodies
    )


def draft_edition(
    services: Services,
    data: NewsletterEntwurfInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StepOutcome:
    """Compose the edition and send the draft (only) to the central coordination. The latest
    edition, while unreleased, is replaced by a new draft; a released one gets a successor."""
    edition_date = data.edition_date or today
    settings = services.settings

    def work(session: Session) -> StepPlan:
        latest = session.scalar(
            select(NewsletterEdition)
            .order_by(NewsletterEdition.number.desc())
            .limit(1)
            .with_for_update()
        )
        last_released = session.scalar(
            select(func.max(NewsletterEdition.edition_date)).where(
                NewsletterEdition.released_on.is_not(None)
            )
        )
        period = default_period(edition_date, last_released)
        if latest is not None and latest.released_on is None:
            number, edition = latest.number, latest
        else:
            number, edition = (latest.number + 1 if latest else 1), None
        context = newsletter_context(
            report_data(session, since=period.start),
            number=number,
            edition_date=edition_date,
            period=period,
            editorial=data.editorial,
            strategy=_state(session),
        ).model_copy(update={"radar": new_and_changed_calls(session, period)})
        subject, text, html = render_newsletter(settings.templates_dir, context)
        key = fingerprint({"number": number, "text": text, "html": html})
        if edition is None:
            edition = NewsletterEdition(number=number, recipients=[])
            session.add(edition)
        edition.edition_date = edition_date
        edition.period_start, edition.period_end = period.start, period.end
        edition.subject, edition.body_text, edition.body_html = subject, text, html
        edition.fingerprint = key
        edition.entered_by = data.entered_by
        mail_key = f"newsletter-{number}-entwurf-{key[:16]}"
        draft = MailPlan.prepared(
            mail_key, [settings.central_coordinator_email], f"ENTWURF – {subject}", text, html
        )

        def record(produced: Produced) -> None:
            edition.draft_outbox_id = produced.outbox[mail_key]

        return StepPlan(
            headline=f"Ausgabe {number}: Entwurf an die zentrale Koordination",
            facts=_facts(number, edition_date, period.label, subject),
            audit=[
                AuditEntry(
                    action="Newsletter-Entwurf erstellt",
                    actor=data.entered_by,
                    reason=f"Ausgabe {number} vom {format_date_de(edition_date)}",
                    details={"number": number},
                )
            ],
            mails=[draft],
            next_step="Freigeben mit newsletter-versand (leeres Formular: neueste Ausgabe). "
            "Die Vorschau steht im Artefakt „newsletter-vorschau“.",
            after=record,
        )

    return run_step(
        services,
        step="newsletter-entwurf",
        owner=OWNER,
        payload={"edition_date": edition_date.isoformat(), "editorial": data.editorial},
        work=work,
        flow_run_id=flow_run_id,
    )


def _facts(number: int, day: dt.date, period: str, subject: str) -> list[tuple[str, str]]:
    return [
        ("Ausgabe Nr.", str(number)),
        ("Ausgabe vom", format_date_de(day)),
        ("Berichtszeitraum", period),
        ("Betreff", subject),
    ]


def _target(data: NewsletterVersandInput) -> Select[Any]:
    """The edition a release means: the given number, or the latest unreleased one."""
    query = select(NewsletterEdition)
    if data.number is not None:
        return query.where(NewsletterEdition.number == data.number)
    return query.where(NewsletterEdition.released_on.is_(None)).order_by(
        NewsletterEdition.number.desc()
    )


def release_edition(
    services: Services,
    data: NewsletterVersandInput,
    today: dt.date,
    flow_run_id: str | None = None,
) -> StepOutcome:
    """Queue the edition for every body's contact address, exactly once (row lock + the
    ``released_on`` mark in the same transaction as the mails)."""

    def state(session: Session) -> str:
        edition = session.scalar(_target(data).limit(1))
        return "" if edition is None else f"{edition.number}|{edition.released_on}"

    def work(session: Session) -> StepPlan:
        edition = session.scalar(_target(data).limit(1).with_for_update())
        if edition is None:
            if data.number is not None:
                raise NotFoundError(
                    f"Newsletter-Ausgabe {data.number} gibt es nicht – bitte zuerst "
                    "newsletter-entwurf starten."
                )
            return StepPlan(
                headline="Newsletter: nichts zu versenden",
                next_step="Es gibt keine noch nicht versendete Ausgabe. Zuerst mit "
                "newsletter-entwurf eine Ausgabe erstellen.",
                repeated=True,
            )
        period = f"{format_date_de(edition.period_start)} bis {format_date_de(edition.period_end)}"
        facts = _facts(edition.number, edition.edition_date, period, edition.subject)
        if edition.released_on is not None:
            return StepPlan(
                headline=f"Ausgabe {edition.number}: bereits am "
                f"{format_date_de(edition.released_on)} versendet – nichts erneut gesendet",
                facts=facts,
                repeated=True,
            )
        bodies = session.scalars(select(Body).order_by(Body.kind != "kreis", Body.name)).all()
        edition.released_on = today
        edition.released_by = data.entered_by
        edition.recipients = [b.email for b in bodies]
        return StepPlan(
            headline=f"Ausgabe {edition.number}: an {len(bodies)} Körperschaften",
            facts=[*facts, ("Empfänger", str(len(bodies)))],
            audit=[
                AuditEntry(
                    action="Newsletter versendet",
                    actor=data.entered_by,
                    reason=f"Ausgabe {edition.number} an {len(bodies)} Körperschaften",
                    details={"number": edition.number},
                )
            ],
            mails=[
                MailPlan.prepared(
                    f"newsletter-{edition.number}:{body.slug}",
                    [body.email],
                    edition.subject,
                    edition.body_text,
                    edition.body_html,
                )
                for body in bodies
            ],
        )

    return run_step(
        services,
        step="newsletter-versand",
        owner=OWNER,
        payload={"number": data.number},
        work=work,
        state=state,
        flow_run_id=flow_run_id,
    )


def edition_rows(services: Services) -> list[dict[str, object]]:
    with services.sessions() as session:
        editions = session.scalars(
            select(NewsletterEdition).order_by(NewsletterEdition.number.desc())
        ).all()
        return [
            {
                "Nr.": e.number,
                "Datum": format_date_de(e.edition_date),
                "Zeitraum": f"{format_date_de(e.period_start)} bis {format_date_de(e.period_end)}",
                "Betreff": e.subject,
                "Status": f"versendet am {format_date_de(e.released_on)}"
                if e.released_on
                else "Entwurf",
                "Empfänger": len(e.recipients or []),
            }
            for e in editions
        ]


draft_edition_task = step_task("newsletter-entwurf-erstellen", draft_edition)
release_edition_task = step_task("newsletter-freigeben", release_edition)
