"""Fixtures for integration tests: a real stack, started as ``make up`` starts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stack_support import RunningStack, start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    running = start_stack(tmp_path_factory.mktemp("stack") / "var")
    yield running
    stop_stack(running)


@pytest.fixture
def prefect_api(stack: RunningStack) -> Iterator[str]:
    """Point this test's Prefect client at the stack's server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: stack.api_url}):
        yield stack.api_url
