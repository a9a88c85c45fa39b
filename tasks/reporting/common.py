"""Run-once plumbing of the reporting steps (the ``StepRequest`` fingerprint, as in
``tasks.applications.run_step``), and writing files atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from foerderflow.db import run_in_transaction
from foerderflow.wiring import Services
from models.tables import StepRequest
from tasks.store import fingerprint

M = TypeVar("M", bound=BaseModel)


def run_once(
    services: Services,
    *,
    step: str,
    owner: str,
    payload: dict[str, Any],
    outcome_type: type[M],
    work: Callable[[Session], M],
) -> M:
    """Run ``work`` once per identical input in one transaction; a repeat returns the
    recorded outcome with ``repeated=True`` and changes nothing."""
    key = fingerprint({"step": step, "reference": owner, **payload})

    def transaction(session: Session) -> M:
        done = session.scalar(select(StepRequest).where(StepRequest.key == key))
        if done is not None:
            return outcome_type.model_validate({**done.outcome, "repeated": True})
        outcome = work(session)
        session.add(
            StepRequest(key=key, owner=owner, step=step, outcome=outcome.model_dump(mode="json"))
        )
        session.flush()
        return outcome

    return run_in_transaction(transaction, services.sessions)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
