"""The bodies' grammatical forms and the German template filters."""

from __future__ import annotations

from markupsafe import Markup

from models.bodies import BodyView
from models.grammar import TEMPLATE_FILTERS, body_forms, council_genitiv

KREIS = BodyView(
    id=1,
    slug="kreis-borken",
    name="Kreis Borken",
    official_name="Kreis Borken",
    kind="kreis",
    council="Kreistag des Kreises Borken",
    legal_basis="§ 26 (1) KrO NRW",
    email="k@example.org",
    population=370000,
)
GEMEINDE = BodyView(
    id=2,
    slug="heek",
    name="Heek",
    official_name="Gemeinde Heek",
    kind="gemeinde",
    council="Rat der Gemeinde Heek",
    legal_basis="§ 41 (1) GO NRW",
    email="h@example.org",
    population=8600,
)


def test_a_kreis_is_masculine() -> None:
    forms = body_forms(KREIS)
    assert (forms.nominativ, forms.akkusativ, forms.dativ, forms.genitiv) == (
        "der Kreis Borken",
        "den Kreis Borken",
        "dem Kreis Borken",
        "des Kreises Borken",
    )
    assert (forms.bei, forms.pronoun, forms.pronoun_akk, forms.possessive) == (
        "beim Kreis Borken",
        "er",
        "ihn",
        "seine",
    )
    assert forms.organ == "Kreistag" and forms.legal_basis == "§ 26 (1) KrO NRW"
    assert forms.council_genitiv == "des Kreistages des Kreises Borken"
    assert forms.seat == "Borken" and forms.applicant == "Antragsteller"
    assert forms.population == "370.000"


def test_a_gemeinde_is_feminine() -> None:
    forms = body_forms(GEMEINDE)
    assert (forms.nominativ, forms.akkusativ, forms.dativ, forms.genitiv) == (
        "die Gemeinde Heek",
        "die Gemeinde Heek",
        "der Gemeinde Heek",
        "der Gemeinde Heek",
    )
    assert forms.bei == "bei der Gemeinde Heek" and forms.possessive == "ihre"
    assert forms.organ == "Rat" and forms.council_genitiv == "des Rates der Gemeinde Heek"
    assert forms.grant_recipient == "Zuwendungsempfängerin" and forms.seat == "Heek"


def test_unknown_council_names_stay_quoted() -> None:
    assert council_genitiv("Verbandsversammlung X") == "des Gremiums „Verbandsversammlung X“"


def test_filters_keep_escaped_text_escaped() -> None:
    gross, satz, liste, zahl = (
        TEMPLATE_FILTERS[n] for n in ("gross", "satz", "aufzaehlung", "zahlwort")
    )
    value = Markup("die A &amp; B")
    assert gross(value) == Markup("Die A &amp; B") and isinstance(gross(value), Markup)
    assert satz(Markup("x &lt;y&gt;")) == Markup("x &lt;y&gt;.")
    assert satz("Fertig.") == "Fertig."
    items = [{"n": Markup("a")}, {"n": Markup("b &amp; c")}, {"n": Markup("d")}]
    assert liste(items, "n") == Markup("a, b &amp; c und d")
    assert liste(["x"]) == "x"
    assert (zahl(3), zahl(11), zahl(17)) == ("drei", "elf", "17")
