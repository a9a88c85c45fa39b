"""The shape of every step, whatever the process (application, deadlines, strategy, …).

A step function in ``tasks/`` decides; what it decides comes back as a :class:`StepPlan`:
the audit entries, the documents to render, the mails to queue and the deadlines to
create, plus the texts of the run summary. The plan is plain data (no session, no I/O);
``tasks.steps.run_step`` carries it out in the step's transaction and records the outcome
under the step's fingerprint, so a repeated run does nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.deadline_types import DeadlineSpec
from models.documents import DocumentContext
from models.mail import MailContext


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail (who did what, from which state to which)."""

    action: str
    actor: str
    reason: str = ""
    from_stage: str | None = None
    to_stage: str | None = None
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class DocumentPlan:
    """A document version to render from a Word template. ``name`` lets mails attach it."""

    name: str
    template: str
    kind: str
    version: int
    title: str
    context: DocumentContext
    subject: str = ""
    content: bytes | None = None  # already rendered from ``template`` (e.g. with charts)


@dataclass(frozen=True)
class MailPlan:
    """A mail to queue: rendered from a mail template, with attachments of this plan
    (``attach``, by document name) and earlier documents (``attachment_ids``)."""

    key: str
    to: list[str]
    template: str
    context: MailContext
    cc: list[str] = field(default_factory=list)
    attach: list[str] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    # Already rendered (``template`` empty): subject, plain text and an HTML alternative.
    rendered: tuple[str, str, str | None] | None = None

    @classmethod
    def prepared(
        cls, key: str, to: list[str], subject: str, body: str, html: str | None = None
    ) -> MailPlan:
        """A mail whose text exists already (e.g. a newsletter edition: HTML and plain text)."""
        context = MailContext()
        return cls(key=key, to=to, template="", context=context, rendered=(subject, body, html))


@dataclass(frozen=True)
class Produced:
    """What the executor made of a plan: documents by name, outbox ids by mail key."""

    documents: dict[str, Any]  # name -> tasks.documents.DocumentView
    outbox: dict[str, int]


@dataclass
class StepPlan:
    """Everything a step produces besides its row changes, and what its summary says.

    ``status`` carries the process's own status fields of the outcome (e.g. ``stage`` of
    an application, ``cycle_status`` and ``year`` of a strategy cycle). ``after`` runs once
    the documents and mails exist, e.g. to store their ids on a row of the step. ``owner``
    names the owner when the step itself created it (a new application, a new deadline).
    """

    headline: str
    owner: str | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_step: str = ""
    follow_up: str | None = None
    status: dict[str, Any] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    documents: list[DocumentPlan] = field(default_factory=list)
    mails: list[MailPlan] = field(default_factory=list)
    deadlines: list[DeadlineSpec] = field(default_factory=list)
    repeated: bool = False  # the state already is what the input asks for: write nothing
    after: Callable[[Produced], None] | None = None

    def record_creation(
        self, created: bool, subject: str, actor: str, reason: str, **entry: Any
    ) -> None:
        """Mark whether this run created the step's subject; a creation is audited as
        "<subject> angelegt" (``entry``: the entry's further fields)."""
        self.status["created"] = created
        if created:
            self.audit.append(
                AuditEntry(action=f"{subject} angelegt", actor=actor, reason=reason, **entry)
            )


def fact_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """Mail fact lines "Label: value" as the (label, value) rows of the run summary."""
    return [(line.split(": ", 1)[0], line.split(": ", 1)[1]) for line in lines]


def other_addresses(addresses: list[str], exclude: list[str]) -> list[str]:
    """``addresses`` without duplicates and without any of ``exclude`` (case-insensitive)."""
    skip = {a.lower() for a in exclude}
    return [a for a in dict.fromkeys(addresses) if a.lower() not in skip]
