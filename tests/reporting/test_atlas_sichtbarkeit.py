"""atlas-sichtbarkeit in-process: a coordinator marks a project or an application "nicht
veröffentlichen"; the next projektatlas run drops its page or its funding, and shows it
again once it is public. Audited, idempotent, bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from reporting.atlas_setup import FUNDED_CODE, prepare_atlas_data
from sqlalchemy import func, select

from flows.atlas_sichtbarkeit import atlas_sichtbarkeit
from flows.projektatlas import projektatlas
from foerderflow.wiring import Services
from models.errors import InputError
from models.money import format_eur
from models.tables import Application, AuditEvent, Project

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

PAGE = f"projekte/{FUNDED_CODE.lower()}.html"


def _audits(services: Services, owner: str) -> list[AuditEvent]:
    with services.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.owner == owner)))


def test_marks_project_and_application_for_the_next_atlas(seeded: Services) -> None:
    prepare_atlas_data(seeded)
    root = Path(projektatlas().site_dir)
    assert (root / PAGE).is_file()
    assert format_eur(42_000_000) in (root / "index.html").read_text(encoding="utf-8")

    # The grant of FA-2030-001 is no longer public: the project stays, its funding goes.
    out = atlas_sichtbarkeit(reference="FA-2030-001 · Regionaler Online-Marktplatz (Dülmen)",
                             publish=False, entered_by="Anna Muster")  # fmt: skip
    assert not out.repeated and dict(out.facts)["Im Projektatlas"] == "nicht veröffentlichen"
    projektatlas()
    page = (root / PAGE).read_text(encoding="utf-8")
    assert format_eur(42_000_000) not in page
    assert format_eur(42_000_000) not in (root / "index.html").read_text(encoding="utf-8")

    # The project itself: its page disappears; the same mark again changes nothing.
    out = atlas_sichtbarkeit(project_code=FUNDED_CODE.lower(), publish=False, entered_by="Anna")
    again = atlas_sichtbarkeit(project_code=FUNDED_CODE, publish=False, entered_by="Bernd")
    assert not out.repeated and again.repeated
    (audit,) = _audits(seeded, FUNDED_CODE)
    assert (audit.actor, audit.from_stage, audit.to_stage) == (
        "Anna", "veröffentlicht", "nicht veröffentlichen",
    )  # fmt: skip
    assert projektatlas().removed == 1 and not (root / PAGE).exists()
    assert FUNDED_CODE not in (root / "index.html").read_text(encoding="utf-8")

    # Public again: the page comes back with the next run.
    atlas_sichtbarkeit(project_code=FUNDED_CODE, publish=True, entered_by="Anna")
    atlas_sichtbarkeit(reference="FA-2030-001", publish=True, entered_by="Anna")
    projektatlas()
    assert format_eur(42_000_000) in (root / PAGE).read_text(encoding="utf-8")
    assert len(_audits(seeded, FUNDED_CODE)) == 2 and len(_audits(seeded, "FA-2030-001")) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"project_code": "HF8-99"}, "HF8-99 gibt es in der Projektliste nicht"),
        ({"reference": "FA-2099-001"}, "Antrag FA-2099-001 gibt es nicht"),
        ({}, "genau eines angeben"),
        ({"project_code": FUNDED_CODE, "reference": "FA-2030-001"}, "genau eines angeben"),
        ({"project_code": FUNDED_CODE, "publish": "vielleicht"}, "muss ja oder nein sein"),
    ],
)
def test_bad_input_changes_nothing(seeded: Services, params: dict, message: str) -> None:
    prepare_atlas_data(seeded)
    with pytest.raises(InputError, match=message):
        atlas_sichtbarkeit(**{"publish": False, **params}, entered_by="Anna")
    with seeded.sessions() as session:
        assert session.scalar(select(func.count()).where(~Project.publish)) == 1  # HF2-02 only
        assert session.scalar(select(func.count()).where(~Application.publish)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
