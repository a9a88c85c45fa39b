"""Which context model belongs to which template: the single list the lint checks."""

from __future__ import annotations

from models import antrag_docs, antrag_mails, fristen_documents, strategy_docs
from models.documents import TEMPLATES as BASE_TEMPLATES
from models.documents import DocumentContext
from models.mail import MAILS as BASE_MAILS
from models.mail import MailContext
from models.radar import mails as radar_mails
from models.reporting import mails as reporting_mails
from models.reporting import sachstand as reporting_sachstand

TEMPLATE_CONTEXTS: dict[str, type[DocumentContext]] = {
    **BASE_TEMPLATES,
    **antrag_docs.TEMPLATES,
    **fristen_documents.TEMPLATES,
    **strategy_docs.TEMPLATES,
    **reporting_sachstand.TEMPLATES,
}
MAIL_CONTEXTS: dict[str, type[MailContext]] = {
    **BASE_MAILS,
    **antrag_docs.MAILS,
    **antrag_mails.MAILS,
    **fristen_documents.MAILS,
    **strategy_docs.MAILS,
    **radar_mails.MAILS,
    **reporting_mails.MAILS,
}
