"""All wiring in one place: settings, database sessions and the mail transport.

Flows and tasks ask :func:`get_services`; tests swap in their own with :func:`use_services`.

This module belongs to the core (it imports nothing above ``foerderflow``): the real mail
transport lives in ``tasks.mail`` and registers itself as the default with
:func:`register_default_transport` when that module is imported. Everything that sends mail
goes through ``tasks.mail.deliver``, so the transport is registered before it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from foerderflow.db import session_factory
from foerderflow.settings import Settings, get_settings


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


TransportFactory = Callable[[Settings], MailTransport]


@dataclass(frozen=True)
class Services:
    settings: Settings
    sessions: sessionmaker[Session]
    transport_factory: TransportFactory


_override: Services | None = None
_default_transport: TransportFactory | None = None


def register_default_transport(factory: TransportFactory) -> None:
    """Set the transport :func:`get_services` hands out (``tasks.mail`` registers SMTP)."""
    global _default_transport
    _default_transport = factory


def default_transport(settings: Settings) -> MailTransport:
    """The registered transport, looked up when a batch of mails is sent."""
    if _default_transport is None:
        raise RuntimeError("Kein Mailversand eingerichtet (tasks.mail wurde nicht geladen).")
    return _default_transport(settings)


def get_services() -> Services:
    if _override is not None:
        return _override
    return Services(
        settings=get_settings(),
        sessions=session_factory(),
        transport_factory=default_transport,
    )


@contextmanager
def use_services(services: Services) -> Iterator[Services]:
    global _override
    previous, _override = _override, services
    try:
        yield services
    finally:
        _override = previous
