"""All wiring in one place: settings, database sessions and the mail transport.

Flows and tasks ask :func:`get_services`; tests swap in their own with :func:`use_services`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from foerderflow.db import session_factory
from foerderflow.settings import Settings, get_settings
from tasks.mail import MailTransport, YagmailTransport


@dataclass(frozen=True)
class Services:
    settings: Settings
    sessions: sessionmaker[Session]
    transport_factory: Callable[[Settings], MailTransport]


_override: Services | None = None


def get_services() -> Services:
    if _override is not None:
        return _override
    return Services(
        settings=get_settings(),
        sessions=session_factory(),
        transport_factory=YagmailTransport,
    )


@contextmanager
def use_services(services: Services) -> Iterator[Services]:
    global _override
    previous, _override = _override, services
    try:
        yield services
    finally:
        _override = previous
