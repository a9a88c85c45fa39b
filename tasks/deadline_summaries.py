"""Run summaries of the deadline flows (frist-erledigt, frist-anlegen) for the Prefect UI."""

from __future__ import annotations

from models.deadline_types import DeadlineStatus
from models.deadlines import format_date_de, format_day_de
from models.mail import DeliveryReport
from tasks.artifacts import delivery_markdown, md_escape, publish_markdown
from tasks.deadlines import DeadlineChange, DeadlineView, NewDeadlineOutcome


def _deadline_table(view: DeadlineView) -> str:
    status = {
        DeadlineStatus.OFFEN: "offen",
        DeadlineStatus.ERLEDIGT: "erledigt",
        DeadlineStatus.VERZICHTET: "verzichtet",
    }[view.status]
    if view.done_on:
        status += f" am {format_date_de(view.done_on)}"
    if view.done_by:
        status += f" von {md_escape(view.done_by)}"
    rows = [
        ("Frist-Nr.", str(view.id)),
        ("Art", view.kind_label),
        ("Aktenzeichen", view.owner or "–"),
        ("Bezeichnung", md_escape(view.title)),
        ("Fällig am", format_day_de(view.due_date)),
        ("Frist/Termin", "Termin" if view.is_termin else "Frist"),
        ("Verantwortlich", md_escape(view.contact_email)),
        ("Status", status),
    ]
    return "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])


def _deadline_markdown(head: str, view: DeadlineView, explanation: str, tail: list[str]) -> str:
    """The common frame of both summaries: heading, deadline table, explanation, then ``tail``."""
    return "\n".join(
        [head, "", _deadline_table(view), "", "## Erläuterung", explanation, "", *tail]
    )


def change_markdown(change: DeadlineChange, feeds: list[str]) -> str:
    view = change.deadline
    verb = "erledigt" if view.status is DeadlineStatus.ERLEDIGT else "verzichtet"
    head = (
        f"# Frist Nr. {view.id} {verb}"
        if change.changed
        else f"# Frist Nr. {view.id} war bereits {verb} – nichts doppelt"
    )
    explanation = md_escape(view.explanation).replace("\n", "  \n") or "–"
    return _deadline_markdown(
        head,
        view,
        explanation,
        [
            "Es gibt zu dieser Frist keine Erinnerungen mehr; sie ist aus den Kalendern entfernt:",
            *(f"- `{path}`" for path in feeds),
        ],
    )


def new_deadline_markdown(
    outcome: NewDeadlineOutcome, delivery: DeliveryReport, feeds: list[str]
) -> str:
    view = outcome.deadline
    head = (
        f"# Frist Nr. {view.id} angelegt"
        if outcome.created
        else f"# Frist Nr. {view.id} war bereits angelegt (gleiche Eingabe) – nichts doppelt"
    )
    explanation = md_escape(view.explanation).replace("\n", "  \n")
    return _deadline_markdown(
        head,
        view,
        explanation,
        [
            "## Mails",
            delivery_markdown(delivery, len(outcome.outbox_ids)),
            "",
            "## Kalender",
            *(f"- `{path}`" for path in feeds),
        ],
    )


def publish_change_summary(change: DeadlineChange, feeds: list[str]) -> None:
    publish_markdown(
        None, change_markdown(change, feeds), f"Frist Nr. {change.deadline.id} geschlossen"
    )


def publish_new_deadline_summary(
    outcome: NewDeadlineOutcome, delivery: DeliveryReport, feeds: list[str]
) -> None:
    publish_markdown(
        None,
        new_deadline_markdown(outcome, delivery, feeds),
        f"Frist Nr. {outcome.deadline.id} angelegt",
    )
