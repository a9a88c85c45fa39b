"""Errors with German messages for the people who read them."""

from __future__ import annotations


class FoerderflowError(Exception):
    """Base class: ``str(exc)`` is a complete German sentence for a coordinator."""

    kind = "Fehler"


class InputError(FoerderflowError, ValueError):
    """Bad input: nothing was written. Reported as an input error, not as a crash."""

    kind = "Eingabefehler"


class StageError(FoerderflowError):
    """The requested step is not allowed from the application's current stage."""

    kind = "Unzulässiger Verfahrensschritt"


class NotFoundError(InputError):
    """An unknown reference, body or deadline."""


class MailError(FoerderflowError):
    """Mail could not be delivered now; it stays pending in the outbox."""

    kind = "Versandfehler"
