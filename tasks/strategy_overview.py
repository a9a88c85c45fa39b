"""The strategy cycle in the Prefect UI: its status table, its progress and the step ending."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from foerderflow.wiring import Services, get_services
from models.deadlines import format_date_de
from models.money import format_eur
from models.strategy import CycleStatus, cycle_owner
from models.strategy_docs import status_table_rows
from models.strategy_progress import progress
from tasks.artifacts import md_escape, publish_markdown, publish_table
from tasks.steps import Process, StepOutcome
from tasks.store import body_view
from tasks.strategy import all_bodies, body_states, find_cycle, release_of


class CycleOverview(BaseModel):
    """The state of a cycle for the Prefect UI (table and progress artifact)."""

    model_config = ConfigDict(frozen=True)

    year: int
    status: CycleStatus
    response_due: dt.date
    draft_version: int
    restricted_amount_cents: int | None
    released_on: dt.date | None
    rows: list[dict[str, object]]
    reported: int
    adopted: int
    total: int
    missing: list[str]
    not_adopted: list[str]


def cycle_overview(services: Services, year: int) -> CycleOverview | None:
    with services.sessions() as session:
        cycle = find_cycle(session, year)
        if cycle is None:
            return None
        states = body_states(session, cycle)
        bodies = [body_view(b) for b in all_bodies(session)]
        release = release_of(session, cycle)
        info = progress(states, release.released_on if release else None)
        names = {b.name: b.official_name for b in bodies}
        return CycleOverview(
            year=year,
            status=CycleStatus(cycle.status),
            response_due=cycle.response_due,
            draft_version=cycle.draft_version,
            restricted_amount_cents=cycle.restricted_amount_cents,
            released_on=release.released_on if release else None,
            rows=[dict(row) for row in status_table_rows(states, bodies)],
            reported=info.reported,
            adopted=info.adopted,
            total=info.total,
            missing=[names.get(n, n) for n in info.missing],
            not_adopted=[names.get(n, n) for n in info.not_adopted],
        )


def progress_markdown(view: CycleOverview) -> str:
    if view.released_on is not None:
        restriction = f"aufgehoben am {format_date_de(view.released_on)}"
        if view.restricted_amount_cents is not None:
            restriction += f" ({format_eur(view.restricted_amount_cents)} freigegeben)"
    elif view.restricted_amount_cents is not None:
        restriction = f"besteht ({format_eur(view.restricted_amount_cents)} gesperrt)"
    else:
        restriction = "besteht (bis alle Gremien beschlossen haben)"
    draft = f"Fassung v{view.draft_version}" if view.draft_version else "noch nicht erstellt"
    lines = [
        f"# Fortschreibung {view.year} – Stand des Verfahrens",
        "",
        "| | |",
        "|---|---|",
        f"| Verfahrensstand | {view.status.label} |",
        f"| Statusmeldungen | {view.reported}/{view.total} |",
        f"| Beschlüsse | {view.adopted}/{view.total} |",
        f"| Sperrvermerk | {restriction} |",
        f"| Rückmeldefrist | {format_date_de(view.response_due)} |",
        f"| Entwurf | {draft} |",
    ]
    if view.missing:
        lines += ["", f"**Noch ohne Statusmeldung:** {md_escape(', '.join(view.missing))}"]
    if view.draft_version and view.not_adopted and view.released_on is None:
        lines += ["", f"**Noch ohne Beschluss:** {md_escape(', '.join(view.not_adopted))}"]
    return "\n".join(lines) + "\n"


def publish_cycle_artifacts(year: int) -> None:
    """Refresh the table ``strategie-<year>`` and the progress artifact of the cycle."""
    view = cycle_overview(get_services(), year)
    if view is None:
        return
    owner = cycle_owner(year)
    publish_table(
        owner,
        view.rows,
        f"Fortschreibung {year}: Statusmeldung, Sitzungsvorlage und Beschluss je Körperschaft.",
    )
    publish_markdown(
        f"{owner}-fortschritt",
        progress_markdown(view),
        f"Fortschreibung {year}: gemeldet {view.reported}/{view.total}, beschlossen "
        f"{view.adopted}/{view.total}",
    )


def _publish_overview(outcome: StepOutcome) -> None:
    if outcome.year is not None:
        publish_cycle_artifacts(outcome.year)


CYCLE = Process(summary_key=lambda _outcome: None, publish_overview=_publish_overview)
