"""The Prefect server of the in-process flow tests, on the session's PostgreSQL.

Prefect's own ``prefect_test_harness`` always puts its server on a new SQLite file: its
migrations alone took 10 of the 18 seconds of its start here, and SQLite served the flow
tests more slowly than PostgreSQL. This harness does what that one does (a server
subprocess, the API URL pointed at it for the tests, the server registered as the
process's default so that nothing starts a second one), on a database of its own on the
session's PostgreSQL server – the engine the product runs on.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support import free_port


def _fresh_database(app_url: str, name: str) -> str:
    """An empty database ``name`` beside the application's; its asyncpg URL for Prefect."""
    url = make_url(app_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    prefect_url = url.set(drivername="postgresql+asyncpg", database=name)
    return prefect_url.render_as_string(hide_password=False)


@contextlib.contextmanager
def postgres_harness(app_url: str, name: str, startup_timeout: int = 90) -> Iterator[str]:
    """A Prefect server on a fresh database ``name``; yields its API URL while the tests'
    Prefect settings point at it."""
    import prefect.context
    from prefect.events.worker import EventsWorker
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )
    from prefect.utilities.asyncutils import run_coro_as_sync

    database_url = _fresh_database(app_url, name)
    with temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: database_url}):
        server = SubprocessASGIServer(port=free_port())
        SubprocessASGIServer._instances[None] = server
        server.start(timeout=startup_timeout)
    try:
        with (
            temporary_settings({PREFECT_API_URL: server.api_url}),
            prefect.context._temporary_global_settings_context(
                prefect.context.get_settings_context()
            ),
        ):
            yield server.api_url

            async def drain() -> None:
                # Events still on their way would otherwise hit a stopped server.
                result = EventsWorker.drain_all()
                if inspect.isawaitable(result):
                    await result

            run_coro_as_sync(drain())
    finally:
        server.stop()
        SubprocessASGIServer._instances.pop(None, None)
