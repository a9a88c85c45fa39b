"""The strategy documents, rendered from the committed templates and read back as text."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from strategy_support import (
    BASELINE,
    all_bodies,
    body_named,
    cycle_facts,
    projects,
    status_request,
)
from support import docx_text

from foerderflow.settings import get_tenant
from models.strategy import (
    ProjectStatus,
    ResolutionView,
)
from models.strategy_docs import (
    ENTWURF_TEMPLATE,
    FREIGABE_TEMPLATE,
    MAIL_ESKALATION,
    MAIL_FREIGABE,
    MAIL_STATUSABFRAGE,
    MAIL_VORLAGE,
    STATUSABFRAGE_TEMPLATE,
    VORLAGE_TEMPLATE,
    CycleStanding,
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
from tasks.documents import render_docx
from tasks.template_lint import lint_templates

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
EUR = "\u00a0€"


def _render(template: str, context: object, templates: Path = TEMPLATES) -> str:
    return docx_text(render_docx(templates / template, context))  # type: ignore[arg-type]


def _rows(text: str) -> list[list[str]]:
    """The table rows of a rendered document (docx_text joins the cells with " | ")."""
    return [line.split(" | ") for line in text.splitlines() if " | " in line]


def _row(text: str, first: str) -> list[str]:
    return next(r for r in _rows(text) if r[0] == first)


def _headings(template: str) -> list[str]:
    """The fixed headings of a shipped template (those without Jinja), read from the file."""
    document = docx.Document(str(TEMPLATES / template))
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None
        and p.style.name.startswith("Heading")
        and "{" not in p.text
        and p.text.strip()
    ]


def test_templates_and_mails_match_their_context_models() -> None:
    assert [p for p in lint_templates(TEMPLATES) if "strategie" in p] == []
    assert [p for p in lint_mail_templates(TEMPLATES) if "strategie" in p] == []


def test_status_request_lists_the_bodys_open_projects_with_last_years_status() -> None:
    olfen = body_named("Olfen")
    context = status_request(olfen, bodies=all_bodies())
    text = _render(STATUSABFRAGE_TEMPLATE, context)
    assert "Stadt Olfen" in text and "Freitag, 26.02.2027" in text
    assert "koordination@digitalagentur-coe.example" in text and "Anna Schmidt" in text
    expected = sorted(
        p.code
        for p in projects()
        if p.takes_part("Olfen")
        and p.code in BASELINE
        and BASELINE[p.code] not in ("abgeschlossen", "verworfen")
    )
    rows = {r[0]: r for r in _rows(text) if r[0].startswith("HF")}
    assert sorted(rows) == expected
    assert "HF6-02" not in text  # abgeschlossen before the cycle
    assert "HF7-04" not in text  # not in the baseline: proposed during the cycle
    code, title, field, _, previous, now, note = rows["HF3-04"]
    assert (code, title, field, previous, now, note) == (
        "HF3-04", "Radverkehr digital – Radrouten und Mängelmelder", "Mobilität",
        "in Umsetzung", "", "",
    )  # fmt: skip
    assert rows["HF8-03"][1:3] == [
        "Frühwarnsystem für Hochwasser und Starkregen",
        "Umwelt & Energie",
    ]
    assert rows["HF8-03"][4] == "zurückgestellt"
    # the role column tells the led projects from the others, whatever its words
    led = {p.code for p in projects() if p.lead == "Olfen" and p.code in rows}
    assert led == {"HF3-04", "HF8-03"}
    roles = {code: row[3] for code, row in rows.items()}
    assert len({roles[c] for c in led}) == 1 and len({roles[c] for c in rows if c not in led}) == 1
    assert roles["HF3-04"] != roles["HF2-02"]
    assert " zwölf " in text  # the number of bodies asked, counted from the bodies passed in
    subject, body = render_mail_text(
        TEMPLATES,
        MAIL_STATUSABFRAGE,
        status_request_mail_context(context, olfen, dt.date(2027, 2, 26)),
    )
    assert "2027" in subject and "Freitag, 26.02.2027" in subject and "Stadt Olfen" in subject
    assert "für die Stadt Olfen" in body and "in Ihrer Federführung" in body


def test_status_request_without_projects_has_no_table() -> None:
    context = statusabfrage_context(
        year=2027,
        body=body_named("Olfen"),
        projects=[],
        baseline=BASELINE,
        response_due=dt.date(2027, 2, 26),
        today=dt.date(2027, 1, 15),
        coordinator_email="k@example.org",
        entered_by="Anna",
    )
    document = docx.Document(io.BytesIO(render_docx(TEMPLATES / STATUSABFRAGE_TEMPLATE, context)))
    assert document.tables == []
    # the letter keeps its portrait page and its letterhead when the landscape table drops out
    (section,) = document.sections
    assert section.page_width < section.page_height
    assert get_tenant().briefkopf.zeile1 in section.header.paragraphs[0].text


def test_draft_has_project_table_changes_funding_and_missing_bodies() -> None:
    facts = cycle_facts()
    text = _render(ENTWURF_TEMPLATE, entwurf_context(facts))
    assert text.startswith("Fortschreibung der Digitalisierungsstrategie 2027")
    assert "v1" in text and "03.03.2027" in text and get_tenant().strategie.name in text
    for heading in _headings(ENTWURF_TEMPLATE):
        assert heading in text
    # the project table, grouped by Handlungsfeld, last year against this year
    assert "HF2 Verwaltung & Bürgerservice" in text and "HF8 Umwelt & Energie" in text
    # the header names last year and this year
    assert any(len(r) == 7 and "2026" in r[4] and "2027" in r[5] for r in _rows(text))
    _, title, lead, others, previous, current, note = _row(text, "HF2-04")
    assert (title, lead, others, previous, current) == (
        "Online-Terminvergabe in den Bürgerbüros", "Coesfeld",
        "Billerbeck, Dülmen, Havixbeck, Rosendahl", "in Umsetzung", "abgeschlossen",
    )  # fmt: skip
    assert "Seit Oktober in allen Bürgerbüros im Einsatz." in note
    assert "Stadt Billerbeck: in Umsetzung" in note  # the differing report
    serviceportal = _row(text, "HF2-01")
    assert serviceportal[2] == "Kreis Coesfeld" and serviceportal[4:6] == ["in Umsetzung"] * 2
    assert "Olfen" not in serviceportal[3]  # every other body: not listed one by one
    proposal = _row(text, "HF7-04")
    assert proposal[1] == "Sitzungsräume für Vereine & <Initiativen>"
    assert proposal[2:4] == ["Rosendahl", "Billerbeck"] and proposal[5] == "geplant"
    assert "Gemeinde Rosendahl" in proposal[6]  # who proposed it
    table_codes = {r[0] for r in _rows(text)}
    for closed in ("HF2-03", "HF5-02", "HF6-02", "HF8-04"):  # closed in earlier years
        assert closed not in table_codes and closed in text
    assert len([c for c in table_codes if c.startswith("HF")]) == len(facts.listed)
    # the status counts: a row per status, the total
    counts = dict(r for r in _rows(text) if len(r) == 2)
    assert counts["in Umsetzung"] == "16" and counts["abgeschlossen"] == "1"
    assert str(len(facts.listed)) in counts.values()
    # changes since last year: every changed project is named with its reason
    for changed in ("HF7-04", "HF2-04", "HF3-02", "HF3-03"):
        assert sum(changed in line for line in text.splitlines() if " | " not in line) >= 1
    assert "Keine Finanzierung in Sicht" in text and "Förderaufruf des Landes abwarten" in text
    # funding per body and in total
    assert _row(text, "Stadt Dülmen") == [
        "Stadt Dülmen",
        "1",
        f"450.000,00{EUR}",
        f"400.000,00{EUR}",
    ]
    assert _row(text, "Stadt Olfen") == ["Stadt Olfen", "2", f"630.000,00{EUR}", f"400.000,00{EUR}"]
    assert _row(text, "Gemeinde Nottuln")[1:] == ["0", f"0,00{EUR}", f"0,00{EUR}"]
    totals = [r for r in _rows(text) if r[1:] == ["2", f"630.000,00{EUR}", f"400.000,00{EUR}"]]
    assert [r[0] for r in totals] == ["Stadt Olfen", totals[1][0]] and totals[1][0] != ""
    assert _row(text, "FA-2026-001") == [
        "FA-2026-001", "Heimat-Marktplatz", "HF4-01", "Dülmen",
        f"450.000,00{EUR}", f"400.000,00{EUR}",
    ]  # fmt: skip
    prose = "\n".join(line for line in text.splitlines() if " | " not in line)
    assert f"630.000,00{EUR}" in prose and f"400.000,00{EUR}" in prose
    # who did not report, who was late, the money under Sperrvermerk
    assert "Gemeinde Havixbeck" in prose and "Gemeinde Rosendahl" in prose
    assert "26.02.2027" in prose and "15.01.2027" in prose
    assert f"250.000,00{EUR}" in prose
    assert f"250.000,00{EUR}" not in _render(
        ENTWURF_TEMPLATE, entwurf_context(cycle_facts(amount=None))
    )


def test_council_paper_of_the_kreistag_with_restriction() -> None:
    facts = cycle_facts()
    context = sitzungsvorlage_strategie_context(facts, body_named("Kreis Coesfeld"), "SV-27-0001")
    text = _render(VORLAGE_TEMPLATE, context)
    assert "SV-27-0001" in text and "03.03.2027" in text
    assert ["Beratungsfolge", "Kreistag des Kreises Coesfeld"] in _rows(text)
    assert f"„{get_tenant().strategie.name}“ für das Jahr 2027" in text
    for heading in _headings(VORLAGE_TEMPLATE):
        assert heading in text
    assert len(_headings(VORLAGE_TEMPLATE)) >= 4  # I. to IV. of the seed
    proposal = next(line for line in text.splitlines() if "(Fassung v1, Stand 03.03.2027)" in line)
    assert proposal.startswith("Der Kreistag des Kreises Coesfeld")
    assert f"250.000,00{EUR}" in text
    assert "§ 26 (1) KrO NRW" in text and "§ 41 (1) GO NRW" not in text
    assert "Gemeinde Havixbeck" in text  # no report
    assert "HF2-04 „Online-Terminvergabe in den Bürgerbüros“" in text  # completed
    led = [r.project.code for r in facts.listed if r.project.lead == "Kreis Coesfeld"]
    assert len(led) == 13 and all(code in text for code in led)
    assert "des Kreises Coesfeld" in text  # the genitive of the body
    assert " zwölf " in text and " elf " in text  # bodies and municipalities, counted


def test_council_paper_of_a_town_without_restriction() -> None:
    facts = cycle_facts(amount=None)
    text = _render(
        VORLAGE_TEMPLATE,
        sitzungsvorlage_strategie_context(facts, body_named("Olfen"), "SV-27-0010"),
    )
    assert "Der Rat der Stadt Olfen" in text
    assert "§ 41 (1) GO NRW" in text and "§ 26 (1) KrO NRW" not in text
    assert "250.000,00" not in text
    assert f"(beantragt: 630.000,00{EUR}, bewilligt: 400.000,00{EUR})" in text  # Olfen's part
    nordkirchen = _render(
        VORLAGE_TEMPLATE,
        sitzungsvorlage_strategie_context(facts, body_named("Nordkirchen"), "SV-27-0008"),
    )
    assert "Gemeinde Nordkirchen" in nordkirchen and "(beantragt:" not in nordkirchen
    subject, body = render_mail_text(
        TEMPLATES,
        MAIL_VORLAGE,
        council_paper_mail_context(facts, body_named("Olfen"), "SV-27-0010", "k@example.org"),
    )
    assert "SV-27-0010" in subject and "2027" in subject and "Stadt Olfen" in subject
    assert "des Rates der Stadt Olfen" in body and "Sperrvermerk" not in body


@pytest.mark.parametrize("amount", [25_000_000, None])
def test_release_confirmation(amount: int | None) -> None:
    bodies = all_bodies()
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
        for s in cycle_facts().states
    ]
    history = [ResolutionRecord(body=s.body, resolution=s.resolution) for s in states] + [
        ResolutionRecord(
            body="Nottuln",
            resolution=ResolutionView(outcome="vertagt", meeting_date=dt.date(2027, 3, 20)),
        )
    ]
    nottuln = body_named("Nottuln")
    context = freigabe_context(
        CycleStanding(year=2027, bodies=bodies, states=states, restricted_amount_cents=amount),
        history=history,
        completing_body=nottuln,
        released_on=dt.date(2027, 5, 6),
    )
    text = _render(FREIGABE_TEMPLATE, context)
    assert text.startswith(context.heading)
    assert _row(text, "Rat der Gemeinde Nottuln") == [
        "Rat der Gemeinde Nottuln", "SV-27-0009", "04.05.2027", "beschlossen",
    ]  # fmt: skip
    assert _row(text, "Rat der Gemeinde Senden")[1:] == [
        "SV-27-0012", "20.03.2027", "geändert beschlossen",
    ]  # fmt: skip
    assert len([r for r in _rows(text) if r[0].startswith(("Rat ", "Kreistag "))]) == 12
    prose = [line for line in text.splitlines() if " | " not in line]
    # the last resolution, the deferral before it, the amendment
    assert any("Rat der Gemeinde Nottuln" in p and "04.05.2027" in p for p in prose)
    assert any("Rat der Gemeinde Nottuln" in p and "20.03.2027" in p for p in prose)
    assert any("HF8-01 bezieht die Schulen ein." in p and "Gemeinde Senden" in p for p in prose)
    assert f"{get_tenant().kreis.sitz}, den 06.05.2027" in text
    assert (f"250.000,00{EUR}" in text) is bool(amount)
    subject, body = render_mail_text(
        TEMPLATES, MAIL_FREIGABE, release_mail_context(context, nottuln)
    )
    assert "Fortschreibung der Digitalisierungsstrategie 2027" in subject
    assert "- Rat der Gemeinde Senden (geändert beschlossen am 20.03.2027)" in body
    assert ("Bedingung des Sperrvermerks erfüllt" in body) is bool(amount)


def test_escalation_mail_and_status_rows() -> None:
    facts = cycle_facts()
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
            CycleStanding(
                year=2027, bodies=facts.bodies, states=states, restricted_amount_cents=25_000_000
            ),
            body=body_named("Senden"),
            resolution=deferral,
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
