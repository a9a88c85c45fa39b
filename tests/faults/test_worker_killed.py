"""Fault: the worker is killed (SIGKILL) while a draft is being rendered.

A real stack (``foerderflow up``) holds an application of all twelve bodies in the partner
check with every answer in. ``antrag-entwurf`` runs as a deployment and renders the large
draft set (Förderantrag, Finanzierungsplan, Kooperationsvereinbarung and twelve
Sitzungsvorlagen). As soon as the first file of the set is on disk, the worker and the flow
run it started are killed with SIGKILL. ``foerderflow up`` notices the dead worker and stops;
it is started again on the same ``var`` directory and the step is run again with the same
parameters. The final state must be correct whether or not the killed run had committed:
stage "entwurf", exactly one version of every document (no v2), exactly one draft mail,
no duplicate audit event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker
from stack_support import RunningStack, start_stack, stop_stack
from support import attachments, docx_text

from foerderflow.db import make_engine
from foerderflow.inbox import read_inbox
from foerderflow.settings import Settings
from foerderflow.shutdown import child_pids
from foerderflow.wiring import Services
from models.antrag_inputs import PartnerAnswerInput, PartnerCheckInput
from models.application import IdeaInput
from models.bodies import BodyName
from models.forms import today_berlin
from models.tables import OutboxMail
from tasks.idea import record_idea
from tasks.mail import CLAIM_LEASE, YagmailTransport, deliver
from tasks.partnercheck import record_partner_answer, start_partner_check

pytestmark = pytest.mark.integration

LEAD = BodyName.KREIS_COESFELD
PARTNERS = [b for b in BodyName if b is not LEAD]  # all eleven towns and municipalities
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
    ref = idea.application.reference
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


def _rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _snapshot(db: Path, ref: str) -> dict[str, Any]:
    return {
        "stage": _rows(
            db, "SELECT stage, draft_version FROM applications WHERE reference = ?", ref
        ),
        "docs": _rows(
            db,
            "SELECT kind, subject, version FROM documents WHERE owner = ? AND kind != "
            "'absichtserklaerung' AND kind != 'projektskizze' ORDER BY kind, subject",
            ref,
        ),
        "mails": _rows(db, "SELECT key, status FROM outbox WHERE key LIKE ?", f"{ref}:entwurf%"),
        "audit": _rows(db, "SELECT count(*) FROM audit_events WHERE owner = ?", ref)[0][0],
    }


def test_worker_killed_while_drafting_then_rerun(tmp_path: Path) -> None:
    var = tmp_path / "var"
    db = var / "foerderflow.db"
    started = time.monotonic()
    stack: RunningStack | None = start_stack(var)
    try:
        engine = make_engine(f"sqlite:///{db}")
        services = Services(
            Settings(
                var_dir=var,
                local_smtp_port=stack.smtp_port,
                ui_url=stack.ui_url,
                _env_file=None,  # type: ignore[call-arg]
            ),
            sessionmaker(bind=engine, expire_on_commit=False),
            YagmailTransport,
        )
        ref = _prepare_application(services, today_berlin())
        engine.dispose()
        before = _snapshot(db, ref)
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

    between = _snapshot(db, ref)
    committed = between["stage"] == [("entwurf", 1)]
    print(f"Zustand nach dem Abbruch: {'Transaktion abgeschlossen' if committed else 'nichts'}")
    if committed:
        assert len(between["docs"]) == 15 and between["audit"] == before["audit"] + 1
    else:  # rolled back as a whole: no half-written draft in the database
        assert between == before
    if [key for key, status in between["mails"] if status == "sending"]:
        # Killed while handing the mail to the server: the claim is taken over after the
        # lease (CLAIM_LEASE). Age it instead of waiting ten minutes.
        engine = make_engine(f"sqlite:///{db}")
        with engine.begin() as conn:
            conn.execute(
                update(OutboxMail)
                .where(OutboxMail.status == "sending")
                .values(claimed_at=dt.datetime.now(dt.UTC) - CLAIM_LEASE - dt.timedelta(minutes=1))
            )
        engine.dispose()

    stack = start_stack(var)
    try:
        with temporary_settings({PREFECT_API_URL: stack.api_url}):
            rerun = run_deployment("antrag-entwurf/antrag-entwurf", parameters=params, timeout=300)
            assert rerun.state is not None and rerun.state.type == StateType.COMPLETED, rerun.state
            assert ref in rerun.tags
    finally:
        stop_stack(stack)

    # --- The final state ----------------------------------------------------------------------
    final = _snapshot(db, ref)
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
    for path, sha in _rows(
        db, "SELECT path, sha256 FROM documents WHERE owner = ? AND version = 1", ref
    ):
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha, path
    assert TITLE in docx_text(first_doc) and DRAFT["notes"] in docx_text(first_doc)
    # Exactly one draft mail, sent, and exactly once in the inbox.
    assert final["mails"] == [(f"{ref}:entwurf:v1", "sent")]
    assert _rows(db, "SELECT count(*) FROM outbox WHERE status != 'sent'") == [(0,)]
    inbox = read_inbox(var / "mail")
    assert len(inbox) == mails_before + 1
    assert max(Counter(m.message_id for m, _ in inbox).values()) == 1
    drafts = [(m, msg) for m, msg in inbox if m.subject.startswith(f"{ref}: Antragsentwurf v")]
    assert [m.subject for m, _ in drafts] == [f"{ref}: Antragsentwurf v1 zur Prüfung"]
    files = attachments(drafts[0][1])
    assert len(files) == 15 and all(name.endswith("_v1.docx") for name in files)
    # No duplicate audit event: one transition to "entwurf", one recorded step.
    assert final["audit"] == before["audit"] + 1
    assert _rows(
        db,
        "SELECT from_stage, to_stage, count(*) FROM audit_events WHERE owner = ? AND "
        "to_stage = 'entwurf' GROUP BY from_stage, to_stage",
        ref,
    ) == [("partnerpruefung", "entwurf", 1)]
    assert _rows(
        db, "SELECT count(*) FROM step_requests WHERE owner = ? AND step = 'antrag-entwurf'", ref
    ) == [(1,)]
    print(f"Dauer: {time.monotonic() - started:.0f} s")
