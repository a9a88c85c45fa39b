"""The newsletter: a draft to the central coordination first, then the release of the edition
to every body's contact address – exactly once, through the outbox.

HTML and plain text are rendered from ``templates/mail/newsletter.html.j2`` (autoescape: the
editorial and every title are text, never markup) and ``newsletter.txt.j2``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import jinja2
from prefect import task
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.settings import SHIPPED_TEMPLATES_DIR, get_tenant
from foerderflow.wiring import Services, get_services
from models.deadlines import format_date_de
from models.errors import NotFoundError
from models.mail import OutgoingMail
from models.reporting.inputs import NewsletterEntwurfInput, NewsletterVersandInput
from models.reporting.newsletter import NewsletterContext, StrategyState, newsletter_context
from models.reporting.period import default_period
from models.tables import Body
from models.tables_reporting import NewsletterEdition
from tasks.mail import queue_mail
from tasks.reporting.common import run_once
from tasks.reporting.queries import report_data, strategy_state
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


class EditionOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    edition_date: dt.date
    period: str
    subject: str
    preview: str
    released_on: dt.date | None = None
    recipients: list[str] = Field(default_factory=list)
    outbox_ids: list[int] = Field(default_factory=list)
    repeated: bool = False
    nothing_to_send: bool = False


def _state(session: Session) -> StrategyState | None:
    found = strategy_state(session)
    if found is None:
        return None
    year, status, reported, adopted, bodies = found
    return StrategyState(
        year=year, status=status, reported=reported, adopted=adopted, bodies=bodies
    )


def draft_edition(
    services: Services, data: NewsletterEntwurfInput, today: dt.date
) -> EditionOutcome:
    """Compose the edition and send the draft (only) to the central coordination. The latest
    edition, while unreleased, is replaced by a new draft; a released one gets a successor."""
    edition_date = data.edition_date or today
    settings = services.settings

    def work(session: Session) -> EditionOutcome:
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
        )
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
        session.flush()
        outbox_id = queue_mail(
            session,
            OutgoingMail(
                key=f"newsletter-{number}-entwurf-{key[:16]}",
                owner=OWNER,
                to=[settings.central_coordinator_email],
                subject=f"ENTWURF – {subject}",
                body=text,
                html=html,
            ),
        )
        edition.draft_outbox_id = outbox_id
        return EditionOutcome(
            number=number, edition_date=edition_date, period=period.label, subject=subject,
            preview=text, outbox_ids=[outbox_id],
        )  # fmt: skip

    payload = {"edition_date": edition_date.isoformat(), "editorial": data.editorial}
    return run_once(
        services, step="newsletter-entwurf", owner=OWNER, payload=payload,
        outcome_type=EditionOutcome, work=work,
    )  # fmt: skip


def release_edition(
    services: Services, data: NewsletterVersandInput, today: dt.date
) -> EditionOutcome:
    """Queue the edition for every body's contact address, exactly once (row lock + the
    ``released_on`` mark in the same transaction as the mails)."""

    def work(session: Session) -> EditionOutcome:
        query = select(NewsletterEdition).with_for_update()
        if data.number is not None:
            query = query.where(NewsletterEdition.number == data.number)
        else:
            query = query.where(NewsletterEdition.released_on.is_(None)).order_by(
                NewsletterEdition.number.desc()
            )
        edition = session.scalar(query.limit(1))
        if edition is None:
            if data.number is not None:
                raise NotFoundError(
                    f"Newsletter-Ausgabe {data.number} gibt es nicht – bitte zuerst "
                    "newsletter-entwurf starten."
                )
            return EditionOutcome(
                number=0, edition_date=today, period="", subject="", preview="",
                nothing_to_send=True,
            )  # fmt: skip
        if edition.released_on is not None:
            return _outcome(edition, [], repeated=True)
        bodies = session.scalars(select(Body).order_by(Body.kind != "kreis", Body.name)).all()
        ids = [
            queue_mail(
                session,
                OutgoingMail(
                    key=f"newsletter-{edition.number}:{body.slug}",
                    owner=OWNER,
                    to=[body.email],
                    subject=edition.subject,
                    body=edition.body_text,
                    html=edition.body_html,
                ),
            )
            for body in bodies
        ]
        edition.released_on = today
        edition.released_by = data.entered_by
        edition.recipients = [b.email for b in bodies]
        session.flush()
        return _outcome(edition, ids)

    return run_in_transaction(work, services.sessions)


def _outcome(edition: NewsletterEdition, ids: list[int], repeated: bool = False) -> EditionOutcome:
    return EditionOutcome(
        number=edition.number,
        edition_date=edition.edition_date,
        period=f"{format_date_de(edition.period_start)} bis {format_date_de(edition.period_end)}",
        subject=edition.subject,
        preview=edition.body_text,
        released_on=edition.released_on,
        recipients=list(edition.recipients or []),
        outbox_ids=ids,
        repeated=repeated,
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


@task(name="newsletter-entwurf-erstellen")
def draft_edition_task(data: NewsletterEntwurfInput, today: dt.date) -> EditionOutcome:
    return draft_edition(get_services(), data, today)


@task(name="newsletter-freigeben")
def release_edition_task(data: NewsletterVersandInput, today: dt.date) -> EditionOutcome:
    return release_edition(get_services(), data, today)
