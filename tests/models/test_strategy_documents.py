"""The strategy documents, rendered from the committed templates and read back as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from support import docx_text

from models.bodies import BodyRecord, BodyView
from models.strategy import (
    BodyCycleView,
    FundingApplication,
    ProjectRecord,
    ProjectStatus,
    ProjectView,
    ReportedStatus,
    ReportState,
    ResolutionView,
    consolidate,
    funding_by_body,
)
from models.strategy_documents import (
    MAIL_ESKALATION,
    MAIL_FREIGABE,
    MAIL_STATUSABFRAGE,
    MAIL_VORLAGE,
    CycleFacts,
    ResolutionRecord,
    council_paper_mail_context,
    entwurf_context,
    escalation_mail_context,
    freigabe_context,
    release_mail_context,
    sitzungsvorlage_strategie_context,
    status_request_mail_context,
    status_table_rows,
    statusabfrage_context,
)
from tasks.compose import lint_mail_templates, render_mail_text
from tasks.documents import lint_templates, render_docx

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
EUR = "\u00a0€"


def _bodies() -> list[BodyView]:
    items = yaml.safe_load((ROOT / "data" / "koerperschaften.yaml").read_text())["koerperschaften"]
    out = []
    for i, item in enumerate(items, start=1):
        rec = BodyRecord.model_validate(item)
        out.append(
            BodyView(
                id=i,
                slug=rec.slug,
                name=rec.name,
                official_name=rec.official_name,
                kind=rec.kind.value,
                council=rec.council,
                legal_basis=rec.legal_basis,
                email=str(rec.email),
                population=rec.population,
            )
        )
    return out


def _projects() -> list[ProjectView]:
    items = yaml.safe_load((ROOT / "data" / "projektliste.yaml").read_text())["projekte"]
    out = []
    for item in items:
        rec = ProjectRecord.model_validate(item)
        out.append(
            ProjectView(
                code=rec.code,
                title=rec.title,
                field=rec.handlungsfeld,
                lead=rec.lead,
                participants=rec.participant_names(),
                status=rec.status,
                description=rec.description,
            )
        )
    out.append(
        ProjectView(
            code="HF7-04",
            title="Sitzungsräume für Vereine & <Initiativen>",
            field="Gesellschaft & Ehrenamt",
            lead="Rosendahl",
            participants=["Billerbeck"],
            status="geplant",
            description="Videokonferenztechnik für Dorfgemeinschaftshäuser.",
            source="vorschlag",
        )
    )
    return out


BASELINE = {p.code: p.status.value for p in _projects() if p.code != "HF7-04"}


def _facts(amount: int | None = 25_000_000, missing: tuple[str, ...] = ("Havixbeck",)):
    bodies = _bodies()
    by_name = {b.name: b for b in bodies}
    reports = [
        ReportedStatus(
            project_code="HF2-04",
            body="Coesfeld",
            body_label="Stadt Coesfeld",
            status="abgeschlossen",
            note="Seit Oktober in allen Bürgerbüros im Einsatz",
        ),
        ReportedStatus(
            project_code="HF2-04", body="Billerbeck", body_label="Stadt Billerbeck",
            status="in_umsetzung",
        ),
        ReportedStatus(
            project_code="HF3-03", body="Dülmen", body_label="Stadt Dülmen", status="verworfen",
            note="Keine Finanzierung in Sicht",
        ),
        ReportedStatus(
            project_code="HF3-02", body="Kreis Coesfeld", body_label="Kreis Coesfeld",
            status="zurueckgestellt", note="Förderaufruf des Landes abwarten",
        ),
    ]  # fmt: skip
    states = [
        BodyCycleView(
            body=b.name,
            official_name=b.official_name,
            slug=b.slug,
            report_state=ReportState.OFFEN if b.name in missing else ReportState.GEMELDET,
            version=0 if b.name in missing else 1,
            reported_on=None if b.name in missing else dt.date(2027, 2, 10),
            late=b.name == "Rosendahl",
            response_due=dt.date(2027, 2, 26),
            paper_number=f"SV-27-{i:04d}",
        )
        for i, b in enumerate(bodies, start=1)
    ]
    funding = funding_by_body(
        [
            FundingApplication(
                reference="FA-2026-001",
                title="Heimat-Marktplatz",
                project_code="HF4-01",
                stage="bewilligt",
                lead="Dülmen",
                bodies=["Dülmen", "Olfen", "Coesfeld"],
                requested_cents=45_000_000,
                granted_cents=40_000_000,
            ),
            FundingApplication(
                reference="FA-2026-002",
                title="Radrouten",
                project_code="HF3-04",
                stage="eingereicht",
                lead="Olfen",
                bodies=["Olfen"],
                requested_cents=18_000_000,
                granted_cents=None,
            ),
        ],
        [b.name for b in bodies],
    )
    assert by_name
    return CycleFacts(
        year=2027,
        version=1,
        today=dt.date(2027, 3, 3),
        opened_on=dt.date(2027, 1, 15),
        response_due=dt.date(2027, 2, 26),
        bodies=bodies,
        states=states,
        rows=consolidate(_projects(), BASELINE, reports),
        funding=funding,
        restricted_amount_cents=amount,
    )


def _render(template: str, context: object) -> str:
    return docx_text(render_docx(TEMPLATES / template, context))  # type: ignore[arg-type]


def _body(name: str) -> BodyView:
    return next(b for b in _bodies() if b.name == name)


def test_templates_and_mails_match_their_context_models() -> None:
    assert [p for p in lint_templates(TEMPLATES) if "strategie" in p] == []
    assert [p for p in lint_mail_templates(TEMPLATES) if "strategie" in p] == []


def test_status_request_lists_the_bodys_projects_with_last_years_status() -> None:
    olfen = _body("Olfen")
    context = statusabfrage_context(
        year=2027,
        body=olfen,
        projects=_projects(),
        baseline=BASELINE,
        response_due=dt.date(2027, 2, 26),
        today=dt.date(2027, 1, 15),
        coordinator_email="koordination@digitalagentur-coe.example",
        entered_by="Anna Schmidt",
    )
    text = _render("strategie_statusabfrage.docx", context)
    assert "Stadt Olfen" in text and "Rückmeldung erbeten bis Freitag, 26.02.2027" in text
    assert (
        "HF3-04 | Radverkehr digital – Radrouten und Mängelmelder | Mobilität | Federführung | "
        "in Umsetzung |  | " in text
    )
    assert (
        "HF8-03 | Frühwarnsystem für Hochwasser und Starkregen | Umwelt & Energie | "
        "Federführung | zurückgestellt" in text
    )
    assert "HF2-02 | Einführung der E-Akte und digitaler Vorgangsbearbeitung" in text
    assert "HF6-02" not in text  # abgeschlossen before the cycle
    assert "HF7-04" not in text  # not in the baseline: proposed during the cycle
    assert "an denen die Stadt Olfen beteiligt ist" in text
    subject, body = render_mail_text(
        TEMPLATES,
        MAIL_STATUSABFRAGE,
        status_request_mail_context(context, olfen, dt.date(2027, 2, 26)),
    )
    assert subject == (
        "Statusabfrage Digitalisierungsstrategie 2027: Rückmeldung bis Freitag, 26.02.2027 "
        "(Stadt Olfen)"
    )
    assert "für die Stadt Olfen" in body and "in Ihrer Federführung" in body


def test_draft_has_project_table_changes_funding_and_missing_bodies() -> None:
    text = _render("strategie_entwurf.docx", entwurf_context(_facts()))
    assert text.startswith("Fortschreibung der Digitalisierungsstrategie 2027")
    assert "Entwurf, Fassung v1, Stand 03.03.2027" in text
    # the project table, grouped by Handlungsfeld, last year against this year
    assert "HF2 Verwaltung & Bürgerservice" in text and "HF8 Umwelt & Energie" in text
    assert (
        "HF2-04 | Online-Terminvergabe in den Bürgerbüros | Coesfeld | Billerbeck, Dülmen, "
        "Havixbeck, Rosendahl | in Umsetzung | abgeschlossen | Seit Oktober in allen "
        "Bürgerbüros im Einsatz. Abweichende Meldung: Stadt Billerbeck: in Umsetzung." in text
    )
    assert (
        "HF2-01 | Gemeinsames Serviceportal zur Umsetzung des Onlinezugangsgesetzes | "
        "Kreis Coesfeld | alle weiteren Körperschaften | in Umsetzung | in Umsetzung" in text
    )
    assert (
        "HF7-04 | Sitzungsräume für Vereine & <Initiativen> | Rosendahl | Billerbeck | neu | "
        "geplant | Neu auf Vorschlag der Gemeinde Rosendahl." in text
    )
    assert "Code | Projekt | Federführung | Beteiligt | Stand 2026 | Stand 2027 | Vermerk" in text
    assert "HF2-03 " not in text.split("4. Veränderungen")[0].split("Nicht mehr aufgeführt")[0]
    assert (
        "Nicht mehr aufgeführt sind die bereits abgeschlossenen Projekte HF2-03, HF5-02, "
        "HF6-02 und HF8-04" in text
    )
    # changes since last year
    assert (
        "Gegenüber dem Vorjahr wurde ein Projekt neu aufgenommen, ein Projekt wurde "
        "abgeschlossen, ein Projekt wurde zurückgestellt und ein Projekt wurde verworfen." in text
    )
    assert (
        "HF3-03 „Digitales Parkraummanagement in den Innenstädten“ (Federführung: Stadt "
        "Dülmen; bisher: zurückgestellt) – Keine Finanzierung in Sicht." in text
    )
    # funding per body and in total
    assert f"Stadt Dülmen | 1 | 450.000,00{EUR} | 400.000,00{EUR}" in text
    assert f"Stadt Olfen | 2 | 630.000,00{EUR} | 400.000,00{EUR}" in text
    assert f"Gemeinde Nottuln | 0 | 0,00{EUR} | 0,00{EUR}" in text
    assert f"Insgesamt (jeder Antrag einmal) | 2 | 630.000,00{EUR} | 400.000,00{EUR}" in text
    assert (
        f"FA-2026-001 | Heimat-Marktplatz | HF4-01 | Dülmen | 450.000,00{EUR} | "
        f"400.000,00{EUR}" in text
    )
    assert (
        "zwei Förderanträge mit einer beantragten Zuwendung von insgesamt "
        f"630.000,00{EUR} eingereicht; bewilligt wurden davon 400.000,00{EUR}." in text
    )
    # who did not report, who was late
    assert "Keine Meldung liegt vor von der Gemeinde Havixbeck" in text
    assert "Ohne Statusmeldung:\nGemeinde Havixbeck" in text
    assert (
        "Die Meldung der Gemeinde Rosendahl ging erst nach Ablauf der Frist am "
        "26.02.2027 ein" in text
    )
    assert f"Mittel in Höhe von 250.000,00{EUR} stehen unter Sperrvermerk" in text


def test_council_paper_of_the_kreistag_with_restriction() -> None:
    facts = _facts()
    context = sitzungsvorlage_strategie_context(facts, _body("Kreis Coesfeld"), "SV-27-0001")
    text = _render("sitzungsvorlage.docx", context)
    assert (
        "Sitzungsvorlage SV-27-0001" in text
        and "Beratungsfolge | Kreistag des Kreises Coesfeld" in text
    )
    assert (
        "Betreff: Fortschreibung der Digitalisierungsstrategie „Coesfeld 12.0 – Im Kreis "
        "gemeinsam digital“ für das Jahr 2027" in text
    )
    assert "Der Kreistag des Kreises Coesfeld beschließt die Fortschreibung" in text
    assert (
        f"Sperrvermerk: Die Bereitstellung der für die Umsetzung der Digitalisierungsstrategie "
        f"vorgesehenen Mittel in Höhe von 250.000,00{EUR} erfolgt unter dem Vorbehalt" in text
    )
    for heading in (
        "I. Sachdarstellung",
        "II. Entscheidungsalternativen",
        "III. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)",
        "IV. Zuständigkeit für die Entscheidung",
    ):
        assert heading in text
    assert "Zuständig für die Entscheidung ist der Kreistag gem. § 26 (1) KrO NRW." in text
    assert "Der Kreistag beschließt die Fortschreibung nicht. Für den Kreis Coesfeld gälte" in text
    assert "Keine Meldung liegt vor von der Gemeinde Havixbeck" in text
    assert (
        "Abgeschlossen wurde das Projekt HF2-04 „Online-Terminvergabe in den Bürgerbüros“." in text
    )
    assert (
        "Der Kreis Coesfeld ist an 13 Projekten der Liste beteiligt und betreut sie alle "
        "federführend: HF1-01 „Digitale Schulinfrastruktur" in text
    )
    assert "Mitwirkung des Kreises Coesfeld" in text


def test_council_paper_of_a_town_without_restriction() -> None:
    facts = _facts(amount=None)
    text = _render(
        "sitzungsvorlage.docx",
        sitzungsvorlage_strategie_context(facts, _body("Olfen"), "SV-27-0010"),
    )
    assert "Der Rat der Stadt Olfen beschließt die Fortschreibung" in text
    assert "Zuständig für die Entscheidung ist der Rat gem. § 41 (1) GO NRW." in text
    assert "Sperrvermerk" not in text
    assert (
        "Die Stadt Olfen ist an zwei dieser Anträge beteiligt (beantragt: "
        f"630.000,00{EUR}, bewilligt: 400.000,00{EUR})." in text
    )
    assert "Die Verwaltung wird beauftragt, die Projekte in eigener Federführung" in text
    nordkirchen = _render(
        "sitzungsvorlage.docx",
        sitzungsvorlage_strategie_context(facts, _body("Nordkirchen"), "SV-27-0008"),
    )
    assert "Die Gemeinde Nordkirchen ist an diesen Anträgen bislang nicht beteiligt." in nordkirchen
    assert "die Federführung liegt jeweils bei einer anderen Körperschaft" in nordkirchen
    assert "Die Verwaltung wird beauftragt" not in nordkirchen
    subject, body = render_mail_text(
        TEMPLATES,
        MAIL_VORLAGE,
        council_paper_mail_context(facts, _body("Olfen"), "SV-27-0010", "k@example.org"),
    )
    assert subject == (
        "Sitzungsvorlage SV-27-0010: Fortschreibung der Digitalisierungsstrategie 2027 "
        "(Stadt Olfen)"
    )
    assert "nächste Sitzung des Rates der Stadt Olfen" in body and "Sperrvermerk" not in body


@pytest.mark.parametrize("amount", [25_000_000, None])
def test_release_confirmation(amount: int | None) -> None:
    bodies = _bodies()
    states = [
        s.model_copy(
            update={
                "resolution": ResolutionView(
                    outcome="geaendert_beschlossen" if s.body == "Senden" else "beschlossen",
                    meeting_date=dt.date(2027, 5, 4)
                    if s.body == "Nottuln"
                    else dt.date(2027, 3, 20),
                    note="HF8-01 bezieht die Schulen ein" if s.body == "Senden" else "",
                )
            }
        )
        for s in _facts().states
    ]
    history = [ResolutionRecord(body=s.body, resolution=s.resolution) for s in states] + [
        ResolutionRecord(
            body="Nottuln",
            resolution=ResolutionView(outcome="vertagt", meeting_date=dt.date(2027, 3, 20)),
        )
    ]
    nottuln = _body("Nottuln")
    context = freigabe_context(
        year=2027,
        bodies=bodies,
        states=states,
        history=history,
        completing_body=nottuln,
        released_on=dt.date(2027, 5, 6),
        amount_cents=amount,
    )
    text = _render("strategie_freigabe.docx", context)
    assert (
        "Den letzten erforderlichen Beschluss hat der Rat der Gemeinde Nottuln in seiner "
        "Sitzung am 04.05.2027 gefasst." in text
    )
    assert "Rat der Gemeinde Nottuln | SV-27-0009 | 04.05.2027 | beschlossen" in text
    assert "Rat der Gemeinde Senden | SV-27-0012 | 20.03.2027 | geändert beschlossen" in text
    assert (
        "Der Rat der Gemeinde Nottuln hatte die Beratung in seiner Sitzung am 20.03.2027 "
        "zunächst vertagt." in text
    )
    assert "mit Änderungen beschlossen: HF8-01 bezieht die Schulen ein." in text
    assert "Coesfeld, den 06.05.2027" in text
    if amount:
        assert text.startswith("Aufhebung des Sperrvermerks")
        assert (
            f"Mittel in Höhe von 250.000,00{EUR} werden mit Wirkung vom 06.05.2027 "
            "freigegeben." in text
        )
    else:
        assert text.startswith("Abschluss der Beschlussfassung")
        assert "Ein Sperrvermerk war mit der Fortschreibung 2027 nicht verbunden." in text
    subject, body = render_mail_text(
        TEMPLATES, MAIL_FREIGABE, release_mail_context(context, nottuln, amount)
    )
    assert subject.endswith(
        "Fortschreibung der Digitalisierungsstrategie 2027 von allen Gremien beschlossen"
    )
    assert "- Rat der Gemeinde Senden (geändert beschlossen am 20.03.2027)" in body
    assert ("Bedingung des Sperrvermerks erfüllt" in body) is bool(amount)


def test_escalation_mail_and_status_rows() -> None:
    facts = _facts()
    states = [
        s.model_copy(
            update={
                "resolution": ResolutionView(
                    outcome="beschlossen", meeting_date=dt.date(2027, 3, 1)
                )
            }
        )
        if s.body in ("Kreis Coesfeld", "Olfen")
        else s
        for s in facts.states
    ]
    deferral = ResolutionView(
        outcome="vertagt",
        meeting_date=dt.date(2027, 3, 18),
        note="Beratungsbedarf",
        next_meeting=dt.date(2027, 5, 13),
    )
    subject, body = render_mail_text(
        TEMPLATES,
        MAIL_ESKALATION,
        escalation_mail_context(
            year=2027,
            body=_body("Senden"),
            resolution=deferral,
            states=states,
            bodies=facts.bodies,
            amount_cents=25_000_000,
            follow_up="Erneute Beratung: Donnerstag, 13.05.2027",
            entered_by="Carla",
            ui_url="http://127.0.0.1:4200",
        ),
    )
    assert (
        subject
        == "Eskalation Fortschreibung 2027: Beschluss des Rates der Gemeinde Senden – vertagt"
    )
    assert body.startswith("Guten Tag,\n\nder Rat der Gemeinde Senden hat die Beratung")
    assert "Stand der Beschlussfassung: 2 von 12 Gremien" in body
    assert "mit der Gemeinde Senden ab" in body
    rows = status_table_rows(
        [*states[:-1], states[-1].model_copy(update={"resolution": deferral, "late": True})],
        facts.bodies,
    )
    assert len(rows) == 12
    assert rows[0] == {
        "Körperschaft": "Kreis Coesfeld",
        "Statusmeldung": "gemeldet am 10.02.2027",
        "Sitzungsvorlage": "SV-27-0001",
        "Beschluss": "beschlossen am 01.03.2027",
    }
    assert rows[5]["Statusmeldung"] == "offen – Frist 26.02.2027"  # Havixbeck
    assert rows[-1]["Statusmeldung"] == "gemeldet am 10.02.2027 (verspätet)"
    assert rows[-1]["Beschluss"] == "vertagt am 18.03.2027; erneute Beratung am 13.05.2027"


def test_project_status_labels_are_german() -> None:
    assert [s.label for s in ProjectStatus] == [
        "geplant", "in Umsetzung", "abgeschlossen", "zurückgestellt", "verworfen",
    ]  # fmt: skip
