"""The pure half of the deadline sweep: windows, digest grouping and the rendered mail text.

No database and no SMTP here; expected values are written out by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from foerderflow.settings import PROJECT_ROOT
from models.deadline_inputs import FristErledigtInput, resolve_due_date
from models.deadlines import DeadlineError
from models.fristen_documents import (
    DueReminder,
    FristenDigestContext,
    build_digests,
    days_left_text,
    deadline_subject,
    digest_key,
    kind_label,
    needs_reminder,
    tightest_window,
    windows_to_record,
)
from tasks.compose import lint_mail_templates, render_mail_text
from tasks.sweep import compose_digest_mails

TEMPLATES = PROJECT_ROOT / "templates"
WINDOWS = [28, 14, 7, 2, 0]
TODAY = dt.date(2027, 3, 1)  # a Monday
COORDINATOR = "koordination@digitalagentur-coe.example"


def reminder(
    deadline_id: int,
    days_left: int,
    contact: str = "a@coesfeld.example",
    *,
    kind: str = "verwendungsnachweis",
    reference: str | None = "FA-2026-003",
    title: str = "Digitale Dorfplätze",
    is_termin: bool = False,
) -> DueReminder:
    window = tightest_window(days_left, WINDOWS)
    assert window is not None
    return DueReminder(
        deadline_id=deadline_id,
        kind=kind,
        title=title,
        reference=reference,
        due_date=TODAY + dt.timedelta(days=days_left),
        is_termin=is_termin,
        contact_email=contact,
        days_left=days_left,
        window=window,
    )


# --- Texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "text"),
    [
        (28, "noch 28 Tage"),
        (14, "noch 14 Tage"),
        (2, "noch 2 Tage"),
        (1, "noch 1 Tag"),
        (0, "heute fällig"),
        (-1, "seit 1 Tag überfällig"),
        (-3, "seit 3 Tagen überfällig"),
        (-30, "seit 30 Tagen überfällig"),
    ],
)
def test_days_left_text(days_left: int, text: str) -> None:
    assert days_left_text(days_left) == text


def test_kind_labels_and_subjects() -> None:
    assert kind_label("verwendungsnachweis") == "Verwendungsnachweis"
    assert kind_label("partnerantwort") == "Rückmeldung Partner"
    assert kind_label("unbekannt") == "unbekannt"
    assert deadline_subject("verwendungsnachweis", "FA-2026-003", "x") == (
        "Verwendungsnachweis FA-2026-003"
    )
    assert deadline_subject("gremientermin", None, "Ratssitzung Dülmen") == (
        "Gremientermin: Ratssitzung Dülmen"
    )


# --- Windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "window"),
    [
        (60, None),
        (29, None),
        (28, 28),
        (20, 28),
        (15, 28),
        (14, 14),
        (8, 14),
        (7, 7),
        (5, 7),
        (3, 7),
        (2, 2),
        (1, 2),
        (0, 0),
        (-1, -1),
        (-12, -12),
    ],
)
def test_tightest_window(days_left: int, window: int | None) -> None:
    assert tightest_window(days_left, WINDOWS) == window


def test_tightest_window_without_due_day_window() -> None:
    assert tightest_window(0, [28, 14, 7]) == 7
    assert tightest_window(-1, [28, 14, 7]) == -1
    assert tightest_window(3, []) is None


def test_created_five_days_before_gets_one_seven_day_reminder() -> None:
    # Nothing recorded yet: the 7-day window fires; 28 and 14 are recorded as skipped.
    assert needs_reminder(7, None)
    assert windows_to_record(7, WINDOWS, None) == [7, 28, 14]
    # Next days (4, 3 left): still window 7, recorded → nothing.
    assert not needs_reminder(tightest_window(4, WINDOWS), 7)
    assert not needs_reminder(tightest_window(3, WINDOWS), 7)
    # Two days left: the 2-day window fires alone.
    assert needs_reminder(2, 7)
    assert windows_to_record(2, WINDOWS, 7) == [2]


def test_first_seen_overdue_records_every_window_once() -> None:
    assert windows_to_record(-3, WINDOWS, None) == [-3, 28, 14, 7, 2, 0]
    assert windows_to_record(-4, WINDOWS, -3) == [-4]
    assert windows_to_record(-1, WINDOWS, 0) == [-1]


def test_simulated_days_fire_each_window_exactly_once() -> None:
    """Walk a deadline due in 30 days through 35 days of sweeps (pure)."""
    due = TODAY + dt.timedelta(days=30)
    recorded: set[int] = set()
    fired: list[tuple[int, int]] = []  # (day, window)
    for day in range(36):
        days_left = (due - (TODAY + dt.timedelta(days=day))).days
        window = tightest_window(days_left, WINDOWS)
        min_recorded = min(recorded) if recorded else None
        if needs_reminder(window, min_recorded):
            assert window is not None
            new = windows_to_record(window, WINDOWS, min_recorded)
            assert not recorded & set(new)
            recorded.update(new)
            fired.append((day, window))
    assert fired == [
        (2, 28), (16, 14), (23, 7), (28, 2), (30, 0),
        (31, -1), (32, -2), (33, -3), (34, -4), (35, -5),
    ]  # fmt: skip


# --- Digests ---------------------------------------------------------------------------------


def test_one_digest_per_recipient_sorted_by_due_date() -> None:
    items = [
        reminder(1, 14, "a@coesfeld.example"),
        reminder(2, 0, "A@Coesfeld.example ", kind="zwischennachweis"),
        reminder(3, 7, "b@duelmen.example", reference=None, kind="gremientermin",
                 title="Ratssitzung", is_termin=True),
        reminder(4, 2, "a@coesfeld.example", reference="FA-2026-001"),
    ]  # fmt: skip
    digests = build_digests(items, today=TODAY, coordinator_email=COORDINATOR, ui_url="http://ui")
    assert [d.recipient for d in digests] == ["a@coesfeld.example", "b@duelmen.example"]
    a, b = digests
    assert [e.deadline_id for e in a.entries] == [2, 4, 1]
    assert [e.days_left_text for e in a.entries] == ["heute fällig", "noch 2 Tage", "noch 14 Tage"]
    assert a.entries[0].due_text == "Montag, 01.03.2027"
    assert a.overdue_count == 0 and a.escalation_count == 0
    assert [e.subject for e in b.entries] == ["Gremientermin"]


def test_overdue_goes_to_contact_and_escalates_to_coordinator() -> None:
    items = [reminder(7, -3, "a@coesfeld.example"), reminder(8, 5, "a@coesfeld.example")]
    digests = build_digests(items, today=TODAY, coordinator_email=COORDINATOR, ui_url="http://ui")
    by = {d.recipient: d for d in digests}
    assert set(by) == {"a@coesfeld.example", COORDINATOR}
    own = by["a@coesfeld.example"]
    assert [(e.deadline_id, e.escalation) for e in own.entries] == [(7, False), (8, False)]
    assert own.overdue_count == 1
    coordinator = by[COORDINATOR]
    assert [(e.deadline_id, e.escalation) for e in coordinator.entries] == [(7, True)]
    assert coordinator.escalation_count == 1
    assert coordinator.entries[0].responsible == "a@coesfeld.example"


def test_coordinators_own_overdue_deadline_is_listed_once() -> None:
    items = [reminder(9, -1, COORDINATOR.upper())]
    digests = build_digests(items, today=TODAY, coordinator_email=COORDINATOR, ui_url="http://ui")
    assert len(digests) == 1
    assert [(e.deadline_id, e.escalation) for e in digests[0].entries] == [(9, False)]


def test_deadline_without_usable_contact_goes_to_the_coordinator() -> None:
    items = [reminder(5, 7, ""), reminder(6, 7, "kein Postfach"), reminder(7, 7, "a@b.example")]
    digests = build_digests(items, today=TODAY, coordinator_email=COORDINATOR, ui_url="http://ui")
    by = {d.recipient: d for d in digests}
    assert set(by) == {COORDINATOR, "a@b.example"}
    assert [(e.deadline_id, e.escalation) for e in by[COORDINATOR].entries] == [
        (5, True),
        (6, True),
    ]
    _, body = render_mail_text(TEMPLATES, "fristen_digest.txt", by[COORDINATOR])
    assert "Verantwortlich: – (keine gültige E-Mail-Adresse hinterlegt" in body
    assert "Verantwortlich: kein Postfach (keine gültige E-Mail-Adresse hinterlegt" in body


def test_digest_keys() -> None:
    assert (
        digest_key(TODAY, " A@Coesfeld.example") == "fristen-digest:2027-03-01:a@coesfeld.example"
    )
    assert digest_key(TODAY, "a@x.example", 2) == "fristen-digest:2027-03-01:a@x.example:nachtrag-2"
    long_key = digest_key(TODAY, "x" * 190 + "@example.org", 12)
    assert len(long_key) <= 200 and long_key.endswith(":nachtrag-12")


def test_rendered_digest_reads_like_a_letter() -> None:
    items = [
        reminder(11, 14, "a@coesfeld.example"),
        reminder(12, -3, "b@duelmen.example", kind="zwischennachweis", reference="FA-2026-001",
                 title="Smarte Bürgerdienste"),
        reminder(13, 0, "a@coesfeld.example", kind="gremientermin", reference=None,
                 title="Ratssitzung Coesfeld", is_termin=True),
    ]  # fmt: skip
    digests = build_digests(items, today=TODAY, coordinator_email=COORDINATOR, ui_url="http://ui")
    mails = {m.to[0]: m for m in compose_digest_mails(digests, TEMPLATES, {})}
    assert set(mails) == {"a@coesfeld.example", "b@duelmen.example", COORDINATOR}

    a = mails["a@coesfeld.example"]
    assert a.key == "fristen-digest:2027-03-01:a@coesfeld.example"
    assert a.owner == "fristen"
    assert a.subject == "Fristen am Montag, 01.03.2027: 2 Fristen"
    assert (
        "1. Gremientermin: Ratssitzung Coesfeld\n   Termin am Montag, 01.03.2027 – heute fällig"
        in a.body
    )
    assert "2. Verwendungsnachweis FA-2026-003: Digitale Dorfplätze\n" in a.body
    assert "   fällig am Montag, 15.03.2027 – noch 14 Tage\n   Frist-Nr. 11" in a.body
    assert a.body.index("Ratssitzung") < a.body.index("Digitale Dorfplätze")
    assert "Eskalation" not in a.body
    assert "frist-erledigt" in a.body and "http://ui" in a.body
    assert a.body.rstrip().endswith("Kreis Coesfeld und seine Städte und Gemeinden")

    b = mails["b@duelmen.example"]
    assert b.subject == "Fristen am Montag, 01.03.2027: 1 Frist, davon 1 überfällig"
    assert "seit 3 Tagen überfällig" in b.body
    assert "täglich erneut erinnert" in b.body
    assert "[Eskalation]" not in b.body

    c = mails[COORDINATOR]
    assert c.subject.endswith("1 Frist, davon 1 überfällig (Eskalation)")
    assert "1. [Eskalation] Zwischennachweis FA-2026-001: Smarte Bürgerdienste" in c.body
    assert "Verantwortlich: b@duelmen.example" in c.body
    assert "{{" not in c.body and "{%" not in c.body


def test_supplement_is_marked() -> None:
    digests = build_digests(
        [reminder(1, 2)],
        today=TODAY,
        coordinator_email=COORDINATOR,
        ui_url="http://ui",
        supplements=["A@coesfeld.example"],
    )
    subject, body = render_mail_text(TEMPLATES, "fristen_digest.txt", digests[0])
    assert subject.startswith("Nachtrag – Fristen am Montag, 01.03.2027")
    assert "weitere Erinnerungen hinzugekommen" in body


def test_digest_context_forbids_unknown_fields() -> None:
    with pytest.raises(ValueError):
        FristenDigestContext(  # type: ignore[call-arg]
            recipient="a@x.example",
            today=TODAY,
            today_text="",
            entries=[],
            overdue_count=0,
            escalation_count=0,
            ui_url="",
            unknown=1,
        )


def test_mail_templates_match_their_contexts(tmp_path: Path) -> None:
    problems = [p for p in lint_mail_templates(TEMPLATES) if "fristen_" in p]
    assert problems == []


# --- Due date of a deadline entered by hand --------------------------------------------------


def test_frist_on_saturday_before_first_of_may_moves_to_tuesday() -> None:
    result = resolve_due_date(dt.date(2028, 4, 29), is_termin=False, note="Bescheid Nr. 4.2")
    assert result.end == dt.date(2028, 5, 2)
    assert result.moved
    assert (
        "Fristende fällt auf Samstag, 29.04.2028 → nächster Werktag: Dienstag, 02.05.2028 "
        "(1. Mai ist Feiertag)"
    ) in result.explanation
    assert result.explanation.endswith("Grundlage: Bescheid Nr. 4.2")


def test_frist_on_sunday_moves_to_monday_for_the_weekend() -> None:
    result = resolve_due_date(dt.date(2027, 3, 7), is_termin=False)
    assert result.end == dt.date(2027, 3, 8)
    assert "(Wochenende)" in result.explanation


def test_frist_on_working_day_stays() -> None:
    result = resolve_due_date(dt.date(2027, 3, 3), is_termin=False)
    assert result.end == dt.date(2027, 3, 3) and not result.moved
    assert "Fristende: Mittwoch, 03.03.2027 (Werktag)" in result.explanation


def test_termin_on_holiday_never_moves() -> None:
    result = resolve_due_date(dt.date(2027, 12, 25), is_termin=True)
    assert result.end == dt.date(2027, 12, 25) and result.is_termin and not result.moved
    assert "nicht verschoben" in result.explanation


def test_unsupported_year_is_a_german_error() -> None:
    with pytest.raises(DeadlineError, match="Feiertagsdaten"):
        resolve_due_date(dt.date(2500, 1, 2), is_termin=False)


def test_frist_erledigt_needs_id_or_reference_and_kind() -> None:
    with pytest.raises(ValueError, match="Frist-Nr"):
        FristErledigtInput(entered_by="Anna Schmidt", reference="FA-2026-003")
    assert FristErledigtInput(entered_by="Anna Schmidt", deadline_id=3).deadline_id == 3
