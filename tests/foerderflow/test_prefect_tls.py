"""Prefect's API clients of one process share one TLS context (foerderflow.prefect_tls)."""

from __future__ import annotations

import shutil
import ssl
from pathlib import Path
from typing import Any

import certifi
import pytest
from prefect.client.orchestration import PrefectClient, SyncPrefectClient
from prefect.settings import (
    PREFECT_API_SSL_CERT_FILE,
    PREFECT_API_TLS_INSECURE_SKIP_VERIFY,
    temporary_settings,
)

from foerderflow.prefect_tls import share_tls_context

API = "http://127.0.0.1:9/api"  # never contacted: the clients are only built


def _context(client: Any) -> ssl.SSLContext:
    return client._client._transport._pool._ssl_context  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _shared() -> None:
    share_tls_context()
    share_tls_context()  # a second call changes nothing


def test_async_and_sync_clients_share_one_verifying_context() -> None:
    first, second = PrefectClient(API), SyncPrefectClient(API)
    assert _context(first) is _context(second) is _context(PrefectClient(API))
    context = _context(first)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 100  # certifi's bundle, as Prefect loads it


def test_the_two_tls_settings_still_apply(tmp_path: Path) -> None:
    default = _context(PrefectClient(API))
    bundle = tmp_path / "eigene-ca.pem"
    shutil.copyfile(certifi.where(), bundle)
    with temporary_settings({PREFECT_API_SSL_CERT_FILE: str(bundle)}):
        own = _context(PrefectClient(API))
        assert own is not default and own is _context(SyncPrefectClient(API))
    with temporary_settings({PREFECT_API_TLS_INSECURE_SKIP_VERIFY: True}):
        insecure = _context(SyncPrefectClient(API))
        assert insecure.verify_mode == ssl.CERT_NONE and not insecure.check_hostname
    assert _context(PrefectClient(API)) is default


def test_a_context_given_by_the_caller_is_kept() -> None:
    mine = ssl.create_default_context()
    client = PrefectClient(API, httpx_settings={"verify": mine})
    assert _context(client) is mine
