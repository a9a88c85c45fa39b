"""Cold start: from launching ``foerderflow up`` (what ``make up`` runs once installed) until
the UI answers, the local inbox accepts SMTP and every deployment of prefect.yaml exists.

Each repetition uses a fresh var directory and free ports: ``foerderflow up`` creates the
embedded PostgreSQL cluster under ``var/postgres`` (initdb), starts the server, creates both
databases (application and Prefect) and migrates them; all of that counts. Readiness is
polled every 100 ms from outside, as a user would see it:

* UI: ``GET /api/health`` and ``GET /`` both 200;
* inbox: a TCP connection to the SMTP port gets the ``220`` greeting;
* deployments: ``POST /api/deployments/count`` equals the number of deployments in
  prefect.yaml.

For the breakdown, the moment ``foerderflow up`` prints its PostgreSQL line (``• PostgreSQL …``:
cluster ready, databases created) is recorded as well. Target: median below 20 s.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from benchmarks.common import ROOT, Row, free_port, log, median, temp_dir

POLL_S = 0.1
TIMEOUT_S = 180
TARGET_S = 20.0
POSTGRES_LINE = "• PostgreSQL"


def expected_deployments() -> int:
    data = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    return len(data["deployments"])


def _http_ok(url: str, body: bytes | None = None) -> bytes | None:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=body,
        headers={"Content-Type": "application/json"} if body is not None else {},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.read() if response.status == 200 else None
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def _smtp_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(64).startswith(b"220")
    except OSError:
        return False


def _command() -> list[str]:
    script = Path(sys.executable).with_name("foerderflow")
    if script.exists():
        return [str(script), "up"]
    return [sys.executable, "-m", "foerderflow.cli", "up"]


def one_start(var_dir: Path, deployments: int) -> dict[str, float]:
    port, smtp_port = free_port(), free_port()
    env = {
        **os.environ,
        "FOERDERFLOW_VAR_DIR": str(var_dir),
        "FOERDERFLOW_PREFECT_PORT": str(port),
        "FOERDERFLOW_LOCAL_SMTP_PORT": str(smtp_port),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_HOME", None)
    base = f"http://127.0.0.1:{port}"
    times: dict[str, float] = {}
    output: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        _command(),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if "postgres" not in times and line.lstrip().startswith(POSTGRES_LINE):
                times["postgres"] = time.perf_counter() - started

    threading.Thread(target=pump, daemon=True).start()
    try:
        while True:
            now = time.perf_counter() - started
            if proc.poll() is not None:
                raise RuntimeError(f"foerderflow up endete vorzeitig:\n{''.join(output)}")
            if now > TIMEOUT_S:
                raise TimeoutError(f"nach {TIMEOUT_S} s nicht bereit: {times}\n{''.join(output)}")
            if "health" not in times and _http_ok(f"{base}/api/health") is not None:
                times["health"] = now
            if "ui" not in times and _http_ok(f"{base}/") is not None:
                times["ui"] = now
            if "inbox" not in times and _smtp_ready(smtp_port):
                times["inbox"] = now
            if "deployments" not in times and "health" in times:
                answer = _http_ok(f"{base}/api/deployments/count", b"{}")
                if answer is not None and int(json.loads(answer)) >= deployments:
                    times["deployments"] = now
            if all(k in times for k in ("health", "ui", "inbox", "deployments")):
                times["ready"] = max(times[k] for k in ("health", "ui", "inbox", "deployments"))
                return times
            time.sleep(POLL_S)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _describe(times: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in sorted(times.items(), key=lambda i: i[1]))


def run(repetitions: int = 3) -> list[Row]:
    deployments = expected_deployments()
    results: list[dict[str, float]] = []
    with temp_dir("cold-start") as work:
        for rep in range(repetitions):
            times = one_start(work / f"var-{rep}", deployments)
            results.append(times)
            log(f"  Kaltstart: {_describe(times)}")
        # For comparison: the everyday start on an existing var/ (databases already there).
        warm = one_start(work / "var-0", deployments)
        log(f"  Warmstart: {_describe(warm)}")
    ready = [r["ready"] for r in results]
    rows = [
        Row(
            "Kaltstart",
            f"foerderflow up bis UI, Posteingang und alle {deployments} Deployments bereit",
            median(ready),
            target=f"< {TARGET_S:.0f} s",
            ok=median(ready) < TARGET_S,
            samples=ready,
        )
    ]
    labels = {
        "postgres": "  PostgreSQL bereit (initdb, Start, beide Datenbanken angelegt)",
        "inbox": "  Posteingang (SMTP 220)",
        "health": "  /api/health 200",
        "ui": "  UI / 200",
        "deployments": f"  {deployments} Deployments angelegt",
    }
    for key, label in labels.items():
        values = [r[key] for r in results if key in r]
        if values:
            rows.append(Row("Kaltstart", label, median(values)))
    rows.append(
        Row(
            "Kaltstart",
            "Warmstart zum Vergleich (var/ vorhanden, 1 Lauf; nicht das Ziel)",
            warm["ready"],
            samples=[warm["ready"]],
        )
    )
    return rows
