"""Notice, inside a transaction, that a step created, moved or closed a deadline.

The iCalendar feeds must show such a change in the same run (not only after the next morning's
sweep). Rather than every step remembering to say so, the session records it: an ORM flush that
adds, changes or deletes a :class:`~models.tables.Deadline`, or a bulk UPDATE/DELETE on the
deadlines table, sets ``session.info[TOUCHED]``. The step runners copy that into the outcome
(``calendar_changed``) and the finish helpers rewrite the feeds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from models.tables import Deadline

TOUCHED = "deadlines_touched"


def deadlines_touched(session: Session) -> bool:
    return bool(session.info.get(TOUCHED))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, Deadline) for obj in changed):
        session.info[TOUCHED] = True


def _on_execute(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is Deadline for mapper in state.all_mappers
    ):
        state.session.info[TOUCHED] = True


def _after_end(session: Session, *_args: Any) -> None:
    session.info.pop(TOUCHED, None)


def install() -> None:
    """Register the listeners once (on the Session class: every session of the process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "after_commit", _after_end)
        event.listen(Session, "after_rollback", _after_end)


install()
