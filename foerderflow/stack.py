"""The local stack behind ``make up``: PostgreSQL, Prefect server, deployments, worker, inbox.

Everything binds to 127.0.0.1 and keeps its state under ``var/``. Ctrl-C stops it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from foerderflow.postgres import Databases, open_databases, plan_databases
from foerderflow.settings import PROJECT_ROOT, Settings, get_settings
from foerderflow.warmstart import SOCKET_ENV

if TYPE_CHECKING:
    from foerderflow.inbox import LocalInbox

READY_TIMEOUT_S = 90


def prefect_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for every Prefect process of the stack: local, quiet, no telemetry."""
    env = dict(os.environ if base is None else base)
    # Every flow run is a new Python process: let it reuse compiled bytecode of the project's
    # modules instead of compiling them again each time (the packages are compiled at install).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "PREFECT_HOME": str(settings.prefect_home),
            "PREFECT_API_URL": settings.prefect_api_url,
            "PREFECT_SERVER_API_HOST": settings.prefect_host,
            "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
            "PREFECT_UI_API_URL": settings.prefect_api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
            "DO_NOT_TRACK": "1",
            # Tuned for PostgreSQL (benchmarks/RESULTS.md): each poll writes twice, which
            # PostgreSQL absorbs; a short poll shortens the wait between Submit and start.
            "PREFECT_WORKER_QUERY_SECONDS": env.get("PREFECT_WORKER_QUERY_SECONDS", "0.5"),
            "PREFECT_WORKER_PREFETCH_SECONDS": env.get("PREFECT_WORKER_PREFETCH_SECONDS", "5"),
            # Services foerderflow does not use: automations (triggers) and pause timeouts.
            "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": env.get(
                "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false"
            ),
            "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": env.get(
                "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED", "false"
            ),
            "PREFECT_LOGGING_COLORS": "false",
            "PREFECT_CLI_PROMPT": "false",
            "FOERDERFLOW_PROJECT_DIR": str(PROJECT_ROOT),
            "FOERDERFLOW_VAR_DIR": str(settings.var_dir),
            "FOERDERFLOW_UI_URL": settings.resolved_ui_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# The Prefect server's own database (PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://…)
# comes from the environment or .env, or is the embedded server's "prefect" database. Only the
# server needs it: workers and flow runs talk to the API, so they do not get its credentials.
_SERVER_DATABASE_PREFIXES = ("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")


def server_database_url(env: dict[str, str]) -> str | None:
    """The Prefect server's database URL from ``env`` (password hidden), None when unset."""
    for name in ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL"):
        if env.get(name):
            from sqlalchemy.engine import make_url

            return make_url(env[name]).render_as_string(hide_password=True)
    return None


def worker_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith(_SERVER_DATABASE_PREFIXES)}


def _prefect_cmd(*args: str, module: str = "prefect") -> list[str]:
    return [sys.executable, "-m", module, *args]


def wait_for_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            code = process.returncode
            raise RuntimeError(f"Prozess beendet (Code {code}), bevor {url} bereit war")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} war nach {timeout:.0f} s nicht erreichbar")


def _port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def pool_job_template() -> dict[str, Any]:
    """The process work pool's job template with the flow-run command set explicitly.

    Without a command, Prefect 3.9's process worker starts every run through its workspace
    supervisor, a second Python process that imports Prefect before the engine process does
    (about 4 s per run here, measured in benchmarks/RESULTS.md). foerderflow installs
    nothing per run (``--install-policy never``), so the engine starts directly – through the
    warm-start client, which has it forked from a process that imported it already
    (foerderflow.warmstart), and falls back to ``python -m prefect.engine``."""
    from prefect.workers.process import ProcessWorker

    template = ProcessWorker.get_default_base_job_template()
    command = template["variables"]["properties"]["command"]
    command["default"] = f"{sys.executable} -m foerderflow.warmstart"
    return template


def _api(url: str, body: dict[str, Any], method: str = "POST") -> None:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310
        return


class Stack:
    """Starts and stops the local processes. Usable from tests and benchmarks, too."""

    def __init__(self, settings: Settings, *, start_worker: bool = True, quiet: bool = False):
        self.settings = settings
        self.start_worker = start_worker
        self.quiet = quiet
        self.env = prefect_env(settings)
        self.logs = settings.var_dir / "logs"
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        self._log_files: list[IO[bytes]] = []
        self.inbox: LocalInbox | None = None
        self.databases: Databases | None = None

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def _spawn(
        self, name: str, cmd: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._log_files.append(log)
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=self.env if env is None else env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches only us; we stop the children in order
        )
        self.processes.append((name, proc))
        return proc

    def prepare_database(self) -> str:
        from foerderflow.db import migrate, session_factory, transaction
        from tasks.calendar import write_feeds
        from tasks.reference_data import is_seeded, seed_reference_data

        migrate()
        with transaction() as session:
            seeded = is_seeded(session)
            report = None if seeded else seed_reference_data(session, self.settings.data_dir)
        # The calendar feeds exist from the first start on, not only after the first sweep.
        write_feeds(session_factory(), get_settings().resolved_calendar_dir)
        return "vorhanden" if report is None else f"neu angelegt ({report.describe()})"

    def start(self) -> None:
        s = self.settings
        s.var_dir.mkdir(parents=True, exist_ok=True)
        s.prefect_home.mkdir(parents=True, exist_ok=True)
        if _port_in_use(s.prefect_host, s.prefect_port):
            raise RuntimeError(
                f"Port {s.prefect_port} auf {s.prefect_host} ist belegt – läuft foerderflow "
                "schon? Sonst FOERDERFLOW_PREFECT_PORT setzen."
            )
        t0 = time.monotonic()
        self.databases = open_databases(plan_databases(s.database_url, self.env, s.postgres_dir))
        embedded = self.databases.server is not None
        # Both URLs go into the environment: the server reads Prefect's, this process and the
        # workers' flow runs read the application's (worker_env drops Prefect's again).
        self.env["PREFECT_API_DATABASE_CONNECTION_URL"] = self.databases.prefect_url
        self.env["FOERDERFLOW_DATABASE_URL"] = self.databases.app_url
        os.environ["FOERDERFLOW_DATABASE_URL"] = self.databases.app_url
        get_settings.cache_clear()
        where = f"eingebettet in {s.postgres_dir}" if embedded else "extern"
        self.say(f"• PostgreSQL {where} ({time.monotonic() - t0:.1f} s)")
        server = self._spawn(
            "prefect-server",
            _prefect_cmd(
                "server",
                "start",
                "--host",
                s.prefect_host,
                "--port",
                str(s.prefect_port),
                "--analytics-off",
            ),
        )
        # Import Prefect while the server boots, with the stack's settings (home under var/).
        os.environ.update(self.env)
        from prefect.workers.process import ProcessWorker  # noqa: F401

        db_state = self.prepare_database()
        self.say(f"• Datenbank: {db_state}")
        if s.uses_local_inbox:
            from foerderflow.inbox import LocalInbox

            if _port_in_use(s.local_smtp_host, s.local_smtp_port):
                raise RuntimeError(
                    f"Port {s.local_smtp_port} für den lokalen Posteingang ist belegt – "
                    "FOERDERFLOW_LOCAL_SMTP_PORT setzen."
                )
            self.inbox = LocalInbox(s.resolved_mail_dir, s.local_smtp_host, s.local_smtp_port)
            self.inbox.start()
        wait_for_http(f"{s.prefect_api_url}/health", READY_TIMEOUT_S, server)
        self.say(f"• Prefect-Server bereit ({time.monotonic() - t0:.1f} s)")
        if not embedded:
            self.say(f"• Prefect-Datenbank: {server_database_url(self.env)}")
        self._ensure_pool()
        try:
            self.apply_deployments()
        except Exception as exc:
            (self.logs / "deploy.log").write_text(
                f"{type(exc).__name__}: {exc}\n", encoding="utf-8"
            )
            raise RuntimeError(
                f"Deployments aus prefect.yaml konnten nicht angelegt werden: {exc}"
            ) from exc
        self.say(f"• Deployments aus prefect.yaml angelegt ({time.monotonic() - t0:.1f} s)")
        self.refresh_menu()
        if self.start_worker:
            # The fork server imports Prefect's engine and the flows once, after the server's
            # boot (it would compete for the CPU); runs before it listens start cold.
            self.env[SOCKET_ENV] = str(s.var_dir / "warmstart.sock")
            self._spawn(
                "warmstart",
                [sys.executable, "-m", "foerderflow.warmstart", "--serve", self.env[SOCKET_ENV]],
                env=worker_env(self.env),
            )
            # FOERDERFLOW_WORKERS process workers share the pool; the server hands each run to
            # exactly one of them. The first keeps the process name "worker" (worker.log).
            for n in range(1, s.workers + 1):
                self._spawn(
                    "worker" if n == 1 else f"worker-{n}",
                    _prefect_cmd(
                        "worker",
                        "start",
                        "--pool",
                        s.work_pool,
                        "--type",
                        "process",
                        "--name",
                        f"foerderflow-{os.getpid()}-{n}",
                        "--install-policy",
                        "never",
                        module="foerderflow.worker",  # Prefect's CLI, one TLS context
                    ),
                    env=worker_env(self.env),
                )
            if s.workers > 1:
                self.say(f"• {s.workers} Worker im Work-Pool „{s.work_pool}“ gestartet")
        self._write_state()

    def apply_deployments(self) -> int:
        """prefect.yaml, applied in this process (see foerderflow.deployments)."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from foerderflow.deployments import apply_deployments

        with temporary_settings({PREFECT_API_URL: self.settings.prefect_api_url}):
            return apply_deployments()

    def refresh_menu(self) -> None:
        """`prefect deploy` writes the plain schemas: put the dropdowns of the forms back."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from foerderflow.db import session_factory
        from tasks.menu import refresh_menu

        with temporary_settings({PREFECT_API_URL: self.settings.prefect_api_url}):
            refresh_menu(session_factory())

    def _ensure_pool(self) -> None:
        """Create the process work pool through the REST API (faster than the CLI), or bring
        an existing one's job template up to date."""
        template = pool_job_template()
        name = self.settings.work_pool
        try:
            _api(
                f"{self.settings.prefect_api_url}/work_pools/",
                {"name": name, "type": "process", "base_job_template": template},
            )
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: exists already (a second `make up`)
                raise RuntimeError(f"Work-Pool konnte nicht angelegt werden: {exc}") from exc
            _api(
                f"{self.settings.prefect_api_url}/work_pools/{name}",
                {"base_job_template": template},
                method="PATCH",
            )

    def _write_state(self) -> None:
        state = {
            "ui": self.settings.resolved_ui_url,
            "api": self.settings.prefect_api_url,
            "smtp": f"{self.settings.local_smtp_host}:{self.settings.local_smtp_port}",
            "maildir": str(self.settings.resolved_mail_dir),
            "pids": {name: proc.pid for name, proc in self.processes},
            "ready_at": time.time(),
        }
        (self.settings.var_dir / "stack.json").write_text(json.dumps(state, indent=2))

    def check_children(self) -> str | None:
        for name, proc in self.processes:
            if proc.poll() is not None:
                log = self.logs / f"{name}.log"
                return f"{name} wurde unerwartet beendet (Code {proc.returncode}); Log: {log}"
        return None

    def stop(self) -> None:
        # The workers' flow runs first: stopping a worker would end them with SIGKILL.
        from foerderflow.shutdown import stop_flow_runs

        workers = [p.pid for n, p in self.processes if n.startswith("worker") and p.poll() is None]
        if stop_flow_runs(workers):
            self.say("• laufende Flow-Runs beendet")
        for _name, proc in reversed(self.processes):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for name, proc in reversed(self.processes):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.say(f"• {name} reagiert nicht, wird hart beendet")
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self.inbox is not None:
            self.inbox.stop()
            self.inbox = None
        if self.databases is not None:
            from foerderflow.postgres import PostgresError

            try:
                self.databases.stop()
            except PostgresError as exc:
                print(f"Fehler: {exc}", file=sys.stderr, flush=True)
            self.databases = None
        for log in self._log_files:
            log.close()
        (self.settings.var_dir / "stack.json").unlink(missing_ok=True)


def run_stack(start_worker: bool = True) -> int:
    settings = get_settings()
    stack = Stack(settings, start_worker=start_worker)
    stopping = False

    def _stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    print("foerderflow startet …", flush=True)
    try:
        stack.start()
        mail = (
            f"lokaler Posteingang {settings.local_smtp_host}:{settings.local_smtp_port} → "
            f"{settings.resolved_mail_dir}  (anzeigen: foerderflow inbox)"
            if settings.uses_local_inbox
            else f"Mailserver {settings.smtp_host}"
        )
        print(
            "\nfoerderflow ist bereit.\n"
            f"  Oberfläche:  {settings.resolved_ui_url}\n"
            "               → Deployments → z. B. antrag-idee → Run → Custom run\n"
            f"  Mail:        {mail}\n"
            f"  Dokumente:   {settings.resolved_documents_dir}\n"
            f"  Logs:        {stack.logs}\n"
            "Beenden mit Strg-C.",
            flush=True,
        )
        while True:
            problem = stack.check_children()
            if problem:
                print(f"Fehler: {problem}", file=sys.stderr, flush=True)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nfoerderflow wird beendet …", flush=True)
        return 0
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
        print("foerderflow ist beendet.", flush=True)
