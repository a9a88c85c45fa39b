import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from foerderflow.wiring import Services
from models.errors import InputError
from models.tables import Body, Contact, Programme
from tasks.reference_data import seed_reference_data

DATA = Path(__file__).resolve().parents[2] / "data"


def _seed(services: Services, data_dir: Path = DATA):
    with services.sessions.begin() as session:
        return seed_reference_data(session, data_dir)


def test_seed_is_idempotent(services: Services) -> None:
    first = _seed(services)
    assert first.created == 12 + 12 + 2  # bodies, contacts, programmes
    second = _seed(services)
    assert not second.changed and second.unchanged == 26
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == 12
        assert session.scalar(select(func.count()).select_from(Contact)) == 12
        assert session.scalar(select(func.count()).select_from(Programme)) == 2


def test_edited_yaml_updates_rows(services: Services, tmp_path: Path) -> None:
    _seed(services)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "koerperschaften.yaml"
    path.write_text(path.read_text().replace("population: 47300", "population: 47999"))
    report = _seed(services, data)
    assert report.updated == 1 and report.created == 0
    with services.sessions() as session:
        assert session.scalar(select(Body.population).where(Body.name == "Dülmen")) == 47999


def test_invalid_yaml_is_refused_in_german_and_changes_nothing(
    services: Services, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "koerperschaften.yaml"
    path.write_text(path.read_text().replace("population: 47300", "population: -1"))
    with pytest.raises(InputError, match="Eintrag duelmen ungültig"):
        _seed(services, data)
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == 0
