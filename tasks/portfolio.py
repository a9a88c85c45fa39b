"""The portfolio table ``antraege`` and per-run summaries for the Prefect UI."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foerderflow.wiring import get_services
from models.application import Stage
from models.deadlines import format_date_de
from models.money import compute_grant, format_eur
from models.tables import Application, Deadline
from tasks.artifacts import (
    publish_table,
)
from tasks.reporting.queries import applications_with_parties


def portfolio_rows(session: Session) -> list[dict[str, Any]]:
    """One row per application, newest first, with the next open deadline."""
    next_due = dict(
        session.execute(
            select(Deadline.application_id, func.min(Deadline.due_date))
            .where(Deadline.status == "offen", Deadline.application_id.is_not(None))
            .group_by(Deadline.application_id)
        ).all()
    )
    apps = applications_with_parties(session, Application.year.desc(), Application.reference.desc())
    rows: list[dict[str, Any]] = []
    for app in apps:
        requested = app.requested_grant_cents
        if requested is None:
            requested = compute_grant(
                app.estimated_costs_cents,
                app.programme.funding_rate_percent,
                cap=app.programme.max_grant_cents,
            ).grant
        due = next_due.get(app.id)
        rows.append(
            {
                "Aktenzeichen": app.reference,
                "Titel": app.title,
                "Stufe": Stage(app.stage).label,
                "Federführung": app.lead_body.name,
                "Partner": ", ".join(p.body.name for p in app.partners if not p.is_lead) or "–",
                "Programm": app.programme.name,
                "Beantragt": format_eur(requested),
                "Bewilligt": format_eur(app.granted_cents)
                if app.granted_cents is not None
                else "–",
                "Nächste Frist": format_date_de(due) if due else "–",
            }
        )
    return rows


def publish_portfolio() -> None:
    """Refresh the table artifact ``antraege`` (stable key: the UI shows the latest)."""
    services = get_services()
    with services.sessions() as session:
        rows = portfolio_rows(session)
    publish_table(
        "antraege",
        rows,
        "Alle Förderanträge mit Stufe, Summen und nächster Frist (nach jedem Antragsschritt "
        "aktualisiert).",
    )
