"""The stack's process worker: Prefect's own ``prefect worker start …``, after the process's
API clients have learnt to share one TLS context (:mod:`foerderflow.prefect_tls`).

The worker opens a client for every run it starts, and its cancellation observer another;
each loaded certifi's bundle anew, a quarter of the worker's CPU in the stack tests.
``python -m foerderflow.worker worker start --pool … --type process``
"""

from __future__ import annotations

from foerderflow.prefect_tls import share_tls_context


def main() -> None:
    share_tls_context()
    from prefect.cli import app

    app()  # reads sys.argv like `python -m prefect`


if __name__ == "__main__":
    main()
