"""Failure hook: every flow mails the central coordinator when a run fails.

The open-source Prefect server has no e-mail action, so the flows do it themselves,
through the same outbox (idempotent per flow run) and the same transport.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from foerderflow.db import run_in_transaction
from foerderflow.wiring import get_services
from models.errors import FoerderflowError, InputError
from models.forms import dropdown_key
from models.mail import FailureMailContext, OutgoingMail
from models.strategy_inputs import year_of
from tasks.artifacts import md_escape
from tasks.compose import render_mail_text
from tasks.mail import deliver, queue_mail

log = logging.getLogger(__name__)
_REFERENCE = re.compile(r"^(FA-\d{4}-\d{3,}|strategie-\d{4})$")


def _exception_of(state: Any) -> BaseException | None:
    try:
        result = state.result(raise_on_failure=False)
    except BaseException as exc:
        return exc
    return result if isinstance(result, BaseException) else None


def describe_failure(exc: BaseException | None, state_message: str) -> tuple[str, str, bool]:
    """(kind, plain German message, is_input_error) for the failure mail."""
    if isinstance(exc, InputError):
        return exc.kind, str(exc), True
    if isinstance(exc, FoerderflowError):
        # An illegal step is refused before anything is written, like bad input.
        return exc.kind, str(exc), True
    if exc is not None:
        return (
            "Technische Störung",
            f"Unerwarteter Fehler ({type(exc).__name__}): {exc}",
            False,
        )
    return (
        "Technische Störung",
        state_message or "Der Lauf ist ohne Fehlermeldung abgebrochen.",
        False,
    )


def reference_of(flow_run: Any) -> str:
    params = getattr(flow_run, "parameters", {}) or {}
    ref = dropdown_key(params.get("reference"))
    if isinstance(ref, str) and _REFERENCE.match(ref):
        return ref
    year = year_of(params.get("year"))
    if year is not None:
        return f"strategie-{year}"
    for tag in getattr(flow_run, "tags", []) or []:
        if _REFERENCE.match(tag):
            return str(tag)
    return ""


def notify_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect ``on_failure`` hook. Never raises: a failing hook must not hide the failure."""
    try:
        services = get_services()
        settings = services.settings
        exc = _exception_of(state)
        kind, message, is_input = describe_failure(exc, getattr(state, "message", "") or "")
        reference = reference_of(flow_run)
        step = getattr(flow, "name", "unbekannter Schritt")
        run_url = f"{settings.resolved_ui_url}/runs/flow-run/{flow_run.id}"
        subject, body = render_mail_text(
            settings.templates_dir,
            "fehler.txt",
            FailureMailContext(
                step=step,
                reference=reference,
                kind=kind,
                message=message,
                run_name=str(getattr(flow_run, "name", "")),
                run_url=run_url,
                is_input_error=is_input,
            ),
        )
        mail = OutgoingMail(
            key=f"fehler:{flow_run.id}",
            owner=reference or "system",
            to=[settings.central_coordinator_email],
            subject=subject,
            body=body,
        )
        outbox_id = run_in_transaction(lambda s: queue_mail(s, mail), services.sessions)
        report = deliver(services.sessions, settings, services.transport_factory, [outbox_id])
    except Exception:
        log.exception("Fehlermail konnte nicht erstellt werden")
        return
    try:  # the mail is out; the explanation in the UI comes second and must not hide anything
        publish_failure_artifact(
            flow_run.id,
            f"fehler-{reference.lower()}" if reference else "fehler",
            failure_markdown(step, reference, kind, message, is_input, mail.to, report.ok),
        )
    except Exception:
        log.warning("Fehlerhinweis für die Oberfläche nicht gespeichert", exc_info=True)


def failure_markdown(
    step: str,
    reference: str,
    kind: str,
    message: str,
    is_input_error: bool,
    recipients: list[str],
    mailed: bool,
) -> str:
    """The German explanation shown on the failed run's Artifacts tab."""
    subject = f"„{step}“" + (f" für {reference}" if reference else "")
    if is_input_error:
        head = f"## {kind}: Schritt {subject} nicht ausgeführt"
        effect = "Es wurde **nichts gespeichert** und keine weitere Mail verschickt."
        next_step = "Bitte den Schritt mit korrigierten Angaben erneut starten (Run → Custom run)."
    else:
        head = f"## Technische Störung im Schritt {subject}"
        effect = (
            "Der Lauf wurde abgebrochen. Bereits gespeicherte Daten bleiben erhalten; ein "
            "erneuter Start setzt dort fort, ohne etwas doppelt zu erledigen."
        )
        next_step = (
            "Bitte den Lauf erneut starten. Tritt die Störung wieder auf, den Link zu "
            "diesem Lauf an die technische Betreuung schicken."
        )
    to = ", ".join(recipients)
    mail = f"Benachrichtigt: {to}" if mailed else f"Benachrichtigung an {to} liegt im Postausgang"
    return "\n\n".join(
        [head, f"> {md_escape(message)}", effect, f"**Was jetzt?** {next_step}", mail]
    )


def publish_failure_artifact(flow_run_id: Any, key: str, markdown: str) -> None:
    """Attach the explanation to the failed run (the hook runs outside the run context)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactCreate

    with get_client(sync_client=True) as client:
        client.create_artifact(
            ArtifactCreate(
                key=key,
                type="markdown",
                data=markdown,
                description="Warum der Lauf fehlgeschlagen ist",
                flow_run_id=flow_run_id,
            )
        )
