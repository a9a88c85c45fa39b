"""The grown set-up on 127.0.0.1: 50 ideas at once through two workers, all on PostgreSQL.

- the Prefect server on PostgreSQL (PREFECT_API_DATABASE_CONNECTION_URL, asyncpg),
- two process workers in one work pool (FOERDERFLOW_WORKERS=2),
- the application database on PostgreSQL (FOERDERFLOW_DATABASE_URL, psycopg),
- the documents on a shared path outside the stack's var/ (FOERDERFLOW_DOCUMENTS_DIR).

Needs a PostgreSQL role that may create databases: FOERDERFLOW_TEST_PG_ADMIN_URL, e.g.
``postgresql+psycopg://foerderflow:foerderflow@127.0.0.1:5432/postgres`` (``.ci/postgres.sh
start DIR`` prints it). The test creates two fresh databases and drops them afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from stack_support import RunningStack, start_stack, stop_stack
from support import attachments, docx_text
from tests_integration_support import wait_for_mails

from foerderflow.inbox import ReceivedMail, read_inbox
from models.application import format_reference
from models.forms import today_berlin

ADMIN_URL = os.environ.get("FOERDERFLOW_TEST_PG_ADMIN_URL", "")
RUNS = 50
WORKERS = 2
# Runs in flight at once in the pool. A worker starts every run as its own Python process;
# this keeps 50 of them from starting at the same moment on a 2-core CI machine. Operators
# set the same with `prefect work-pool set-concurrency-limit foerderflow <n>`.
POOL_CONCURRENCY = 8
RUN_TIMEOUT_S = 900

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(RUN_TIMEOUT_S + 600),
    pytest.mark.skipif(
        not ADMIN_URL,
        reason="kein PostgreSQL für den Verbund-Test: FOERDERFLOW_TEST_PG_ADMIN_URL setzen "
        "(Rolle mit CREATEDB, z. B. aus `.ci/postgres.sh start DIR`)",
    ),
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
class Fired:
    stack: RunningStack
    app_engine: Engine
    documents_dir: Path
    runs: list[Any]  # prefect FlowRun, final state
    states: dict[UUID, list[Any]]  # flow run id -> state history
    parameters: dict[UUID, dict[str, Any]]
    seconds: float

    def reference(self, run: Any) -> str:
        return next(t for t in run.tags if t.startswith("FA-"))


def _admin_engine() -> Engine:
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases: one for the Prefect server (asyncpg), one for foerderflow."""
    base = make_url(ADMIN_URL)
    names = [f"ff_scaleout_{os.getpid()}_prefect", f"ff_scaleout_{os.getpid()}_app"]
    admin = _admin_engine()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    prefect_url = base.set(drivername="postgresql+asyncpg", database=names[0])
    app_url = base.set(drivername="postgresql+psycopg", database=names[1])
    try:
        yield (
            prefect_url.render_as_string(hide_password=False),
            app_url.render_as_string(hide_password=False),
        )
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
def fired(databases: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fired]:
    prefect_url, app_url = databases
    shared = tmp_path_factory.mktemp("shared")
    documents_dir = shared / "dokumente"
    stack = start_stack(
        tmp_path_factory.mktemp("scaleout") / "var",
        {
            "PREFECT_API_DATABASE_CONNECTION_URL": prefect_url,
            "FOERDERFLOW_DATABASE_URL": app_url,
            "FOERDERFLOW_DOCUMENTS_DIR": str(documents_dir),
            "FOERDERFLOW_WORKERS": str(WORKERS),
        },
    )
    app_engine = create_engine(app_url)
    try:
        started = time.monotonic()
        runs, states, parameters = asyncio.run(_fire_and_wait(stack.api_url))
        yield Fired(
            stack=stack,
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
