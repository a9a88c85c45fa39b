from pathlib import Path

from models.mail import FailureMailContext, IdeaMailContext
from tasks.compose import lint_mail_templates, render_mail_text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_mail_templates_pass_lint() -> None:
    assert lint_mail_templates(TEMPLATES) == []


def test_user_text_is_data_not_template() -> None:
    subject, body = render_mail_text(
        TEMPLATES,
        "idee_projektskizze.txt",
        IdeaMailContext(
            reference="FA-2026-001",
            title="{{ 7*7 }} & {% raw %}\nzweite Zeile",
            lead_body="Stadt Dülmen",
            partners=[],
            programme="Heimat 2.0",
            estimated_costs="1,00 €",
            expected_grant="0,90 €",
            entered_by="A",
            ui_url="http://x",
        ),
    )
    assert subject == "Projektskizze FA-2026-001: {{ 7*7 }} & {% raw %} zweite Zeile"
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "Partner: noch keine benannt" in body


def test_failure_mail_distinguishes_input_error() -> None:
    common = dict(
        step="antrag-idee",
        reference="",
        kind="Eingabefehler",
        message="X fehlt",
        run_name="r",
        run_url="http://127.0.0.1:4200/runs/flow-run/1",
    )
    subject, body = render_mail_text(
        TEMPLATES, "fehler.txt", FailureMailContext(**common, is_input_error=True)
    )
    assert subject == "Eingabefehler im Schritt antrag-idee"
    assert "nicht ausgeführt" in body and "http://127.0.0.1:4200/runs/flow-run/1" in body
    subject, body = render_mail_text(
        TEMPLATES,
        "fehler.txt",
        FailureMailContext(**{**common, "reference": "FA-2026-002"}, is_input_error=False),
    )
    assert subject == "Störung im Schritt antrag-idee (FA-2026-002)"
    assert "technische Störung" in body
