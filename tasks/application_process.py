"""How the application process shows its steps: run tags, summary key and portfolio."""

from __future__ import annotations

import re
from collections.abc import Mapping

from models.application import REFERENCE_PATTERN
from models.forms import dropdown_key
from tasks.artifacts import tag_current_run
from tasks.portfolio import publish_portfolio
from tasks.steps import Process

APPLICATION = Process(
    summary_key=lambda outcome: f"antrag-{outcome.owner.lower()}",
    publish_overview=lambda _outcome: publish_portfolio(),
)


def tag_reference(raw: Mapping[str, object]) -> None:
    """The ``before`` hook of the application flows: tag the run with the raw ``reference``
    as early as possible, so even a failed run is found by its reference."""
    key = dropdown_key(raw["reference"])  # the form sends the dropdown entry "FA-… · Titel (…)"
    if isinstance(key, str) and re.match(REFERENCE_PATTERN, key):
        tag_current_run([key])
