"""Compatibility names for code that still imports ``models.antrag_documents``.

The application documents now live in :mod:`models.antrag_docs` (one module per document),
the body grammar in :mod:`models.grammar` and the generic Sitzungsvorlage in
:mod:`models.documents`. Nothing new belongs here; import from those modules instead.
"""

from __future__ import annotations

from models.antrag_docs import (
    MAILS,
    NACHWEIS_KINDS,
    SITZUNGSVORLAGE_TEMPLATE,
    TEMPLATES,
    AbsichtserklaerungContext,
    FinanzierungsplanContext,
    FoerderantragContext,
    KooperationsvereinbarungContext,
    NachweisContext,
    PartyRow,
    ShareRow,
    SitzungsvorlageAntragContext,
    absichtserklaerung_context,
    finanzierungsplan_context,
    foerderantrag_context,
    kooperationsvereinbarung_context,
    nachweis_context,
    sitzungsvorlage_antrag_context,
)
from models.antrag_docs.foerderantrag import change_lines as _change_lines
from models.bodies import BodyView
from models.documents import SitzungsvorlageContext, competence_sentence
from models.grammar import body_forms, council_genitiv, count_word, join_de
from models.grammar import capitalize_first as _cap
from models.grammar import full_sentence as _sentence

# The strategy documents still print this; the templates use {{ mandant.strategie.name }}.
STRATEGY_NAME = "„Coesfeld 12.0 – Im Kreis gemeinsam digital“"

_count_word = count_word
_join = join_de


def _nom(body: BodyView) -> str:
    return body_forms(body).nominativ


def _acc(body: BodyView) -> str:
    return body_forms(body).akkusativ


def _dat(body: BodyView) -> str:
    return body_forms(body).dativ


def _gen(body: BodyView) -> str:
    return body_forms(body).genitiv


def _seat(body: BodyView) -> str:
    return body_forms(body).seat


def _council_gen(body: BodyView) -> str:
    return council_genitiv(body.council)


def _council_organ(body: BodyView) -> str:
    return f"der {body_forms(body).organ}"


__all__ = [
    "MAILS",
    "NACHWEIS_KINDS",
    "SITZUNGSVORLAGE_TEMPLATE",
    "STRATEGY_NAME",
    "TEMPLATES",
    "AbsichtserklaerungContext",
    "FinanzierungsplanContext",
    "FoerderantragContext",
    "KooperationsvereinbarungContext",
    "NachweisContext",
    "PartyRow",
    "ShareRow",
    "SitzungsvorlageAntragContext",
    "SitzungsvorlageContext",
    "_acc",
    "_cap",
    "_change_lines",
    "_council_gen",
    "_council_organ",
    "_count_word",
    "_dat",
    "_gen",
    "_join",
    "_nom",
    "_seat",
    "_sentence",
    "absichtserklaerung_context",
    "competence_sentence",
    "finanzierungsplan_context",
    "foerderantrag_context",
    "kooperationsvereinbarung_context",
    "nachweis_context",
    "sitzungsvorlage_antrag_context",
]
