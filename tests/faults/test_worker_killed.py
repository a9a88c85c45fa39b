"""Fault: the worker is killed (SIGKILL) while a draft is being rendered.

A real stack (``foerderflow up``) holds an application of all twelve bodies in the partner
check with every answer in. ``antrag-entwurf`` runs as a deployment and renders the large
draft set (Förderantrag, Finanzierungsplan, Kooperationsvereinbarung and twelve
Sitzungsvorlagen). As soon as the first file of the set is on disk, the worker and the flow
run it started are killed with SIGKILL. ``foerderflow up`` notices the dead worker and stops;
it is started again on the same ``var`` directory and the step is run again with the same
parameters. The final state must be correct whether or not the killed run had committed:
stage "entwurf", exactly one version of every document (no v2), exactly one draft mail,
no duplicate audit event. The database is read while no stack runs (its embedded PostgreSQL
server started on its own), so what is checked is what the killed stack left on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import Engine, text, update
from sqlalchemy.orm import sessionmaker
from stack_support import RunningStack, start_stack, stop_stack, stopped_stack_database
from support import attachments, docx_text

from foerderflow.db import make_engine
from foerderflow.inbox import read_inbox
from foerderflow.settings import Settings, body_names
from foerderflow.shutdown import child_pids
from foerderflow.wiring import Services
from models.application import IdeaInput
from models.application_inputs import PartnerAnswerInput, PartnerCheckInput
from models.forms import today_berlin
from models.tables import OutboxMail
from tasks.idea import record_idea
from tasks.mail import CLAIM_LEASE, YagmailTransport, deliver
from tasks.partnercheck import record_partner_answer, start_partner_check

pytestmark = [pytest.mark.integration, pytest.mark.slow]  # restarts stacks: make test-all

LEAD = "Kreis Coesfeld"
PARTNERS = [b for b in body_names() if b != LEAD]  # all eleven towns and municipalities
TITLE = "Kreisweites Bürgerportal & <Termine> für alle zwölf Körperschaften"
DRAFT = {"notes": "Bitte vor der Freigabe mit allen Kämmereien abstimmen.", "entered_by": "Eva"}


def _prepare_application(services: Services, today: dt.date) -> str:
    """An application of all twelve bodies in the partner check, every answer in."""
    idea = record_idea(
        services,
        IdeaInput(
            title=TITLE,
            summary="Ein gemeinsames Portal für Anträge, Termine und Bescheide aller Kommunen.",
            lead_body=LEAD,
            partner_bodies=PARTNERS,
            programme="Smarte.Land.Regionen",
            estimated_costs_eur=900000,
            coordinator_email="koordination@kreis-coesfeld.example",
            entered_by="Eva",
        ),
        today,
    )
    ref = idea.reference
    start_partner_check(
        services,
        PartnerCheckInput(reference=ref, split_key="einwohner", entered_by="Eva"),
        today,
    )
    for body in PARTNERS:
        outcome = record_partner_answer(
            services,
            PartnerAnswerInput(reference=ref, body=body, decision="zugesagt", entered_by="Eva"),
            today,
        )
    assert outcome.follow_up == "entwurf"  # the last answer: the draft is next
    report = deliver(services.sessions, services.settings, services.transport_factory)
    assert report.pending == [], report.errors
    return ref


def _kill_worker_tree(var: Path) -> list[int]:
    """SIGKILL the stack's worker and every process below it (the flow run lives in a
    session of its own), the way a crashed machine or the OOM killer ends them."""
    worker = json.loads((var / "stack.json").read_text())["pids"]["worker"]
    tree, frontier = [worker], [worker]
    while frontier:
        frontier = child_pids(frontier)
        tree += frontier
    for pid in tree:
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
    return tree


def _rows(db: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def _snapshot(db: Engine, ref: str) -> dict[str, Any]:
    return {
        "stage": _rows(
            db, "SELECT stage, draft_version FROM applications WHERE reference = :r", r=ref
        ),
        "docs": _rows(
            db,
            "SELECT kind, subject, version FROM documents WHERE owner = :r AND kind != "
            "'absichtserklaerung' AND kind != 'projektskizze' ORDER BY kind, subject",
            r=ref,
        ),
        "mails": _rows(
            db, "SELECT key, status FROM outbox WHERE key LIKE :k ORDER BY key", k=f"{ref}:entwurf%"
        ),
        "audit": _rows(db, "SELECT count(*) FROM audit_events WHERE owner = :r", r=ref)[0][0],
    }


def test_worker_killed_while_drafting_then_rerun(stack_var: Path) -> None:
    var = stack_var
    started = time.monotonic()
    stack: RunningStack | None = start_stack(var)
    try:
        engine = make_engine(stack.db_url)
        services = Services(
            Settings(
                var_dir=var,
                database_url=stack.db_url,
                local_smtp_port=stack.smtp_port,
                ui_url=stack.ui_url,
                _env_file=None,  # type: ignore[call-arg]
            ),
            sessionmaker(bind=engine, expire_on_commit=False),
            YagmailTransport,
        )
        try:
            ref = _prepare_application(services, today_berlin())
            before = _snapshot(engine, ref)
        finally:
            engine.dispose()
        assert before["stage"] == [("partnerpruefung", 0)] and before["docs"] == []
        mails_before = len(read_inbox(stack.maildir))
        params = {"reference": ref, **DRAFT}
        first_doc = var / "documents" / ref / f"{ref}_foerderantrag_v1.docx"

        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            run = run_deployment("antrag-entwurf/antrag-entwurf", parameters=params, timeout=0)
            deadline = time.monotonic() + 240
            state, next_look = None, 0.0
            while not first_doc.exists():
                if time.monotonic() >= next_look:  # the run's state, twice a second
                    with get_client(sync_client=True) as client:
                        state = client.read_flow_run(run.id).state
                    if state is not None and state.is_final():
                        break  # finished before we could catch it: kill afterwards
                    next_look = time.monotonic() + 0.5
                assert time.monotonic() < deadline, f"Entwurf kam nicht in Gang: {state}"
                time.sleep(0.01)
            killed = _kill_worker_tree(var)
        print(f"SIGKILL an {killed} ({'Datei da' if first_doc.exists() else state})")
        # foerderflow up notices the dead worker and shuts the rest down by itself.
        stack.process.wait(timeout=90)
        assert "worker wurde unerwartet beendet" in stack.text()
    finally:
        if stack is not None and stack.process.poll() is None:
            stop_stack(stack)
    stack = None

    with stopped_stack_database(var) as db:
        between = _snapshot(db, ref)
        if [key for key, status in between["mails"] if status == "sending"]:
            # Killed while handing the mail to the server: the claim is taken over after the
            # lease (CLAIM_LEASE). Age it instead of waiting ten minutes.
            with db.begin() as conn:
                conn.execute(
                    update(OutboxMail)
                    .where(OutboxMail.status == "sending")
                    .values(
                        claimed_at=dt.datetime.now(dt.UTC) - CLAIM_LEASE - dt.timedelta(minutes=1)
                    )
                )
    committed = between["stage"] == [("entwurf", 1)]
    print(f"Zustand nach dem Abbruch: {'Transaktion abgeschlossen' if committed else 'nichts'}")
    if committed:
        assert len(between["docs"]) == 15 and between["audit"] == before["audit"] + 1
    else:  # rolled back as a whole: no half-written draft in the database
        assert between == before

    stack = start_stack(var)
    try:
        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            rerun = run_deployment(
                "antrag-entwurf/antrag-entwurf", parameters=params, timeout=300, poll_interval=0.5
            )
            assert rerun.state is not None and rerun.state.type == StateType.COMPLETED, rerun.state
            assert ref in rerun.tags
    finally:
        code = stop_stack(stack)
    assert code == 0, stack.text()

    # --- The final state ----------------------------------------------------------------------
    with stopped_stack_database(var) as db:
        final = _snapshot(db, ref)
        recorded_files = _rows(
            db, "SELECT path, sha256 FROM documents WHERE owner = :r AND version = 1", r=ref
        )
        unsent = _rows(db, "SELECT count(*) FROM outbox WHERE status != 'sent'")
        transitions = _rows(
            db,
            "SELECT from_stage, to_stage, count(*) FROM audit_events WHERE owner = :r AND "
            "to_stage = 'entwurf' GROUP BY from_stage, to_stage",
            r=ref,
        )
        steps = _rows(
            db,
            "SELECT count(*) FROM step_requests WHERE owner = :r AND step = 'antrag-entwurf'",
            r=ref,
        )
    assert final["stage"] == [("entwurf", 1)]
    kinds = Counter((kind, version) for kind, _, version in final["docs"])
    assert kinds == {
        ("finanzierungsplan", 1): 1,
        ("foerderantrag", 1): 1,
        ("kooperationsvereinbarung", 1): 1,
        ("sitzungsvorlage", 1): 12,
    }
    assert len(set(final["docs"])) == 15  # one per body, no duplicates
    assert sorted(p.name for p in (var / "documents" / ref).glob("*_v2.docx")) == []
    # Every recorded document is the file on disk (none half-written or left from the kill).
    assert len(recorded_files) == 1 + len(PARTNERS) + 15  # Skizze, Erklärungen, Entwurf
    for path, sha in recorded_files:
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha, path
    assert TITLE in docx_text(first_doc) and DRAFT["notes"] in docx_text(first_doc)
    # Exactly one draft mail, sent, and exactly once in the inbox.
    assert final["mails"] == [(f"{ref}:entwurf:v1", "sent")]
    assert unsent == [(0,)]
    inbox = read_inbox(var / "mail")
    assert len(inbox) == mails_before + 1
    assert max(Counter(m.message_id for m, _ in inbox).values()) == 1
    drafts = [(m, msg) for m, msg in inbox if m.subject.startswith(f"{ref}: Antragsentwurf v")]
    assert [m.subject for m, _ in drafts] == [f"{ref}: Antragsentwurf v1 zur Prüfung"]
    files = attachments(drafts[0][1])
    assert len(files) == 15 and all(name.endswith("_v1.docx") for name in files)
    # No duplicate audit event: one transition to "entwurf", one recorded step.
    assert final["audit"] == before["audit"] + 1
    assert transitions == [("partnerpruefung", "entwurf", 1)]
    assert steps == [(1,)]
    print(f"Dauer: {time.monotonic() - started:.0f} s")
