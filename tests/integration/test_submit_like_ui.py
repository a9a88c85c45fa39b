"""The Submit button of the Prefect UI is never refused.

The UI sends one ``POST /api/deployments/{id}/create_flow_run`` per click and does not retry:
a 503 reaches the coordinator as "Oops. Something went wrong". These tests send exactly that
request, with plain ``urllib`` and no retries, and require:

- every answer is 2xx (0 refusals);
- every accepted run reaches its final state exactly once (one terminal state in its history).

Case 1 (``make test``, on the session's stack): twelve councils' resolutions are submitted at
the same moment (``strategie-beschluss``); all are recorded, the Sperrvermerk is lifted once.
Case 2 (``make test-all``, on a stack of its own): one Submit every 0.3 s during the first
60 s after ``foerderflow up`` reports ready – the server's start-up burst – while real runs
execute.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from stack_support import RunningStack, start_stack, stop_stack
from tests_integration_support import db_rows

from models.forms import today_berlin

pytestmark = [pytest.mark.integration]

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
UI_STATE = {"type": "SCHEDULED", "message": "Run from the Prefect UI"}


@dataclass
class Answer:
    status: int
    flow_run_id: str | None
    sent_at: float
    error: str = ""


def _request(url: str, body: dict[str, Any] | None = None, method: str = "POST") -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, data=data, headers={"Content-Type": "application/json"}, method=method
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def deployment_id(api: str, name: str) -> str:
    return str(_request(f"{api}/deployments/name/{name}/{name}", method="GET")["id"])


def submit(api: str, deployment: str, parameters: dict[str, Any]) -> Answer:
    """One click on Submit: one POST, no retry."""
    sent_at = time.monotonic()
    body = {"parameters": parameters, "state": UI_STATE}
    try:
        run = _request(f"{api}/deployments/{deployment}/create_flow_run", body)
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, None, sent_at, exc.read().decode(errors="replace")[:300])
    except (urllib.error.URLError, OSError) as exc:
        return Answer(0, None, sent_at, str(exc))
    return Answer(201, str(run["id"]), sent_at)


def wait_final(api: str, run_ids: list[str], timeout: float) -> dict[str, str]:
    """run id → final state type, once every run is final (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        found = _request(
            f"{api}/flow_runs/filter",
            {"flow_runs": {"id": {"any_": run_ids}}, "limit": 200},
        )
        states = {str(r["id"]): r["state_type"] for r in found}
        if len(states) == len(run_ids) and set(states.values()) <= TERMINAL:
            return states
        time.sleep(0.25)
    return states


def terminal_transitions(api: str, run_id: str) -> int:
    history = _request(f"{api}/flow_run_states/?flow_run_id={run_id}", method="GET")
    return sum(1 for state in history if state["type"] in TERMINAL)


def idea(n: int) -> dict[str, Any]:
    return {
        "title": f"Lasttest {n:03d}: Digitale Sitzungsdienste",
        "summary": "Eine Koordination sendet ihren Antrag ab, während andere klicken.",
        "lead_body": "Olfen",
        "partner_bodies": ["Senden"],
        "programme": "Heimat 2.0",
        "estimated_costs_eur": 200000 + n,
        "coordinator_email": f"koordination{n:03d}@olfen.example",
        "entered_by": "Lasttest",
    }


CYCLE_YEAR = 2032  # a year of its own on the shared stack (the browser test uses 2031)


def _db_rows(stack: RunningStack, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return db_rows(stack.db_url, sql, **params)


def test_twelve_councils_resolve_at_the_same_moment(stack: RunningStack) -> None:
    """The Fortschreibung goes out, one body reports, and it is consolidated (as deployments);
    then the twelve
    councils' resolutions are submitted at the same moment, as twelve coordinators in twelve
    town halls click Submit. All twelve are accepted and recorded, and the Sperrvermerk is
    lifted exactly once."""
    api = stack.api_url
    olfen = {
        "body": "Olfen",
        "entries": [{"project_code": "HF1-01", "status": "abgeschlossen", "note": "In Betrieb."}],
    }
    for step, parameters in (
        ("strategie-fortschreibung", {}),
        ("strategie-statusmeldung", olfen),  # one body reports; the others are late
        ("strategie-konsolidierung", {}),
    ):
        answer = submit(
            api,
            deployment_id(api, step),
            {"year": CYCLE_YEAR, "entered_by": "Anna Schmidt", **parameters},
        )
        assert answer.flow_run_id, answer
        assert wait_final(api, [answer.flow_run_id], 180) == {answer.flow_run_id: "COMPLETED"}
    reported = _db_rows(
        stack,
        "select p.code, e.status from project_status_entries e "
        "join projects p on p.id = e.project_id join bodies b on b.id = e.body_id "
        "where e.year = :year and b.name = 'Olfen'",
        year=CYCLE_YEAR,
    )
    assert reported == [("HF1-01", "abgeschlossen")]

    bodies = [name for (name,) in _db_rows(stack, "select name from bodies order by name")]
    assert len(bodies) == 12
    target = deployment_id(api, "strategie-beschluss")
    meeting = today_berlin().isoformat()  # not before the cycle opened (Berlin's today)
    gate = threading.Barrier(len(bodies))
    answers: dict[str, Answer] = {}

    def click(body: str) -> None:
        parameters = {
            "year": CYCLE_YEAR,
            "body": body,
            "outcome": "beschlossen",
            "meeting_date": meeting,
            "entered_by": f"Ratsbüro {body}",
        }
        gate.wait()
        answers[body] = submit(api, target, parameters)

    threads = [threading.Thread(target=click, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    refused = {b: a for b, a in answers.items() if not 200 <= a.status < 300}
    assert len(answers) == 12
    assert refused == {}, f"{len(refused)} von 12 abgelehnt: {list(refused.values())[:3]}"
    run_ids = [a.flow_run_id for a in answers.values() if a.flow_run_id]
    assert len(set(run_ids)) == 12
    states = wait_final(api, run_ids, timeout=300)
    assert states == dict.fromkeys(run_ids, "COMPLETED")
    assert [terminal_transitions(api, r) for r in run_ids] == [1] * 12

    resolutions = _db_rows(
        stack,
        "select b.name, r.outcome from strategy_resolutions r "
        "join strategy_cycles c on c.id = r.cycle_id join bodies b on b.id = r.body_id "
        "where c.year = :year",
        year=CYCLE_YEAR,
    )
    assert sorted(resolutions) == [(body, "beschlossen") for body in bodies]
    releases = _db_rows(
        stack,
        "select count(*) from strategy_releases s join strategy_cycles c on c.id = s.cycle_id "
        "where c.year = :year",
        year=CYCLE_YEAR,
    )
    assert releases == [(1,)]


SOAK_SECONDS = 60
SOAK_INTERVAL = 0.3


@pytest.mark.slow
def test_a_submit_every_300_ms_after_start_is_never_refused(session_dir: Path) -> None:
    """From the moment `foerderflow up` says it is ready: the scheduler, the event persister
    and the workers' polls write at the same time as the coordinators click."""
    stack = start_stack(session_dir / "soak" / "var")  # not below pytest's 0700 basetemp
    try:
        api = stack.api_url
        # As in production (`prefect work-pool set-concurrency-limit`): at most four runs in
        # flight, so 200 runs queue instead of starting 200 Python processes on two cores.
        _request(f"{api}/work_pools/foerderflow", {"concurrency_limit": 4}, method="PATCH")
        sweep = deployment_id(api, "fristen-waechter")
        ideas = deployment_id(api, "antrag-idee")
        planned = int(SOAK_SECONDS / SOAK_INTERVAL)
        # Every click leaves at its own moment on its own thread, as coordinators in different
        # town halls do not wait for each other's answer: a slow answer never delays or
        # swallows the next click, so exactly `planned` requests are sent.
        with ThreadPoolExecutor(max_workers=32) as pool:
            futures = []
            started = time.monotonic()
            for n in range(1, planned + 1):
                time.sleep(max(0.0, started + (n - 1) * SOAK_INTERVAL - time.monotonic()))
                # Every tenth click is a new idea (documents, mail), the rest the sweep.
                if n % 10 == 0:
                    futures.append(pool.submit(submit, api, ideas, idea(n)))
                else:
                    futures.append(pool.submit(submit, api, sweep, {}))
            answers = [future.result() for future in futures]

        refused = [a for a in answers if not 200 <= a.status < 300]
        assert len(answers) == planned
        assert refused == [], f"{len(refused)} von {len(answers)} abgelehnt: {refused[:3]}"
        run_ids = [a.flow_run_id for a in answers if a.flow_run_id]
        states = wait_final(api, run_ids, timeout=900)
        assert len(states) == len(run_ids)
        assert set(states.values()) == {"COMPLETED"}, {
            s: list(states.values()).count(s) for s in set(states.values())
        }
        multiple = [r for r in run_ids if terminal_transitions(api, r) != 1]
        assert multiple == []
        print(
            f"{len(answers)} Submits in {SOAK_SECONDS} s, 0 abgelehnt, "
            f"{len(run_ids)} Läufe abgeschlossen"
        )
    finally:
        assert stop_stack(stack) == 0, stack.text()
