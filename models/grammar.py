"""German grammar of the bodies (Körperschaften) and the small filters the templates use.

The Word templates hold the sentences; Python hands them facts. For a body those facts
include its grammatical forms: a template writes ``Auf {{ lead.akkusativ }} entfällt …`` or
``unter Federführung {{ lead.genitiv }}`` and gets "den Kreis Coesfeld" / "der Stadt Olfen".
:class:`BodyForms` is that set of forms; :func:`body_forms` derives it from a
:class:`~models.bodies.BodyView` (a Kreis is masculine, Stadt and Gemeinde are feminine).

``TEMPLATE_FILTERS`` are the Jinja filters every Word template may use (registered by
``tasks.documents``): ``zahlwort`` (3 -> "drei"), ``gross`` (first letter upper case),
``aufzaehlung`` ("a, b und c") and ``satz`` (ends a user's text with a full stop).
Pure functions, no I/O; the strategy documents use them as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from models.bodies import BodyView

_NUMBER_WORDS = {
    1: "eine",
    2: "zwei",
    3: "drei",
    4: "vier",
    5: "fünf",
    6: "sechs",
    7: "sieben",
    8: "acht",
    9: "neun",
    10: "zehn",
    11: "elf",
    12: "zwölf",
}


class BodyForms(BaseModel):
    """A body's name in every form a sentence needs (all finished German strings)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # official name: "Stadt Olfen", "Kreis Coesfeld"
    short_name: str  # the name coordinators use: "Olfen", "Kreis Coesfeld"
    is_kreis: bool
    artikel_nom: str  # "der" (Kreis) | "die" (Stadt, Gemeinde)
    artikel_akk: str  # "den" | "die"
    artikel_dat: str  # "dem" | "der"
    artikel_gen: str  # "des" | "der"
    nominativ: str  # "der Kreis Coesfeld", "die Stadt Olfen"
    akkusativ: str  # "den Kreis Coesfeld", "die Stadt Olfen"
    dativ: str  # "dem Kreis Coesfeld", "der Stadt Olfen"
    genitiv: str  # "des Kreises Coesfeld", "der Stadt Olfen"
    bei: str  # "beim Kreis Coesfeld", "bei der Stadt Olfen"
    pronoun: str  # "er" | "sie"
    pronoun_akk: str  # "ihn" | "sie"
    possessive: str  # "seine" | "ihre"
    applicant: str  # "Antragsteller" | "Antragstellerin"
    grant_recipient: str  # "Zuwendungsempfänger" | "Zuwendungsempfängerin"
    council: str  # "Rat der Stadt Olfen"
    council_genitiv: str  # "des Rates der Stadt Olfen", "des Kreistages des Kreises Coesfeld"
    organ: str  # "Rat" | "Kreistag" (both masculine: "der Rat", "Der Kreistag")
    legal_basis: str  # decision competence: "§ 41 (1) GO NRW", "§ 26 (1) KrO NRW"
    seat: str  # place for "Ort, den": "Olfen", "Coesfeld"
    signatory: str  # "Bürgermeister / Bürgermeisterin" | "Landrat / Landrätin"
    representative: str  # accusative: "den Bürgermeister bzw. die Bürgermeisterin"
    population: str  # "13.300"


def format_int(n: int) -> str:
    """``47300`` -> ``"47.300"``."""
    return f"{n:,}".replace(",", ".")


def genitive_name(body: BodyView) -> str:
    """The official name in the genitive, without article: "Kreises Coesfeld", "Stadt Olfen"."""
    if body.is_kreis and body.official_name.startswith("Kreis "):
        return "Kreises " + body.official_name.removeprefix("Kreis ")
    return body.official_name


def council_genitiv(council: str) -> str:
    """Genitive of a council: "des Rates der Stadt Olfen", "des Kreistages des Kreises …"."""
    first, _, rest = council.partition(" ")
    if first == "Rat":
        return f"des Rates {rest}"
    if first == "Kreistag":
        return f"des Kreistages {rest}"
    return f"des Gremiums „{council}“"


def body_forms(body: BodyView) -> BodyForms:
    kreis = body.is_kreis
    name = body.official_name
    nom, akk, dat, gen = ("der", "den", "dem", "des") if kreis else ("die", "die", "der", "der")
    return BodyForms(
        name=name,
        short_name=body.name,
        is_kreis=kreis,
        artikel_nom=nom,
        artikel_akk=akk,
        artikel_dat=dat,
        artikel_gen=gen,
        nominativ=f"{nom} {name}",
        akkusativ=f"{akk} {name}",
        dativ=f"{dat} {name}",
        genitiv=f"{gen} {genitive_name(body)}",
        bei=f"beim {name}" if kreis else f"bei der {name}",
        pronoun="er" if kreis else "sie",
        pronoun_akk="ihn" if kreis else "sie",
        possessive="seine" if kreis else "ihre",
        applicant="Antragsteller" if kreis else "Antragstellerin",
        grant_recipient="Zuwendungsempfänger" if kreis else "Zuwendungsempfängerin",
        council=body.council,
        council_genitiv=council_genitiv(body.council),
        organ="Kreistag" if kreis else "Rat",
        legal_basis=body.legal_basis,
        seat=body.name.removeprefix("Kreis ") if kreis else body.name,
        signatory="Landrat / Landrätin" if kreis else "Bürgermeister / Bürgermeisterin",
        representative=(
            "den Landrat bzw. die Landrätin"
            if kreis
            else "den Bürgermeister bzw. die Bürgermeisterin"
        ),
        population=format_int(body.population),
    )


# --- plain helpers (also used by code that still builds sentences) ---------------------------


def count_word(n: int) -> str:
    """Numbers up to twelve as words in running text (``3`` -> ``"drei"``)."""
    return _NUMBER_WORDS.get(n, str(n))


def join_de(parts: Iterable[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b und c"``."""
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} und {items[-1]}"


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only ("die Stadt Olfen" -> "Die Stadt Olfen")."""
    return text[:1].upper() + text[1:]


def full_sentence(text: str) -> str:
    """Strip *text* and make sure it ends with a full stop (for user-written summaries)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


# --- Jinja filters ------------------------------------------------------------------------
# Values reach the templates as escaped Markup; a filter that changes text returns Markup
# again so the escaped value is not escaped twice.


def _same_kind(original: Any, text: str) -> Any:
    return Markup(text) if isinstance(original, Markup) else text  # noqa: S704 - already escaped


def _zahlwort(value: Any) -> str:
    return count_word(int(value))


def _gross(value: Any) -> Any:
    return _same_kind(value, capitalize_first(str(value)))


def _satz(value: Any) -> Any:
    return _same_kind(value, full_sentence(str(value)))


def _aufzaehlung(values: Sequence[Any], attribute: str | None = None) -> Any:
    items = [v[attribute] if attribute else v for v in values]
    escaped = all(isinstance(i, Markup) for i in items) and items
    text = join_de(str(i) for i in items)
    return Markup(text) if escaped else text  # noqa: S704 - every part was escaped


TEMPLATE_FILTERS: dict[str, Callable[..., Any]] = {
    "zahlwort": _zahlwort,
    "gross": _gross,
    "satz": _satz,
    "aufzaehlung": _aufzaehlung,
}
