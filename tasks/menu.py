"""Keeps the Prefect UI forms helpful: the Aktenzeichen field of every lifecycle step is a
dropdown of the applications for which that step is possible right now.

Refreshed after every lifecycle run and when the stack starts (``prefect deploy`` writes
the plain schemas back). A failure here never fails a business step.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.application import OPEN_STAGES, Stage
from models.tables import Application, Body

log = logging.getLogger(__name__)

# deployment -> stages in which its step is possible
STEP_STAGES: dict[str, frozenset[Stage]] = {
    "antrag-partnercheck": frozenset({Stage.IDEE}),
    "antrag-partnerantwort": frozenset({Stage.PARTNERPRUEFUNG}),
    "antrag-entwurf": frozenset({Stage.PARTNERPRUEFUNG, Stage.ENTWURF}),
    "antrag-freigabe": frozenset({Stage.ENTWURF}),
    "antrag-einreichung": frozenset({Stage.FREIGEGEBEN}),
    "antrag-bescheid": frozenset({Stage.EINGEREICHT}),
    "antrag-nachweis": frozenset({Stage.BERICHTSPFLICHT}),
    "antrag-zurueckziehen": OPEN_STAGES,
}
MAX_TITLE = 60


def label(reference: str, title: str, lead: str) -> str:
    """Dropdown entry; the flows read the reference from its first word."""
    short = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
    return f"{reference} · {short} ({lead})"


def reference_options(session: Session) -> dict[str, list[str]]:
    rows = session.execute(
        select(Application.reference, Application.title, Application.stage, Body.name)
        .join(Body, Body.id == Application.lead_body_id)
        .order_by(Application.year.desc(), Application.reference.desc())
    ).all()
    options: dict[str, list[str]] = {}
    for deployment, stages in STEP_STAGES.items():
        options[deployment] = [
            label(ref, title, lead) for ref, title, stage, lead in rows if Stage(stage) in stages
        ]
    return options


def with_options(schema: dict[str, Any], options: list[str]) -> dict[str, Any]:
    """The parameter schema with the reference field as a dropdown (or a plain text field
    with an explanation when no application is in a suitable stage)."""
    schema = copy.deepcopy(schema)
    prop = schema.get("properties", {}).get("reference")
    if prop is None:
        return schema
    prop.pop("pattern", None)
    base = prop.get("description", "").split("\n\nZurzeit")[0]
    if options:
        prop["enum"] = options
        prop["description"] = base
    else:
        prop.pop("enum", None)
        prop["pattern"] = r"^FA-\d{4}-\d{3,}"
        prop["description"] = base + "\n\nZurzeit ist kein Antrag in einer passenden Stufe."
    return schema


def refresh_menu(sessions: sessionmaker[Session]) -> int:
    """Update the reference dropdowns of all lifecycle deployments. Returns how many changed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import DeploymentUpdate

    try:
        with sessions() as session:
            options = reference_options(session)
        changed = 0
        with get_client(sync_client=True) as client:
            for name, entries in options.items():
                try:
                    deployment = client.read_deployment_by_name(f"{name}/{name}")
                except Exception:
                    log.debug("Deployment %s nicht gefunden", name)
                    continue
                schema = deployment.parameter_openapi_schema or {}
                updated = with_options(schema, entries)
                if updated != schema:
                    client.update_deployment(
                        deployment.id, DeploymentUpdate(parameter_openapi_schema=updated)
                    )
                    changed += 1
        return changed
    except Exception:
        log.warning("Auswahllisten der Formulare konnten nicht aktualisiert werden", exc_info=True)
        return 0
