"""Keeps the Prefect UI forms helpful: the Aktenzeichen field of every lifecycle step is a
dropdown of the applications for which that step is possible right now; the year of every
strategy step is a dropdown of the open revisions, and the project code of a status report a
dropdown of the project list. Every body field (federführende Körperschaft, Partner, the body of
a report or a resolution, the body of a deadline) is a dropdown of the bodies in the database:
the tenant's, as ``foerderflow seed`` wrote them from koerperschaften.yaml.

Refreshed after every lifecycle and strategy run and when the stack starts (``prefect deploy``
writes the plain schemas back). A failure here never fails a business step.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from models.application import OPEN_STAGES, Stage
from models.bodies import BODY_DROPDOWN, PROGRAMME_DROPDOWN, remember_programmes
from models.strategy import CycleStatus
from models.strategy_inputs import YEAR_MAX, YEAR_MIN
from models.tables import Application, Body, Programme, Project, StrategyCycle

log = logging.getLogger(__name__)

# The advisory lock that orders the refreshes of the forms (any fixed number of our own).
MENU_LOCK = 0x46464D454E55  # "FFMENU"

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
    "atlas-sichtbarkeit": frozenset(Stage),  # any application may be (not) published
}
# strategy deployments whose ``year`` names an open revision
STRATEGY_STEPS = ("strategie-statusmeldung", "strategie-konsolidierung", "strategie-beschluss")
# deployments whose forms hold a body field (marked with BODY_DROPDOWN); a test compares this
# with the flows' parameter schemas
BODY_STEPS = (
    "antrag-idee",
    "antrag-partnerantwort",
    "frist-anlegen",
    "strategie-statusmeldung",
    "strategie-beschluss",
    "radar-bewertung",
)
MAX_TITLE = 60
NO_CYCLE = "\n\nZurzeit ist keine Fortschreibung offen – zuerst strategie-fortschreibung starten."


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


def open_years(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(StrategyCycle.year)
            .where(StrategyCycle.status != CycleStatus.ABGESCHLOSSEN.value)
            .order_by(StrategyCycle.year.desc())
        )
    )


def project_options(session: Session) -> list[str]:
    rows = session.execute(
        select(Project.code, Project.title, Body.name)
        .join(Body, Body.id == Project.lead_body_id)
        .order_by(Project.code)
    ).all()
    return [label(code, title, lead) for code, title, lead in rows]


def with_year_options(schema: dict[str, Any], years: list[int]) -> dict[str, Any]:
    """The ``year`` field as a dropdown of the open revisions (or an explanation)."""
    schema = copy.deepcopy(schema)
    prop = schema.get("properties", {}).get("year")
    if prop is None:
        return schema
    base = prop.get("description", "").split(NO_CYCLE)[0]
    if years:
        # as text: the UI would show the number 2031 as "2,031"; the flow reads it as a year
        prop.update(type="string", enum=[str(y) for y in years], description=base)
        for key in ("minimum", "maximum", "examples"):
            prop.pop(key, None)
    else:
        prop.pop("enum", None)
        prop.update(type="integer", minimum=YEAR_MIN, maximum=YEAR_MAX, description=base + NO_CYCLE)
    return schema


def with_project_options(schema: dict[str, Any], options: list[str]) -> dict[str, Any]:
    """Project codes as dropdowns of the project list: the optional project of a new idea and
    the project of every status-report line."""
    schema = copy.deepcopy(schema)
    entry = schema.get("definitions", {}).get("StatusEntryInput", {}).get("properties", {})
    for code in (schema.get("properties", {}).get("project_code"), entry.get("project_code")):
        if code is not None and options:
            code["enum"] = options
            code.pop("pattern", None)
    return schema


def body_options(session: Session) -> list[str]:
    """The bodies' names in the order of the seed (koerperschaften.yaml: the Kreis first)."""
    return list(session.scalars(select(Body.name).order_by(Body.id)))


def programme_options(session: Session) -> list[str]:
    """The programme table's names, without those whose catalogue entry is gone (entfallen)."""
    from models.radar.tables import RadarProgramme

    gone = (
        select(RadarProgramme.programme_id)
        .where(RadarProgramme.entfallen_on.is_not(None), RadarProgramme.programme_id.is_not(None))
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(Programme.name).where(Programme.id.not_in(gone)).order_by(Programme.id)
        )
    )


def remember_programme_table(sessions: sessionmaker[Session]) -> None:
    """Tell the forms' validation the programme table's names (``models.bodies``)."""
    with sessions() as session:
        remember_programmes(session.scalars(select(Programme.name)))


def _marked_fields(node: Any, mark: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get(mark):
            yield node
        for value in node.values():
            yield from _marked_fields(value, mark)
    elif isinstance(node, list):
        for value in node:
            yield from _marked_fields(value, mark)


def with_body_options(
    schema: dict[str, Any], names: list[str], mark: str = BODY_DROPDOWN
) -> dict[str, Any]:
    """Every body field (also list entries and fields of nested models; with ``mark``: every
    programme field) as a dropdown of ``names``; without names the schema stays as deployed."""
    schema = copy.deepcopy(schema)
    if names:
        for field in _marked_fields(schema, mark):
            field["enum"] = list(names)
    return schema


Update = Callable[[dict[str, Any]], dict[str, Any]]


def _chain(first: Update | None, second: Update) -> Update:
    if first is None:
        return second
    return lambda schema: second(first(schema))


def menu_updates(session: Session) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """Deployment name -> how its parameter schema is brought up to date."""
    updates: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
    for name, entries in reference_options(session).items():
        updates[name] = partial(with_options, options=entries)
    years = open_years(session)
    for name in STRATEGY_STEPS:
        updates[name] = partial(with_year_options, years=years)
    projects = project_options(session)
    step = updates["strategie-statusmeldung"]
    updates["strategie-statusmeldung"] = lambda schema: with_project_options(step(schema), projects)
    for name in ("antrag-idee", "atlas-sichtbarkeit"):
        updates[name] = _chain(updates.get(name), partial(with_project_options, options=projects))
    bodies = body_options(session)
    for name in BODY_STEPS:
        updates[name] = _chain(updates.get(name), partial(with_body_options, names=bodies))
    programmes = programme_options(session)
    remember_programmes(programmes)
    programme_update = partial(with_body_options, names=programmes, mark=PROGRAMME_DROPDOWN)
    updates["antrag-idee"] = _chain(updates.get("antrag-idee"), programme_update)

    from tasks.radar.menu import radar_menu_updates  # the calls of radar-bewertung

    for name, radar_update in radar_menu_updates(session).items():
        updates[name] = _chain(updates.get(name), radar_update)
    return updates


def refresh_menu(sessions: sessionmaker[Session]) -> int:
    """Update the dropdowns of all deployments. Returns how many changed. Never raises."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import DeploymentUpdate

    try:
        with sessions() as session, get_client(sync_client=True) as client:
            # Runs finishing at the same moment refresh one after the other: each reads the
            # database only once the one before has written its forms, so the last form
            # written always holds every application committed so far (the lock ends with
            # this transaction).
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MENU_LOCK})
            # One request for all deployments instead of one per name: this runs at the end of
            # every step, so it is part of each run's time.
            by_name = {d.name: d for d in client.read_deployments(limit=200)}
            if not by_name:  # a flow called without deployments (a script, a test): no forms
                return 0
            updates = menu_updates(session)
            changed = 0
            for name, update in updates.items():
                deployment = by_name.get(name)
                if deployment is None:
                    log.debug("Deployment %s nicht gefunden", name)
                    continue
                schema = deployment.parameter_openapi_schema or {}
                updated = update(schema)
                if updated != schema:
                    client.update_deployment(
                        deployment.id, DeploymentUpdate(parameter_openapi_schema=updated)
                    )
                    changed += 1
            session.commit()
        return changed
    except Exception:
        log.warning("Auswahllisten der Formulare konnten nicht aktualisiert werden", exc_info=True)
        return 0
