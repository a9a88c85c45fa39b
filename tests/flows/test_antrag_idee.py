"""antrag-idee run in-process against a temporary Prefect server, real DB and real SMTP."""

import pytest
from sqlalchemy import func, select
from support import attachments, docx_text, inbox

from flows.antrag_idee import antrag_idee
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.errors import InputError
from models.mail import WORD_MIME_TYPE
from models.tables import Application, AuditEvent, OutboxMail

PARAMS = {
    "title": 'Bürger-App „Münsterland“ & <Co> "Süd"',
    "summary": "Eine gemeinsame App für Bürgerdienste der beteiligten Kommunen.",
    "lead_body": "Kreis Coesfeld",
    "partner_bodies": ["Dülmen", "Nottuln"],
    "programme": "Smarte.Land.Regionen",
    "estimated_costs_eur": 1234567.89,
    "coordinator_email": "koordination@digitalagentur-coe.example",
    "entered_by": "Bernd Muster",
}

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]


def test_flow_delivers_projektskizze(seeded: Services, smtp: LocalInbox) -> None:
    result = antrag_idee(**PARAMS)
    assert result.reference.startswith("FA-") and result.stage == "idee"
    mails = inbox(smtp.maildir)
    assert len(mails) == 1
    received, message = mails[0]
    assert received.recipients == ["koordination@digitalagentur-coe.example"]
    assert received.subject == f"Projektskizze {result.reference}: {PARAMS['title']}"
    files = attachments(message)
    name = f"{result.reference}_projektskizze_v1.docx"
    assert list(files) == [name] and files[name][0] == WORD_MIME_TYPE
    text = docx_text(files[name][1])
    assert PARAMS["title"] in text
    assert "Stadt Dülmen" in text and "Gemeinde Nottuln" in text and "Kreis Coesfeld" in text
    assert "1.234.567,89\u00a0€" in text
    assert "1.000.000,00\u00a0€" in text  # 90 % capped at the programme maximum

    again = antrag_idee(**PARAMS)  # a double click
    assert again.reference == result.reference
    assert len(inbox(smtp.maildir)) == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"programme": "Gibt es nicht"}, "Förderprogramm muss einer der Werte"),
        ({"estimated_costs_eur": -1}, "darf nicht kleiner als 0"),
        ({"partner_bodies": ["Kreis Coesfeld"]}, "Kreis Coesfeld ist federführend"),
        ({"coordinator_email": "nicht-gueltig"}, "E-Mail der Koordination"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    seeded: Services, smtp: LocalInbox, change: dict, expected: str
) -> None:
    with pytest.raises(InputError) as info:
        antrag_idee(**{**PARAMS, **change})
    assert expected in str(info.value)
    with seeded.sessions() as session:
        for table in (Application, AuditEvent):
            assert session.scalar(select(func.count()).select_from(table)) == 0
        # only the failure notice to the central coordinator is queued
        subjects = list(session.scalars(select(OutboxMail.subject)))
    assert subjects == ["Eingabefehler im Schritt antrag-idee"]
    mails = inbox(smtp.maildir)
    assert [m.recipients for m, _ in mails] == [[seeded.settings.central_coordinator_email]]
    assert expected in mails[0][0].body


def test_idea_links_to_a_strategy_project(seeded: Services, smtp: LocalInbox) -> None:
    """The project dropdown entry is read as its code; the funding then counts there."""
    from models.tables import Project

    label = "HF4-01 · Smart-City-Plattform… (Kreis Coesfeld)"  # as the dropdown shows it
    result = antrag_idee(**{**PARAMS, "project_code": label})
    with seeded.sessions() as session:
        app = session.scalar(select(Application).where(Application.reference == result.reference))
        project = session.get(Project, app.project_id)
    assert project is not None and project.code == "HF4-01"


def test_unknown_strategy_project_is_refused(seeded: Services, smtp: LocalInbox) -> None:
    with pytest.raises(InputError, match="HF8-99 steht nicht in der Projektliste"):
        antrag_idee(**{**PARAMS, "project_code": "HF8-99"})
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_a_programme_of_the_programme_table_is_offered_and_accepted(
    seeded: Services, smtp: LocalInbox
) -> None:
    """Programmes are data: one added to the table (e.g. by the Förder-Radar) is in the
    form's dropdown and passes its validation; an unknown one still gets the German message."""
    from decimal import Decimal

    from prefect.utilities.callables import parameter_schema

    from models.tables import Programme
    from tasks.menu import menu_updates

    with seeded.sessions.begin() as session:
        session.add(
            Programme(
                slug="radar-99",
                name="Digitale Kommune NRW",
                funder="Land NRW",
                funding_rate_percent=Decimal(80),
                max_grant_cents=50_000_000,
            )
        )
    with seeded.sessions() as session:
        update = menu_updates(session)["antrag-idee"]
    schema = update(parameter_schema(antrag_idee.fn).model_dump())
    assert schema["properties"]["programme"]["enum"][-1] == "Digitale Kommune NRW"
    assert "Heimat 2.0" in schema["properties"]["programme"]["enum"]
    result = antrag_idee(**{**PARAMS, "programme": "Digitale Kommune NRW"})
    with seeded.sessions() as session:
        app = session.scalar(select(Application).where(Application.reference == result.reference))
        assert app is not None and app.programme_id is not None
        assert session.get(Programme, app.programme_id).name == "Digitale Kommune NRW"
    with pytest.raises(InputError, match="„Digitale Kommune NRW“ sein"):
        antrag_idee(**{**PARAMS, "programme": "Gibt es nicht"})
