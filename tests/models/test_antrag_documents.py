"""The funding lifecycle documents: builders -> committed templates -> text read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from support import docx_text

from models.antrag_documents import (
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
from tasks.documents import lint_templates, render_docx

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


def render(name: str, ctx: DocumentContext) -> str:
    return docx_text(render_docx(TEMPLATES_DIR / name, ctx))


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
    assert "nach Einwohnerzahlen (Stand 31.12.2023)" in text
    assert "Einwohnerzahl von 13.300" in text
    declaration = paragraph_with(text, "beabsichtigt")
    assert declaration.startswith(
        f"Die Stadt Olfen beabsichtigt, sich an dem Vorhaben „{TITLE}“ unter Federführung der "
        "Stadt Dülmen"
    )
    assert f"einen Eigenanteil in Höhe von bis zu {eur(OLFEN_SHARE)} zu tragen." in declaration
    assert "Vorbehalt der Zustimmung des Rates der Stadt Olfen" in text
    assert "Olfen, den" in text
    assert "Smarte.Land.Regionen" in text and "(BMEL)" in text
    assert "FA-2026-007" in text


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
    text = render("absichtserklaerung.docx", ctx)
    assert "zu gleichen Teilen auf drei Körperschaften" in text
    assert eur(1_600_000) in text  # 48.000,00 € / 3
    assert "Der Kreis Coesfeld beabsichtigt" in text
    assert "Vorbehalt der Zustimmung des Kreistages des Kreises Coesfeld" in text
    assert "Coesfeld, den" in text


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
        assert f"{population} Einwohner" in row
        assert row.endswith(eur(amount))
    assert DUELMEN_SHARE + OLFEN_SHARE + SENDEN_SHARE == OWN_SHARE
    total = paragraph_with(text, "Summe Eigenanteil")
    assert total == (f"Summe Eigenanteil | 81.500 Einwohner | 100{NBSP}% | {format_eur(OWN_SHARE)}")
    assert paragraph_with(text, "Zuwendung |").startswith(f"Zuwendung | {eur(GRANT)}")
    assert f"Zuwendungsfähige Gesamtausgaben | {eur(COSTS)}" in text
    assert f"Förderquote | 90{NBSP}%" in text
    assert "Havixbeck" not in text  # declined
    assert "Fassung v2" in text
    assert "Hinweis" in text.splitlines()
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
    text = render("finanzierungsplan.docx", finanzierungsplan_context(app, plan, 1, TODAY))
    assert f"begrenzt auf den Förderhöchstbetrag von {eur(100_000_000)}" in text
    # 500.000,00 € own share, equal parts of 166.666,67 / 166.666,67 / 166.666,66 €
    assert eur(16_666_667) in text and eur(16_666_666) in text
    assert "gleicher Anteil" in text
    assert "Hinweis" not in text.splitlines()  # no note section without a note


# --- Sitzungsvorlage -------------------------------------------------------------------------

HEADINGS = [
    "I. Sachdarstellung",
    "II. Entscheidungsalternativen",
    "III. Auswirkungen / Zusammenhänge (Finanzen, Personal, IT, Klima)",
    "IV. Zuständigkeit für die Entscheidung",
]


def test_sitzungsvorlage_for_the_lead_council(app: ApplicationView, plan: FinancingPlan) -> None:
    ctx = sitzungsvorlage_antrag_context(app, plan, DUELMEN, "SV-26-0007", 1, TODAY)
    text = render("sitzungsvorlage.docx", ctx)
    lines = text.splitlines()

    assert "SV-26-0007" in text and "16.11.2026" in text
    assert "Rat der Stadt Dülmen" in text and "öffentlich" in text
    positions = [lines.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert lines.index("Beschlussvorschlag:") < positions[0]

    proposal = lines[lines.index("Beschlussvorschlag:") + 1]
    assert proposal.startswith("Der Rat der Stadt Dülmen beschließt")
    assert f"Eigenanteil in Höhe von bis zu {eur(DUELMEN_SHARE)}" in proposal
    finances = paragraph_with(text, "Finanzen: ")
    assert eur(DUELMEN_SHARE) in finances and eur(OWN_SHARE) in finances
    assert "Zuständig für die Entscheidung ist der Rat gem. § 41 (1) GO NRW." in text
    assert "Kreistag" not in text and "KrO" not in text
    assert "Sperrvermerk" not in text

    facts = "\n".join(lines[positions[0] : positions[1]])
    assert "Digitalisierungsstrategie" in facts and "Digitalagentur COE" in facts
    assert "digitalen Dorfplatzes" in facts  # the summary
    assert "die Stadt Olfen und die Gemeinde Senden" in facts
    assert "Die Gemeinde Havixbeck hat von einer Beteiligung abgesehen." in facts
    assert "drei Körperschaften" in facts
    assert eur(GRANT) in facts and eur(COSTS) in facts
    assert "Smarte.Land.Regionen" in facts and "(BMEL)" in facts
    assert "31.03.2027" in facts  # call deadline still ahead
    alternatives = "\n".join(lines[positions[1] : positions[2]])
    assert "nicht zu" in alternatives
    assert "Personal: Die Projektkoordination erfolgt im Rahmen der bestehenden" in text
    assert "IT: " in text and "Klima: " in text
    for attachment in (
        "Projektskizze",
        "Kosten- und Finanzierungsplan",
        "Kooperationsvereinbarung",
    ):
        assert attachment in "\n".join(lines[lines.index("Anlagen") :])


def test_sitzungsvorlage_for_a_partner_council(app: ApplicationView, plan: FinancingPlan) -> None:
    ctx = sitzungsvorlage_antrag_context(app, plan, SENDEN, "SV-26-0008", 1, TODAY)
    text = render("sitzungsvorlage.docx", ctx)
    proposal = paragraph_with(text, "beschließt")
    assert proposal.startswith(
        "Der Rat der Gemeinde Senden beschließt, dass sich die Gemeinde Senden als "
        "Verbundpartner unter Federführung der Stadt Dülmen"
    )
    assert eur(SENDEN_SHARE) in proposal
    assert eur(SENDEN_SHARE) in paragraph_with(text, "Finanzen: ")
    assert "umverteilt" in text
    assert "Zuständig für die Entscheidung ist der Rat gem. § 41 (1) GO NRW." in text


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
    text = render("sitzungsvorlage.docx", ctx)
    assert "Kreistag des Kreises Coesfeld" in text
    assert "Zuständig für die Entscheidung ist der Kreistag gem. § 26 (1) KrO NRW." in text
    assert "GO NRW" not in text
    proposal = paragraph_with(text, "beschließt")
    assert proposal.startswith("Der Kreistag des Kreises Coesfeld beschließt, dass sich der Kreis")
    assert f"Der Kreis Coesfeld trägt einen Eigenanteil in Höhe von bis zu {eur(1_600_000)}" in (
        proposal
    )


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
    vorlage = render(
        "sitzungsvorlage.docx",
        sitzungsvorlage_antrag_context(app, plan, KREIS, "SV-10-0124", 1, TODAY),
    )
    # 70 % of 48.000,00 € = 33.600,00 €
    assert f"Auf den Kreis Coesfeld entfällt danach ein Anteil von {eur(3_360_000)}" in vorlage
    assert "Die Federführung liegt beim Kreis Coesfeld, der den Förderantrag als " in vorlage
    assert "Als Verbundpartner hat die Stadt Olfen ihre Beteiligung" in vorlage
    assert "zwei Körperschaften im Kreis Coesfeld" in vorlage
    letter = render(
        "absichtserklaerung.docx",
        absichtserklaerung_context(app, app.partners[0], plan, dt.date(2026, 12, 4), TODAY),
    )
    assert "Der Kreis Coesfeld beabsichtigt, das Vorhaben" in letter
    assert "bestätigt er seine Bereitschaft, den auf ihn entfallenden Eigenanteil" in letter
    assert "Für den Kreis Coesfeld:" in letter
    agreement = render(
        "kooperationsvereinbarung.docx", kooperationsvereinbarung_context(app, plan, 1, TODAY)
    )
    assert f"Kreis Coesfeld | vereinbart 70{NBSP}% | 70{NBSP}% | {eur(3_360_000)}" in agreement
    assert f"Stadt Olfen | vereinbart 30{NBSP}% | 30{NBSP}% | {eur(1_440_000)}" in agreement
    assert "dem Kreis Coesfeld, vertreten durch den Landrat bzw. die Landrätin" in agreement
    assert "Er ist gegenüber dem Zuwendungsgeber Zuwendungsempfänger" in agreement


def test_sitzungsvorlage_sperrvermerk_only_when_set(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    ctx = sitzungsvorlage_antrag_context(app, plan, OLFEN, "SV-26-0009", 1, TODAY)
    assert "Sperrvermerk" not in render("sitzungsvorlage.docx", ctx)
    restricted = ctx.model_copy(
        update={"restriction": "Die Mittel werden erst nach Beschluss aller Räte freigegeben."}
    )
    text = render("sitzungsvorlage.docx", restricted)
    assert "Sperrvermerk: Die Mittel werden erst nach Beschluss aller Räte freigegeben." in text
    lines = text.splitlines()
    sperr = next(i for i, line in enumerate(lines) if line.startswith("Sperrvermerk: "))
    assert lines.index("Beschlussvorschlag:") < sperr < lines.index(HEADINGS[0])


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
    text = render("foerderantrag.docx", ctx)
    assert "ENTWURF" in text
    assert "Fassung v2, Stand 16.11.2026" in text
    lines = text.splitlines()
    assert "Änderungsvermerk" in lines
    assert "Arbeitspaket 3 konkretisieren" in lines
    assert "Zeitplan an Ratssitzungen anpassen" in lines
    assert "zur Fassung v1:" in text
    assert "Hinweise" in lines and "Stichtag des Förderaufrufs beachten." in text
    assert "Stadt Olfen" in lines and "Gemeinde Senden" in lines  # Verbundpartner
    assert "Havixbeck" not in text
    assert eur(GRANT) in text and eur(OWN_SHARE) in text and eur(COSTS) in text
    assert "bis zu 48 Monate" in text
    assert "koordination@digitalagentur-coe.example" in text
    for heading in ("1. Antragsteller", "2. Verbundpartner", "4. Zielsetzung", "5. Arbeitsplan"):
        assert heading in lines


def test_foerderantrag_without_changes_has_no_aenderungsvermerk(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    text = render("foerderantrag.docx", foerderantrag_context(app, plan, 1, TODAY))
    assert "Änderungsvermerk" not in text
    assert "Hinweise" not in text.splitlines()
    assert "Fassung v1" in text


# --- Kooperationsvereinbarung ---------------------------------------------------------------


def test_kooperationsvereinbarung_sections_shares_and_signatures(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    text = render(
        "kooperationsvereinbarung.docx", kooperationsvereinbarung_context(app, plan, 1, TODAY)
    )
    lines = text.splitlines()
    sections = [
        "§ 1 Gegenstand",
        "§ 2 Federführung",
        "§ 3 Finanzierung und Eigenanteile",
        "§ 4 Pflichten der Partner",
        "§ 5 Laufzeit und Kündigung",
        "§ 6 Schlussbestimmungen",
    ]
    positions = [lines.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "Die Federführung liegt bei der Stadt Dülmen." in text
    for amount in (DUELMEN_SHARE, OLFEN_SHARE, SENDEN_SHARE):
        assert eur(amount) in text
    assert paragraph_with(text, "Summe Eigenanteil").endswith(eur(OWN_SHARE))
    assert "Schriftform" in text and "salvatorische Klausel" in text
    assert "drei gleichlautenden Ausfertigungen" in text
    for signature in (
        "Für die Stadt Dülmen: Bürgermeister / Bürgermeisterin",
        "Für die Stadt Olfen: Bürgermeister / Bürgermeisterin",
        "Für die Gemeinde Senden: Bürgermeister / Bürgermeisterin",
    ):
        assert signature in lines
    assert "Havixbeck" not in text
    assert "bis zu 48 Monaten" in text


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
    text = render("nachweis.docx", ctx)
    assert "Zwischennachweis für das Jahr 2027" in text
    assert "2826DKE0007" in text and "12.05.2027" in text
    assert "01.06.2027 bis 31.05.2030" in text
    assert "01.06.2027 bis 31.12.2027" in text  # reporting period clipped to the year
    assert "Einnahmen | laut Bescheid | laut Abrechnung" in text
    assert "Ausgaben | laut Bescheid | laut Abrechnung" in text
    assert f"Eigenanteil Stadt Olfen | {eur(OLFEN_SHARE)} | " in text
    assert f"Zuwendung | {eur(GRANT)} | " in text
    assert f"Summe Einnahmen | {eur(COSTS)} | " in text
    assert f"Zuwendungsfähige Gesamtausgaben | {eur(COSTS)} | " in text
    for prompt in (
        "1.1 Verlauf des Vorhabens",
        "1.3 Abweichungen vom Arbeitsplan",
        "1.4 Notwendigkeit und Angemessenheit der geleisteten Arbeit",
        "1.6 Öffentlichkeitsarbeit",
        "3. Bestätigungen",
    ):
        assert prompt in text
    assert "wirtschaftlich und sparsam" in text
    assert "mit den Büchern und Belegen übereinstimmen" in text
    assert "Zuwendungszweck erreicht" not in text  # only in the Verwendungsnachweis


def test_verwendungsnachweis() -> None:
    app = granted_app()
    ctx = nachweis_context(app, "verwendungsnachweis", None, plan_for(app), dt.date(2030, 9, 1))
    text = render("nachweis.docx", ctx)
    assert "Verwendungsnachweis" in text and "Zwischennachweis" not in text
    assert "Zuwendungszweck erreicht" in text
    assert text.count("01.06.2027 bis 31.05.2030") == 2  # Bewilligungs- = Berichtszeitraum


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
        "sitzungsvorlage.docx": sitzungsvorlage_antrag_context(
            app, plan, OLFEN, "SV-26-0010", 1, TODAY
        ),
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


def test_absichtserklaerung_requires_the_partner_in_the_plan(
    app: ApplicationView, plan: FinancingPlan
) -> None:
    havixbeck = app.partners[3]
    with pytest.raises(ValueError, match="Gemeinde Havixbeck"):
        absichtserklaerung_context(app, havixbeck, plan, dt.date(2026, 12, 4), TODAY)


def test_contexts_are_strings_only() -> None:
    """The templates compute nothing: money and dates arrive formatted."""
    app = make_app()
    ctx = all_contexts(app, plan_for(app))["absichtserklaerung.docx"]
    assert isinstance(ctx, AbsichtserklaerungContext)
    assert ctx.share_amount == eur(OLFEN_SHARE)
    assert ctx.response_due == "04.12.2026"
