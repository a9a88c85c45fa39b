"""Small helpers shared by the Prefect task wrappers."""

from __future__ import annotations

from typing import Any

from models.errors import FoerderflowError


def retry_unless_domain_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry crashes and lock conflicts, never bad input or an illegal step."""
    try:
        state.result()
    except FoerderflowError:
        return False
    except Exception:
        return True
    return True
