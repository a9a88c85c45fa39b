"""Shared fixtures: temporary state, a real database, a real SMTP server, Prefect.

Everything uses free ports and temporary directories, so the suite passes while a
``make up`` stack runs on the same machine. The application database is an embedded
PostgreSQL server of the session (set FOERDERFLOW_TEST_DATABASE_URL to use another one).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

# Before anything imports Prefect: private home, no telemetry, no analytics.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="foerderflow-tests-"))
# One folder for the whole run, the same in every pytest-xdist worker (they inherit the
# controlling process's environment): the session's shared stack lives there.
if "FOERDERFLOW_TEST_SHARED_DIR" not in os.environ:
    os.environ["FOERDERFLOW_TEST_SHARED_DIR"] = tempfile.mkdtemp(prefix="foerderflow-shared-")
_SHARED_DIR = Path(os.environ["FOERDERFLOW_TEST_SHARED_DIR"])
os.environ["PREFECT_HOME"] = str(_SESSION_DIR / "prefect")
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["FOERDERFLOW_VAR_DIR"] = str(_SESSION_DIR / "var")
os.environ.pop("FOERDERFLOW_SMTP_HOST", None)

import pytest  # noqa: E402
from harness_support import postgres_harness  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402
from stack_support import (  # noqa: E402
    RunningStack,
    deployments_never_run,
    shared_stack,
    stop_shared_stack,
)
from support import free_port  # noqa: E402

from foerderflow.db import make_engine, migrate  # noqa: E402
from foerderflow.inbox import LocalInbox  # noqa: E402
from foerderflow.postgres import APP_DATABASE, EmbeddedPostgres, socket_dir_of  # noqa: E402
from foerderflow.settings import Settings, get_settings  # noqa: E402
from foerderflow.wiring import Services, use_services  # noqa: E402
from models.bodies import forget_programmes  # noqa: E402
from models.forms import today_berlin  # noqa: E402
from models.schema import Base  # noqa: E402
from tasks.mail import YagmailTransport  # noqa: E402
from tasks.reference_data import seed_reference_data  # noqa: E402

PG_URL = os.environ.get("FOERDERFLOW_TEST_DATABASE_URL", "")

# Hypothesis profiles: `dev` (make test) draws few examples, `ci` (make test-all) many.
# Tests set no max_examples of their own, so the profile decides.
hypothesis_settings.register_profile("dev", max_examples=15, database=None)
hypothesis_settings.register_profile("ci", max_examples=300, database=None)
hypothesis_settings.load_profile(os.environ.get("FOERDERFLOW_HYPOTHESIS_PROFILE", "dev"))


_EARLY_STACK: list[threading.Thread] = []


def pytest_configure(config: pytest.Config) -> None:
    """In ``make test`` the controlling process starts the shared stack at once, while the
    xdist workers start and collect (about ten seconds): the first test that needs it then
    waits for it that much less. Its tests find it through the same file lock; a start that
    fails here is simply tried again, with its message, by the first test that needs it."""
    distributed = bool(getattr(config.option, "numprocesses", None))
    if hasattr(config, "workerinput") or not distributed or not _is_the_default_suite(config):
        return

    def start() -> None:
        with contextlib.suppress(Exception):
            shared_stack(_SHARED_DIR)

    thread = threading.Thread(target=start, name="early-stack", daemon=True)
    thread.start()
    _EARLY_STACK.append(thread)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The session's temporary state (its PostgreSQL data) goes with it; the controlling
    process (the only one without xdist) stops the shared stack once all workers are done."""
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)
    if not hasattr(session.config, "workerinput"):
        for thread in _EARLY_STACK:
            thread.join(timeout=240)  # a stack still starting is stopped once it stands
        if exitstatus == 0 and _is_the_default_suite(session.config):
            _require_every_deployment_ran(session)
        stop_shared_stack(_SHARED_DIR)
        shutil.rmtree(_SHARED_DIR, ignore_errors=True)


def _is_the_default_suite(config: pytest.Config) -> bool:
    """``make test`` as it stands: the whole tests/ folder, ``-m "not slow"``, no ``-k``."""
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and config.option.markexpr == "not slow"
        and not config.option.keyword
    )


def _require_every_deployment_ran(session: pytest.Session) -> None:
    """The default suite runs every deployment of prefect.yaml at least once through the
    real server and process worker; a deployment no test ran fails the run."""
    info = _SHARED_DIR / "stack.json"
    never = deployments_never_run(RunningStack.attach(info).api_url) if info.exists() else ["*"]
    if never:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "Kein Test hat diese Deployments über Server und Worker ausgeführt: " + ", ".join(
            never
        )
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Property tests (Hypothesis) carry the marker `property`, so `make test-all` can run
    them again with the many-examples profile.

    The long work goes first: the in-process flow tests (one unit for pytest-xdist, on one
    worker, about half of the run), then the tests on the shared stack, then the rest, whose
    many short tests fill up both workers at the end. In collection order the browser test
    came last and could start on a worker when the other one had nothing left to do. Every
    worker sorts the same way, as pytest-xdist requires."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)

    def weight(item: pytest.Item) -> int:
        fixtures = getattr(item, "fixturenames", ())
        return 0 if "prefect_harness" in fixtures else 1 if "stack" in fixtures else 2

    items.sort(key=weight)  # stable: the order within each part stays


@pytest.fixture(scope="session")
def session_dir() -> Path:
    return _SESSION_DIR


@pytest.fixture(scope="session")
def pg_url(session_dir: Path) -> Iterator[str]:
    """The application database of the whole session: the embedded PostgreSQL server (the one
    ``make up`` uses), or FOERDERFLOW_TEST_DATABASE_URL when set. Migrated once."""
    if PG_URL:
        migrate(PG_URL)
        yield PG_URL
        return
    server = EmbeddedPostgres(session_dir / "postgres").start()
    url = server.url(APP_DATABASE)
    migrate(url)
    yield url
    server.stop()


@pytest.fixture(scope="session")
def _pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db_url(pg_url: str, _pg_engine: Engine) -> str:
    """An empty, migrated application database for one test."""
    _truncate(_pg_engine)
    return pg_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[LocalInbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 writing into a Maildir."""
    inbox = LocalInbox(tmp_path / "mail", "127.0.0.1", free_port())
    inbox.start()
    yield inbox
    inbox.stop()


@pytest.fixture
def settings(tmp_path: Path, db_url: str, smtp: LocalInbox) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=db_url,
        mail_dir=smtp.maildir,
        local_smtp_port=smtp.port,
        ui_url="http://127.0.0.1:4200",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def services(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[Services]:
    with use_services(Services(settings, sessions, YagmailTransport)) as svc:
        yield svc


# The seeded rows of this process, per database, data folder and day (the catalogue's state
# depends on the day): the schema that keeps a copy of each non-empty table, and the tables
# with the sequence of their ids.
_SEED_COPIES: dict[tuple[str, str, str], tuple[str, list[tuple[str, str | None]]]] = {}


def _copy_seed(engine: Engine, schema: str) -> list[tuple[str, str | None]]:
    tables: list[tuple[str, str | None]] = []
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
        for table in Base.metadata.sorted_tables:  # parents before children
            name = table.name
            if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar():
                conn.execute(text(f'CREATE TABLE {schema}."{name}" AS TABLE "{name}"'))
                sequence = None
                if "id" in table.c:
                    sequence = conn.execute(
                        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{name}"'}
                    ).scalar()
                tables.append((name, sequence))
    return tables


def _restore_seed(engine: Engine, schema: str, tables: list[tuple[str, str | None]]) -> None:
    with engine.begin() as conn:
        for name, sequence in tables:
            conn.execute(
                text(
                    f'INSERT INTO "{name}" OVERRIDING SYSTEM VALUE SELECT * FROM {schema}."{name}"'
                )
            )
            if sequence is not None:
                conn.execute(text(f'SELECT setval(:s, max(id)) FROM "{name}"'), {"s": sequence})


@pytest.fixture
def seeded(services: Services) -> Services:
    """The tenant's reference data (bodies, programmes, project list, radar catalogue), as
    ``foerderflow seed`` writes it. The first test of a process seeds for real and keeps a
    copy of the rows in a schema beside the tables; later tests get that copy back, row for
    row with the same ids, in milliseconds instead of a new seed (about 0.4 s each, some
    eighty times a run). Seeding itself is tested in tests/tasks/test_reference_data.py."""
    settings = services.settings
    key = (str(settings.database_url), str(settings.data_dir), today_berlin().isoformat())
    engine = services.sessions.kw["bind"]
    if key in _SEED_COPIES:
        _restore_seed(engine, *_SEED_COPIES[key])
        return services
    with services.sessions.begin() as session:
        seed_reference_data(session, settings.data_dir)
    schema = f"seed_copy_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{len(_SEED_COPIES)}"
    _SEED_COPIES[key] = (schema, _copy_seed(engine, schema))
    return services


@pytest.fixture(scope="session")
def prefect_harness(pg_url: str) -> Iterator[None]:
    """One temporary Prefect server for all in-process flow tests, on a database of its own
    on the session's PostgreSQL (see harness_support).

    It runs only what in-process flow runs use: no flow-run heartbeats (they only feed crash
    detection by an automation, and on leaving each flow run Prefect joins the heartbeat
    thread, which sleeps in 1-second steps), no logs sent to the API, and of the server's
    services none – no scheduler, late-run or zombie watch, automations, event or task-run
    recording – and no block types registered. No test here reads those back from the server,
    and they cost the suite CPU the whole session."""
    from prefect.settings import temporary_settings
    from prefect.settings.models.server.services import ServerServicesSettings

    lean_server = {
        f"PREFECT_SERVER_SERVICES_{name.upper()}_ENABLED": "false"
        for name in ServerServicesSettings.model_fields
    }
    # No flow of ours uses blocks; registering Prefect's block types on the new database
    # took 2 of the server's 12 seconds of start.
    lean_server["PREFECT_SERVER_REGISTER_BLOCKS_ON_START"] = "false"
    with contextlib.ExitStack() as stack:
        # Set only while the server process starts, so a stack started later keeps all of
        # its services.
        with mock.patch.dict(os.environ, lean_server):
            # One database per pytest-xdist worker, should two of them share an external server.
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            stack.enter_context(postgres_harness(pg_url, f"prefect_harness_{worker}"))
        stack.enter_context(
            temporary_settings({"flows.heartbeat_frequency": None, "logging.to_api.enabled": False})
        )
        yield


@pytest.fixture(autouse=True)
def _fresh_settings_cache() -> Iterator[None]:
    """Each test has its own settings and its own database, so also its own programme names."""
    get_settings.cache_clear()
    forget_programmes()
    yield
    get_settings.cache_clear()
    forget_programmes()


@pytest.fixture(scope="session")
def stack() -> RunningStack:
    """One real local stack for the whole test run, started as ``make up`` starts it and
    shared by both xdist workers, so its tests spread over both. Its var/ is outside pytest's
    basetemp: pytest resets that tree to mode 0700 when another session starts, and the
    embedded PostgreSQL server (its own system user under root) must reach its data
    directory. Tests on it run at the same time: each finds its own runs, rows and mails by
    its own names, never by counting."""
    return shared_stack(_SHARED_DIR)


@pytest.fixture
def stack_var(session_dir: Path) -> Iterator[Path]:
    """A ``var`` directory for a stack of the test's own, outside pytest's basetemp (see the
    ``stack`` fixture); a PostgreSQL server a failed test left running is stopped."""
    base = Path(tempfile.mkdtemp(prefix="stack-", dir=session_dir))
    yield base / "var"
    pgdata = base / "var" / "postgres"
    if socket_dir_of(pgdata) is not None:
        EmbeddedPostgres(pgdata, started_here=True).stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def prefect_api(stack: RunningStack) -> Iterator[str]:
    """Point this test's Prefect client at the stack's server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: stack.api_url}):
        yield stack.api_url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)
