"""The strategy cycle's plain step functions against the real database and SMTP server."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import docx_text, inbox_mails

from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.deadlines import compute_deadline
from models.errors import InputError, NotFoundError
from models.strategy import ProjectStatus
from models.strategy_inputs import (
    BeschlussInput,
    FortschreibungInput,
    KonsolidierungInput,
    StatusmeldungInput,
)
from models.tables import (
    Application,
    ApplicationPartner,
    AuditEvent,
    Body,
    Deadline,
    Document,
    OutboxMail,
    Programme,
    Project,
    ProjectStatusEntry,
    StepRequest,
    StrategyBodyReport,
    StrategyCycle,
    StrategyRelease,
    StrategyResolution,
)
from tasks.mail import YagmailTransport, deliver
from tasks.strategy import link_application
from tasks.strategy_consolidate import consolidate_cycle
from tasks.strategy_open import open_cycle
from tasks.strategy_overview import cycle_overview, progress_markdown
from tasks.strategy_report import record_report
from tasks.strategy_resolution import record_resolution

YEAR = 2027
OPENED = dt.date(2027, 1, 15)  # a Friday
LATER = dt.date(2027, 3, 1)
OWNER = f"strategie-{YEAR}"
BODIES = [
    "Kreis Coesfeld", "Ascheberg", "Billerbeck", "Coesfeld", "Dülmen", "Havixbeck",
    "Lüdinghausen", "Nordkirchen", "Nottuln", "Olfen", "Rosendahl", "Senden",
]  # fmt: skip


def _counts(services: Services) -> dict[str, int]:
    tables = (
        AuditEvent, Deadline, Document, OutboxMail, Project, ProjectStatusEntry, StepRequest,
        StrategyCycle, StrategyResolution, StrategyRelease,
    )  # fmt: skip
    with services.sessions() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in tables
        }


def _open(services: Services, **kw: object) -> object:
    data = FortschreibungInput.model_validate({"year": YEAR, "entered_by": "Anna", **kw})
    return open_cycle(services, data, OPENED)


def _report(services: Services, body: str, entries: list[dict], today: dt.date = OPENED, **kw):
    data = StatusmeldungInput.model_validate(
        {"year": YEAR, "body": body, "entries": entries, "entered_by": "Bernd", **kw}
    )
    return record_report(services, data, today)


def _resolve(services: Services, body: str, outcome: str = "beschlossen", **kw):
    today = kw.pop("today", LATER + dt.timedelta(days=30))
    data = BeschlussInput.model_validate(
        {
            "year": YEAR,
            "body": body,
            "outcome": outcome,
            "meeting_date": kw.pop("meeting_date", LATER),
            "entered_by": "Carla",
            **kw,
        }
    )
    return record_resolution(services, data, today)


def _own_codes(services: Services, body: str) -> list[str]:
    from tasks.strategy import project_views

    with services.sessions() as session:
        return [p.code for p in project_views(session) if p.takes_part(body)]


def _all_reported(services: Services, skip: str | None = None) -> None:
    for body in BODIES:
        if body == skip:
            continue
        codes = _own_codes(services, body)[:1]
        _report(services, body, [{"project_code": c, "status": "in_umsetzung"} for c in codes])


def _consolidate(services: Services, today: dt.date = dt.date(2027, 2, 27)):
    data = KonsolidierungInput(year=YEAR, entered_by="Anna")
    return consolidate_cycle(services, data, today)


# --- strategie-fortschreibung ---------------------------------------------------------------


def test_open_cycle_sends_twelve_requests_with_deadlines(seeded: Services) -> None:
    out = _open(seeded)
    assert out.step == "strategie-fortschreibung" and len(out.documents) == 12
    due = compute_deadline(OPENED, weeks=6).end
    assert due == dt.date(2027, 2, 26)
    with seeded.sessions() as session:
        deadlines = session.scalars(
            select(Deadline).where(Deadline.owner == OWNER, Deadline.kind == "statusmeldung")
        ).all()
        assert len(deadlines) == 12 and {d.due_date for d in deadlines} == {due}
        assert {d.status for d in deadlines} == {"offen"}
        mails = session.scalars(select(OutboxMail).where(OutboxMail.owner == OWNER)).all()
        assert len(mails) == 12
        duelmen = next(m for m in mails if m.recipients == ["digitalisierung@duelmen.example"])
        assert duelmen.subject == (
            "Statusabfrage Digitalisierungsstrategie 2027: Rückmeldung bis Freitag, 26.02.2027 "
            "(Stadt Dülmen)"
        )
        doc = session.get_one(Document, duelmen.attachment_ids[0])
    text = docx_text(Path(doc.path))
    assert "Stadt Dülmen" in text and "Freitag, 26.02.2027" in text
    rows = {r[0]: r for r in (line.split(" | ") for line in text.splitlines()) if len(r) == 7}
    marketplace, booking = rows["HF4-01"], rows["HF2-04"]
    assert marketplace[1:3] == ["Regionaler Online-Marktplatz (Heimat 2.0)", "Wirtschaft & Arbeit"]
    assert booking[1:3] == ["Online-Terminvergabe in den Bürgerbüros", "Verwaltung & Bürgerservice"]
    assert marketplace[4] == booking[4] == "in Umsetzung"
    assert marketplace[3] != booking[3]  # Dülmen leads the one and takes part in the other
    assert "HF2-03" not in text  # abgeschlossen before the cycle: not asked again


def test_open_twice_changes_nothing_and_other_input_is_refused(seeded: Services) -> None:
    _open(seeded)
    before = _counts(seeded)
    again = _open(seeded)
    assert again.repeated and _counts(seeded) == before
    refused = r"Die Fortschreibung 2027 ist bereits seit dem 15\.01\.2027"
    with pytest.raises(InputError, match=refused):
        _open(seeded, response_due="2027-03-31")
    assert _counts(seeded) == before


def test_open_refuses_a_deadline_in_the_past(seeded: Services) -> None:
    with pytest.raises(InputError, match="muss in der Zukunft liegen"):
        _open(seeded, response_due="2027-01-10")
    assert _counts(seeded)["strategy_cycles"] == 0


# --- strategie-statusmeldung ---------------------------------------------------------------


def test_report_without_cycle_unknown_and_foreign_projects_are_refused(seeded: Services) -> None:
    with pytest.raises(NotFoundError, match="Für das Jahr 2027 ist keine Fortschreibung"):
        _report(seeded, "Olfen", [{"project_code": "HF3-04", "status": "abgeschlossen"}])
    _open(seeded)
    before = _counts(seeded)
    with pytest.raises(
        NotFoundError, match="Der Projekt-Code HF1-99 ist in der Projektliste nicht bekannt"
    ):
        _report(seeded, "Olfen", [{"project_code": "HF1-99", "status": "abgeschlossen"}])
    with pytest.raises(InputError, match="Stadt Olfen ist an HF1-03 „Volkshochschule digital"):
        _report(seeded, "Olfen", [{"project_code": "HF1-03", "status": "abgeschlossen"}])
    assert _counts(seeded) == before


def test_report_is_recorded_replaced_and_repeats_change_nothing(seeded: Services) -> None:
    _open(seeded)
    first = [{"project_code": "HF3-04", "status": "abgeschlossen", "note": "Radrouten online"}]
    out = _report(seeded, "Olfen", first)
    assert out.headline == "Statusmeldung Stadt Olfen erfasst"
    with seeded.sessions() as session:
        deadline = session.scalar(
            select(Deadline).where(Deadline.key == f"{OWNER}:statusmeldung:olfen")
        )
        assert deadline is not None and deadline.status == "erledigt"
    before = _counts(seeded)
    assert _report(seeded, "Olfen", first).repeated
    assert _counts(seeded) == before

    second = [{"project_code": "HF3-04", "status": "in_umsetzung", "note": "Mängelmelder fehlt"}]
    out = _report(seeded, "Olfen", second)
    assert "ersetzt (2. Fassung)" in out.headline
    out = _report(seeded, "Olfen", first)  # A, B, A: the third report applies again
    assert not out.repeated and "3. Fassung" in out.headline
    with seeded.sessions() as session:
        entries = session.scalars(select(ProjectStatusEntry)).all()
        assert [(e.status, e.note) for e in entries] == [("abgeschlossen", "Radrouten online")]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.owner == OWNER).order_by(AuditEvent.id)
        ).all()
        assert actions.count("Statusmeldung ersetzt") == 2
        report = session.scalar(select(StrategyBodyReport).where(StrategyBodyReport.version == 3))
        assert report is not None and report.state == "gemeldet"


def test_new_projects_get_the_next_code_and_a_replacement_keeps_it(seeded: Services) -> None:
    _open(seeded)
    proposal = {
        "title": "Digitale Sitzungsräume in Dorfgemeinschaftshäusern",
        "handlungsfeld": "Gesellschaft & Ehrenamt",
        "participants": ["Billerbeck"],
        "description": "Videokonferenztechnik für Vereine.",
    }
    out = _report(seeded, "Rosendahl", [], new_projects=[proposal])
    assert ("HF7-04", "neu vorgeschlagen (geplant)") in out.facts
    out = _report(
        seeded,
        "Rosendahl",
        [{"project_code": "HF7-03", "status": "in_umsetzung"}],
        new_projects=[proposal],
    )
    assert ("HF7-04", "neu vorgeschlagen (geplant)") in out.facts
    with seeded.sessions() as session:
        codes = session.scalars(select(Project.code).where(Project.source == "vorschlag")).all()
        assert codes == ["HF7-04"]
    with pytest.raises(InputError, match="gibt es bereits \\(HF2-04\\)"):
        _report(
            seeded,
            "Olfen",
            [],
            new_projects=[
                {
                    "title": "Online-Terminvergabe in den Bürgerbüros",
                    "handlungsfeld": "Verwaltung & Bürgerservice",
                }
            ],
        )
    _report(seeded, "Rosendahl", [{"project_code": "HF7-03", "status": "in_umsetzung"}])
    with seeded.sessions() as session:  # the proposal was withdrawn with the new report
        assert session.scalar(select(Project).where(Project.code == "HF7-04")) is None


def test_late_report_is_marked_and_the_twelfth_asks_for_consolidation(seeded: Services) -> None:
    _open(seeded)
    _all_reported(seeded, skip="Senden")
    out = _report(
        seeded,
        "Senden",
        [{"project_code": "HF8-01", "status": "in_umsetzung"}],
        today=dt.date(2027, 3, 3),
    )
    assert out.follow_up == "konsolidierung"
    assert any("nach Ablauf der Rückmeldefrist" in w for w in out.warnings)
    view = cycle_overview(seeded, YEAR)
    assert view is not None and view.reported == 12
    senden = next(r for r in view.rows if r["Körperschaft"] == "Gemeinde Senden")
    assert senden["Statusmeldung"] == "gemeldet am 03.03.2027 (verspätet)"


# --- strategie-konsolidierung ----------------------------------------------------------------


def test_consolidation_renders_draft_and_twelve_papers_once(seeded: Services) -> None:
    _open(seeded)
    _all_reported(seeded, skip="Havixbeck")
    _report(seeded, "Coesfeld", [{"project_code": "HF2-04", "status": "abgeschlossen"}])
    out = _consolidate(seeded)
    assert len(out.documents) == 13 and len(out.outbox_ids) == 13
    assert any("Ohne Statusmeldung: Gemeinde Havixbeck" in w for w in out.warnings)
    with seeded.sessions() as session:
        cycle = session.scalar(select(StrategyCycle))
        assert cycle is not None and cycle.status == "beschlussfassung"
        numbers = session.scalars(select(StrategyBodyReport.council_paper_number)).all()
        assert sorted(numbers) == [f"SV-27-{n:04d}" for n in range(1, 13)]
        status = session.scalar(select(Project.status).where(Project.code == "HF2-04"))
        assert status == "abgeschlossen"
        package = session.scalar(
            select(OutboxMail).where(OutboxMail.key == f"{OWNER}:gesamtpaket:v1")
        )
        assert package is not None and len(package.attachment_ids) == 13
        assert package.recipients == ["koordination@digitalagentur-coe.example"]
    before = _counts(seeded)
    assert _consolidate(seeded).repeated and _counts(seeded) == before

    # a late report after the consolidation: a new run produces version 2
    _report(seeded, "Havixbeck", [{"project_code": "HF8-04", "status": "abgeschlossen"}])
    second = _consolidate(seeded)
    assert not second.repeated and {d.version for d in second.documents} == {2}


# --- strategie-beschluss ---------------------------------------------------------------------


def _ready(services: Services) -> None:
    _open(services)
    _all_reported(services)
    _consolidate(services)


def test_resolution_is_refused_without_cycle_before_consolidation_and_in_future(
    seeded: Services,
) -> None:
    with pytest.raises(NotFoundError, match="Für das Jahr 2027 ist keine Fortschreibung"):
        _resolve(seeded, "Olfen")
    _open(seeded)
    with pytest.raises(InputError, match="noch keine Sitzungsvorlagen"):
        _resolve(seeded, "Olfen")
    with pytest.raises(InputError, match="liegt in der Zukunft"):
        _resolve(seeded, "Olfen", today=LATER - dt.timedelta(days=1))
    assert _counts(seeded)["strategy_resolutions"] == 0


def test_deferral_creates_follow_up_and_escalates(seeded: Services) -> None:
    _ready(seeded)
    out = _resolve(seeded, "Nottuln", "vertagt", note="Beratungsbedarf in der Fraktion")
    assert any("eskaliert" in w for w in out.warnings)
    follow_up = compute_deadline(LATER, weeks=8).end
    with seeded.sessions() as session:
        deadline = session.scalar(select(Deadline).where(Deadline.kind == "gremientermin"))
        assert deadline is not None and deadline.due_date == follow_up
        assert deadline.contact_email == "digitalisierung@nottuln.example"
        mail = session.scalar(
            select(OutboxMail).where(OutboxMail.key.like(f"{OWNER}:beschluss:nottuln:%"))
        )
        assert mail is not None
        assert mail.recipients == ["koordination@digitalagentur-coe.example"]
        assert mail.cc == ["digitalisierung@nottuln.example"]
        assert mail.subject == (
            "Eskalation Fortschreibung 2027: Beschluss des Rates der Gemeinde Nottuln – vertagt"
        )
        assert "Beratungsbedarf in der Fraktion" in mail.body
    # the later meeting adopts it and closes the follow-up
    _resolve(seeded, "Nottuln", meeting_date=follow_up, today=follow_up)
    with seeded.sessions() as session:
        deadline = session.scalar(select(Deadline).where(Deadline.kind == "gremientermin"))
        assert deadline is not None and deadline.status == "erledigt"
    view = cycle_overview(seeded, YEAR)
    assert view is not None
    nottuln = next(r for r in view.rows if r["Körperschaft"] == "Gemeinde Nottuln")
    assert nottuln["Beschluss"] == f"beschlossen am {follow_up:%d.%m.%Y}"


def test_deferral_with_a_given_next_meeting_is_a_termin(seeded: Services) -> None:
    _ready(seeded)
    _resolve(seeded, "Olfen", "vertagt", next_meeting="2027-04-24")  # a Saturday
    with seeded.sessions() as session:
        deadline = session.scalar(select(Deadline).where(Deadline.kind == "gremientermin"))
        assert deadline is not None and deadline.is_termin
        assert deadline.due_date == dt.date(2027, 4, 24)


def test_twelve_concurrent_resolutions_lift_the_restriction_exactly_once(
    seeded: Services, smtp: LocalInbox
) -> None:
    settings = seeded.settings.model_copy(
        update={"strategy_restricted_amount_eur": Decimal("250000")}
    )
    services = Services(settings, seeded.sessions, YagmailTransport)
    _ready(services)
    deliver(services.sessions, settings, YagmailTransport)
    seen = {m.key for m in inbox_mails(smtp.maildir)}
    barrier = threading.Barrier(len(BODIES))

    def resolve(body: str):
        barrier.wait()
        return _resolve(services, body)

    with ThreadPoolExecutor(max_workers=len(BODIES)) as pool:
        outcomes = list(pool.map(resolve, BODIES))
    assert sum(1 for o in outcomes if o.released) == 1
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StrategyResolution)) == 12
        assert session.scalar(select(func.count()).select_from(StrategyRelease)) == 1
        release = session.scalar(select(StrategyRelease))
        assert release is not None and release.amount_cents == 25_000_000
        keys = session.scalars(
            select(OutboxMail.key).where(OutboxMail.key == f"{OWNER}:sperrvermerk-freigabe")
        ).all()
        assert len(keys) == 1
        cycle = session.scalar(select(StrategyCycle))
        assert cycle is not None and cycle.status == "abgeschlossen"
    deliver(services.sessions, settings, YagmailTransport)
    new = [m for m in inbox_mails(smtp.maildir) if m.key not in seen]
    assert len(new) == 1
    mail = new[0]
    assert mail.subject == (
        "Aufhebung des Sperrvermerks: Fortschreibung der Digitalisierungsstrategie 2027 von "
        "allen Gremien beschlossen"
    )
    assert len(mail.recipients) == 12 and "250.000,00\u00a0€" in mail.body
    assert mail.attachments == [f"{OWNER}_freigabe_v1.docx"]

    # every step again: nothing changes, nothing is sent
    before = _counts(services)
    assert all(_resolve(services, body).repeated for body in BODIES)
    assert _counts(services) == before
    with pytest.raises(InputError, match="bereits von allen Gremien beschlossen"):
        _resolve(services, "Olfen", "abgelehnt", meeting_date=LATER + dt.timedelta(days=1))
    view = cycle_overview(services, YEAR)
    assert view is not None
    text = progress_markdown(view)
    assert "| Beschlüsse | 12/12 |" in text and "aufgehoben am" in text


def test_funding_of_linked_applications_reaches_the_draft(seeded: Services) -> None:
    with seeded.sessions.begin() as session:
        bodies = {b.name: b for b in session.scalars(select(Body))}
        programme = session.scalar(select(Programme).where(Programme.name == "Heimat 2.0"))
        assert programme is not None
        for ref, stage, requested, granted, partners in (
            ("FA-2026-001", "bewilligt", 45_000_000, 40_000_000, ["Coesfeld", "Olfen"]),
            ("FA-2026-002", "eingereicht", 18_000_000, None, ["Olfen"]),
            ("FA-2026-003", "entwurf", 9_000_000, None, []),
        ):
            app = Application(
                reference=ref, year=2026, stage=stage, title=f"Vorhaben {ref}", summary="…",
                lead_body_id=bodies["Dülmen"].id, programme_id=programme.id,
                estimated_costs_cents=requested * 2, coordinator_email="k@example.org",
                created_by="Test", fingerprint=ref, requested_grant_cents=requested,
                granted_cents=granted,
            )  # fmt: skip
            session.add(app)
            session.flush()
            session.add(
                ApplicationPartner(
                    application_id=app.id, body_id=bodies["Dülmen"].id, position=0, is_lead=True
                )
            )
            for i, name in enumerate(partners, start=1):
                session.add(
                    ApplicationPartner(
                        application_id=app.id, body_id=bodies[name].id, position=i,
                        decision="zugesagt",
                    )
                )  # fmt: skip
    for ref in ("FA-2026-001", "FA-2026-002", "FA-2026-003"):
        link_application(seeded, ref, "HF4-01")
    _open(seeded)
    _all_reported(seeded)
    out = _consolidate(seeded)
    draft = next(d for d in out.documents if d.kind == "entwurf")
    text = docx_text(Path(draft.path))
    assert "Stadt Dülmen | 2 | 630.000,00\u00a0€ | 400.000,00\u00a0€" in text
    assert "Stadt Olfen | 2 | 630.000,00\u00a0€ | 400.000,00\u00a0€" in text
    assert "Stadt Coesfeld | 1 | 450.000,00\u00a0€ | 400.000,00\u00a0€" in text
    assert "Gemeinde Senden | 0 | 0,00\u00a0€ | 0,00\u00a0€" in text
    # Dülmen, Olfen and the total line (which counts each application once)
    assert (
        sum(
            line.endswith(" | 2 | 630.000,00\u00a0€ | 400.000,00\u00a0€")
            for line in text.splitlines()
        )
        == 3
    )
    assert "FA-2026-002" in text and "FA-2026-003" not in text  # the draft is not submitted yet
    with pytest.raises(NotFoundError, match="HF9-01"):
        link_application(seeded, "FA-2026-001", "HF9-01")


# --- the project list in the seed ------------------------------------------------------------


def test_seed_imports_the_project_list_idempotently(services: Services, tmp_path: Path) -> None:
    import shutil

    from tasks.reference_data import seed_reference_data

    data = services.settings.data_dir
    with services.sessions.begin() as session:
        first = seed_reference_data(session, data)
    assert first.projects.created == 32
    with services.sessions.begin() as session:
        second = seed_reference_data(session, data)
    assert not second.changed and second.projects.unchanged == 32
    assert "Projektliste: 0 neu, 0 aktualisiert, 32 unverändert" in second.describe()

    _open(services)  # a report makes the reports own the status of HF3-04
    _report(services, "Olfen", [{"project_code": "HF3-04", "status": "abgeschlossen"}])
    _consolidate(services)
    edited = tmp_path / "data"
    shutil.copytree(data, edited)
    path = edited / "projektliste.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Online-Terminvergabe in den Bürgerbüros",
        "title: Online-Terminvergabe in Bürgerbüros und Standesämtern",
    )
    text = text.replace(
        "participants: [Coesfeld]\n    status: zurueckgestellt",
        "participants: [Coesfeld, Olfen]\n    status: zurueckgestellt",
    )
    path.write_text(text, encoding="utf-8")
    with services.sessions.begin() as session:
        third = seed_reference_data(session, edited)
    assert third.projects.updated == 2 and third.projects.created == 0
    with services.sessions() as session:
        from tasks.strategy import project_views

        views = {p.code: p for p in project_views(session)}
    assert views["HF2-04"].title == "Online-Terminvergabe in Bürgerbüros und Standesämtern"
    assert views["HF3-03"].participants == ["Coesfeld", "Olfen"]
    assert views["HF3-04"].status is ProjectStatus.ABGESCHLOSSEN  # the report, not the file


def test_a_second_deferral_replaces_the_follow_up_and_a_correction_moves_it(
    seeded: Services,
) -> None:
    _ready(seeded)
    _resolve(seeded, "Olfen", "vertagt", next_meeting="2027-04-22")
    _resolve(seeded, "Olfen", "vertagt", next_meeting="2027-04-29")  # corrected date
    second = dt.date(2027, 4, 29)
    _resolve(seeded, "Olfen", "vertagt", meeting_date=second, today=second)  # deferred again
    with seeded.sessions() as session:
        rows = session.execute(
            select(Deadline.due_date, Deadline.status)
            .where(Deadline.kind == "gremientermin")
            .order_by(Deadline.id)
        ).all()
        corrections = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "Beschluss korrigiert")
        )
    assert [tuple(r) for r in rows] == [
        (dt.date(2027, 4, 29), "erledigt"),
        (compute_deadline(second, weeks=8).end, "offen"),
    ]
    assert corrections == 1
