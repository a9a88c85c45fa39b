"""Mail: the outbox (queued in the caller's transaction) and delivery through yagmail.

Delivery claims each pending row before sending, so two workers never send the same mail,
and marks it sent right after the SMTP server accepted it. A failed send leaves the row
pending with the error recorded; the next delivery (any later run, the daily sweep, or
``foerderflow postausgang senden``) tries again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
import os
import signal
import smtplib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path
from typing import Any

import yagmail
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from foerderflow.settings import Settings
from foerderflow.wiring import MailTransport, register_default_transport
from models.errors import MailError
from models.mail import (
    WORD_MIME_TYPE,
    Attachment,
    DeliveryReport,
    OutgoingMail,
    PreparedMail,
)
from models.tables import Document, OutboxMail

log = logging.getLogger(__name__)

# A claim older than this is considered abandoned (the worker died mid-send) and retried.
CLAIM_LEASE = dt.timedelta(minutes=10)

mimetypes.add_type(WORD_MIME_TYPE, ".docx")


# --- Queuing (inside the caller's transaction) -------------------------------------------


def message_id_for(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{digest}@foerderflow.local>"


def queue_mail(session: Session, mail: OutgoingMail) -> int:
    """Insert ``mail`` into the outbox unless a mail with its key exists; return the row id."""
    existing = session.scalar(select(OutboxMail.id).where(OutboxMail.key == mail.key))
    if existing is not None:
        return existing
    row = OutboxMail(
        key=mail.key,
        owner=mail.owner,
        recipients=list(mail.to),
        cc=list(mail.cc),
        subject=mail.subject,
        body=mail.body,
        body_html=mail.html,
        attachment_ids=list(mail.attachment_ids),
        status="pending",
        attempts=0,
        message_id=message_id_for(mail.key),
    )
    session.add(row)
    session.flush()
    return row.id


# --- Building the MIME message (pure) ----------------------------------------------------


def build_mime(mail: PreparedMail) -> EmailMessage:
    """Compose the message. The body is always text; attachments only come from ``attachments``."""
    msg = EmailMessage()
    msg["From"] = formataddr((mail.sender_name, mail.sender))
    msg["To"] = ", ".join(mail.to)
    if mail.cc:
        msg["Cc"] = ", ".join(mail.cc)
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = mail.message_id
    msg["X-Foerderflow-Outbox"] = str(mail.outbox_id)
    msg.set_content(mail.body, subtype="plain", charset="utf-8")
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html", charset="utf-8")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        msg.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    return msg


# --- Transport ----------------------------------------------------------------------------


class _PreparedYagmail(yagmail.SMTP):
    """yagmail client that sends a message we composed ourselves.

    yagmail's own composer treats any content string that names an existing file as an
    attachment and copies plain text unescaped into an HTML part. We therefore hand it a
    finished ``EmailMessage``; yagmail still owns the connection, STARTTLS/SSL, login and
    reconnect-on-disconnect.
    """

    def send(self, to: Any = None, subject: Any = None, contents: Any = None, **_: Any) -> Any:
        # yagmail's send() logs in again for every message; keep one connection per batch.
        if self.smtp is None or getattr(self, "is_closed", None):
            self.login()
            self.is_closed = False
        recipients, message = self.prepare_send(to, subject, contents)
        return self._attempt_send(recipients, message)  # reconnects if the server hung up

    def prepare_send(
        self, to: Any = None, subject: Any = None, contents: Any = None, *args: Any, **kwargs: Any
    ) -> tuple[list[str], str]:
        if not isinstance(contents, EmailMessage):
            raise TypeError("foerderflow sendet nur vorbereitete Nachrichten.")
        recipients = list(to or [])
        return recipients, contents.as_string()


class YagmailTransport:
    """The real sender: one SMTP connection for a whole batch of mails."""

    def __init__(self, settings: Settings) -> None:
        if settings.uses_local_inbox:
            host, port, security = settings.local_smtp_host, settings.local_smtp_port, "none"
        else:
            host = settings.smtp_host or ""
            security = settings.smtp_security
            port = settings.smtp_port or {"ssl": 465, "starttls": 587, "none": 25}[security]
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        skip_login = not settings.smtp_user
        self._client = _PreparedYagmail(
            user=settings.smtp_user or settings.mail_from,
            password=password,
            host=host,
            port=port,
            smtp_ssl=security == "ssl",
            smtp_starttls=security == "starttls",
            smtp_skip_login=skip_login,
            soft_email_validation=False,
            timeout=settings.smtp_timeout_seconds,
        )
        self._client.set_logging(logging.CRITICAL)
        self._envelope_from = settings.mail_from

    def send(self, message: EmailMessage) -> None:
        recipients = [
            addr.strip()
            for header in ("To", "Cc")
            for addr in (message.get(header) or "").split(",")
            if addr.strip()
        ]
        result = self._client.send(to=recipients, contents=message)
        if result is False or (result is None and self._client.unsent):
            self._client.unsent.clear()
            raise MailError("Der Mailserver hat die Verbindung wiederholt getrennt.")
        if isinstance(result, dict) and result:
            raise MailError(f"Der Mailserver hat Empfänger abgelehnt: {', '.join(result)}")

    def close(self) -> None:
        try:
            if self._client.is_closed is False:
                self._client.close()
        except Exception:
            log.debug("closing SMTP connection failed", exc_info=True)


register_default_transport(YagmailTransport)


# --- Delivery -----------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _claim(factory: sessionmaker[Session], ids: list[int]) -> list[int]:
    """Mark ``ids`` as being sent by us, in one statement. Rows another worker is sending
    right now (or that are sent already) are skipped; an abandoned claim is taken over."""
    stale = _now() - CLAIM_LEASE
    with factory() as session, session.begin():
        result = session.execute(
            update(OutboxMail)
            .where(OutboxMail.id.in_(ids))
            .where(
                (OutboxMail.status == "pending")
                | ((OutboxMail.status == "sending") & (OutboxMail.claimed_at < stale))
            )
            .values(status="sending", claimed_at=_now(), attempts=OutboxMail.attempts + 1)
            .returning(OutboxMail.id)
        )
        return sorted(result.scalars())


def _mark_sent(factory: sessionmaker[Session], outbox_id: int) -> None:
    """Record that the SMTP server accepted the mail.

    This commit does not wait for the WAL to reach the disk (``synchronous_commit = off``, for
    this transaction only): a mail per fsync made a digest run of 500 mails three times slower
    on PostgreSQL. Only a crash of the database server itself within a fraction of a second
    can lose the mark; the mail then goes out again after the claim lease – the same window
    that already lies between "accepted" and "marked". Queuing a mail stays fully durable."""
    with factory() as session, session.begin():
        session.execute(text("SET LOCAL synchronous_commit = off"))
        session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == outbox_id)
            .values(status="sent", sent_at=_now(), last_error=None)
        )


def _release(factory: sessionmaker[Session], ids: list[int], error: str | None) -> None:
    """Give claimed mails back to the outbox (still pending), recording the error."""
    if not ids:
        return
    values: dict[str, Any] = {"status": "pending", "claimed_at": None}
    if error is not None:
        values["last_error"] = error[:2000]
    with factory() as session, session.begin():
        session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids)).values(**values))


def prepare(session: Session, row: OutboxMail, settings: Settings) -> PreparedMail:
    attachments: list[Attachment] = []
    if row.attachment_ids:
        docs = session.scalars(
            select(Document).where(Document.id.in_(row.attachment_ids)).order_by(Document.id)
        ).all()
        for doc in docs:
            path = Path(doc.path)
            attachments.append(
                Attachment(filename=path.name, content=path.read_bytes(), mime_type=WORD_MIME_TYPE)
            )
    return PreparedMail(
        outbox_id=row.id,
        message_id=row.message_id,
        sender=settings.mail_from,
        sender_name=settings.mail_from_name,
        to=list(row.recipients),
        cc=list(row.cc or []),
        subject=row.subject,
        body=row.body,
        attachments=attachments,
        html=row.body_html,
    )


def pending_ids(factory: sessionmaker[Session], ids: Iterable[int] | None = None) -> list[int]:
    with factory() as session, session.begin():
        query = select(OutboxMail.id).where(OutboxMail.status.in_(("pending", "sending")))
        if ids is not None:
            query = query.where(OutboxMail.id.in_(list(ids)))
        return list(session.scalars(query.order_by(OutboxMail.id)))


def is_connection_error(exc: BaseException) -> bool:
    """True when the server as a whole is unusable (stop the batch); False when only this
    message was refused (e.g. an unknown recipient: keep going with the others)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        return False
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return True
    return isinstance(exc, OSError | smtplib.SMTPException | MailError)


def deliver(
    factory: sessionmaker[Session],
    settings: Settings,
    transport_factory: Callable[[Settings], MailTransport],
    ids: Iterable[int] | None = None,
    batch_size: int = 200,
) -> DeliveryReport:
    """Send pending outbox mails (all, or only ``ids``) over one SMTP connection.

    Each mail is marked sent right after the server accepted it. If the server is
    unreachable, the mail and all mails after it stay pending with the error recorded. A stop
    (Ctrl-C, SIGTERM) waits until the mail in hand is marked and gives the rest back.
    """
    report = DeliveryReport()
    candidates = pending_ids(factory, ids)
    transport: MailTransport | None = None
    held: list[int] = []  # claimed by this call, neither sent nor given back yet
    try:
        for start in range(0, len(candidates), batch_size):
            claimed = _claim(factory, candidates[start : start + batch_size])
            held = list(claimed)
            with factory() as session, session.begin():
                rows = session.scalars(
                    select(OutboxMail).where(OutboxMail.id.in_(claimed)).order_by(OutboxMail.id)
                ).all()
                prepared = [prepare(session, row, settings) for row in rows]
            for index, mail in enumerate(prepared):
                accepted = False
                try:
                    if transport is None:
                        transport = transport_factory(settings)
                    message = build_mime(mail)
                    with _signals_deferred():  # no stop between "accepted" and "marked sent"
                        transport.send(message)
                        accepted = True
                        held.remove(mail.outbox_id)
                        _mark_sent(factory, mail.outbox_id)
                except Exception as exc:
                    if accepted:
                        raise
                    error = describe_send_error(exc)
                    report.errors.append(error)
                    log.warning("Mail %s bleibt im Postausgang: %s", mail.outbox_id, error)
                    if not is_connection_error(exc):
                        _release(factory, [mail.outbox_id], error)
                        held.remove(mail.outbox_id)
                        report.pending.append(mail.outbox_id)
                        continue
                    rest = [m.outbox_id for m in prepared[index:]]
                    _release(factory, rest, error)
                    held = []
                    report.pending.extend(rest + candidates[start + batch_size :])
                    return report
                report.sent.append(mail.outbox_id)
    except BaseException as exc:
        # Stopped (Ctrl-C, a stopping worker's SIGTERM) or failed: give the unsent claims back
        # at once, so the next delivery sends them instead of waiting for the claim lease.
        _give_back(factory, held, exc)
        raise
    finally:
        if transport is not None:
            transport.close()
    return report


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while a mail is handed over and marked sent.

    A stop arriving in between would leave a mail the server accepted unmarked, and it would
    be sent a second time. A signal caught here is passed on to the previous handler (for a
    flow run: Prefect's, which ends the run) right after the mail is marked. Python handles
    signals in the main thread only; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous: dict[int, Any] = {}
    for stop in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(stop) is not None:  # None: installed outside Python, leave it
            previous[stop] = signal.signal(stop, lambda n, _frame: caught.append(n))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            handler = previous[number]
            if callable(handler):
                handler(number, None)  # raises KeyboardInterrupt, TerminationSignal, ...
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), number)


def _give_back(factory: sessionmaker[Session], ids: list[int], exc: BaseException) -> None:
    error = (
        describe_send_error(exc)
        if isinstance(exc, Exception)
        else "Versand unterbrochen (der Lauf wurde beendet); die Mail geht mit der nächsten "
        "Zustellung hinaus."
    )
    try:
        _release(factory, ids, error)
    except Exception:
        log.exception("Mails %s konnten nicht an den Postausgang zurückgegeben werden", ids)


def describe_send_error(exc: BaseException) -> str:
    """A German one-liner for a failed send, without secrets."""
    if isinstance(exc, MailError):
        return str(exc)
    if isinstance(exc, ConnectionRefusedError | OSError) and not isinstance(exc, TimeoutError):
        return f"Mailserver nicht erreichbar ({type(exc).__name__}: {exc.strerror or exc})"
    if isinstance(exc, TimeoutError):
        return "Zeitüberschreitung beim Verbindungsaufbau zum Mailserver"
    return f"Versand fehlgeschlagen ({type(exc).__name__}: {exc})"
