"""projektatlas: the public project atlas as a static website under var/site/."""

from __future__ import annotations

from models.forms import today_berlin
from models.reporting.inputs import ProjektatlasInput
from tasks.form_flow import form_flow
from tasks.reporting.site import AtlasOutcome, write_site_task
from tasks.reporting.summary import publish_atlas_task


@form_flow(ProjektatlasInput, name="projektatlas", what="Projektatlas")
def projektatlas(data: ProjektatlasInput) -> AtlasOutcome:
    """Öffentlicher Projektatlas: statische Website mit den veröffentlichten Projekten,
    Handlungsfeldern und Fördermitteln unter var/site/.
    """
    outcome = write_site_task(today_berlin())
    publish_atlas_task(outcome)
    return outcome
