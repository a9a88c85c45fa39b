"""The warm start of flow runs: the fork server, the client, and the cold fallback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import free_port

from foerderflow.warmstart import SOCKET_ENV

pytestmark = pytest.mark.xdist_group("harness")


# An API that takes connections and never answers: a run waits on it, i.e. a long run.
_SILENT = socket.socket()
_SILENT.bind(("127.0.0.1", 0))
_SILENT.listen(64)
_API = f"http://127.0.0.1:{_SILENT.getsockname()[1]}/api"


def _env(sock: Path, api: str = _API) -> dict[str, str]:
    env = dict(os.environ)
    env[SOCKET_ENV] = str(sock)
    env["PREFECT_API_URL"] = api
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    sock = tmp_path_factory.mktemp("warm") / "warm.sock"
    log = sock.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "foerderflow.warmstart", "--serve", str(sock)],
            env=_env(sock),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while b"bereit" not in log.read_bytes():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "fork server not ready"
            time.sleep(0.1)
        yield sock, log
        proc.terminate()
        proc.wait(10)


def _client(sock: Path, *args: str, api: str = _API) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "foerderflow.warmstart", *args],
        env=_env(sock, api),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_warm_run_passes_streams_and_exit_code(server: tuple[Path, Path]) -> None:
    sock, _log = server
    started = time.monotonic()
    client = _client(sock, "not-a-uuid")
    output, _ = client.communicate(timeout=60)
    # prefect.engine itself answered, through the client's own stdout, and its code came back
    assert "Invalid flow run id" in output
    assert client.returncode == 1
    assert "Kaltstart" not in output  # it ran in a forked child, not cold
    assert time.monotonic() - started < 60


def test_a_different_prefect_setting_means_a_cold_start(server: tuple[Path, Path]) -> None:
    sock, _log = server
    client = _client(sock, "not-a-uuid", api=f"http://127.0.0.1:{free_port()}/api")
    output, _ = client.communicate(timeout=120)
    assert "Kaltstart wegen abweichender Einstellungen ['api.url'" in output
    assert "Invalid flow run id" in output and client.returncode == 1


def test_without_server_the_run_starts_cold(tmp_path: Path) -> None:
    client = _client(tmp_path / "missing.sock", "not-a-uuid")
    output, _ = client.communicate(timeout=120)
    assert "Invalid flow run id" in output
    assert client.returncode == 1


def test_killed_client_takes_its_run_along(server: tuple[Path, Path]) -> None:
    sock, _log = server
    client = _client(sock, str(uuid.uuid4()))  # a valid id: the engine asks the silent API
    deadline = time.monotonic() + 30
    while not (children := _children_of_server(sock)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert children, "the run should be a child of the fork server"
    client.send_signal(signal.SIGKILL)
    client.wait(10)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _children_of_server(sock: Path) -> list[int]:
    servers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and str(sock).encode() in _cmdline(p) and b"--serve" in _cmdline(p)
    ]
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _ppid(p) in servers and _alive(int(p.name))
    ]


def _cmdline(p: Path) -> bytes:
    try:
        return (p / "cmdline").read_bytes()
    except OSError:
        return b""


def _ppid(p: Path) -> int:
    try:
        return int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1
