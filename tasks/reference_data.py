"""Loading the reference data in ``data/*.yaml`` idempotently (``foerderflow seed``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.settings import body_names
from foerderflow.tenant import BODIES_FILE, BODIES_KEY, TenantError, load_tenant
from foerderflow.yamlfile import YamlFile, YamlFileError, read_yaml
from models.bodies import BodyKind, BodyRecord, ProgrammeRecord
from models.errors import InputError
from models.money import euro_to_cents
from models.strategy import ProjectRecord
from models.tables import Body, Contact, Programme, Project, ProjectParticipant, ProjectStatusEntry

PROJECTS_FILE = "projektliste.yaml"
R = TypeVar("R", bound=BaseModel)


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


@dataclass(frozen=True)
class ReferenceData:
    """The validated content of a tenant's data folder, ready to be written."""

    bodies: list[BodyRecord]
    programmes: list[ProgrammeRecord]
    projects: list[ProjectRecord]


def _items(source: YamlFile, key: str, problems: list[str]) -> list[tuple[int, Any]]:
    data = source.data
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(f"{source.at([key])}: Liste „{key}“ fehlt.")
        return []
    return list(enumerate(items))


def _records(
    source: YamlFile, key: str, model: type[R], what: str, problems: list[str]
) -> list[tuple[int, R]]:
    """Validate every entry of the list ``key``; each problem names file, line and entry."""
    from models.forms import german_error_lines

    records: list[tuple[int, R]] = []
    for index, item in _items(source, key, problems):
        label = _entry_label(item, index)
        if not isinstance(item, dict):
            problems.append(f"{source.at([key, index])}: {what} {label} ist keine Zuordnung.")
            continue
        try:
            records.append((index, model.model_validate(item)))
        except ValidationError as exc:
            for err, line in zip(exc.errors(), german_error_lines(model, exc), strict=True):
                where = source.at([key, index, *err["loc"]])
                problems.append(f"{where}: {what} {label}: {line}")
    return records


def _entry_label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for field in ("name", "code", "slug"):
            if item.get(field):
                return f"„{item[field]}“"
    return f"Nr. {index + 1}"


def _unique(
    source: YamlFile,
    key: str,
    records: list[tuple[int, Any]],
    field: str,
    label: str,
    problems: list[str],
) -> None:
    """Each value of ``field`` once; a repeat names its line and the first one's."""
    first: dict[Any, int] = {}
    for index, record in records:
        value = getattr(record, field)
        if value in first:
            problems.append(
                f"{source.at([key, index, field])}: {label} „{value}“ kommt doppelt vor "
                f"(zuerst in Zeile {source.line_of([key, first[value], field])})."
            )
        else:
            first[value] = index


def _check_bodies(
    source: YamlFile, records: list[tuple[int, BodyRecord]], problems: list[str]
) -> None:
    _unique(source, BODIES_KEY, records, "name", "Der Name", problems)
    _unique(source, BODIES_KEY, records, "slug", "Das Kürzel (slug)", problems)
    _unique(source, BODIES_KEY, records, "official_name", "Der amtliche Name", problems)
    kreise = [index for index, rec in records if rec.kind is BodyKind.KREIS]
    if records and len(kreise) != 1:
        where = source.at([BODIES_KEY, kreise[1]]) if kreise else source.at([BODIES_KEY])
        problems.append(
            f"{where}: genau eine Körperschaft braucht „kind: kreis“ – der Kreis selbst mit "
            f"seinem Kreistag (gefunden: {len(kreise)})."
        )


def _check_projects(
    source: YamlFile,
    records: list[tuple[int, ProjectRecord]],
    bodies: list[str],
    problems: list[str],
) -> None:
    _unique(source, "projekte", records, "code", "Der Projekt-Code", problems)
    known = set(bodies)
    for index, rec in records:
        if bodies and rec.lead not in known:
            problems.append(
                f"{source.at(['projekte', index, 'lead'])}: Projekt {rec.code}: Körperschaft "
                f"„{rec.lead}“ ist in {BODIES_FILE} nicht bekannt."
            )
        if bodies and isinstance(rec.participants, list):
            for position, name in enumerate(rec.participants):
                if name not in known:
                    where = source.at(["projekte", index, "participants", position])
                    problems.append(
                        f"{where}: Projekt {rec.code}: beteiligte Körperschaft „{name}“ ist in "
                        f"{BODIES_FILE} nicht bekannt."
                    )


def _read(path: Path, problems: list[str]) -> YamlFile | None:
    try:
        return read_yaml(path)
    except YamlFileError as exc:
        problems.append(str(exc))
        return None


def read_reference_data(data_dir: Path) -> ReferenceData:
    """Read and check a tenant's data folder (``FOERDERFLOW_DATA_DIR``): mandant.yaml,
    koerperschaften.yaml, programme.yaml and, if present, projektliste.yaml. Every problem is
    reported at once, in German, with file and line; raises :class:`InputError`."""
    problems: list[str] = []
    try:
        load_tenant(data_dir)
    except TenantError as exc:
        problems.extend(str(exc).split("; "))
    bodies: list[tuple[int, BodyRecord]] = []
    source = _read(data_dir / BODIES_FILE, problems)
    if source is not None:
        bodies = _records(source, BODIES_KEY, BodyRecord, "Körperschaft", problems)
        _check_bodies(source, bodies, problems)
    programmes: list[tuple[int, ProgrammeRecord]] = []
    source = _read(data_dir / "programme.yaml", problems)
    if source is not None:
        programmes = _records(source, "programme", ProgrammeRecord, "Programm", problems)
        _unique(source, "programme", programmes, "name", "Der Name", problems)
        _unique(source, "programme", programmes, "slug", "Das Kürzel (slug)", problems)
    projects: list[tuple[int, ProjectRecord]] = []
    if (data_dir / PROJECTS_FILE).exists():
        source = _read(data_dir / PROJECTS_FILE, problems)
        if source is not None:
            projects = _records(source, "projekte", ProjectRecord, "Projekt", problems)
            _check_projects(source, projects, list(body_names(data_dir)), problems)
    if problems:
        raise InputError(
            f"Die Stammdaten in {data_dir} sind fehlerhaft – es wurde nichts gespeichert:\n"
            + "\n".join(f"• {line}" for line in problems)
        )
    return ReferenceData(
        bodies=[rec for _, rec in bodies],
        programmes=[rec for _, rec in programmes],
        projects=[rec for _, rec in projects],
    )


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def seed_bodies(session: Session, records: list[BodyRecord], report: SeedReport) -> None:
    for rec in records:
        values = {
            "name": rec.name,
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


def seed_programmes(session: Session, records: list[ProgrammeRecord], report: SeedReport) -> None:
    for rec in records:
        values = {
            "name": rec.name,
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


def seed_projects(
    session: Session, records: list[ProjectRecord], order: list[str], report: SeedReport
) -> None:
    """Insert or update the strategy's project list. The status from the file is only the
    starting point: once a project has yearly status entries, the reports own its status.
    Projects proposed in status reports are not in the file and stay untouched."""
    bodies = {b.name: b for b in session.scalars(select(Body))}
    for rec in records:
        lead = bodies.get(rec.lead)
        if lead is None:
            raise InputError(f"{PROJECTS_FILE}: Körperschaft {rec.lead} ist nicht bekannt.")
        values: dict[str, Any] = {
            "title": rec.title,
            "field": rec.handlungsfeld.value,
            "lead_body_id": lead.id,
            "description": rec.description,
        }
        wanted = {bodies[name].id for name in rec.participant_names(order) if name in bodies}
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
    """Check ``data_dir`` (nothing is written when a file is wrong), then insert or update
    bodies, contacts, programmes and the project list."""
    data = read_reference_data(data_dir)
    report = SeedReport()
    seed_bodies(session, data.bodies, report)
    seed_programmes(session, data.programmes, report)
    session.flush()
    seed_projects(session, data.projects, [b.name for b in data.bodies], report)
    session.flush()
    from models.forms import today_berlin
    from tasks.radar.importing import seed_catalogue

    seed_catalogue(session, data_dir, today_berlin())  # the Förder-Radar's own entries
    return report


def is_seeded(session: Session) -> bool:
    return session.scalar(select(Body.id).limit(1)) is not None
