"""Prefect task around outbox delivery."""

from __future__ import annotations

from prefect import task

from foerderflow.wiring import get_services
from models.mail import DeliveryReport
from tasks.mail import deliver


@task(name="mails-versenden")
def deliver_mail_task(ids: list[int] | None = None) -> DeliveryReport:
    """Send the given (or all) pending outbox mails. A failure keeps them pending; it does
    not fail the run, because the state change they report is already committed."""
    services = get_services()
    return deliver(services.sessions, services.settings, services.transport_factory, ids)
