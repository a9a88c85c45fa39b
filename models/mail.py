"""Mail as data: a message is built by a pure function and only then sent."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from foerderflow.settings import get_tenant
from models.keyed import Keyed

WORD_MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS_MIME_TYPE = "text/calendar"


class OutgoingMail(Keyed):
    """A mail to be queued in the outbox (once per ``key``)."""

    owner: str
    to: list[str] = Field(min_length=1)
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str
    attachment_ids: list[int] = Field(default_factory=list)
    html: str | None = None  # an HTML alternative of ``body`` (the newsletter)


class Attachment(BaseModel):
    """An attachment passed explicitly, by content, never guessed from a string."""

    model_config = ConfigDict(frozen=True)

    filename: str
    content: bytes
    mime_type: str = WORD_MIME_TYPE


class PreparedMail(BaseModel):
    """A mail ready for the transport (what the outbox row plus its documents produce)."""

    model_config = ConfigDict(frozen=True)

    outbox_id: int
    message_id: str
    sender: str
    sender_name: str
    to: list[str]
    cc: list[str]
    subject: str
    body: str
    attachments: list[Attachment]
    html: str | None = None


class DeliveryReport(BaseModel):
    sent: list[int] = Field(default_factory=list)
    pending: list[int] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.pending


# --- Mail text contexts (templates/mail/*.txt) ----------------------------------------------


class MailContext(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # The agency's closing lines from mandant.yaml.
    signature: str = Field(default_factory=lambda: get_tenant().agentur.signatur)


class IdeaMailContext(MailContext):
    reference: str
    title: str
    lead_body: str
    partners: list[str]
    programme: str
    estimated_costs: str
    expected_grant: str
    entered_by: str
    ui_url: str


class FailureMailContext(MailContext):
    step: str
    reference: str
    kind: str
    message: str
    run_name: str
    run_url: str
    is_input_error: bool  # bad input or an illegal step: nothing was changed


MAILS: dict[str, type[MailContext]] = {
    "idee_projektskizze.txt": IdeaMailContext,
    "fehler.txt": FailureMailContext,
}
