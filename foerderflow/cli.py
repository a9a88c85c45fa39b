"""The ``foerderflow`` command: set-up, the local stack and small tools for coordinators."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(
    help="foerderflow – Förderanträge und Strategie-Fortschreibung einer Digitalagentur von Kreis "
    "und Kommunen (Mandant: mandant.yaml im Datenordner, FOERDERFLOW_DATA_DIR).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
inbox_app = typer.Typer(help="Lokaler Posteingang (nur ohne echten Mailserver).")
templates_app = typer.Typer(help="Word- und Mailvorlagen prüfen.")
outbox_app = typer.Typer(help="Postausgang: ausstehende Mails anzeigen und senden.")
app.add_typer(inbox_app, name="inbox")
app.add_typer(templates_app, name="templates")
app.add_typer(outbox_app, name="postausgang")


@app.callback()
def _database(ctx: typer.Context) -> None:
    """Commands that use the database get the embedded server started for their duration
    when `make up` is not running (and no external database is configured)."""
    if ctx.invoked_subcommand in {"up", "frist", "templates", "inbox"}:
        return
    from foerderflow.postgres import PostgresError, embedded_if_needed
    from foerderflow.settings import get_settings

    settings = get_settings()
    try:
        ctx.with_resource(embedded_if_needed(settings.database_url, settings.postgres_dir))
    except PostgresError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Fehler: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def migrate() -> None:
    """Datenbank auf den neuesten Stand bringen (Alembic)."""
    from foerderflow.db import migrate as run

    run()
    typer.echo("Datenbank ist auf dem neuesten Stand.")


@app.command()
def seed() -> None:
    """Stammdaten (Körperschaften, Programme) aus data/*.yaml einspielen – beliebig oft."""
    from foerderflow.db import migrate as run_migrations
    from foerderflow.db import transaction
    from foerderflow.settings import get_settings
    from models.errors import FoerderflowError
    from tasks.reference_data import seed_reference_data

    settings = get_settings()
    run_migrations()
    try:
        with transaction() as session:
            report = seed_reference_data(session, settings.data_dir)
    except FoerderflowError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Stammdaten: {report.describe()}.")


@inbox_app.callback(invoke_without_command=True)
def inbox_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--anzahl", "-n", help="Nur die letzten N Mails.")] = 50,
) -> None:
    """Empfangene Mails im lokalen Posteingang auflisten."""
    if ctx.invoked_subcommand is not None:
        return
    from foerderflow.inbox import read_inbox
    from foerderflow.settings import get_settings

    maildir = get_settings().resolved_mail_dir
    items = read_inbox(maildir)
    if not items:
        typer.echo(f"Der Posteingang {maildir} ist leer.")
        return
    typer.echo(f"Posteingang {maildir}: {len(items)} Mail(s)\n")
    for mail, _ in items[-limit:]:
        when = mail.date.astimezone().strftime("%d.%m.%Y %H:%M") if mail.date else "–"
        typer.echo(f"{when}  an {', '.join(mail.recipients)}")
        typer.echo(f"    Betreff: {mail.subject}")
        if mail.attachments:
            typer.echo(f"    Anhänge: {', '.join(mail.attachments)}")


@inbox_app.command("serve")
def inbox_serve() -> None:
    """Nur den lokalen SMTP-Posteingang starten (127.0.0.1, Maildir var/mail)."""
    import time

    from foerderflow.inbox import LocalInbox
    from foerderflow.settings import get_settings

    settings = get_settings()
    with LocalInbox(settings.resolved_mail_dir, settings.local_smtp_host, settings.local_smtp_port):
        typer.echo(
            f"Lokaler Posteingang läuft auf {settings.local_smtp_host}:{settings.local_smtp_port}"
            f" → {settings.resolved_mail_dir} (Strg-C beendet)"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


@templates_app.command("check")
def templates_check(
    details: bool = typer.Option(
        True, "--variablen/--kurz", help="Je Vorlage die verwendeten Variablen auflisten."
    ),
) -> None:
    """Alle Vorlagen gegen ihre Kontextmodelle prüfen; Rückgabewert ≠ 0 bei Problemen.

    Listet je Word-Vorlage die verwendeten Variablen (Felder des Kontextmodells und
    mandant.*), die ungenutzten Felder und meldet unbekannte Variablen und Attribute."""
    from foerderflow.settings import get_settings
    from tasks.compose import lint_mail_templates
    from tasks.template_lint import template_reports

    templates_dir = get_settings().templates_dir
    reports = template_reports(templates_dir)
    if details:
        for report in reports:
            origin = "eigene Vorlage" if report.own else "mitgeliefert"
            typer.echo(f"{report.name} ({report.model or 'ohne Kontextmodell'}, {origin})")
            if report.variables:
                typer.echo(f"  verwendet: {', '.join(report.variables)}")
            if report.unused:
                typer.echo(f"  nicht verwendet: {', '.join(report.unused)}")
    problems = [p for r in reports for p in r.problems] + lint_mail_templates(templates_dir)
    if problems:
        for line in problems:
            typer.echo(f"✗ {line}", err=True)
        raise typer.Exit(1)
    count = len(reports) + len(list((templates_dir / "mail").glob("*.txt")))
    typer.echo(f"✓ {count} Vorlagen geprüft, keine Probleme.")


@outbox_app.callback(invoke_without_command=True)
def outbox_list(ctx: typer.Context) -> None:
    """Ausstehende Mails im Postausgang anzeigen."""
    if ctx.invoked_subcommand is not None:
        return
    from sqlalchemy import select

    from foerderflow.db import transaction
    from models.tables import OutboxMail

    with transaction() as session:
        rows = session.scalars(
            select(OutboxMail).where(OutboxMail.status != "sent").order_by(OutboxMail.id)
        ).all()
        if not rows:
            typer.echo("Der Postausgang ist leer: alle Mails sind versendet.")
            return
        for row in rows:
            typer.echo(f"#{row.id} an {', '.join(row.recipients)}: {row.subject}")
            if row.last_error:
                typer.echo(f"    letzter Fehler ({row.attempts} Versuche): {row.last_error}")


@outbox_app.command("senden")
def outbox_send() -> None:
    """Ausstehende Mails jetzt senden."""
    from foerderflow.wiring import get_services
    from tasks.mail import deliver

    services = get_services()
    report = deliver(services.sessions, services.settings, services.transport_factory)
    typer.echo(f"Versendet: {len(report.sent)}, weiterhin ausstehend: {len(report.pending)}")
    for err in report.errors:
        typer.echo(f"  {err}", err=True)
    if report.pending:
        raise typer.Exit(1)


@app.command()
def frist(
    start: Annotated[str, typer.Argument(help="Ereignistag, z. B. 29.03.2028 oder 2028-03-29")],
    tage: Annotated[int, typer.Option("--tage", help="Frist in Tagen")] = 0,
    wochen: Annotated[int, typer.Option("--wochen", help="Frist in Wochen")] = 0,
    monate: Annotated[int, typer.Option("--monate", help="Frist in Monaten")] = 0,
) -> None:
    """Fristenrechner (§ 31 VwVfG NRW, §§ 187–193 BGB). Letzte Zeile: Fristende als ISO-Datum."""
    from models.deadlines import DeadlineError, compute_deadline, parse_date_de

    try:
        begin = parse_date_de(start)
        result = compute_deadline(begin, days=tage, weeks=wochen, months=monate)
    except (DeadlineError, ValueError) as exc:
        _fail(str(exc), code=2)
        return
    typer.echo(result.explanation)
    typer.echo(result.end.isoformat())


@app.command()
def up(
    no_worker: Annotated[bool, typer.Option("--ohne-worker", help="Keinen Worker starten")] = False,
) -> None:
    """Lokalen Betrieb starten: Datenbank, Prefect-Server, Deployments, Worker, Posteingang."""
    from foerderflow.stack import run_stack

    sys.exit(run_stack(start_worker=not no_worker))


@app.command()
def kalender() -> None:
    """Kalenderdateien jetzt schreiben: fristen.ics (alle offenen Fristen) und eine Datei je
    Körperschaft in var/calendar. Der Fristenwächter erneuert sie sonst jeden Morgen."""
    from sqlalchemy.exc import SQLAlchemyError

    from foerderflow.wiring import get_services
    from tasks.calendar import write_feeds

    services = get_services()
    try:
        report = write_feeds(services.sessions, services.settings.resolved_calendar_dir)
    except SQLAlchemyError as exc:
        _fail(
            "Die Datenbank ist nicht erreichbar oder nicht eingerichtet (zuerst "
            f"„foerderflow migrate“ bzw. „foerderflow seed“): {getattr(exc, 'orig', exc)}"
        )
        return
    except OSError as exc:
        _fail(f"Kalenderdateien konnten nicht geschrieben werden: {exc}")
        return
    for feed in report.feeds:
        state = "aktualisiert" if feed.changed else "unverändert"
        typer.echo(f"{feed.path}: {feed.events} Einträge, {state}")
    total = next((f.events for f in report.feeds if f.path.endswith("fristen.ics")), 0)
    typer.echo(
        f"{len(report.feeds)} Kalenderdateien in {report.directory}, {total} offene Fristen."
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
