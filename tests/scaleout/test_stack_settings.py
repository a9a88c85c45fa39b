"""Settings of the grown set-up: number of workers, the Prefect server's own database."""

import pytest
from pydantic import ValidationError

from foerderflow.settings import Settings
from foerderflow.stack import server_database_url, worker_env

PG = "postgresql+asyncpg://prefect:geheim@db.kreis-coe.example:5432/prefect"


def test_one_worker_by_default_and_more_through_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("FOERDERFLOW_WORKERS", raising=False)
    assert Settings(_env_file=None).workers == 1
    monkeypatch.setenv("FOERDERFLOW_WORKERS", "3")
    assert Settings(_env_file=None).workers == 3
    monkeypatch.setenv("FOERDERFLOW_WORKERS", "0")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


@pytest.mark.parametrize(
    "name", ["PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"]
)
def test_server_database_is_shown_without_password(name: str) -> None:
    shown = server_database_url({name: PG})
    assert shown == "postgresql+asyncpg://prefect:***@db.kreis-coe.example:5432/prefect"
    assert server_database_url({}) is None  # not set: the stack then uses the embedded "prefect" DB


def test_workers_do_not_get_the_server_database_credentials() -> None:
    env = {
        "PREFECT_API_DATABASE_CONNECTION_URL": PG,
        "PREFECT_API_DATABASE_PASSWORD": "geheim",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": PG,
        "PREFECT_API_URL": "http://127.0.0.1:4200/api",
        "FOERDERFLOW_DATABASE_URL": "postgresql+psycopg://ff:pw@db/foerderflow",
    }
    assert worker_env(env) == {
        "PREFECT_API_URL": "http://127.0.0.1:4200/api",
        "FOERDERFLOW_DATABASE_URL": "postgresql+psycopg://ff:pw@db/foerderflow",
    }
