"""The whole schema: every table module on the one ``Base``.

Table modules import ``models.tables`` (the Base), never the other way round; whatever needs
all tables at once (Alembic, the tests' clean-up) imports this module.
"""

from __future__ import annotations

from models import tables_reporting  # noqa: F401 - registers the reporting tables
from models.radar import tables as radar_tables  # noqa: F401 - registers the radar tables
from models.tables import Base

__all__ = ["Base"]
