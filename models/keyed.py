"""The base of everything a step asks to exist exactly once (a deadline, a queued mail)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Keyed(BaseModel):
    """A request made idempotent by its ``key``: a second request with the same key finds
    the first one's row instead of creating another (the key column holds 200 characters)."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(max_length=200)
