"""Apply ``prefect.yaml`` in-process: the same deployments ``prefect deploy --all`` creates,
without a second Python process that imports Prefect and every flow again (about 15 s of the
stack's start).

Only what foerderflow's prefect.yaml uses is supported: name, version, entrypoint, tags,
description, work pool and queue, job variables, ``enforce_parameter_schema``, cron schedules
and the ``set_working_directory`` pull step. Anything else is refused, so the file and this
code cannot drift apart silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foerderflow.settings import PROJECT_ROOT
from foerderflow.yamlfile import load_yaml

SUPPORTED_KEYS = {
    "name",
    "version",
    "entrypoint",
    "tags",
    "description",
    "work_pool",
    "enforce_parameter_schema",
    "schedules",
}
PROJECT_DIR_PLACEHOLDER = "{{ $FOERDERFLOW_PROJECT_DIR }}"


class DeploymentFileError(ValueError):
    """prefect.yaml holds something the in-process deploy does not handle (German message)."""


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str
    version: str | None
    tags: list[str]
    description: str
    work_pool: str
    work_queue: str
    job_variables: dict[str, Any]
    enforce_parameter_schema: bool
    schedules: list[dict[str, Any]]


def _resolve(value: Any, project_dir: Path) -> Any:
    if isinstance(value, str):
        return value.replace(PROJECT_DIR_PLACEHOLDER, str(project_dir))
    if isinstance(value, list):
        return [_resolve(v, project_dir) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, project_dir) for k, v in value.items()}
    return value


def read_deployment_file(
    path: Path | None = None, project_dir: Path = PROJECT_ROOT
) -> tuple[list[DeploymentSpec], list[dict[str, Any]]]:
    """The deployments of prefect.yaml and its pull steps, with the project directory filled in."""
    path = path or project_dir / "prefect.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    pull = _resolve(data.get("pull") or [], project_dir)
    specs: list[DeploymentSpec] = []
    for raw in data.get("deployments") or []:
        unknown = set(raw) - SUPPORTED_KEYS
        if unknown:
            raise DeploymentFileError(
                f"prefect.yaml, Deployment {raw.get('name')}: nicht unterstützte Angaben "
                f"{', '.join(sorted(unknown))}."
            )
        pool = raw.get("work_pool") or {}
        for schedule in raw.get("schedules") or []:
            if set(schedule) - {"cron", "timezone", "active"}:
                raise DeploymentFileError(
                    f"prefect.yaml, Deployment {raw['name']}: nur cron-Zeitpläne werden "
                    "unterstützt."
                )
        specs.append(
            DeploymentSpec(
                name=raw["name"],
                entrypoint=raw["entrypoint"],
                version=str(raw["version"]) if raw.get("version") is not None else None,
                tags=list(raw.get("tags") or []),
                description=raw.get("description") or "",
                work_pool=pool["name"],
                work_queue=pool.get("work_queue_name") or "default",
                job_variables=dict(pool.get("job_variables") or {}),
                enforce_parameter_schema=bool(raw.get("enforce_parameter_schema", False)),
                schedules=list(raw.get("schedules") or []),
            )
        )
    return specs, pull


# Deployments are written to the server side by side: on a cold start each costs a few
# requests (flow, deployment, schedules) that otherwise wait for one another.
APPLY_THREADS = 4


def apply_deployments(project_dir: Path = PROJECT_ROOT) -> int:
    """Create or update every deployment of prefect.yaml on the configured Prefect API."""
    from concurrent.futures import ThreadPoolExecutor

    from prefect.client.orchestration import get_client
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    specs, pull_steps = read_deployment_file(project_dir=project_dir)
    # Loading the flows imports them: one after the other, in this thread.
    flows: list[tuple[DeploymentSpec, str, dict[str, Any]]] = []
    for spec in specs:
        flow: Any = load_flow_from_entrypoint(str(project_dir / spec.entrypoint))
        schema = with_positions(parameter_schema(flow).model_dump_for_openapi())
        flows.append((spec, flow.name, schema))
    with get_client(sync_client=True) as client, ThreadPoolExecutor(APPLY_THREADS) as pool:
        done = pool.map(lambda item: _apply_one(client, project_dir, pull_steps, *item), flows)
        return len(list(done))


def _apply_one(
    client: Any,
    project_dir: Path,
    pull_steps: list[dict[str, Any]],
    spec: DeploymentSpec,
    flow_name: str,
    schema: dict[str, Any],
) -> None:
    from prefect.client.schemas.actions import DeploymentScheduleCreate
    from prefect.client.schemas.schedules import CronSchedule

    flow_id = client.create_flow_from_name(flow_name)
    schedules = [
        DeploymentScheduleCreate(
            schedule=CronSchedule(
                cron=item["cron"], timezone=item.get("timezone") or "Europe/Berlin"
            ),
            active=bool(item.get("active", True)),
        )
        for item in spec.schedules
    ]
    deployment_id = client.create_deployment(
        flow_id=flow_id,
        name=spec.name,
        version=spec.version,
        description=spec.description,
        tags=spec.tags,
        work_pool_name=spec.work_pool,
        work_queue_name=spec.work_queue,
        job_variables=spec.job_variables,
        entrypoint=spec.entrypoint,
        path=str(project_dir),
        parameter_openapi_schema=schema,
        pull_steps=pull_steps,
        enforce_parameter_schema=spec.enforce_parameter_schema,
    )
    _replace_schedules(client, deployment_id, schedules)


def with_positions(schema: dict[str, Any]) -> dict[str, Any]:
    """Number the fields of every nested model (``definitions``) in declaration order.

    The UI orders form fields by ``position`` only. Prefect sets it on the top-level
    parameters; the fields of a list entry (e.g. one line of a status report) have none and
    would appear in the order the database returns them – PostgreSQL's JSONB sorts keys by
    length, so "Stand" came before "Projekt"."""
    for definition in (schema.get("definitions") or {}).values():
        for index, field in enumerate((definition.get("properties") or {}).values()):
            if isinstance(field, dict):
                field.setdefault("position", index)
    return schema


def _replace_schedules(client: Any, deployment_id: Any, schedules: list[Any]) -> None:
    """A second start must not add the cron schedule twice."""
    existing = client.read_deployment_schedules(deployment_id)
    wanted = {(s.schedule.cron, s.schedule.timezone, s.active) for s in schedules}
    have = {
        (getattr(s.schedule, "cron", None), getattr(s.schedule, "timezone", None), s.active)
        for s in existing
    }
    if wanted == have and len(existing) == len(schedules):
        return
    for item in existing:
        client.delete_deployment_schedule(deployment_id, item.id)
    if schedules:
        client.create_deployment_schedules(deployment_id, schedules)
