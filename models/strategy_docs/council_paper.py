"""The Sitzungsvorlage asking one council to adopt the year's revision of the strategy."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView
from models.grammar import BodyForms, body_forms, join_de
from models.money import format_eur
from models.strategy import Handlungsfeld
from models.strategy_docs.common import (
    Count,
    CycleDocumentContext,
    CycleFacts,
    ProjectRef,
    count,
    cycle_document_fields,
)


class BodyFunding(BaseModel):
    """The body's part in the applications of the strategy's projects."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    applications: Count
    requested: str
    granted: str


class StrategieVorlageContext(CycleDocumentContext):
    number: str
    body: BodyForms
    projects: Count  # listed projects the body takes part in
    led: list[ProjectRef]  # of those, the ones it leads
    body_funding: BodyFunding | None  # None when no application exists or no row for the body
    climate_field: str  # the Handlungsfeld whose projects serve climate protection
    climate_projects: str  # their codes: "HF8-01, HF8-02 und HF8-03", "" without


def _body_funding(facts: CycleFacts, body: BodyView) -> BodyFunding | None:
    row = next((r for r in facts.funding.rows if r.body == body.name), None)
    if facts.funding.total_applications == 0 or row is None:
        return None
    return BodyFunding(
        applications=count(row.applications),
        requested=format_eur(row.requested_cents),
        granted=format_eur(row.granted_cents),
    )


def sitzungsvorlage_strategie_context(
    facts: CycleFacts, body: BodyView, number: str
) -> StrategieVorlageContext:
    """The Sitzungsvorlage asking *body*'s council to adopt the revision of ``facts.year``."""
    mine = [r for r in facts.listed if r.project.takes_part(body.name)]
    climate = Handlungsfeld.UMWELT
    return StrategieVorlageContext(
        **cycle_document_fields(facts),
        number=number,
        body=body_forms(body),
        projects=count(len(mine)),
        led=[facts.project_ref(r) for r in mine if r.project.lead == body.name],
        body_funding=_body_funding(facts, body),
        climate_field=climate.value,
        climate_projects=join_de(
            [r.project.code for r in facts.listed if r.project.field is climate]
        ),
    )
