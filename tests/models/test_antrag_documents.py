"""The funding lifecycle documents: builders -> committed templates -> text read back.

The wording belongs to the Word templates (a council may change it), so these tests check
facts: amounts, names and their grammatical forms, legal bases, dates, and that the required
parts are there. Headings are read from the template itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from support import docx_text

from foerderflow.settings import get_settings
from models.antrag_docs import (
    SITZUNGSVORLAGE_TEMPLATE,
    TEMPLATES,
    AbsichtserklaerungContext,
    absichtserklaerung_context,
    finanzierungsplan_context,
    foerderantrag_context,
    kooperationsvereinbarung_context,
    nachweis_context,
    sitzungsvorlage_antrag_context,
)
from models.application import Stage
from models.bodies import BodyView, ProgrammeView
from models.documents import DocumentContext
from models.money import FinancingPlan, SplitKey, format_eur
from models.own_share import PartnerShareInput, financing_plan
from models.views import ApplicationView, PartnerView
from tasks.documents import render_docx
from tasks.template_lint import lint_templates

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
NBSP = "\u00a0"
TODAY = dt.date(2026, 11, 16)

DUELMEN = BodyView(
    id=5,
    slug="duelmen",
    name="Dülmen",
    official_name="Stadt Dülmen",
    kind="stadt",
    council="Rat der Stadt Dülmen",
    legal_basis="§ 41 (1) GO NRW",
    email="digitalisierung@duelmen.example",
    population=47300,
)
OLFEN = BodyView(
    id=10,
    slug="olfen",
    name="Olfen",
    official_name="Stadt Olfen",
    kind="stadt",
    council="Rat der Stadt Olfen",
    legal_basis="§ 41 (1) GO NRW",
    email="digitalisierung@olfen.example",
    population=13300,
)
SENDEN = BodyView(
    id=12,
    slug="senden",
    name="Senden",
    official_name="Gemeinde Senden",
    kind="gemeinde",
    council="Rat der Gemeinde Senden",
    legal_basis="§ 41 (1) GO NRW",
    email="digitalisierung@senden.example",
    population=20900,
)
HAVIXBECK = BodyView(
    id=6,
    slug="havixbeck",
    name="Havixbeck",
    official_name="Gemeinde Havixbeck",
    kind="gemeinde",
    council="Rat der Gemeinde Havixbeck",
    legal_basis="§ 41 (1) GO NRW",
    email="digitalisierung@havixbeck.example",
    population=12100,
)
KREIS = BodyView(
    id=1,
    slug="kreis-coesfeld",
    name="Kreis Coesfeld",
    official_name="Kreis Coesfeld",
    kind="kreis",
    council="Kreistag des Kreises Coesfeld",
    legal_basis="§ 26 (1) KrO NRW",
    email="digitalagentur@kreis-coesfeld.example",
    population=226300,
)
SMARTE_LAND = ProgrammeView(
    id=1,
    slug="smarte-land-regionen",
    name="Smarte.Land.Regionen",
    funder="Bundesministerium für Ernährung und Landwirtschaft (BMEL), Projektträger "
    "Bundesanstalt für Landwirtschaft und Ernährung (BLE)",
    funding_rate_percent=Decimal("90"),
    min_grant_cents=None,
    max_grant_cents=100_000_000,
    max_duration_months=48,
    call_deadline=dt.date(2027, 3, 31),
)

TITLE = "Digitale Dorfmitte Dülmen & Umland"
SPECIAL_TITLE = 'Höfe & Wege <digital> "Smart" {{ x }} {% if %} – Größe'

# 480.000,00 € eligible costs at 90 %: grant 432.000,00 €, own share 48.000,00 €.
COSTS = 48_000_000
GRANT = 43_200_000
OWN_SHARE = 4_800_000
# Split by population 47.300 / 13.300 / 20.900 (total 81.500), worked by hand:
#   Dülmen 4.800.000 * 47.300 / 81.500 = 2.785.766,87  -> 2.785.767 (largest remainder +1)
#   Olfen  4.800.000 * 13.300 / 81.500 =   783.312,88  ->   783.313 (largest remainder +1)
#   Senden 4.800.000 * 20.900 / 81.500 = 1.230.920,25  -> 1.230.920
DUELMEN_SHARE = 2_785_767
OLFEN_SHARE = 783_313
SENDEN_SHARE = 1_230_920


def eur(cents: int) -> str:
    return format_eur(cents)


def partner(body: BodyView, position: int, decision: str, is_lead: bool = False) -> PartnerView:
    return PartnerView(body=body, is_lead=is_lead, position=position, decision=decision)


def make_app(
    *,
    title: str = TITLE,
    partners: list[PartnerView] | None = None,
    **extra: object,
) -> ApplicationView:
    return ApplicationView.model_validate(
        {
            "id": 7,
            "reference": "FA-2026-007",
            "year": 2026,
            "stage": Stage.ENTWURF,
            "title": title,
            "summary": "Aufbau eines gemeinsamen digitalen Dorfplatzes mit Terminbuchung, "
            "Mitfahrbörse und Vereinsportal für die beteiligten Kommunen",
            "lead": DUELMEN,
            "partners": partners
            if partners is not None
            else [
                partner(DUELMEN, 0, "zugesagt", is_lead=True),
                partner(OLFEN, 1, "zugesagt"),
                partner(SENDEN, 2, "zugesagt"),
                partner(HAVIXBECK, 3, "abgesagt"),
            ],
            "programme": SMARTE_LAND,
            "estimated_costs_cents": COSTS,
            "coordinator_email": "koordination@digitalagentur-coe.example",
            "created_by": "M. Muster",
            "created_on": dt.date(2026, 9, 1),
            **extra,
        }
    )


def plan_for(app: ApplicationView, key: SplitKey = SplitKey.EINWOHNER) -> FinancingPlan:
    return financing_plan(
        COSTS,
        Decimal("90"),
        [PartnerShareInput(body=p.body.name, population=p.body.population) for p in app.confirmed],
        key,
        cap=SMARTE_LAND.max_grant_cents,
    )


SV = SITZUNGSVORLAGE_TEMPLATE


def render(name: str, ctx: DocumentContext, templates_dir: Path = TEMPLATES_DIR) -> str:
    return docx_text(render_docx(templates_dir / name, ctx))


def headings(name: str, templates_dir: Path = TEMPLATES_DIR) -> list[str]:
    """The headings of a template as written in Word (the parts a document must have)."""
    document = docx.Document(str(templates_dir / name))
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading") and "{" not in p.text
    ]


def paragraph_with(text: str, needle: str) -> str:
    lines = [line for line in text.splitlines() if needle in line]
    assert lines, f"no paragraph contains {needle!r}"
    return lines[0]


@pytest.fixture
def app() -> ApplicationView:
    return make_app()


@pytest.fixture
def plan(app: ApplicationView) -> FinancingPlan:
    return plan_for(app)


# --- the plan the documents are built on (guards the hand-computed expectations) -----------


def test_plan_matches_hand_computation(plan: FinancingPlan) -> None:
    assert plan.grant.grant == GRANT
    assert plan.grant.own_share == OWN_SHARE
    assert [(s.body, s.amount) for s in plan.shares] == [
        ("Dülmen", DUELMEN_SHARE),
        ("Olfen", OLFEN_SHARE),
        ("Senden", SENDEN_SHARE),
    ]


def test_every_template_renders_its_required_parts(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    """Each document carries every heading of its template, in order (with the optional
    parts switched on: change comments, notes)."""
    contexts = all_contexts(app, plan) | {
        "foerderantrag.docx": foerderantrag_context(app, plan, 2, TODAY, "Hinweis", "- x"),
        "finanzierungsplan.docx": finanzierungsplan_context(app, plan, 2, TODAY, note="x"),
    }
    for name, ctx in contexts.items():
        lines = render(name, ctx).splitlines()
        parts = headings(name)
        assert parts, name
        assert all(h in lines for h in parts), name
        positions = [lines.index(h) for h in parts]
        assert positions == sorted(positions), name


# --- Absichtserklärung -----------------------------------------------------------------------


def test_absichtserklaerung_names_partner_share_and_deadline(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    olfen = app.partners[1]
    ctx = absichtserklaerung_context(app, olfen, plan, dt.date(2026, 12, 4), TODAY)
    text = render("absichtserklaerung.docx", ctx)

    assert "Stadt Olfen" in text
    assert f"7.833,13{NBSP}€" in text
    assert eur(OLFEN_SHARE) in text
    assert eur(DUELMEN_SHARE) not in text  # only the addressee's share
    assert f"16,32{NBSP}%" in text  # 13.300 / 81.500, basis points by largest remainder
    assert "04.12.2026" in text
    assert eur(OWN_SHARE) in text and eur(GRANT) in text and eur(COSTS) in text
    assert "31.12.2023" in text  # the tenant's population reference date
    assert "13.300" in text and "81.500" in text  # the key figures
    assert "der Stadt Dülmen" in text  # the lead, in the genitive or dative
    assert "des Rates der Stadt Olfen" in text  # the council whose consent is reserved
    assert "Olfen, den" in text
    assert "Smarte.Land.Regionen" in text and "(BMEL)" in text
    assert "FA-2026-007" in text
    assert "Für die Stadt Olfen:" in text.splitlines()


def test_absichtserklaerung_for_the_kreis_uses_kreistag_and_equal_split() -> None:
    app = make_app(
        partners=[
            partner(DUELMEN, 0, "zugesagt", is_lead=True),
            partner(KREIS, 1, "offen"),
            partner(OLFEN, 2, "offen"),
        ]
    )
    plan = financing_plan(
        COSTS,
        Decimal("90"),
        [PartnerShareInput(body=p.body.name) for p in app.partners],
        SplitKey.GLEICH,
    )
    ctx = absichtserklaerung_context(app, app.partners[1], plan, dt.date(2026, 12, 4), TODAY)
    assert ctx.key == "gleich" and ctx.body_count == 3
    text = render("absichtserklaerung.docx", ctx)
    assert "drei Körperschaften" in text
    assert eur(1_600_000) in text  # 48.000,00 € / 3
    assert "Der Kreis Coesfeld" in text  # masculine: der/den/dem/des
    assert "des Kreistages des Kreises Coesfeld" in text
    assert "die Kreis" not in text and "der Kreis Coesfeld ist als Verbund" not in text
    assert "Coesfeld, den" in text
    assert "Einwohner" not in text  # not split by population


# --- Finanzierungsplan -----------------------------------------------------------------------


def test_finanzierungsplan_shares_sum_to_own_share(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    ctx = finanzierungsplan_context(
        app, plan, 2, TODAY, note="Neuberechnung nach Teilbewilligung vom 01.03.2027."
    )
    text = render("finanzierungsplan.docx", ctx)

    for official, population, amount in (
        ("Stadt Dülmen", "47.300", DUELMEN_SHARE),
        ("Stadt Olfen", "13.300", OLFEN_SHARE),
        ("Gemeinde Senden", "20.900", SENDEN_SHARE),
    ):
        row = paragraph_with(text, official + " |")
        assert population in row
        assert row.endswith(eur(amount))
    assert DUELMEN_SHARE + OLFEN_SHARE + SENDEN_SHARE == OWN_SHARE
    total = paragraph_with(text, "| 81.500")
    assert total.endswith(f"100{NBSP}% | {format_eur(OWN_SHARE)}")
    assert eur(GRANT) in text and eur(COSTS) in text
    assert f"90{NBSP}%" in text and "31.12.2023" in text
    assert "Havixbeck" not in text  # declined
    assert "v2" in text
    assert "Neuberechnung nach Teilbewilligung vom 01.03.2027." in text


def test_finanzierungsplan_notes_the_cap() -> None:
    app = make_app()
    plan = financing_plan(
        150_000_000,
        Decimal("90"),
        [PartnerShareInput(body=p.body.name) for p in app.confirmed],
        SplitKey.GLEICH,
        cap=100_000_000,
    )
    ctx = finanzierungsplan_context(app, plan, 1, TODAY)
    assert ctx.capped and ctx.cap == eur(100_000_000)
    text = render("finanzierungsplan.docx", ctx)
    assert eur(100_000_000) in text  # the cap is named
    # 500.000,00 € own share, equal parts of 166.666,67 / 166.666,67 / 166.666,66 €
    assert eur(16_666_667) in text and eur(16_666_666) in text
    assert eur(50_000_000) in text
    uncapped = render(
        "finanzierungsplan.docx",
        finanzierungsplan_context(make_app(), plan_for(make_app()), 1, TODAY),
    )
    assert eur(100_000_000) not in uncapped  # no cap note while the cap does not bind


# --- Sitzungsvorlage -------------------------------------------------------------------------


def test_sitzungsvorlage_for_the_lead_council(app: ApplicationView, plan: FinancingPlan) -> None:
    ctx = sitzungsvorlage_antrag_context(
        app, plan, DUELMEN, "SV-26-0007", 1, TODAY, municipality_count=11
    )
    text = render(SV, ctx)
    lines = text.splitlines()
    parts = headings(SV)
    assert len(parts) >= 4  # I. Sachdarstellung … IV. Zuständigkeit, as in the seed

    assert "SV-26-0007" in text and "16.11.2026" in text
    assert "Rat der Stadt Dülmen" in text
    positions = [lines.index(h) for h in parts]
    assert positions == sorted(positions)
    proposal = "\n".join(lines[: positions[0]])
    assert "Rat der Stadt Dülmen" in proposal and eur(DUELMEN_SHARE) in proposal
    assert "§ 41 (1) GO NRW" in lines[positions[3] + 1]  # IV.: the legal basis
    assert "Kreistag" not in text and "KrO" not in text
    assert "Sperrvermerk" not in text

    facts = "\n".join(lines[positions[0] : positions[1]])
    assert "Coesfeld 12.0" in facts and "Digitalagentur COE" in facts  # tenant facts
    assert "elf" in facts  # the number of municipalities, from the data
    assert "digitalen Dorfplatzes" in facts  # the summary
    assert "die Stadt Olfen und die Gemeinde Senden" in facts
    assert "Gemeinde Havixbeck" in facts  # declined, mentioned
    assert "drei Körperschaften" in facts
    assert eur(GRANT) in facts and eur(COSTS) in facts and eur(OWN_SHARE) in facts
    assert "Smarte.Land.Regionen" in facts and "(BMEL)" in facts
    assert "31.03.2027" in facts  # call deadline still ahead
    assert "48 Monaten" in facts
    impacts = "\n".join(lines[positions[2] : positions[3]])
    for label in ("Finanzen: ", "Personal: ", "IT: ", "Klima: "):
        assert any(line.startswith(label) for line in impacts.splitlines()), label
    assert eur(DUELMEN_SHARE) in paragraph_with(text, "Finanzen: ")
    attachments = "\n".join(lines[positions[-1] :])
    for attachment in (
        "Projektskizze",
        "Kosten- und Finanzierungsplan",
        "Kooperationsvereinbarung",
    ):
        assert attachment in attachments


def test_sitzungsvorlage_for_a_partner_council(app: ApplicationView, plan: FinancingPlan) -> None:
    ctx = sitzungsvorlage_antrag_context(app, plan, SENDEN, "SV-26-0008", 1, TODAY)
    assert not ctx.is_lead and ctx.lead.genitiv == "der Stadt Dülmen"
    text = render(SV, ctx)
    assert "Rat der Gemeinde Senden" in text and "der Stadt Dülmen" in text
    assert eur(SENDEN_SHARE) in paragraph_with(text, "Finanzen: ")
    assert eur(DUELMEN_SHARE) not in text
    assert "§ 41 (1) GO NRW" in text
    assert "Der Kreis Coesfeld und seine kreisangehörigen" in text  # no count given: none named


def test_sitzungsvorlage_for_the_kreis_names_kreistag_and_kro() -> None:
    app = make_app(
        partners=[
            partner(DUELMEN, 0, "zugesagt", is_lead=True),
            partner(KREIS, 1, "zugesagt"),
            partner(OLFEN, 2, "zugesagt"),
        ]
    )
    plan = financing_plan(
        COSTS,
        Decimal("90"),
        [PartnerShareInput(body=p.body.name) for p in app.confirmed],
        SplitKey.GLEICH,
    )
    ctx = sitzungsvorlage_antrag_context(app, plan, KREIS, "SV-10-0123", 1, TODAY)
    assert ctx.body.organ == "Kreistag" and ctx.body.legal_basis == "§ 26 (1) KrO NRW"
    text = render(SV, ctx)
    assert "Kreistag des Kreises Coesfeld" in text
    assert "§ 26 (1) KrO NRW" in text and "GO NRW" not in text
    assert "den Kreis Coesfeld" in text and "des Kreises Coesfeld" in text
    assert "die Kreis Coesfeld" not in text and "der Kreis Coesfeld trägt" not in text
    assert eur(1_600_000) in text


def test_kreis_as_lead_reads_grammatically_with_agreed_percentages() -> None:
    app = make_app(
        lead=KREIS,
        partners=[partner(KREIS, 0, "zugesagt", is_lead=True), partner(OLFEN, 1, "zugesagt")],
    )
    plan = financing_plan(
        COSTS,
        Decimal("90"),
        [
            PartnerShareInput(body="Kreis Coesfeld", percent=Decimal("70")),
            PartnerShareInput(body="Olfen", percent=Decimal("30")),
        ],
        SplitKey.PROZENT,
    )
    vorlage = render(SV, sitzungsvorlage_antrag_context(app, plan, KREIS, "SV-10-0124", 1, TODAY))
    assert eur(3_360_000) in vorlage  # 70 % of 48.000,00 €
    assert "beim Kreis Coesfeld" in vorlage and "zwei Körperschaften" in vorlage
    assert "die Stadt Olfen ihre" in vorlage  # one partner: singular, feminine possessive
    letter = render(
        "absichtserklaerung.docx",
        absichtserklaerung_context(app, app.partners[0], plan, dt.date(2026, 12, 4), TODAY),
    )
    assert "Der Kreis Coesfeld" in letter and " er seine " in letter and " ihn " in letter
    assert "Für den Kreis Coesfeld:" in letter
    agreement = render(
        "kooperationsvereinbarung.docx", kooperationsvereinbarung_context(app, plan, 1, TODAY)
    )
    assert f"Kreis Coesfeld | vereinbart 70{NBSP}% | 70{NBSP}% | {eur(3_360_000)}" in agreement
    assert f"Stadt Olfen | vereinbart 30{NBSP}% | 30{NBSP}% | {eur(1_440_000)}" in agreement
    assert "dem Kreis Coesfeld, vertreten durch den Landrat bzw. die Landrätin" in agreement
    assert "Zuwendungsempfänger " in agreement  # masculine for the Kreis


def test_sitzungsvorlage_sperrvermerk_only_when_set(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    ctx = sitzungsvorlage_antrag_context(app, plan, OLFEN, "SV-26-0009", 1, TODAY)
    assert "Sperrvermerk" not in render(SV, ctx)
    restricted = ctx.model_copy(
        update={"restriction": "Die Mittel werden erst nach Beschluss aller Räte freigegeben."}
    )
    text = render(SV, restricted)
    lines = text.splitlines()
    sperr = next(i for i, line in enumerate(lines) if "erst nach Beschluss aller Räte" in line)
    assert sperr < lines.index(headings(SV)[0])


# --- Förderantrag ----------------------------------------------------------------------------


def test_foerderantrag_v2_lists_change_comments(app: ApplicationView, plan: FinancingPlan) -> None:
    ctx = foerderantrag_context(
        app,
        plan,
        2,
        TODAY,
        notes="Stichtag des Förderaufrufs beachten.",
        change_note="- Arbeitspaket 3 konkretisieren\n- Zeitplan an Ratssitzungen anpassen\n",
    )
    assert ctx.changes == ["Arbeitspaket 3 konkretisieren", "Zeitplan an Ratssitzungen anpassen"]
    text = render("foerderantrag.docx", ctx)
    lines = text.splitlines()
    assert "v2" in text and "16.11.2026" in text
    assert "Arbeitspaket 3 konkretisieren" in lines
    assert "Zeitplan an Ratssitzungen anpassen" in lines
    assert "Stichtag des Förderaufrufs beachten." in text
    assert "Stadt Olfen" in lines and "Gemeinde Senden" in lines  # Verbundpartner
    assert "Havixbeck" not in text
    assert eur(GRANT) in text and eur(OWN_SHARE) in text and eur(COSTS) in text
    assert "48 Monate" in text
    assert "koordination@digitalagentur-coe.example" in text
    assert "Coesfeld 12.0" in text  # the tenant's strategy
    for heading in headings("foerderantrag.docx"):
        assert heading in lines


def test_foerderantrag_without_changes_or_notes_leaves_their_parts_out(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    with_all = render(
        "foerderantrag.docx", foerderantrag_context(app, plan, 2, TODAY, "Hinweis", "- x")
    ).splitlines()
    plain = render("foerderantrag.docx", foerderantrag_context(app, plan, 1, TODAY)).splitlines()
    optional = [h for h in headings("foerderantrag.docx") if h not in plain]
    assert len(optional) == 2 and all(h in with_all for h in optional)  # Änderungen, Hinweise
    assert "v1" in "\n".join(plain)


# --- Kooperationsvereinbarung ---------------------------------------------------------------


def test_kooperationsvereinbarung_sections_shares_and_signatures(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    ctx = kooperationsvereinbarung_context(app, plan, 1, TODAY)
    assert [p.name for p in ctx.parties] == ["Stadt Dülmen", "Stadt Olfen", "Gemeinde Senden"]
    text = render("kooperationsvereinbarung.docx", ctx)
    lines = text.splitlines()
    sections = [h for h in headings("kooperationsvereinbarung.docx") if h.startswith("§")]
    assert len(sections) >= 6
    positions = [lines.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "bei der Stadt Dülmen" in text
    for amount in (DUELMEN_SHARE, OLFEN_SHARE, SENDEN_SHARE):
        assert eur(amount) in text
    assert paragraph_with(text, "| 81.500").endswith(eur(OWN_SHARE))
    assert "drei" in paragraph_with(text, "Ausfertigung")  # one copy per party
    for party in ("Stadt Dülmen", "Stadt Olfen", "Gemeinde Senden"):
        signature = [line for line in lines if line.startswith(f"Für die {party}")]
        assert signature and "Bürgermeister" in signature[0]
    assert "Havixbeck" not in text
    assert "48 Monaten" in text
    assert "Coesfeld 12.0" in text and "Digitalagentur COE" in text


# --- Nachweis --------------------------------------------------------------------------------


def granted_app() -> ApplicationView:
    return make_app(
        stage=Stage.BERICHTSPFLICHT,
        funder_reference="2826DKE0007",
        granted_cents=GRANT,
        notice_date=dt.date(2027, 5, 12),
        period_start=dt.date(2027, 6, 1),
        period_end=dt.date(2030, 5, 31),
    )


def test_zwischennachweis_for_a_year() -> None:
    app = granted_app()
    ctx = nachweis_context(app, "zwischennachweis", 2027, plan_for(app), dt.date(2028, 3, 1))
    assert not ctx.final and ctx.year == 2027
    assert (ctx.reporting_start, ctx.reporting_end) == ("01.06.2027", "31.12.2027")
    text = render("nachweis.docx", ctx)
    assert "Zwischennachweis" in text and "2027" in text
    assert "2826DKE0007" in text and "12.05.2027" in text
    assert "01.06.2027 bis 31.05.2030" in text
    assert "01.06.2027 bis 31.12.2027" in text  # reporting period clipped to the year
    assert f"Stadt Olfen | {eur(OLFEN_SHARE)} | " in text
    assert paragraph_with(text, f"| {eur(GRANT)} | ")
    assert paragraph_with(text, f"| {eur(COSTS)} | ")
    for heading in headings("nachweis.docx"):
        assert heading in text.splitlines()
    assert "Verwendungsnachweis" not in text.splitlines()[0]  # the title


def test_verwendungsnachweis() -> None:
    app = granted_app()
    ctx = nachweis_context(app, "verwendungsnachweis", None, plan_for(app), dt.date(2030, 9, 1))
    text = render("nachweis.docx", ctx)
    title = text.splitlines()[0]
    assert ctx.final and "Verwendungsnachweis" in title and "Zwischennachweis" not in title
    assert text.count("01.06.2027 bis 31.05.2030") == 2  # Bewilligungs- = Berichtszeitraum
    zw = render(
        "nachweis.docx",
        nachweis_context(app, "zwischennachweis", 2027, plan_for(app), dt.date(2028, 3, 1)),
    )
    assert len(text.splitlines()) > len(zw.splitlines())  # the final confirmation is extra


def test_nachweis_without_notice_says_what_is_missing(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    ctx = nachweis_context(app, "verwendungsnachweis", None, plan, TODAY)
    assert not ctx.granted_recorded and ctx.income_matches_costs
    assert ctx.funder_reference == "" and ctx.period_start == ""
    text = render("nachweis.docx", ctx)
    assert "erfasst" in text  # the template marks the gaps
    assert eur(GRANT) in text  # the requested grant stands in


def test_nachweis_rejects_unknown_kind_and_missing_year(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    with pytest.raises(ValueError, match="Nachweisart"):
        nachweis_context(app, "schlussbericht", None, plan, TODAY)
    with pytest.raises(ValueError, match="Berichtsjahr"):
        nachweis_context(app, "zwischennachweis", None, plan, TODAY)


# --- all templates ---------------------------------------------------------------------------


def all_contexts(app: ApplicationView, plan: FinancingPlan) -> dict[str, DocumentContext]:
    return {
        "absichtserklaerung.docx": absichtserklaerung_context(
            app, app.partners[1], plan, dt.date(2026, 12, 4), TODAY
        ),
        "foerderantrag.docx": foerderantrag_context(app, plan, 1, TODAY),
        "finanzierungsplan.docx": finanzierungsplan_context(app, plan, 1, TODAY),
        "kooperationsvereinbarung.docx": kooperationsvereinbarung_context(app, plan, 1, TODAY),
        SV: sitzungsvorlage_antrag_context(app, plan, OLFEN, "SV-26-0010", 1, TODAY),
        "nachweis.docx": nachweis_context(app, "zwischennachweis", 2027, plan, TODAY),
    }


def test_every_template_has_a_builder_and_passes_the_lint() -> None:
    app = make_app()
    assert set(all_contexts(app, plan_for(app))) == set(TEMPLATES)
    problems = [p for p in lint_templates(TEMPLATES_DIR) if p.split(":")[0] in TEMPLATES]
    assert problems == []


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_user_text_is_never_evaluated(name: str) -> None:
    app = make_app(title=SPECIAL_TITLE)
    ctx = all_contexts(app, plan_for(app))[name]
    text = render(name, ctx)
    assert SPECIAL_TITLE in text
    assert "{{" not in text.replace(SPECIAL_TITLE, "")  # every template tag was rendered
    assert "{%" not in text.replace(SPECIAL_TITLE, "")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_documents_name_the_tenant_not_a_constant(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The tenant's facts come from data/mandant.yaml: another tenant, other names."""
    from foerderflow import tenant

    source = (get_settings().data_dir / "mandant.yaml").read_text(encoding="utf-8")
    other = (
        source.replace("Kreis Coesfeld", "Kreis Borken")
        .replace("Coesfeld 12.0", "Borken digital")
        .replace("Digitalagentur COE", "Digitalbüro Borken")
        .replace("2023-12-31", "2024-06-30")
    )
    (tmp_path / "mandant.yaml").write_text(other, encoding="utf-8")
    monkeypatch.setattr("foerderflow.settings.get_tenant", lambda: tenant.load_tenant(tmp_path))
    monkeypatch.setattr("tasks.documents.get_tenant", lambda: tenant.load_tenant(tmp_path))
    app = make_app(
        partners=[partner(DUELMEN, 0, "zugesagt", is_lead=True), partner(OLFEN, 1, "zugesagt")]
    )
    text = render(name, all_contexts(app, plan_for(app))[name])
    assert "Digitalbüro Borken" in text  # letterhead or footer at least
    assert "Digitalagentur COE" not in text and "Coesfeld 12.0" not in text
    if "Kreis Borken" not in text:
        assert "Kreis Coesfeld" not in text


def test_absichtserklaerung_requires_the_partner_in_the_plan(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    havixbeck = app.partners[3]
    with pytest.raises(ValueError, match="Gemeinde Havixbeck"):
        absichtserklaerung_context(app, havixbeck, plan, dt.date(2026, 12, 4), TODAY)


def test_contexts_carry_facts_formatted() -> None:
    """The templates compute nothing: money and dates arrive formatted."""
    app = make_app()
    ctx = all_contexts(app, plan_for(app))["absichtserklaerung.docx"]
    assert isinstance(ctx, AbsichtserklaerungContext)
    assert ctx.share_amount == eur(OLFEN_SHARE)
    assert ctx.response_due == "04.12.2026"
    assert ctx.partner.akkusativ == "die Stadt Olfen" and ctx.lead.dativ == "der Stadt Dülmen"


# --- a council rewords its Sitzungsvorlage in Word ------------------------------------------

NEW_HEADING = "1. Sachverhalt und Begründung"
NEW_SENTENCE = "Die Haushaltsmittel stehen unter dem Vorbehalt des Zuwendungsbescheids."


def _reword(source: Path, target: Path) -> None:
    """What a council does in Word: rename a heading, rewrite a Beschlussvorschlag sentence."""
    document = docx.Document(str(source))
    renamed = rewritten = False
    old_heading = headings(SV)[0]
    for paragraph in document.paragraphs:
        if paragraph.text == old_heading:
            paragraph.runs[0].text = NEW_HEADING
            renamed = True
        elif "{{ body.council }} beschließt" in paragraph.text:
            run = paragraph.runs[0]
            old = (
                "Die Bereitstellung der Mittel erfolgt vorbehaltlich der Bewilligung der Zuwendung."
            )
            assert old in run.text
            run.text = run.text.replace(old, NEW_SENTENCE)
            rewritten = True
    assert renamed and rewritten
    document.save(str(target))


def test_a_reworded_sitzungsvorlage_renders_without_code_change(
    app: ApplicationView, plan: FinancingPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "vorlagen"
    own.mkdir()
    _reword(TEMPLATES_DIR / SV, own / SV)
    monkeypatch.setenv("FOERDERFLOW_TEMPLATES_DIR", str(own))
    get_settings.cache_clear()
    try:
        templates_dir = get_settings().templates_dir
        assert templates_dir == own
        assert lint_templates(templates_dir) == []
        for name, ctx in all_contexts(app, plan).items():  # every document still renders
            text = render(name, ctx, templates_dir)
            assert "FA-2026-007" in text or "SV-26-0010" in text, name
            if name == SV:
                lines = text.splitlines()
                assert NEW_HEADING in lines and headings(SV)[0] not in lines
                assert NEW_SENTENCE in text
                assert "vorbehaltlich der Bewilligung" not in text
                assert eur(OLFEN_SHARE) in text and "§ 41 (1) GO NRW" in text  # facts stay
                assert headings(SV, templates_dir)[0] == NEW_HEADING
            else:  # the other documents come from the shipped templates
                assert text == render(name, ctx)
    finally:
        get_settings.cache_clear()
