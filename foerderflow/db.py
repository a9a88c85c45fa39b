"""Database engine and sessions: PostgreSQL only (embedded by default, see
:mod:`foerderflow.postgres`, or external through ``FOERDERFLOW_DATABASE_URL``).

Concurrency rests on PostgreSQL itself: row locks (``SELECT … FOR UPDATE``) serialise the
steps of one application or cycle, unique constraints make repeated steps no-ops.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from foerderflow.settings import PROJECT_ROOT, get_settings

T = TypeVar("T")


class UnsupportedDatabaseError(ValueError):
    """A database URL foerderflow cannot use (German message)."""


def make_engine(url: str) -> Engine:
    """Create an engine for the PostgreSQL ``url`` with the pool settings foerderflow uses."""
    if not url.startswith("postgresql"):
        raise UnsupportedDatabaseError(
            f"foerderflow braucht PostgreSQL; „{url.split(':', 1)[0]}“ wird nicht unterstützt. "
            "FOERDERFLOW_DATABASE_URL leer lassen (eingebettete Datenbank) oder eine "
            "postgresql+psycopg://-Adresse angeben."
        )
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    return _engine_for(get_settings().resolved_database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session] | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = (factory or session_factory())()
    try:
        with session.begin():
            yield session
    finally:
        session.close()


def is_retryable(exc: BaseException) -> bool:
    """Serialization failures and deadlocks, which a retry of the transaction resolves."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(marker in text for marker in ("could not serialize", "deadlock detected"))


def run_in_transaction(
    work: Callable[[Session], T],
    factory: sessionmaker[Session] | None = None,
    attempts: int = 5,
) -> T:
    """Run ``work`` in a transaction, retrying lock conflicts with a short back-off."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction(factory) as session:
                return work(session)
        except OperationalError as exc:
            if not is_retryable(exc) or attempt == attempts:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or get_settings().resolved_database_url)
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(url: str | None = None) -> None:
    """Upgrade the database at ``url`` (default: the configured one) to the newest revision."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
