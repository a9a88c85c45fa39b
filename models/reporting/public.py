"""What the public Projektatlas may show.

Only public facts: a project's title, Handlungsfeld, lead and participating bodies, status,
description, and the funding granted with programme and funder. Never a person's e-mail
address, never an internal note (status notes, closing notes, the coordinator), nothing
marked "nicht veröffentlichen", and no application that is not granted yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.reporting.records import ApplicationRecord, ProjectRecord
from models.strategy import GRANTED_STAGES, ProjectStatus

# Any e-mail address in free text (a description someone typed) is removed.
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[Adresse entfernt]"
HIDDEN_STATUSES = frozenset({ProjectStatus.VERWORFEN.value})


def redact(text: str) -> str:
    """Free text without e-mail addresses."""
    return EMAIL_PATTERN.sub(REDACTED, text)


def public_projects(projects: Sequence[ProjectRecord]) -> list[ProjectRecord]:
    """Projects the atlas shows: not marked "nicht veröffentlichen", not discarded."""
    return sorted(
        (p for p in projects if p.public and p.status not in HIDDEN_STATUSES),
        key=lambda p: p.code,
    )


def public_funding(apps: Sequence[ApplicationRecord]) -> list[ApplicationRecord]:
    """Granted applications that may be published."""
    return sorted(
        (a for a in apps if a.public and a.stage in GRANTED_STAGES and a.granted_cents),
        key=lambda a: a.reference,
    )
