"""Start and stop a real local stack exactly as ``make up`` does (``foerderflow up``)."""

from __future__ import annotations

import fcntl
import json
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
    process: subprocess.Popen[str] | None  # None: a shared stack another process started
    var_dir: Path
    api_url: str
    ui_url: str
    smtp_port: int
    env: dict[str, str]
    output: list[str] = field(default_factory=list)
    pid: int = 0
    log_path: Path | None = None  # a shared stack writes its output here

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
        if self.log_path is not None:
            return self.log_path.read_text(errors="replace")
        return "".join(self.output)

    def to_json(self) -> str:
        return json.dumps(
            {
                "pid": self.pid,
                "var_dir": str(self.var_dir),
                "api_url": self.api_url,
                "ui_url": self.ui_url,
                "smtp_port": self.smtp_port,
                "env": self.env,
                "log_path": str(self.log_path),
            }
        )

    @classmethod
    def attach(cls, info: Path) -> RunningStack:
        data = json.loads(info.read_text())
        return cls(
            process=None,
            var_dir=Path(data["var_dir"]),
            api_url=data["api_url"],
            ui_url=data["ui_url"],
            smtp_port=data["smtp_port"],
            env=data["env"],
            pid=data["pid"],
            log_path=Path(data["log_path"]),
        )


def start_stack(
    var_dir: Path, extra_env: dict[str, str] | None = None, log_path: Path | None = None
) -> RunningStack:
    """Start ``foerderflow up`` on ``var_dir`` and wait until it says it is ready. Its output
    goes to this process (``stack.text()``), or to ``log_path`` for a stack that outlives the
    process that started it (the session's shared stack)."""
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
    log = log_path.open("w") if log_path is not None else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "foerderflow.cli", "up"],
        cwd=ROOT,
        env=env,
        stdout=log if log is not None else subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if log is not None:
        log.close()  # the child has its own descriptor
    stack = RunningStack(
        process=proc,
        var_dir=var_dir,
        api_url=f"http://127.0.0.1:{port}/api",
        ui_url=f"http://127.0.0.1:{port}",
        smtp_port=smtp_port,
        env=env,
        pid=proc.pid,
        log_path=log_path,
    )
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stack.output.append(line)
            if "foerderflow ist bereit" in line:
                ready.set()

    if log_path is None:
        threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 180
    while not ready.is_set():
        if log_path is not None and "foerderflow ist bereit" in stack.text():
            break
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


def shared_stack(shared_dir: Path) -> RunningStack:
    """The one stack of a test session, shared by all pytest-xdist workers: the first worker
    that needs it starts it (under a file lock), the others attach to it. It outlives that
    worker; :func:`stop_shared_stack` in the controlling process stops it at the very end."""
    shared_dir.mkdir(parents=True, exist_ok=True)
    info = shared_dir / "stack.json"
    with (shared_dir / "stack.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if info.exists():
            return RunningStack.attach(info)
        stack = start_stack(shared_dir / "stack" / "var", log_path=shared_dir / "stack.log")
        info.write_text(stack.to_json())
        return stack


def stop_shared_stack(shared_dir: Path, timeout: float = 60) -> None:
    """Stop the session's shared stack, if one was started: Ctrl-C, as a user stops it."""
    info = shared_dir / "stack.json"
    if not info.exists():
        return
    pid = RunningStack.attach(info).pid
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (a zombie its parent has not reaped yet counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


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
    assert stack.process is not None, "ein geteilter Stack wird mit stop_shared_stack beendet"
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        raise


def deployments_never_run(api_url: str) -> list[str]:
    """The deployments of the stack without a single finished run (completed or failed)."""
    import urllib.request

    def post(path: str, body: dict[str, object]) -> object:
        request = urllib.request.Request(  # noqa: S310 - the stack on 127.0.0.1
            f"{api_url}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    deployments = post("/deployments/filter", {"limit": 200})
    assert isinstance(deployments, list)
    never = []
    for deployment in deployments:
        finished = post(
            "/flow_runs/count",
            {
                "deployments": {"id": {"any_": [deployment["id"]]}},
                "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED"]}}},
            },
        )
        if finished == 0:
            never.append(str(deployment["name"]))
    return sorted(never)
