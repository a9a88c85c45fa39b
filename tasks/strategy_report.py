"""strategie-statusmeldung: record one body's report; a second report replaces the first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.deadline_types import DeadlineStatus
from models.deadlines import format_date_de
from models.errors import InputError
from models.steps import AuditEntry, StepPlan
from models.strategy import CycleStatus, ProjectStatus, ReportState, next_project_code
from models.strategy_inputs import StatusmeldungInput, check_report, report_fingerprint
from models.tables import (
    Body,
    Deadline,
    Project,
    ProjectParticipant,
    ProjectStatusEntry,
    StrategyBodyReport,
)
from tasks.common import step_task
from tasks.deadlines import complete_deadline
from tasks.steps import input_payload
from tasks.store import get_body
from tasks.strategy import (
    STEP_REPORT,
    CycleRun,
    Work,
    all_bodies,
    body_states,
    cycle_step,
    ensure_report_row,
    find_cycle,
    project_query,
    project_view,
    require_cycle,
)


def _report_state(data: StatusmeldungInput) -> Callable[[Session], str]:
    def state(session: Session) -> str:
        cycle = find_cycle(session, data.year)
        if cycle is None:
            return ""
        report = session.scalar(
            select(StrategyBodyReport.fingerprint)
            .join(Body, Body.id == StrategyBodyReport.body_id)
            .where(StrategyBodyReport.cycle_id == cycle.id, Body.name == data.body)
        )
        return report or ""

    return state


@cycle_step(STEP_REPORT, payload=lambda data: input_payload(data, "year"), state=_report_state)
def record_report(run: CycleRun, data: StatusmeldungInput, today: dt.date) -> Work:
    """Record one body's report; a second report from the same body replaces the first."""
    year, owner = run.year, run.owner
    content = report_fingerprint(data.entries, data.new_projects)

    def work(session: Session) -> StepPlan:
        cycle = require_cycle(find_cycle(session, year), year)
        body = get_body(session, data.body)
        report = ensure_report_row(session, cycle, body)
        if report.fingerprint == content:
            return StepPlan(
                headline=f"Statusmeldung {body.official_name} unverändert – nichts doppelt",
                status={"year": year, "cycle_status": CycleStatus(cycle.status)},
                repeated=True,
            )
        if cycle.status == CycleStatus.ABGESCHLOSSEN.value:
            raise InputError(
                f"Die Fortschreibung {year} ist abgeschlossen; Statusmeldungen werden nicht mehr "
                "erfasst. Es wurde nichts gespeichert."
            )
        rows = {p.code: p for p in session.scalars(project_query())}
        own_proposals = {
            p.title.casefold(): p
            for p in rows.values()
            if p.source == "vorschlag" and p.proposed_year == year and p.lead_body_id == body.id
        }
        wanted_titles = {n.title.casefold() for n in data.new_projects}
        dropped = [p for t, p in own_proposals.items() if t not in wanted_titles]
        kept = {p.code for t, p in own_proposals.items() if t in wanted_titles}
        remaining = {c: p for c, p in rows.items() if p not in dropped}
        views = {c: project_view(p) for c, p in remaining.items()}
        not_reported = check_report(body.name, body.official_name, views, data.entries)
        for proposal in data.new_projects:
            clash = next(
                (
                    p
                    for p in remaining.values()
                    if p.title.casefold() == proposal.title.casefold() and p.code not in kept
                ),
                None,
            )
            if clash is not None:
                raise InputError(
                    f"Ein Projekt mit dem Titel „{proposal.title}“ gibt es bereits ({clash.code}). "
                    "Bitte melden Sie dessen Stand unter „Projekte“. Es wurde nichts gespeichert."
                )
        previous_entries = {
            code: status
            for code, status in session.execute(
                select(Project.code, ProjectStatusEntry.status)
                .join(Project, Project.id == ProjectStatusEntry.project_id)
                .where(ProjectStatusEntry.report_id == report.id)
            )
        }
        replaced = report.version > 0
        session.execute(delete(ProjectStatusEntry).where(ProjectStatusEntry.report_id == report.id))
        for proposal_row in dropped:
            session.execute(
                delete(ProjectParticipant).where(ProjectParticipant.project_id == proposal_row.id)
            )
            session.execute(delete(Project).where(Project.id == proposal_row.id))
        session.flush()
        bodies = {b.name: b for b in all_bodies(session)}
        created_codes: list[str] = []
        for proposal in data.new_projects:
            existing = own_proposals.get(proposal.title.casefold())
            participant_ids = {bodies[b].id for b in proposal.participants if b in bodies} - {
                body.id
            }
            if existing is not None and existing.field == proposal.handlungsfeld.value:
                existing.description = proposal.description
                existing.title = proposal.title
                session.execute(
                    delete(ProjectParticipant).where(ProjectParticipant.project_id == existing.id)
                )
                project_id = existing.id
                created_codes.append(existing.code)
            else:
                if existing is not None:  # moved to another Handlungsfeld: a new code
                    session.execute(
                        delete(ProjectParticipant).where(
                            ProjectParticipant.project_id == existing.id
                        )
                    )
                    session.execute(delete(Project).where(Project.id == existing.id))
                    session.flush()
                codes = session.scalars(select(Project.code)).all()
                project = Project(
                    code=next_project_code(proposal.handlungsfeld, codes),
                    title=proposal.title,
                    field=proposal.handlungsfeld.value,
                    lead_body_id=body.id,
                    status=ProjectStatus.GEPLANT.value,
                    description=proposal.description,
                    source="vorschlag",
                    proposed_year=year,
                )
                session.add(project)
                session.flush()
                project_id = project.id
                created_codes.append(project.code)
            session.add_all(
                ProjectParticipant(project_id=project_id, body_id=b)
                for b in sorted(participant_ids)
            )
        for entry in data.entries:
            project_row = remaining[entry.project_code]
            session.add(
                ProjectStatusEntry(
                    report_id=report.id,
                    project_id=project_row.id,
                    year=year,
                    body_id=body.id,
                    status=entry.status.value,
                    previous_status=cycle.baseline.get(entry.project_code),
                    note=entry.note,
                )
            )
        report.state = ReportState.GEMELDET.value
        report.version += 1
        report.reported_on = today
        report.reported_by = data.entered_by
        report.late = today > cycle.response_due
        report.fingerprint = content
        details = {
            "body": body.name,
            "version": report.version,
            "entries": {e.project_code: e.status.value for e in data.entries},
            "new_projects": created_codes,
        }
        if replaced:
            details["previous_entries"] = previous_entries
        audit_entry = AuditEntry(
            actor=data.entered_by,
            action="Statusmeldung ersetzt" if replaced else "Statusmeldung erfasst",
            reason=f"{body.official_name}: {len(data.entries)} Projekte"
            + (
                f", {len(created_codes)} neue Vorschläge ({', '.join(created_codes)})"
                if created_codes
                else ""
            )
            + (f"; ersetzt die {report.version - 1}. Fassung" if replaced else ""),
            details=details,
        )
        deadline = session.scalar(
            select(Deadline).where(Deadline.key == f"{owner}:statusmeldung:{body.slug}")
        )
        if deadline is not None and deadline.status == DeadlineStatus.OFFEN.value:
            complete_deadline(
                session,
                deadline,
                done_on=today,
                done_by=data.entered_by,
                note=f"Statusmeldung {body.official_name} erfasst",
            )
        session.flush()
        states = body_states(session, cycle)
        reported = sum(1 for s in states if s.reported)
        missing = [s.official_name for s in states if not s.reported]
        warnings: list[str] = []
        if report.late:
            warnings.append(
                f"Die Meldung ist nach Ablauf der Rückmeldefrist "
                f"({format_date_de(cycle.response_due)}) eingegangen; sie wird berücksichtigt."
            )
        if not_reported:
            warnings.append(
                "Ohne Meldung (bisheriger Stand bleibt): " + ", ".join(not_reported) + "."
            )
        follow_up = None
        if missing:
            next_step = f"Es fehlen noch Meldungen von: {', '.join(missing)}."
        elif cycle.status == CycleStatus.STATUSABFRAGE.value:
            follow_up = "konsolidierung"
            next_step = (
                f"Alle {len(states)} Körperschaften haben gemeldet. Die Konsolidierung "
                "(strategie-konsolidierung) startet jetzt automatisch."
            )
        else:
            next_step = "Mit „strategie-konsolidierung“ eine neue Fassung des Entwurfs erstellen."
            warnings.append(
                f"Der Entwurf (Fassung v{cycle.draft_version}) und die Sitzungsvorlagen beruhen "
                "noch auf der früheren Meldung. Bitte „strategie-konsolidierung“ starten, um "
                "eine neue Fassung zu erstellen."
            )
        return StepPlan(
            status={"year": year, "cycle_status": CycleStatus(cycle.status)},
            audit=[audit_entry],
            headline=f"Statusmeldung {body.official_name} "
            + (f"ersetzt ({report.version}. Fassung)" if replaced else "erfasst"),
            facts=[(e.project_code, e.status.label) for e in data.entries]
            + [(code, "neu vorgeschlagen (geplant)") for code in created_codes]
            + [("Statusmeldungen", f"{reported}/{len(states)}")],
            warnings=warnings,
            next_step=next_step,
            follow_up=follow_up,
        )

    return work


record_report_task = step_task("statusmeldung-erfassen", record_report)
