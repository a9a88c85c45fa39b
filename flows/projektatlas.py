"""projektatlas: the public project atlas as a static website under var/site/."""

from __future__ import annotations

from prefect import flow

from models.forms import form_input, today_berlin
from models.reporting.inputs import ProjektatlasInput
from tasks.notify import notify_failure
from tasks.reporting.site import AtlasOutcome, write_site_task
from tasks.reporting.summary import publish_atlas_task


@flow(
    name="projektatlas",
    description="Öffentlicher Projektatlas: statische Website mit den veröffentlichten "
    "Projekten, Handlungsfeldern und Fördermitteln unter var/site/.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
@form_input(ProjektatlasInput, what="Projektatlas")
def projektatlas(data: ProjektatlasInput) -> AtlasOutcome:
    outcome = write_site_task(today_berlin())
    publish_atlas_task(outcome)
    return outcome
