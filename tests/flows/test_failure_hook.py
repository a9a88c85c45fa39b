"""Failures reach a person: the hook mails the central coordinator and explains the failure
on the run's Artifacts tab – bad input as "Eingabefehler", a real fault as "Störung"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from sqlalchemy import func, select
from support import inbox

from flows.antrag_idee import antrag_idee
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services, use_services
from models.tables import Application, OutboxMail

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

PARAMS: dict[str, Any] = {
    "title": "Digitale Bauakte",
    "summary": "Bauanträge vollständig digital.",
    "lead_body": "Nottuln",
    "partner_bodies": ["Havixbeck"],
    "programme": "Heimat 2.0",
    "estimated_costs_eur": 90000,
    "coordinator_email": "bau@nottuln.example",
    "entered_by": "Test",
}


def _artifacts(flow_run_id: Any) -> list[str]:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return [str(a.data) for a in found if a.type == "markdown"]


def test_input_error_mail_and_artifact(seeded: Services, smtp: LocalInbox) -> None:
    state = antrag_idee(**{**PARAMS, "partner_bodies": ["Gibtesnicht"]}, return_state=True)
    assert state.is_failed()
    mails = inbox(smtp.maildir)
    assert len(mails) == 1
    mail = mails[0][0]
    assert mail.recipients == [seeded.settings.central_coordinator_email]
    assert mail.subject == "Eingabefehler im Schritt antrag-idee"
    assert "Gibtesnicht" in mail.body and "nichts gespeichert" in mail.body
    run_id = state.state_details.flow_run_id
    assert f"/runs/flow-run/{run_id}" in mail.body
    (text,) = _artifacts(run_id)
    assert text.startswith("## Eingabefehler: Schritt „antrag-idee“ nicht ausgeführt")
    assert "Gibtesnicht" in text and "**nichts gespeichert**" in text
    assert f"Benachrichtigt: {seeded.settings.central_coordinator_email}" in text


def test_crash_is_reported_as_fault_and_keeps_no_half_state(
    seeded: Services, smtp: LocalInbox, tmp_path: Path
) -> None:
    """A real fault: the documents folder cannot be created (a file is in the way)."""
    blocker = tmp_path / "kein-ordner"
    blocker.write_text("belegt")
    broken = seeded.settings.model_copy(update={"documents_dir": blocker})
    with use_services(Services(broken, seeded.sessions, seeded.transport_factory)):
        state = antrag_idee(**PARAMS, return_state=True)
    assert state.is_failed()
    ((mail, _),) = inbox(smtp.maildir)
    assert mail.subject == "Störung im Schritt antrag-idee"
    assert "technische Störung" in mail.body and "Eingabefehler" not in mail.body
    (text,) = _artifacts(state.state_details.flow_run_id)
    assert text.startswith("## Technische Störung im Schritt „antrag-idee“")
    assert "erneut starten" in text
    with seeded.sessions() as session:
        # the step runs in one transaction: nothing half-written stays behind
        assert session.scalar(select(func.count()).select_from(Application)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxMail)) == 1

    again = antrag_idee(**PARAMS)  # the fault is gone: the same input now goes through
    assert again.reference.startswith("FA-")
    assert any(m.subject.startswith("Projektskizze") for m, _ in inbox(smtp.maildir))
