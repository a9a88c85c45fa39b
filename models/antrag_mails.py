"""Mail contexts of the lifecycle steps (templates/mail/antrag_*.txt)."""

from __future__ import annotations

from models.mail import MailContext


class PartnerRequestMailContext(MailContext):
    reference: str
    title: str
    partner: str
    lead: str
    programme: str
    proposed_share: str
    proposed_percent: str
    own_share_total: str
    split_explanation: str
    response_due: str
    coordinator_email: str
    entered_by: str


class StepMailContext(MailContext):
    """A coordinator notice: what happened, the facts, the documents, what comes next."""

    subject_line: str
    reference: str
    title: str
    intro: str
    facts: list[str]
    documents: list[str]
    warnings: list[str]
    next_step: str
    entered_by: str
    ui_url: str


MAILS: dict[str, type[MailContext]] = {
    "antrag_absichtserklaerung.txt": PartnerRequestMailContext,
    "antrag_schritt.txt": StepMailContext,
}


def split_phrase(key: str, bodies: int) -> str:
    """How the own share is split, as it reads in a sentence ("… wird <phrase> aufgeteilt")."""
    if key == "einwohner":
        return f"nach der Einwohnerzahl auf die {bodies} beteiligten Körperschaften"
    if key == "prozent":
        return (
            "nach den von den Partnern erklärten Prozentanteilen (den Rest trägt die Federführung)"
        )
    return f"zu gleichen Teilen auf die {bodies} beteiligten Körperschaften"
