"""One TLS context per process for Prefect's API clients.

Prefect 3.9 builds a new ``ssl.SSLContext`` for every client it opens and loads certifi's
bundle of about 150 root certificates into it: 45–90 ms of CPU on this machine, with
OpenSSL 3. A flow run opens about ten clients (the engine, its log and event workers, the
suspension observer, each artifact and the menu refresh), so a run that sends one mail spent
most of its own CPU on certificates it never used: the local API is plain HTTP.

``share_tls_context()`` makes every client of this process that was not given a ``verify``
of its own use one context, built exactly as Prefect builds it and rebuilt when either of
the two settings it depends on changes (``PREFECT_API_TLS_INSECURE_SKIP_VERIFY``,
``PREFECT_API_SSL_CERT_FILE``). Reusing one ``SSLContext`` across clients and threads is
what httpx recommends; Prefect's own pull request 19106 proposes the same. Idempotent: the
flows package calls it on import, so every process that runs our flows has it, cold or warm.
"""

from __future__ import annotations

import functools
import ssl
import threading
from typing import Any

_installed = False
_lock = threading.Lock()


@functools.lru_cache(maxsize=4)
def _context(skip_verify: bool, cert_file: str) -> ssl.SSLContext:
    """The context Prefect's client would build for these two settings."""
    if skip_verify:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return ssl.create_default_context(cafile=cert_file)


def shared_context() -> ssl.SSLContext:
    """The process's context for the current Prefect settings."""
    import certifi
    from prefect.settings import PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY

    skip_verify = bool(PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value())
    cert_file = "" if skip_verify else PREFECT_API_SSL_CERT_FILE.value() or certifi.where()
    return _context(skip_verify, cert_file)


def share_tls_context() -> None:
    """Let Prefect's clients (async and sync) share one TLS context per setting."""
    global _installed
    with _lock:
        if _installed:
            return
        from prefect.client import orchestration

        for cls in (orchestration.PrefectClient, orchestration.SyncPrefectClient):
            _wrap_init(cls)
        _installed = True


def _wrap_init(cls: Any) -> None:
    original = cls.__init__

    @functools.wraps(original)
    def __init__(
        self: Any, api: Any, *args: Any, httpx_settings: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        settings = dict(httpx_settings or {})
        if "verify" not in settings:
            settings["verify"] = shared_context()
        original(self, api, *args, httpx_settings=settings, **kwargs)

    cls.__init__ = __init__
