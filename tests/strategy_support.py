"""Shared data of the strategy document tests: the shipped bodies and project list, a cycle."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from foerderflow.yamlfile import load_yaml
from models.bodies import BodyRecord, BodyView
from models.strategy import (
    BodyCycleView,
    FundingApplication,
    ProjectRecord,
    ProjectView,
    ReportedStatus,
    ReportState,
    consolidate,
    funding_by_body,
)
from models.strategy_docs import CycleFacts, StatusabfrageContext, statusabfrage_context

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _shipped(name: str) -> Any:
    """A shipped data file, parsed once per process (the tests only read it)."""
    return load_yaml((ROOT / "data" / name).read_text())


def all_bodies() -> list[BodyView]:
    items = _shipped("koerperschaften.yaml")["koerperschaften"]
    out = []
    for i, item in enumerate(items, start=1):
        rec = BodyRecord.model_validate(item)
        out.append(
            BodyView(
                id=i,
                slug=rec.slug,
                name=rec.name,
                official_name=rec.official_name,
                kind=rec.kind.value,
                council=rec.council,
                legal_basis=rec.legal_basis,
                email=str(rec.email),
                population=rec.population,
            )
        )
    return out


def projects() -> list[ProjectView]:
    items = _shipped("projektliste.yaml")["projekte"]
    out = []
    for item in items:
        rec = ProjectRecord.model_validate(item)
        out.append(
            ProjectView(
                code=rec.code,
                title=rec.title,
                field=rec.handlungsfeld,
                lead=rec.lead,
                participants=rec.participant_names(),
                status=rec.status,
                description=rec.description,
            )
        )
    out.append(
        ProjectView(
            code="HF7-04",
            title="Sitzungsräume für Vereine & <Initiativen>",
            field="Gesellschaft & Ehrenamt",
            lead="Rosendahl",
            participants=["Billerbeck"],
            status="geplant",
            description="Videokonferenztechnik für Dorfgemeinschaftshäuser.",
            source="vorschlag",
        )
    )
    return out


BASELINE = {p.code: p.status.value for p in projects() if p.code != "HF7-04"}


def cycle_facts(amount: int | None = 25_000_000, missing: tuple[str, ...] = ("Havixbeck",)):
    bodies = all_bodies()
    by_name = {b.name: b for b in bodies}
    reports = [
        ReportedStatus(
            project_code="HF2-04",
            body="Coesfeld",
            body_label="Stadt Coesfeld",
            status="abgeschlossen",
            note="Seit Oktober in allen Bürgerbüros im Einsatz",
        ),
        ReportedStatus(
            project_code="HF2-04", body="Billerbeck", body_label="Stadt Billerbeck",
            status="in_umsetzung",
        ),
        ReportedStatus(
            project_code="HF3-03", body="Dülmen", body_label="Stadt Dülmen", status="verworfen",
            note="Keine Finanzierung in Sicht",
        ),
        ReportedStatus(
            project_code="HF3-02", body="Kreis Coesfeld", body_label="Kreis Coesfeld",
            status="zurueckgestellt", note="Förderaufruf des Landes abwarten",
        ),
    ]  # fmt: skip
    states = [
        BodyCycleView(
            body=b.name,
            official_name=b.official_name,
            slug=b.slug,
            report_state=ReportState.OFFEN if b.name in missing else ReportState.GEMELDET,
            version=0 if b.name in missing else 1,
            reported_on=None if b.name in missing else dt.date(2027, 2, 10),
            late=b.name == "Rosendahl",
            response_due=dt.date(2027, 2, 26),
            paper_number=f"SV-27-{i:04d}",
        )
        for i, b in enumerate(bodies, start=1)
    ]
    funding = funding_by_body(
        [
            FundingApplication(
                reference="FA-2026-001",
                title="Heimat-Marktplatz",
                project_code="HF4-01",
                stage="bewilligt",
                lead="Dülmen",
                bodies=["Dülmen", "Olfen", "Coesfeld"],
                requested_cents=45_000_000,
                granted_cents=40_000_000,
            ),
            FundingApplication(
                reference="FA-2026-002",
                title="Radrouten",
                project_code="HF3-04",
                stage="eingereicht",
                lead="Olfen",
                bodies=["Olfen"],
                requested_cents=18_000_000,
                granted_cents=None,
            ),
        ],
        [b.name for b in bodies],
    )
    assert by_name
    return CycleFacts(
        year=2027,
        version=1,
        today=dt.date(2027, 3, 3),
        opened_on=dt.date(2027, 1, 15),
        response_due=dt.date(2027, 2, 26),
        bodies=bodies,
        states=states,
        rows=consolidate(projects(), BASELINE, reports),
        funding=funding,
        restricted_amount_cents=amount,
    )


def body_named(name: str) -> BodyView:
    return next(b for b in all_bodies() if b.name == name)


def status_request(of: BodyView, **extra: object) -> StatusabfrageContext:
    return statusabfrage_context(
        year=2027,
        body=of,
        projects=projects(),
        baseline=BASELINE,
        response_due=dt.date(2027, 2, 26),
        today=dt.date(2027, 1, 15),
        coordinator_email="koordination@digitalagentur-coe.example",
        entered_by="Anna Schmidt",
        **extra,  # type: ignore[arg-type]
    )
