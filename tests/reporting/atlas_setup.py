"""A public and a hidden project, a granted application, and text that must not leak."""

from __future__ import annotations

from sqlalchemy import select

from foerderflow.wiring import Services
from models.tables import Application, ApplicationPartner, Body, Programme, Project

PERSON = "anna.muster@kreis-coesfeld.example"
HIDDEN_CODE = "HF2-02"
FUNDED_CODE = "HF4-01"


def prepare_atlas_data(services: Services) -> None:
    with services.sessions.begin() as session:
        bodies = {b.name: b for b in session.scalars(select(Body))}
        programme = session.scalar(select(Programme).where(Programme.name == "Heimat 2.0"))
        assert programme is not None
        hidden = session.scalar(select(Project).where(Project.code == HIDDEN_CODE))
        funded = session.scalar(select(Project).where(Project.code == FUNDED_CODE))
        assert hidden is not None and funded is not None
        hidden.publish = False
        funded.description = (
            f"Ansprechpartnerin: {PERSON}. Ein <script>alert(1)</script> bleibt Text & Zeichen."
        )
        app = Application(
            reference="FA-2030-001", year=2030, stage="berichtspflicht",
            title="Regionaler Online-Marktplatz", summary="intern",
            lead_body_id=bodies["Dülmen"].id, programme_id=programme.id,
            estimated_costs_cents=50_000_000,
            coordinator_email=PERSON, created_by="Anna Muster", fingerprint="fa-2030-001",
            requested_grant_cents=45_000_000, granted_cents=42_000_000, project_id=funded.id,
            closing_note="Interner Vermerk: nicht weitergeben",
        )  # fmt: skip
        session.add(app)
        session.flush()
        session.add(
            ApplicationPartner(
                application_id=app.id, body_id=bodies["Dülmen"].id, position=0, is_lead=True,
                final_share_cents=8_000_000,
            )
        )  # fmt: skip
        secret = Application(
            reference="FA-2030-002", year=2030, stage="bewilligt", title="Geheimes Vorhaben",
            summary="intern", lead_body_id=bodies["Olfen"].id, programme_id=programme.id,
            estimated_costs_cents=10_000_000, coordinator_email=PERSON, created_by="Anna",
            fingerprint="fa-2030-002", granted_cents=9_000_000, project_id=funded.id,
            publish=False,
        )  # fmt: skip
        session.add(secret)
