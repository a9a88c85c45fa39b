"""antrag-idee as a deployment through the real Prefect server and process worker."""

import time

import pytest
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from sqlalchemy import text
from support import attachments, docx_text
from tests_integration_support import wait_for_mails

from foerderflow.db import make_engine
from foerderflow.inbox import read_inbox
from models.mail import WORD_MIME_TYPE

# make test-all: in make test, antrag-idee runs as a deployment in the lifecycle, menu and
# browser tests already.
pytestmark = [pytest.mark.integration, pytest.mark.slow]

TITLE = 'Smarte Wege & „Rad-Netz“ <Süd> "Ölmühle" – Überlandbus'


def test_idea_deployment_mails_projektskizze(stack, prefect_api) -> None:
    started = time.monotonic()
    run = run_deployment(
        "antrag-idee/antrag-idee",
        parameters={
            "title": TITLE,
            "summary": "Digitale Mobilitätsplattform für Pendler zwischen den Kommunen.",
            "lead_body": "Lüdinghausen",
            "partner_bodies": ["Olfen", "Nordkirchen", "Ascheberg"],
            "programme": "Heimat 2.0",
            "estimated_costs_eur": 612345.67,
            "coordinator_email": "koordination@luedinghausen.example",
            "entered_by": "Clara Test",
        },
        timeout=180,
        poll_interval=0.5,
    )
    assert run.state is not None and run.state.type == StateType.COMPLETED, run.state
    reference = next(t for t in run.tags if t.startswith("FA-"))
    assert "antrag" in run.tags
    subject = f"Projektskizze {reference}: {TITLE}"
    mails = [m for m in wait_for_mails(stack.maildir, 1) if m[0].subject == subject]
    assert len(mails) == 1
    received, message = mails[0]
    assert received.recipients == ["koordination@luedinghausen.example"]
    files = attachments(message)
    content_type, data = files[f"{reference}_projektskizze_v1.docx"]
    assert content_type == WORD_MIME_TYPE
    body = docx_text(data)
    assert TITLE in body
    for partner in ("Stadt Olfen", "Gemeinde Nordkirchen", "Gemeinde Ascheberg"):
        assert partner in body
    assert "Stadt Lüdinghausen" in body
    assert "612.345,67\u00a0€" in body and "551.111,10\u00a0€" in body  # costs, 90 % grant
    elapsed = time.monotonic() - started
    print(f"trigger → inbox: {elapsed:.1f} s")

    engine = make_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            stage = conn.execute(
                text("select stage from applications where reference = :r"), {"r": reference}
            ).scalar()
            actions = conn.execute(
                text("select actor, action, to_stage from audit_events where owner = :r"),
                {"r": reference},
            ).all()
    finally:
        engine.dispose()
    assert stage == "idee"
    assert [tuple(a) for a in actions] == [("Clara Test", "Idee angelegt", "idee")]
    assert [m for m, _ in read_inbox(stack.maildir) if reference in m.subject] == [received]
