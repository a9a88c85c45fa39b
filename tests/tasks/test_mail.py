from pathlib import Path

from sqlalchemy import func, select
from support import attachments, free_port, inbox

from foerderflow.inbox import LocalInbox
from foerderflow.settings import Settings
from foerderflow.wiring import Services
from models.mail import WORD_MIME_TYPE, Attachment, OutgoingMail, PreparedMail
from models.tables import OutboxMail
from tasks.mail import YagmailTransport, build_mime, deliver, queue_mail


def _prepared(body: str, files: list[Attachment] | None = None) -> PreparedMail:
    return PreparedMail(
        outbox_id=1,
        message_id="<x@foerderflow.local>",
        sender="digitalagentur@kreis-coesfeld.example",
        sender_name="Digitalagentur COE",
        to=["a@example.org"],
        cc=[],
        subject="Betreff mit Ümlaut & <Zeichen>",
        body=body,
        attachments=files or [],
    )


def test_body_that_is_a_file_path_is_sent_as_text(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("darf nie angehängt werden")
    msg = build_mime(_prepared(str(secret)))
    assert list(msg.iter_attachments()) == []
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == str(secret)


def test_attachments_explicit_with_word_mime_type() -> None:
    msg = build_mime(_prepared("Hallo", [Attachment(filename="a.docx", content=b"PK\x03\x04")]))
    found = attachments(msg)
    assert found == {"a.docx": (WORD_MIME_TYPE, b"PK\x03\x04")}
    assert msg["Subject"] == "Betreff mit Ümlaut & <Zeichen>"


def _queue(services: Services, key: str = "k1", body: str = "Hallo Welt") -> int:
    with services.sessions.begin() as session:
        return queue_mail(
            session,
            OutgoingMail(
                key=key, owner="FA-2026-001", to=["a@example.org"], subject="Test", body=body
            ),
        )


def test_queue_is_idempotent(services: Services) -> None:
    assert _queue(services) == _queue(services)
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMail)) == 1


def test_delivery_through_real_smtp_once(services: Services, smtp: LocalInbox) -> None:
    outbox_id = _queue(services, body="Zeile 1\nZeile 2 mit ä")
    report = deliver(services.sessions, services.settings, YagmailTransport)
    assert report.sent == [outbox_id] and report.pending == []
    again = deliver(services.sessions, services.settings, YagmailTransport)
    assert again.sent == []
    mails = inbox(smtp.maildir)
    assert len(mails) == 1
    received, _ = mails[0]
    assert received.subject == "Test"
    assert "Zeile 2 mit ä" in received.body
    assert received.recipients == ["a@example.org"]


def test_failed_send_stays_pending_and_is_retried_once(
    services: Services, smtp: LocalInbox, tmp_path: Path
) -> None:
    outbox_id = _queue(services)
    dead = services.settings.model_copy(update={"local_smtp_port": free_port()})
    report = deliver(services.sessions, dead, YagmailTransport)
    assert report.pending == [outbox_id]
    assert "nicht erreichbar" in report.errors[0]
    with services.sessions() as session:
        row = session.get_one(OutboxMail, outbox_id)
        assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert inbox(smtp.maildir) == []
    report = deliver(services.sessions, services.settings, YagmailTransport)
    assert report.sent == [outbox_id]
    assert len(inbox(smtp.maildir)) == 1


def test_real_server_settings_use_secret_password(monkeypatch) -> None:
    captured: dict[str, object] = {}

    import tasks.mail as mail_module

    class FakeClient:
        def __init__(self, **kwargs: object) -> None:
            captured.update(kwargs)

        def set_logging(self, *_: object) -> None:
            return None

    monkeypatch.setattr(mail_module, "_PreparedYagmail", FakeClient)
    settings = Settings(
        smtp_host="smtp.example.org",
        smtp_security="ssl",
        smtp_user="svc",
        smtp_password="s3cret",  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
    )
    YagmailTransport(settings)
    assert captured["host"] == "smtp.example.org"
    assert captured["port"] == 465
    assert captured["smtp_ssl"] is True and captured["smtp_starttls"] is False
    assert captured["password"] == "s3cret" and captured["smtp_skip_login"] is False
