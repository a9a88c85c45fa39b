"""Typed settings of foerderflow.

Every value can be set through the environment (prefix ``FOERDERFLOW_``) or a ``.env`` file
in the project root. Nothing is built at import time: call :func:`get_settings`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from foerderflow.tenant import (
    Tenant,
    TenantError,
    body_names_in,
    load_tenant_cached,
    programme_names_in,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEMPLATES_DIR = PROJECT_ROOT / "templates"
# setting -> field of the tenant's agency (mandant.yaml) that fills it when it is empty
TENANT_DEFAULTS = {
    "mail_from": "absender_email",
    "mail_from_name": "absender_name",
    "central_coordinator_email": "koordination_email",
    "central_coordinator_name": "koordination_name",
}


class Settings(BaseSettings):
    """Runtime configuration. Defaults keep every piece of state under ``var/``."""

    model_config = SettingsConfigDict(
        env_prefix="FOERDERFLOW_",
        env_file=str(PROJECT_ROOT / ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
    )

    var_dir: Path = Field(default=PROJECT_ROOT / "var", description="Root of all local state.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (PostgreSQL) of the application database; empty means the "
        "embedded PostgreSQL server under var/postgres.",
    )
    documents_dir: Path | None = None
    calendar_dir: Path | None = None
    mail_dir: Path | None = Field(default=None, description="Maildir of the local inbox.")
    data_dir: Path = PROJECT_ROOT / "data"
    templates_dir: Path = Field(
        default=SHIPPED_TEMPLATES_DIR,
        description="The tenant's own templates (FOERDERFLOW_TEMPLATES_DIR). A file missing there "
        "is taken from the shipped templates/ folder.",
    )

    # Mail. Without smtp_host the embedded local inbox (aiosmtpd on 127.0.0.1) is used.
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: Literal["none", "starttls", "ssl"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 20.0
    local_smtp_host: str = "127.0.0.1"
    local_smtp_port: int = 8025
    # Sender and central coordination: empty means the agency of the tenant (mandant.yaml).
    mail_from: str = ""
    mail_from_name: str = ""
    central_coordinator_email: str = ""
    central_coordinator_name: str = ""

    # Prefect and the local stack.
    prefect_host: str = "127.0.0.1"
    prefect_port: int = 4200
    work_pool: str = "foerderflow"
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Number of process workers `foerderflow up` starts in the work pool "
        "(named foerderflow-<pid>-<n>). Workers on other machines are started by hand.",
    )
    ui_url: str | None = None

    # Deadlines.
    reminder_days: list[int] = Field(default_factory=lambda: [28, 14, 7, 2, 0])
    timezone: str = "Europe/Berlin"

    # Strategy revision (Fortschreibung der Digitalisierungsstrategie).
    strategy_restricted_amount_eur: Decimal | None = Field(
        default=None,
        ge=0,
        description="Amount (EUR) tied to the strategy under a Sperrvermerk. When set, every "
        "strategy Sitzungsvorlage carries the Sperrvermerk paragraph and the money is "
        "released once all bodies have adopted the revision.",
    )
    strategy_response_weeks: int = Field(
        default=6,
        ge=1,
        le=26,
        description="Default response period (weeks) of the yearly status request.",
    )

    @model_validator(mode="after")
    def _tenant_defaults(self) -> Settings:
        """Fill the sender and the central coordination from the tenant's agency. A broken
        mandant.yaml leaves them empty; ``foerderflow seed`` names the problem."""
        empty = [name for name in TENANT_DEFAULTS if not getattr(self, name)]
        if not empty:
            return self
        try:
            agency = load_tenant_cached(self.data_dir).agentur
        except TenantError:
            return self
        for name in empty:
            setattr(self, name, getattr(agency, TENANT_DEFAULTS[name]))
        return self

    @field_validator("reminder_days")
    @classmethod
    def _sorted_unique(cls, value: list[int]) -> list[int]:
        if any(v < 0 for v in value):
            raise ValueError("Erinnerungsfenster müssen 0 oder größer sein.")
        return sorted(set(value), reverse=True)

    # Derived paths -------------------------------------------------------------------------
    @property
    def postgres_dir(self) -> Path:
        """Data directory of the embedded PostgreSQL server (used when no URL is set)."""
        return self.var_dir / "postgres"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        from foerderflow.postgres import APP_DATABASE, socket_dir_of, socket_url

        socket_dir = socket_dir_of(self.postgres_dir) or self.postgres_dir
        return socket_url(socket_dir, APP_DATABASE)

    @property
    def resolved_documents_dir(self) -> Path:
        return self.documents_dir or self.var_dir / "documents"

    @property
    def resolved_calendar_dir(self) -> Path:
        return self.calendar_dir or self.var_dir / "calendar"

    @property
    def resolved_mail_dir(self) -> Path:
        return self.mail_dir or self.var_dir / "mail"

    @property
    def prefect_home(self) -> Path:
        return self.var_dir / "prefect"

    @property
    def prefect_api_url(self) -> str:
        return f"http://{self.prefect_host}:{self.prefect_port}/api"

    @property
    def resolved_ui_url(self) -> str:
        return self.ui_url or f"http://{self.prefect_host}:{self.prefect_port}"

    @property
    def uses_local_inbox(self) -> bool:
        return not self.smtp_host


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once; tests call ``get_settings.cache_clear()``)."""
    return Settings()


# --- The configured tenant (FOERDERFLOW_DATA_DIR) -----------------------------------------


def get_tenant() -> Tenant:
    """The tenant of the configured data folder (``FOERDERFLOW_DATA_DIR``)."""
    return load_tenant_cached(get_settings().data_dir)


def body_names(data_dir: Path | None = None) -> tuple[str, ...]:
    """The names of the tenant's bodies (default: the configured data folder), in the order
    of ``koerperschaften.yaml``; see :func:`foerderflow.tenant.body_names_in`."""
    return body_names_in(data_dir or get_settings().data_dir)


def programme_names(data_dir: Path | None = None) -> tuple[str, ...]:
    """The names of the tenant's programmes in ``programme.yaml`` (default: the configured
    data folder); the catalogue adds more at runtime (see ``models.bodies``)."""
    return programme_names_in(data_dir or get_settings().data_dir)
