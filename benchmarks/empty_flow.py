"""The empty deployment the trigger-to-inbox benchmark compares with: Prefect's own cost of a
deployment run on the same stack (schedule, worker pick-up, process start, state changes)."""

from __future__ import annotations

from prefect import flow


@flow(name="leer", description="Leerer Flow für die Messung der Prefect-Grundkosten.")
def leer() -> None:
    return None
