"""``foerderflow radar …``: the Förder-Radar on the command line (for scripts and checks)."""

from __future__ import annotations

from typing import Annotated

import typer

radar_app = typer.Typer(
    help="Förder-Radar: Programme und Aufrufe importieren, Treffer anzeigen.",
    no_args_is_help=True,
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Fehler: {message}", err=True)
    raise typer.Exit(code)


@radar_app.command("import")
def import_command(
    path: Annotated[
        str,
        typer.Argument(
            help="Export der Förderdatenbank (ZIP oder Ordner), gespeicherte Antwort des EU "
            "Funding & Tenders Portals (.json) oder eigene Liste (.yaml/.jsonl); auch eine URL."
        ),
    ],
    von: Annotated[str, typer.Option("--von", help="Wer importiert (Verlauf)")] = "Kommandozeile",
) -> None:
    """Katalog importieren. Letzte Zeile: neu=N geaendert=M entfallen=K unveraendert=U"""
    from foerderflow.db import migrate
    from foerderflow.wiring import get_services
    from models.errors import FoerderflowError
    from models.forms import today_berlin
    from tasks.radar.importing import run_import

    migrate()
    try:
        report = run_import(get_services(), path, entered_by=von, today=today_berlin())
    except FoerderflowError as exc:
        _fail(str(exc))
        return
    for warning in report.warnings:
        typer.echo(f"Hinweis: {warning}", err=True)
    typer.echo(f"Quelle: {report.source} ({report.location})")
    typer.echo(report.summary_line)


@radar_app.command("treffer")
def hits_command(
    key: Annotated[str, typer.Argument(help="Projekt-Code (z. B. HF2-01) oder Körperschaft")],
    anzahl: Annotated[int, typer.Option("--anzahl", "-n", help="Höchstens N Treffer")] = 20,
    vorlauf: Annotated[
        int, typer.Option("--vorlauf", help="Mindestvorlauf bis zur Frist in Tagen")
    ] = 42,
) -> None:
    """Passende Aufrufe, beste zuerst: SCORE | CALL-ID | TITEL | GRÜNDE"""
    from foerderflow.wiring import get_services
    from models.errors import FoerderflowError
    from models.forms import today_berlin
    from models.radar.matching import MatchRules
    from tasks.radar.matching import hits_for_key

    rules = MatchRules(today=today_berlin(), lead_days=vorlauf)
    try:
        hits = hits_for_key(get_services().sessions, key, rules)
    except FoerderflowError as exc:
        _fail(str(exc))
        return
    for hit in hits[:anzahl]:
        typer.echo(f"{hit.score} | {hit.call_id} | {hit.title} | {hit.reason_text}")
    if not hits:
        typer.echo("Keine passenden Aufrufe.", err=True)
