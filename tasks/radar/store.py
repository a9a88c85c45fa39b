"""The catalogue in the database: applying a snapshot with change detection.

One import is one transaction: either every programme, call and change of the snapshot is
stored with the import's counts, or nothing is. A re-import of the same snapshot changes
nothing (only the "last checked" time); a changed tracked field is a change row with old and
new value; what a full snapshot no longer contains is marked ``entfallen``, never deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select, true, update
from sqlalchemy.orm import Session

from models.radar.catalogue import (
    CallRecord,
    ProgrammeRecord,
    Snapshot,
    call_values,
    content_fingerprint,
    diff_call,
    is_material,
)
from models.radar.tables import RadarCall, RadarChange, RadarImport, RadarProgramme
from models.tables import Programme


class ImportReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: int
    source: str
    location: str
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0
    new_call_ids: list[str] = Field(default_factory=list)
    changed_call_ids: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def summary_line(self) -> str:
        """The last line of ``foerderflow radar import`` (scripts read it)."""
        return (
            f"neu={self.new} geaendert={self.changed} entfallen={self.gone} "
            f"unveraendert={self.unchanged}"
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _programme_values(rec: ProgrammeRecord) -> dict[str, Any]:
    return {
        "source": rec.source.value,
        "source_ref": rec.source_ref[:300],
        "url": rec.url[:500],
        "licence": rec.licence[:200],
        "title": rec.title[:500],
        "summary": rec.summary,
        "funder": rec.funder[:300],
        "granting_body": rec.granting_body[:300],
        "raw": rec.raw,
    }


def _call_columns(call: CallRecord, values: dict[str, Any]) -> dict[str, Any]:
    columns = {
        name: getattr(call, name)
        for name in (
            "source_ref",
            "url",
            "title",
            "summary",
            "funder",
            "granting_body",
            "open_date",
            "deadline",
            "deadline_text",
            "deadline_extracted",
            "funding_type",
            "rate_percent",
            "max_rate_percent",
            "max_grant_cents",
            "max_cost_cents",
            "min_partners",
        )
    }
    columns.update(
        status=call.status.value,
        deadline_model=call.deadline_model.value,
        cut_off_dates=values["cut_off_dates"],
        applicant_types=values["applicant_types"],
        regions=values["regions"],
        themes=values["themes"],
        keywords=values["keywords"],
        values=values,
        fingerprint=content_fingerprint(values),
    )
    return columns


def _known(session: Session, key: Any, *extra: Any, where: Any = None) -> dict[str, Any]:
    """The stored programmes or calls (the table of ``key``) by ``key``: id, fingerprint,
    ``entfallen_on`` and ``extra`` columns, to compare a snapshot against."""
    table = key.class_
    query = select(table.id, table.fingerprint, table.entfallen_on, *extra, key.label("key"))
    return {
        row.key: row for row in session.execute(query.where(true() if where is None else where))
    }


def apply_snapshot(
    session: Session, snapshot: Snapshot, *, entered_by: str, today: dt.date
) -> ImportReport:
    """Store ``snapshot`` in the caller's transaction and return what changed."""
    now = _now()
    run = RadarImport(
        source=snapshot.source.value,
        location=snapshot.location[:500],
        full_snapshot=snapshot.full,
        entered_by=entered_by,
    )
    session.add(run)
    session.flush()
    source = snapshot.source.value
    programmes = _known(session, RadarProgramme.key, where=RadarProgramme.source == source)
    calls = _known(session, RadarCall.call_id, RadarCall.source)
    linked = {name: pid for pid, name in session.execute(select(Programme.id, Programme.name))}
    new_ids: list[str] = []
    changed_ids: list[str] = []
    touched_calls: list[int] = []
    touched_programmes: list[int] = []
    seen_keys: set[str] = set()
    seen_calls: set[str] = set()
    unchanged = 0
    checked_by = entered_by[:200]
    records = []
    for rec in snapshot.programmes:
        if rec.key not in seen_keys:  # the same document twice in one export: the first counts
            seen_keys.add(rec.key)
            records.append(rec)
    # new programmes in one statement (ids back in parameter order)
    fresh = [
        {
            "key": rec.key,
            "fingerprint": content_fingerprint(
                {**_programme_values(rec), "app": rec.application_programme}
            ),
            "programme_id": linked.get(rec.application_programme or ""),
            "last_checked_at": now,
            "checked_by": checked_by,
            **_programme_values(rec),
        }
        for rec in records
        if rec.key not in programmes
    ]
    new_pids: dict[str, int] = {}
    if fresh:
        result = session.execute(
            insert(RadarProgramme).returning(
                RadarProgramme.key, RadarProgramme.id, sort_by_parameter_order=True
            ),
            fresh,
        )
        new_pids = {key: pid for key, pid in result}
    new_calls: list[dict[str, Any]] = []
    for rec in records:
        existing = programmes.get(rec.key)
        if existing is None:
            pid = new_pids[rec.key]
        else:
            pvalues = _programme_values(rec)
            pfp = content_fingerprint({**pvalues, "app": rec.application_programme})
            programme_id = linked.get(rec.application_programme or "")
            pid = existing.id
            if existing.fingerprint != pfp or existing.entfallen_on is not None:
                session.execute(
                    update(RadarProgramme)
                    .where(RadarProgramme.id == pid)
                    .values(
                        fingerprint=pfp,
                        entfallen_on=None,
                        last_checked_at=now,
                        checked_by=checked_by,
                        **pvalues,
                        **({"programme_id": programme_id} if programme_id else {}),
                    )
                )
            else:
                touched_programmes.append(pid)
        for call in rec.calls:
            if call.call_id in seen_calls:
                continue
            seen_calls.add(call.call_id)
            values = call_values(call)
            columns = _call_columns(call, values)
            found = calls.get(call.call_id)
            if found is None:
                new_calls.append(
                    {
                        "call_id": call.call_id,
                        "programme_id": pid,
                        "source": source,
                        "licence": rec.licence[:200],
                        "first_seen_import_id": run.id,
                        "last_checked_at": now,
                        "checked_by": checked_by,
                        **columns,
                    }
                )
                new_ids.append(call.call_id)
                continue
            if found.fingerprint == columns["fingerprint"] and found.entfallen_on is None:
                touched_calls.append(found.id)
                unchanged += 1
                continue
            old_values = session.scalar(select(RadarCall.values).where(RadarCall.id == found.id))
            changes = diff_call(old_values or {}, values) if old_values else []
            if found.entfallen_on is not None:
                session.add(
                    RadarChange(
                        import_id=run.id,
                        call_id=found.id,
                        kind="geaendert",
                        field="entfallen",
                        old_value=found.entfallen_on.isoformat(),
                        new_value=None,
                        material=True,
                    )
                )
            material = is_material(changes)
            for change in changes:
                session.add(
                    RadarChange(
                        import_id=run.id,
                        call_id=found.id,
                        kind="geaendert",
                        field=change.field,
                        old_value=change.old,
                        new_value=change.new,
                        material=material,
                    )
                )
            session.execute(
                update(RadarCall)
                .where(RadarCall.id == found.id)
                .values(
                    programme_id=pid,
                    licence=rec.licence[:200],
                    entfallen_on=None,
                    last_checked_at=now,
                    checked_by=checked_by,
                    **columns,
                )
            )
            if changes or found.entfallen_on is not None:
                changed_ids.append(call.call_id)
            else:
                unchanged += 1  # only untracked text changed (or a migrated entry got values)
    if new_calls:
        created = session.execute(
            insert(RadarCall).returning(RadarCall.id, sort_by_parameter_order=True), new_calls
        ).scalars()
        session.execute(
            insert(RadarChange),
            [{"import_id": run.id, "call_id": cid, "kind": "neu"} for cid in created],
        )
    gone = 0
    if snapshot.full:
        for key, old in programmes.items():
            if key not in seen_keys and old.entfallen_on is None:
                session.execute(
                    update(RadarProgramme)
                    .where(RadarProgramme.id == old.id)
                    .values(entfallen_on=today)
                )
        for call_id, crow in calls.items():
            if crow.source == source and call_id not in seen_calls and crow.entfallen_on is None:
                session.execute(
                    update(RadarCall).where(RadarCall.id == crow.id).values(entfallen_on=today)
                )
                session.add(RadarChange(import_id=run.id, call_id=crow.id, kind="entfallen"))
                gone += 1
    if touched_calls:
        session.execute(
            update(RadarCall)
            .where(RadarCall.id.in_(touched_calls))
            .values(last_checked_at=now, checked_by=checked_by)
        )
    if touched_programmes:
        session.execute(
            update(RadarProgramme)
            .where(RadarProgramme.id.in_(touched_programmes))
            .values(last_checked_at=now, checked_by=checked_by)
        )
    run.new, run.changed, run.gone, run.unchanged = (
        len(new_ids),
        len(changed_ids),
        gone,
        unchanged,
    )
    session.flush()
    return ImportReport(
        import_id=run.id,
        source=source,
        location=snapshot.location,
        new=len(new_ids),
        changed=len(changed_ids),
        gone=gone,
        unchanged=unchanged,
        new_call_ids=new_ids,
        changed_call_ids=changed_ids,
        warnings=list(snapshot.warnings),
    )
