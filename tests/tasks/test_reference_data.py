import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from foerderflow.wiring import Services
from models.errors import InputError
from models.tables import Body, Contact, Programme
from tasks.reference_data import read_reference_data, seed_reference_data

DATA = Path(__file__).resolve().parents[2] / "data"
BORKEN = Path(__file__).resolve().parents[1] / "data" / "borken"


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
    line = _line_of(path, "population: -1")
    with pytest.raises(InputError) as info:
        _seed(services, data)
    assert "es wurde nichts gespeichert" in str(info.value)
    assert (
        f"koerperschaften.yaml, Zeile {line}: Körperschaft „Dülmen“: population muss größer "
        in (str(info.value))
    )
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == 0


# --- FOERDERFLOW_DATA_DIR: another tenant's folder is checked with file and line -----------


def _line_of(path: Path, text: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    return hits[occurrence - 1]


def _borken(tmp_path: Path) -> Path:
    data = tmp_path / "borken"
    shutil.copytree(BORKEN, data)
    return data


def _problems(data: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_reference_data(data)
    head, *lines = str(info.value).splitlines()
    assert head == f"Die Stammdaten in {data} sind fehlerhaft – es wurde nichts gespeichert:"
    return [line.removeprefix("• ") for line in lines]


def test_second_tenant_seeds_its_eighteen_bodies(services: Services) -> None:
    report = _seed(services, BORKEN)
    assert report.created == 18 + 18 + 2 and report.projects.created == 8
    with services.sessions() as session:
        names = list(session.scalars(select(Body.name).order_by(Body.id)))
        councils = set(session.scalars(select(Body.council)))
    assert names[0] == "Kreis Borken" and len(names) == 18 and "Coesfeld" not in names
    assert {"Kreistag des Kreises Borken", "Rat der Stadt Gronau (Westf.)"} <= councils
    assert "Rat der Gemeinde Schöppingen" in councils


def test_missing_field_names_file_and_line(tmp_path: Path) -> None:
    data = _borken(tmp_path)
    path = data / "koerperschaften.yaml"
    path.write_text(path.read_text().replace("    legal_basis: § 41 (1) GO NRW\n", "", 6))
    entry = _line_of(path, "- slug: heek")
    problems = _problems(data)
    assert (
        f"koerperschaften.yaml, Zeile {entry}: Körperschaft „Heek“: legal_basis fehlt" in problems
    )


def test_body_without_council_names_file_and_line(tmp_path: Path) -> None:
    data = _borken(tmp_path)
    path = data / "koerperschaften.yaml"
    path.write_text(path.read_text().replace("council: Rat der Gemeinde Velen", 'council: " "'))
    line = _line_of(path, 'council: " "')
    (problem,) = _problems(data)
    assert problem.startswith(
        f"koerperschaften.yaml, Zeile {line}: Körperschaft „Velen“: council: ist leer – jede "
        "Körperschaft braucht ihr beschließendes Gremium"
    )
    entry = _line_of(path, "- slug: velen")
    path.write_text(path.read_text().replace('    council: " "\n', ""))
    assert _problems(data) == [
        f"koerperschaften.yaml, Zeile {entry}: Körperschaft „Velen“: council fehlt"
    ]


def test_duplicate_name_names_both_lines(tmp_path: Path) -> None:
    data = _borken(tmp_path)
    path = data / "koerperschaften.yaml"
    first = _line_of(path, "name: Reken")
    path.write_text(path.read_text().replace("name: Rhede", "name: Reken"))
    second = _line_of(path, "name: Reken", 2)
    problems = _problems(data)
    assert problems[0] == (
        f"koerperschaften.yaml, Zeile {second}: Der Name „Reken“ kommt doppelt vor (zuerst in "
        f"Zeile {first})."
    )
    assert "Körperschaft „Rhede“ ist in koerperschaften.yaml nicht bekannt" in problems[1]


def test_project_of_an_unknown_body_and_a_broken_tenant_file(tmp_path: Path) -> None:
    data = _borken(tmp_path)
    projects = data / "projektliste.yaml"
    projects.write_text(
        projects.read_text().replace("participants: [Vreden]", "participants: [Olfen]")
    )
    tenant = data / "mandant.yaml"
    tenant.write_text(tenant.read_text().replace("  kreistag: Kreistag des Kreises Borken\n", ""))
    problems = _problems(data)
    assert problems == [
        f"mandant.yaml, Zeile {_line_of(tenant, 'kreis:')}: Feld „kreis.kreistag“ fehlt",
        f"projektliste.yaml, Zeile {_line_of(projects, '[Olfen]')}: Projekt HF8-01: beteiligte "
        "Körperschaft „Olfen“ ist in koerperschaften.yaml nicht bekannt.",
    ]


def test_invalid_yaml_syntax_names_the_line(tmp_path: Path) -> None:
    data = _borken(tmp_path)
    path = data / "programme.yaml"
    path.write_text(path.read_text().replace("  - slug: heimat-2-0", "  - slug: [heimat"))
    (problem,) = _problems(data)
    assert problem.startswith("programme.yaml, Zeile ") and "kein gültiges YAML" in problem
