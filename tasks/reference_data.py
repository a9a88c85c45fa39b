"""Loading the reference data in ``data/*.yaml`` idempotently (``foerderflow seed``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.bodies import BodyRecord, ProgrammeRecord
from models.errors import InputError
from models.money import euro_to_cents
from models.strategy import ProjectRecord
from models.tables import Body, Contact, Programme, Project, ProjectParticipant, ProjectStatusEntry


class ProjectSeedReport(BaseModel):
    """Counts of the project list (data/projektliste.yaml), kept apart from the bodies."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class SeedReport(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    projects: ProjectSeedReport = Field(default_factory=ProjectSeedReport)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.projects.changed)

    def describe(self) -> str:
        p = self.projects
        return (
            f"{self.created} neu, {self.updated} aktualisiert, {self.unchanged} unverändert, "
            f"{self.removed} entfernt; Projektliste: {p.created} neu, {p.updated} aktualisiert, "
            f"{p.unchanged} unverändert"
        )


def _load(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name} kann nicht gelesen werden: {exc}") from None
    items = data.get(key)
    if not isinstance(items, list):
        raise InputError(f"{path.name}: Liste „{key}“ fehlt.")
    return items


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _validated(model: type[BaseModel], item: dict[str, Any], source: str) -> Any:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        from models.forms import german_error_lines

        lines = "; ".join(german_error_lines(model, exc))
        raise InputError(f"{source}: Eintrag {item.get('slug', '?')} ungültig: {lines}") from None


def seed_bodies(session: Session, path: Path, report: SeedReport) -> None:
    records = [_validated(BodyRecord, item, path.name) for item in _load(path, "koerperschaften")]
    for rec in records:
        values = {
            "name": rec.name.value,
            "official_name": rec.official_name,
            "kind": rec.kind.value,
            "council": rec.council,
            "legal_basis": rec.legal_basis,
            "email": str(rec.email),
            "population": rec.population,
            "regionalschluessel": rec.regionalschluessel,
            "leader_region": rec.leader_region,
        }
        body = session.scalar(select(Body).where(Body.slug == rec.slug))
        if body is None:
            body = Body(slug=rec.slug, **values)
            session.add(body)
            session.flush()
            report.created += 1
        elif _apply(body, values):
            report.updated += 1
        else:
            report.unchanged += 1
        existing = {
            c.email: c for c in session.scalars(select(Contact).where(Contact.body_id == body.id))
        }
        wanted = {str(c.email): c for c in rec.contacts}
        for email, contact in wanted.items():
            cvalues = {
                "name": contact.name,
                "role": contact.role,
                "phone": contact.phone,
                "is_primary": contact.primary,
            }
            row = existing.get(email)
            if row is None:
                session.add(Contact(body_id=body.id, email=email, **cvalues))
                report.created += 1
            elif _apply(row, cvalues):
                report.updated += 1
            else:
                report.unchanged += 1
        for email, row in existing.items():
            if email not in wanted:
                session.delete(row)
                report.removed += 1


def seed_programmes(session: Session, path: Path, report: SeedReport) -> None:
    records = [_validated(ProgrammeRecord, item, path.name) for item in _load(path, "programme")]
    for rec in records:
        values = {
            "name": rec.name.value,
            "funder": rec.funder,
            "funding_rate_percent": rec.funding_rate_percent,
            "min_grant_cents": euro_to_cents(rec.min_grant_eur)
            if rec.min_grant_eur is not None
            else None,
            "max_grant_cents": euro_to_cents(rec.max_grant_eur)
            if rec.max_grant_eur is not None
            else None,
            "max_duration_months": rec.max_duration_months,
            "call_deadline": rec.call_deadline,
            "description": rec.description,
        }
        row = session.scalar(select(Programme).where(Programme.slug == rec.slug))
        if row is None:
            session.add(Programme(slug=rec.slug, **values))
            report.created += 1
        elif _apply(row, values):
            report.updated += 1
        else:
            report.unchanged += 1


def seed_projects(session: Session, path: Path, report: SeedReport) -> None:
    """Insert or update the strategy's project list. The status from the file is only the
    starting point: once a project has yearly status entries, the reports own its status.
    Projects proposed in status reports are not in the file and stay untouched."""
    if not path.exists():
        return
    records: list[ProjectRecord] = []
    for item in _load(path, "projekte"):
        try:
            records.append(ProjectRecord.model_validate(item))
        except ValidationError as exc:
            from models.forms import german_error_lines

            lines = "; ".join(german_error_lines(ProjectRecord, exc))
            code = item.get("code", "?") if isinstance(item, dict) else "?"
            raise InputError(f"{path.name}: Projekt {code} ungültig: {lines}") from None
    codes = [r.code for r in records]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise InputError(f"{path.name}: Projekt-Code mehrfach vergeben: {', '.join(duplicates)}")
    bodies = {b.name: b for b in session.scalars(select(Body))}
    for rec in records:
        lead = bodies.get(rec.lead.value)
        if lead is None:
            raise InputError(f"{path.name}: Körperschaft {rec.lead.value} ist nicht bekannt.")
        values: dict[str, Any] = {
            "title": rec.title,
            "field": rec.handlungsfeld.value,
            "lead_body_id": lead.id,
            "description": rec.description,
        }
        wanted = {bodies[name].id for name in rec.participant_names() if name in bodies}
        project = session.scalar(select(Project).where(Project.code == rec.code))
        if project is None:
            project = Project(
                code=rec.code, status=rec.status.value, source="projektliste", **values
            )
            session.add(project)
            session.flush()
            session.add_all(ProjectParticipant(project_id=project.id, body_id=b) for b in wanted)
            report.projects.created += 1
            continue
        changed = _apply(project, values)
        reported = session.scalar(
            select(ProjectStatusEntry.id)
            .where(ProjectStatusEntry.project_id == project.id)
            .limit(1)
        )
        if reported is None and project.status != rec.status.value:
            project.status = rec.status.value
            changed = True
        existing = {
            row.body_id: row
            for row in session.scalars(
                select(ProjectParticipant).where(ProjectParticipant.project_id == project.id)
            )
        }
        for body_id in wanted - set(existing):
            session.add(ProjectParticipant(project_id=project.id, body_id=body_id))
            changed = True
        for body_id in set(existing) - wanted:
            session.delete(existing[body_id])
            changed = True
        if changed:
            report.projects.updated += 1
        else:
            report.projects.unchanged += 1


def seed_reference_data(session: Session, data_dir: Path) -> SeedReport:
    """Insert or update bodies, contacts, programmes and the project list from ``data_dir``."""
    report = SeedReport()
    seed_bodies(session, data_dir / "koerperschaften.yaml", report)
    seed_programmes(session, data_dir / "programme.yaml", report)
    session.flush()
    seed_projects(session, data_dir / "projektliste.yaml", report)
    session.flush()
    from models.forms import today_berlin
    from tasks.radar.importing import seed_catalogue

    seed_catalogue(session, data_dir, today_berlin())  # the Förder-Radar's own entries
    return report


def is_seeded(session: Session) -> bool:
    return session.scalar(select(Body.id).limit(1)) is not None
