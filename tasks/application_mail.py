"""The coordinator notice the application steps share."""

from __future__ import annotations

from foerderflow.settings import Settings
from models.antrag_mails import StepMailContext
from models.mail import OutgoingMail
from models.views import ApplicationView
from tasks.compose import render_mail_text
from tasks.documents import DocumentView


def coordinator_mail(
    settings: Settings,
    view: ApplicationView,
    *,
    key: str,
    subject: str,
    intro: str,
    facts: list[str],
    documents: list[DocumentView],
    entered_by: str,
    warnings: list[str] | None = None,
    next_step: str = "",
    to: list[str] | None = None,
    cc: list[str] | None = None,
) -> OutgoingMail:
    subject_line, body = render_mail_text(
        settings.templates_dir,
        "antrag_schritt.txt",
        StepMailContext(
            subject_line=subject,
            reference=view.reference,
            title=view.title,
            intro=intro,
            facts=facts,
            documents=[f"{d.title} (Fassung v{d.version})" for d in documents],
            warnings=warnings or [],
            next_step=next_step,
            entered_by=entered_by,
            ui_url=settings.resolved_ui_url,
        ),
    )
    return OutgoingMail(
        key=key,
        owner=view.reference,
        to=to or [view.coordinator_email],
        cc=[c for c in (cc or []) if c not in (to or [view.coordinator_email])],
        subject=subject_line,
        body=body,
        attachment_ids=[d.id for d in documents],
    )
