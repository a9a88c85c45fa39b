"""Small helpers shared by the Prefect task wrappers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE

from foerderflow.wiring import Services, get_services
from models.errors import FoerderflowError

if TYPE_CHECKING:
    from prefect.tasks import Task

D = TypeVar("D")
R = TypeVar("R")


def retry_unless_domain_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry crashes and lock conflicts, never bad input or an illegal step."""
    try:
        state.result()
    except FoerderflowError:
        return False
    except Exception:
        return True
    return True


def step_task(
    name: str, step: Callable[[Services, D, dt.date, str | None], R]
) -> Task[[D, dt.date, str | None], R]:
    """A business step ``step(services, data, today, flow_run_id)`` as a Prefect task.

    Every step runs in one transaction and is idempotent (StepRequest fingerprints), so a
    crash or lock conflict is retried twice; bad input and illegal steps are not. Prefect's
    result cache stays off: the steps decide themselves what a repetition means.
    """

    def run(data: D, today: dt.date, flow_run_id: str | None) -> R:
        return step(get_services(), data, today, flow_run_id)

    run.__name__ = run.__qualname__ = f"{step.__name__}_task"
    run.__module__ = step.__module__
    run.__doc__ = step.__doc__
    return task(
        name=name,
        retries=2,
        retry_delay_seconds=2,
        retry_condition_fn=retry_unless_domain_error,
        cache_policy=NO_CACHE,
    )(run)
