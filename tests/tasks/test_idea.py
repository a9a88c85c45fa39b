import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import docx_text

from foerderflow.wiring import Services
from models.application import IdeaInput
from models.errors import NotFoundError
from models.tables import Application, AuditEvent, Document, OutboxMail, Programme
from tasks.idea import record_idea

IDEA = IdeaInput.model_validate(
    {
        "title": "Digitale Dorfplätze",
        "summary": "Ein gemeinsamer digitaler Marktplatz für die Ortskerne.",
        "lead_body": "Dülmen",
        "partner_bodies": ["Olfen", "Senden"],
        "programme": "Heimat 2.0",
        "estimated_costs_eur": "450000.50",
        "coordinator_email": "koordination@duelmen.example",
        "entered_by": "Anna Beispiel",
    }
)
TODAY = dt.date(2026, 11, 25)


def _counts(services: Services) -> dict[str, int]:
    with services.sessions() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t))
            for t in (Application, Document, OutboxMail, AuditEvent)
        }


def test_idea_creates_application_document_mail_and_audit(seeded: Services) -> None:
    outcome = record_idea(seeded, IDEA, TODAY, "run-1")
    assert outcome.reference == "FA-2026-001"
    assert outcome.stage == "idee" and outcome.created
    (document,) = outcome.documents
    text = docx_text(Path(document.path))
    assert "Digitale Dorfplätze" in text and "450.000,50\u00a0€" in text
    assert _counts(seeded) == {"applications": 1, "documents": 1, "outbox": 1, "audit_events": 1}
    second = record_idea(seeded, IDEA.model_copy(update={"title": "Anderes Vorhaben"}), TODAY)
    assert second.reference == "FA-2026-002"


def test_repeated_idea_changes_nothing(seeded: Services) -> None:
    first = record_idea(seeded, IDEA, TODAY)
    again = record_idea(seeded, IDEA, TODAY)
    assert again.reference == first.reference
    assert again.repeated and not again.created
    assert again.outbox_ids == first.outbox_ids
    assert _counts(seeded) == {"applications": 1, "documents": 1, "outbox": 1, "audit_events": 1}


def test_unknown_programme_in_database_writes_nothing(seeded: Services) -> None:
    with seeded.sessions.begin() as session:
        session.query(Programme).filter(Programme.name == "Heimat 2.0").delete()
    with pytest.raises(NotFoundError, match=r"Förderprogramm „Heimat 2\.0“ ist nicht bekannt"):
        record_idea(seeded, IDEA, TODAY)
    assert _counts(seeded) == {"applications": 0, "documents": 0, "outbox": 0, "audit_events": 0}
