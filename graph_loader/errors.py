"""The loader's exceptions: structured fields, formatted only by the CLI."""
from __future__ import annotations

from ictgraph.graph_loader.model import Problem


class GraphLoaderError(Exception):
    """Root of every error ictgraph raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class EstateError(GraphLoaderError):
    """The estate has problems; nothing was built or written."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"the estate has {len(errors)} error(s)")
        self.problems = problems


class UsageError(GraphLoaderError):
    """The command was asked for something it cannot do (a missing path, a bad option)."""

    exit_code = 2


class DatabaseError(GraphLoaderError):
    """The database could not be reached, refused the credentials or failed the work."""

    exit_code = 3
