"""Start and stop a real local stack exactly as ``make up`` does (``foerderflow up``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from support import free_port

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    var_dir: Path
    api_url: str
    ui_url: str
    smtp_port: int
    env: dict[str, str]
    output: list[str] = field(default_factory=list)

    @property
    def maildir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def db_url(self) -> str:
        """The stack's application database: its embedded PostgreSQL server's socket, or the
        external URL the stack was started with."""
        from foerderflow.postgres import APP_DATABASE, socket_dir_of, socket_url

        if self.env.get("FOERDERFLOW_DATABASE_URL"):
            return self.env["FOERDERFLOW_DATABASE_URL"]
        socket_dir = socket_dir_of(self.var_dir / "postgres")
        assert socket_dir is not None, "Die PostgreSQL-Datenbank des Stacks läuft nicht"
        return socket_url(socket_dir, APP_DATABASE)

    def text(self) -> str:
        return "".join(self.output)


def start_stack(var_dir: Path, extra_env: dict[str, str] | None = None) -> RunningStack:
    port, smtp_port = free_port(), free_port()
    env = {
        **os.environ,
        "FOERDERFLOW_VAR_DIR": str(var_dir),
        "FOERDERFLOW_PREFECT_PORT": str(port),
        "FOERDERFLOW_LOCAL_SMTP_PORT": str(smtp_port),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_HOME", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "foerderflow.cli", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = RunningStack(
        process=proc,
        var_dir=var_dir,
        api_url=f"http://127.0.0.1:{port}/api",
        ui_url=f"http://127.0.0.1:{port}",
        smtp_port=smtp_port,
        env=env,
    )
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stack.output.append(line)
            if "foerderflow ist bereit" in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 180
    while not ready.is_set():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            logs = (
                "\n".join(
                    p.read_text(errors="replace")[-3000:] for p in (var_dir / "logs").glob("*.log")
                )
                if (var_dir / "logs").exists()
                else ""
            )
            raise RuntimeError(f"Stack nicht bereit:\n{stack.text()}\n{logs}")
        time.sleep(0.2)
    return stack


@contextmanager
def stopped_stack_database(var_dir: Path) -> Iterator[Engine]:
    """The application database of the stopped stack on ``var_dir``: its embedded PostgreSQL
    server, started here on its own and stopped again afterwards (so a test reads what the
    stack left on disk)."""
    from foerderflow.db import make_engine
    from foerderflow.postgres import APP_DATABASE, EmbeddedPostgres, socket_dir_of

    assert socket_dir_of(var_dir / "postgres") is None, "PostgreSQL des Stacks läuft noch"
    server = EmbeddedPostgres(var_dir / "postgres").start()
    engine = make_engine(server.url(APP_DATABASE))
    try:
        yield engine
    finally:
        engine.dispose()
        server.stop()


def stop_stack(stack: RunningStack) -> int:
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        raise
