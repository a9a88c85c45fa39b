"""Helpers the lifecycle steps share: documents of a step and the coordinator notice."""

from __future__ import annotations

from sqlalchemy.orm import Session

from foerderflow.settings import Settings
from models.antrag_mails import StepMailContext
from models.documents import DocumentContext
from models.mail import OutgoingMail
from models.views import ApplicationView
from tasks.compose import render_mail_text
from tasks.documents import DocumentView, store_document


def render(
    session: Session,
    settings: Settings,
    *,
    reference: str,
    template: str,
    kind: str,
    version: int,
    title: str,
    context: DocumentContext,
    subject: str = "",
) -> DocumentView:
    return store_document(
        session,
        documents_dir=settings.resolved_documents_dir,
        templates_dir=settings.templates_dir,
        template=template,
        owner=reference,
        kind=kind,
        version=version,
        title=title,
        context=context,
        subject=subject,
    )


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
