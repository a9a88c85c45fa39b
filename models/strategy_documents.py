"""Compatibility name: the strategy documents now live in the package ``models.strategy_docs``."""

from __future__ import annotations

from models.strategy_docs import *  # noqa: F403
