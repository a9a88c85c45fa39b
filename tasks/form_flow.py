"""The one way a flow is declared: its form, its German description and its failure mail.

Every flow of foerderflow takes its parameters from a pydantic input model
(:func:`models.forms.form_input`), validates them itself with German messages (so Prefect's
own validation is off) and mails the central coordinator when a run fails
(:func:`tasks.notify.notify_failure`). :func:`form_flow` says this once for all of them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from prefect import Flow, flow
from pydantic import BaseModel

from models.forms import form_input
from tasks.notify import notify_failure

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def form_flow(
    model: type[M],
    *,
    name: str,
    what: str,
    before: Callable[[dict[str, Any]], None] | None = None,
) -> Callable[[Callable[[M], R]], Flow[..., R]]:
    """Declare the flow ``name`` whose parameters are the fields of ``model``.

    The function's docstring is the German description the Prefect UI shows (its lines
    joined into one); ``what`` and ``before`` go to :func:`models.forms.form_input`.
    """

    def decorate(fn: Callable[[M], R]) -> Flow[..., R]:
        doc = inspect.getdoc(fn)
        if not doc:
            raise TypeError(f"{fn.__name__}: a flow needs its German description as docstring")
        return flow(
            name=name,
            description=" ".join(doc.split()),
            validate_parameters=False,
            on_failure=[notify_failure],
        )(form_input(model, what=what, before=before)(fn))

    return decorate
