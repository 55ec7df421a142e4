"""The one exception type of the domain: a business rule refused an input.

The message is a complete French sentence meant for the student or the teacher (``str(exc)``).
The domain imports nothing from the rest of the trainer, so callers that face a user (the call
session, the CLI) turn it into ``trainer.errors.UserError`` or show it in the ERP panel.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A business rule refused an input; ``str(exc)`` is one French sentence."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def unreadable(path: object, exc: OSError, *, expected: str = "un fichier") -> str:
    """One French sentence saying why ``path`` could not be read (the OS's own text is English)."""
    if isinstance(exc, FileNotFoundError):
        return f"{path} : fichier introuvable."
    if isinstance(exc, IsADirectoryError):
        return f"{path} : c'est un dossier, {expected} est attendu."
    if isinstance(exc, PermissionError):
        return f"{path} : lecture refusée (droits d'accès)."
    return f"{path} : lecture impossible ({exc.strerror or exc})."
