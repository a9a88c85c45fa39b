"""The three deadline deployments through the real server and process worker: a Frist is
entered (it moves past a holiday), it is in the stack's calendar feed at once, the morning
sweep runs, and closing the Frist takes it out of the feed again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests_integration_support import MailWatch, db_rows, run_completed, runs_completed

pytestmark = [pytest.mark.integration]

TITLE = "Gremientermin Ausschuss für Digitalisierung (Integrationstest)"


def _feed(stack: Any) -> str:
    path = stack.var_dir / "calendar" / "fristen.ics"
    return path.read_bytes().decode("utf-8").replace("\r\n ", "")


def test_deadline_deployments_and_the_calendar(stack: Any, prefect_api: str) -> None:
    # A fresh install has the feeds from the start (written by `foerderflow up`).
    assert (stack.var_dir / "calendar" / "fristen.ics").exists()
    watch = MailWatch(stack.maildir)
    # 01.05.2028 is a holiday (1. Mai): a Frist (not a Termin) moves to Tuesday, 02.05.2028.
    # The morning sweep runs beside it, as it may at any time (the Frist is years ahead).
    runs_completed(
        (
            "frist-anlegen",
            {
                "kind": "sonstige",
                "title": TITLE,
                "due_date": "2028-05-01",
                "is_termin": False,
                "body": "Olfen",
                "contact_email": "fristen@olfen.example",
                "note": "Integrationstest",
                "entered_by": "Clara Koordination",
            },
        ),
        ("fristen-waechter", {}),
    )
    ((deadline_id, due, status),) = db_rows(
        stack.db_url, "select id, due_date, status from deadlines where title = :t", t=TITLE
    )
    assert (due, status) == (dt.date(2028, 5, 2), "offen")
    feed = _feed(stack)
    assert TITLE in feed and "DTSTART;VALUE=DATE:20280502" in feed
    mails = watch.wait(1, subject="02.05.2028", to="fristen@olfen.example")
    assert [m.recipients for m, _ in mails] == [["fristen@olfen.example"]]

    run_completed(
        "frist-erledigt",
        deadline_id=deadline_id,
        outcome="erledigt",
        entered_by="Clara Koordination",
        note="erledigt im Integrationstest",
    )
    assert TITLE not in _feed(stack)
