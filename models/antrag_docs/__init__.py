"""The documents of a funding application, one module per document.

Each module holds the context model of its Word template and the pure builder that fills
it with facts; the wording is in ``templates/<TEMPLATE>``. Body grammar: :mod:`models.grammar`.
"""

from __future__ import annotations

from models.antrag_docs import (
    absichtserklaerung,
    finanzierungsplan,
    foerderantrag,
    kooperationsvereinbarung,
    nachweis,
    sitzungsvorlage,
)
from models.antrag_docs.absichtserklaerung import (
    AbsichtserklaerungContext,
    absichtserklaerung_context,
)
from models.antrag_docs.common import GrantFacts, ShareRow
from models.antrag_docs.finanzierungsplan import (
    FinanzierungsplanContext,
    finanzierungsplan_context,
)
from models.antrag_docs.foerderantrag import (
    FoerderantragContext,
    change_lines,
    foerderantrag_context,
)
from models.antrag_docs.kooperationsvereinbarung import (
    KooperationsvereinbarungContext,
    PartyRow,
    kooperationsvereinbarung_context,
)
from models.antrag_docs.nachweis import NACHWEIS_KINDS, NachweisContext, nachweis_context
from models.antrag_docs.sitzungsvorlage import (
    SitzungsvorlageAntragContext,
    sitzungsvorlage_antrag_context,
)
from models.documents import DocumentContext
from models.mail import MailContext

SITZUNGSVORLAGE_TEMPLATE = sitzungsvorlage.TEMPLATE

# template file name (in templates/) -> context model; merged in models/registry.py
TEMPLATES: dict[str, type[DocumentContext]] = {
    absichtserklaerung.TEMPLATE: AbsichtserklaerungContext,
    foerderantrag.TEMPLATE: FoerderantragContext,
    finanzierungsplan.TEMPLATE: FinanzierungsplanContext,
    kooperationsvereinbarung.TEMPLATE: KooperationsvereinbarungContext,
    sitzungsvorlage.TEMPLATE: SitzungsvorlageAntragContext,
    nachweis.TEMPLATE: NachweisContext,
}
MAILS: dict[str, type[MailContext]] = {}

__all__ = [
    "MAILS",
    "NACHWEIS_KINDS",
    "SITZUNGSVORLAGE_TEMPLATE",
    "TEMPLATES",
    "AbsichtserklaerungContext",
    "FinanzierungsplanContext",
    "FoerderantragContext",
    "GrantFacts",
    "KooperationsvereinbarungContext",
    "NachweisContext",
    "PartyRow",
    "ShareRow",
    "SitzungsvorlageAntragContext",
    "absichtserklaerung_context",
    "change_lines",
    "finanzierungsplan_context",
    "foerderantrag_context",
    "kooperationsvereinbarung_context",
    "nachweis_context",
    "sitzungsvorlage_antrag_context",
]
