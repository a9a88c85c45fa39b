from pathlib import Path

from foerderflow.settings import PROJECT_ROOT, Settings


def test_defaults_keep_state_under_var(monkeypatch) -> None:
    for name in ("FOERDERFLOW_VAR_DIR", "FOERDERFLOW_DATABASE_URL", "FOERDERFLOW_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    s = Settings(_env_file=None)
    var = PROJECT_ROOT / "var"
    # The embedded PostgreSQL server's socket lives in its data directory under var/.
    assert s.postgres_dir == var / "postgres"
    assert s.resolved_database_url.startswith("postgresql+psycopg://postgres@/foerderflow?host=")
    assert s.resolved_documents_dir == var / "documents"
    assert s.resolved_mail_dir == var / "mail"
    assert s.prefect_home == var / "prefect"
    assert s.uses_local_inbox
    assert s.prefect_host == "127.0.0.1" and s.local_smtp_host == "127.0.0.1"


def test_environment_and_env_file(monkeypatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "FOERDERFLOW_SMTP_HOST=mail.example.org\nFOERDERFLOW_SMTP_PASSWORD=geheim\n"
    )
    monkeypatch.setenv("FOERDERFLOW_SMTP_PORT", "2525")
    s = Settings(_env_file=str(env_file))
    assert s.smtp_host == "mail.example.org"
    assert s.smtp_port == 2525
    assert not s.uses_local_inbox
    assert s.smtp_password is not None and s.smtp_password.get_secret_value() == "geheim"
    assert "geheim" not in repr(s) and "geheim" not in str(s.model_dump())


def test_reminder_windows_sorted(monkeypatch) -> None:
    monkeypatch.setenv("FOERDERFLOW_REMINDER_DAYS", "[2, 28, 7]")
    assert Settings(_env_file=None).reminder_days == [28, 7, 2]
