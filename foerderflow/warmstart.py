"""Warm start for flow runs: a fork server with Prefect's engine and our flows imported.

A process worker starts every flow run as a new ``python -m prefect.engine`` process, which
spends about 3.5 s on this machine importing Prefect and the flows before the first step,
more than half of the time from Submit to the mail in the inbox. ``make up`` therefore starts
one fork server that imports all of it once; the work pool's run command is this module's
client, a process that imports nothing but the standard library. The client hands its
environment, working directory and standard streams to the server, which forks a child that
runs ``prefect.engine`` as its ``__main__``. The client stays the run's process for the
worker: it passes signals on (SIGTERM to cancel, Ctrl-C) and ends with the child's exit code.

Whenever the warm path cannot be taken – no server, a lost connection, a Prefect setting that
differs from the server's – the run starts cold exactly as before, so nothing depends on it.
If the client is killed hard, the server ends the child as well.

Client: ``python -m foerderflow.warmstart [ARGS]``; server: ``python -m foerderflow.warmstart
--serve SOCKET``. Only the owner may connect (the socket file is 0600).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
from typing import Any, NoReturn

SOCKET_ENV = "FOERDERFLOW_WARMSTART_SOCKET"
_HEADER = struct.Struct("!I")
_FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


# --- wire format: a length-prefixed JSON message ----------------------------------------


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    payload = _HEADER.pack(len(data)) + data
    if fds:
        socket.send_fds(sock, [payload], fds)
    else:
        sock.sendall(payload)


def _recv_exact(sock: socket.socket, n: int, first: bytes = b"") -> bytes:
    data = first
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def _recv(sock: socket.socket, with_fds: int = 0) -> tuple[dict[str, Any], list[int]]:
    fds: list[int] = []
    if with_fds:
        first, fds, _flags, _addr = socket.recv_fds(sock, 65536, with_fds)
        if not first:
            raise ConnectionError("connection closed")
    else:
        first = b""
    head = _recv_exact(sock, _HEADER.size, first[: _HEADER.size])
    (length,) = _HEADER.unpack(head)
    body = _recv_exact(sock, length, first[_HEADER.size :])
    return json.loads(body), fds


# --- client: the run command of the work pool -------------------------------------------


def _cold_start(args: list[str]) -> NoReturn:
    os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *args])  # noqa: S606


def client(args: list[str]) -> int:
    path = os.environ.get(SOCKET_ENV, "")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        request = {"args": args, "env": dict(os.environ), "cwd": os.getcwd()}
        _send(sock, request, [0, 1, 2])
        answer, _ = _recv(sock)
    except (OSError, ConnectionError, ValueError):
        sock.close()
        _cold_start(args)  # no server, or it went away: start as Prefect would
    if answer.get("cold"):
        sock.close()
        _cold_start(args)
    pid = int(answer["pid"])

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    for signum in _FORWARDED:
        signal.signal(signum, forward)
    try:  # a forwarded signal does not interrupt the wait: recv retries on EINTR (PEP 475)
        result, _ = _recv(sock)
        return int(result["exit"])
    except (OSError, ConnectionError, ValueError):
        return 1  # the server died: the run's end is unknown, the worker marks it crashed


# --- server ------------------------------------------------------------------------------


def _preload() -> None:
    """Import what every run imports: Prefect's engine and all flow modules."""
    import importlib
    import pkgutil

    import prefect.engine
    import prefect.flow_engine  # noqa: F401

    import flows
    from foerderflow.prefect_tls import shared_context

    for module in pkgutil.iter_modules(flows.__path__):
        importlib.import_module(f"flows.{module.name}")
    shared_context()  # the flows share it (foerderflow.prefect_tls): every child inherits it


def _prefect_settings() -> dict[str, Any]:
    """Prefect's effective settings from the current environment, comparable as values."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import get_current_settings

    refresh_global_settings_context()
    return get_current_settings().model_dump(mode="json")


def _changed(current: dict[str, Any], baseline: dict[str, Any], prefix: str = "") -> list[str]:
    changed: list[str] = []
    for key in current.keys() | baseline.keys():
        a, b = current.get(key), baseline.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            changed += _changed(a, b, f"{prefix}{key}.")
        elif a != b:
            changed.append(prefix + key)
    return sorted(changed)


def _child(
    conn: socket.socket,
    listener: socket.socket,
    request: dict[str, Any],
    fds: list[int],
    baseline: dict[str, Any],
) -> NoReturn:
    """In the forked child: become the run's engine process. Never returns."""
    code = 1
    try:
        listener.close()
        conn.close()
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.setsid()
        for signum in _FORWARDED:
            signal.signal(signum, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = request["cwd"]  # as for `python -m`: the working directory first
        sys.argv = ["prefect.engine", *request["args"]]
        changed = _changed(_prefect_settings(), baseline)
        if changed:  # something Prefect read at import time may differ: start cold instead
            print(f"warmstart: Kaltstart wegen abweichender Einstellungen {changed}", flush=True)
            _cold_start(request["args"])
        from foerderflow.settings import get_settings

        get_settings.cache_clear()
        import runpy
        import warnings

        # runpy's note that prefect.engine is imported already: that is the point here.
        warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
        runpy.run_module("prefect.engine", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        # What a normal interpreter exit does: Prefect drains its log and event workers to the
        # API in exit handlers (without them the run's logs would be lost).
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _watch(conn: socket.socket, pid: int) -> None:
    """Report the child's exit code to the client; end the child if the client vanishes."""
    import selectors
    import time

    selector = selectors.DefaultSelector()
    selector.register(conn, selectors.EVENT_READ)
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
                return
            if selector.select(timeout=0.05) and not conn.recv(1, socket.MSG_PEEK):
                os.kill(pid, signal.SIGTERM)  # the client was killed: so is its run
                deadline = time.monotonic() + 20
                while not os.waitpid(pid, os.WNOHANG)[0] and time.monotonic() < deadline:
                    time.sleep(0.05)
                return
    except (OSError, ChildProcessError):
        return
    finally:
        selector.close()
        conn.close()


def serve(path: str) -> None:
    import threading

    _preload()
    baseline = _prefect_settings()
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old_umask)
    listener.listen(64)
    print(f"warmstart: bereit auf {path}", flush=True)
    while True:
        conn, _ = listener.accept()
        try:
            request, fds = _recv(conn, with_fds=3)
        except (OSError, ConnectionError, ValueError):
            conn.close()
            continue
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            _send(conn, {"cold": True})
            conn.close()
            continue
        pid = os.fork()  # from the main thread; the watcher threads hold no locks we need
        if pid == 0:
            _child(conn, listener, request, fds, baseline)
        for fd in fds:
            os.close(fd)
        _send(conn, {"pid": pid})
        threading.Thread(target=_watch, args=(conn, pid), daemon=True).start()


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--serve":
        serve(argv[1])
        return 0
    return client(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
