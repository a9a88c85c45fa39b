"""Documents and mails of the yearly strategy revision: context models and pure builders.

* ``status_request``: the Statusabfrage per body (its projects with last year's status),
* ``draft``: the draft "Fortschreibung der Digitalisierungsstrategie <year>",
* ``council_paper``: one Sitzungsvorlage per body,
* ``release``: the confirmation that all councils adopted it (Sperrvermerk lifted),
* ``mails``: the mail contexts of the cycle and the status table artifact,
* ``common``: the cycle's facts, counts and the bodies' grammatical forms.

The wording of the documents lives in ``templates/strategie_*.docx``; the builders here hand
the templates facts only.
"""

from __future__ import annotations

from models.documents import DocumentContext
from models.mail import MailContext
from models.strategy_docs.common import (
    ENTWURF_TEMPLATE,
    FREIGABE_TEMPLATE,
    MAIL_ESKALATION,
    MAIL_FREIGABE,
    MAIL_GESAMT,
    MAIL_STATUSABFRAGE,
    MAIL_VORLAGE,
    STATUSABFRAGE_TEMPLATE,
    VORLAGE_TEMPLATE,
    Count,
    CycleFacts,
    CycleStanding,
    draft_title,
)
from models.strategy_docs.council_paper import (
    StrategieVorlageContext,
    sitzungsvorlage_strategie_context,
)
from models.strategy_docs.draft import EntwurfContext, entwurf_context
from models.strategy_docs.mails import (
    CouncilPaperMailContext,
    EscalationMailContext,
    PackageMailContext,
    ReleaseMailContext,
    StatusRequestMailContext,
    council_paper_mail_context,
    escalation_mail_context,
    package_mail_context,
    release_mail_context,
    status_request_mail_context,
    status_table_rows,
)
from models.strategy_docs.release import FreigabeContext, ResolutionRecord, freigabe_context
from models.strategy_docs.status_request import StatusabfrageContext, statusabfrage_context

TEMPLATES: dict[str, type[DocumentContext]] = {
    STATUSABFRAGE_TEMPLATE: StatusabfrageContext,
    ENTWURF_TEMPLATE: EntwurfContext,
    VORLAGE_TEMPLATE: StrategieVorlageContext,
    FREIGABE_TEMPLATE: FreigabeContext,
}
MAILS: dict[str, type[MailContext]] = {
    MAIL_STATUSABFRAGE: StatusRequestMailContext,
    MAIL_VORLAGE: CouncilPaperMailContext,
    MAIL_GESAMT: PackageMailContext,
    MAIL_ESKALATION: EscalationMailContext,
    MAIL_FREIGABE: ReleaseMailContext,
}

__all__ = [
    "ENTWURF_TEMPLATE",
    "FREIGABE_TEMPLATE",
    "MAILS",
    "MAIL_ESKALATION",
    "MAIL_FREIGABE",
    "MAIL_GESAMT",
    "MAIL_STATUSABFRAGE",
    "MAIL_VORLAGE",
    "STATUSABFRAGE_TEMPLATE",
    "TEMPLATES",
    "VORLAGE_TEMPLATE",
    "CouncilPaperMailContext",
    "Count",
    "CycleFacts",
    "CycleStanding",
    "EntwurfContext",
    "EscalationMailContext",
    "FreigabeContext",
    "PackageMailContext",
    "ReleaseMailContext",
    "ResolutionRecord",
    "StatusRequestMailContext",
    "StatusabfrageContext",
    "StrategieVorlageContext",
    "council_paper_mail_context",
    "draft_title",
    "entwurf_context",
    "escalation_mail_context",
    "freigabe_context",
    "package_mail_context",
    "release_mail_context",
    "sitzungsvorlage_strategie_context",
    "status_request_mail_context",
    "status_table_rows",
    "statusabfrage_context",
]
