"""Errors raised by :mod:`graph_loader.server`.

Every error carries a one-line ``message`` and an optional ``hint`` (the fix, when one is
known). The CLI prints them as ``Error: ...`` and ``Hint: ...``; the library never prints.
"""

from __future__ import annotations

from ictgraph.graph_loader.errors import GraphLoaderError

__all__ = [
    "AlreadyRunningError",
    "PortInUseError",
    "ProvisionError",
    "ServerError",
    "SettingsError",
    "StartError",
    "StopError",
    "ToolMissingError",
]

INSTALL_HINT = "Install Java 17 and Maven: apt-get install openjdk-17-jdk-headless maven"


class ServerError(GraphLoaderError):
    """Root of every error that the local Neo4j server raises on purpose.

    A :class:`~graph_loader.errors.GraphLoaderError`, so the CLI's one handler formats it;
    exit code 3 (the database could not be started or reached) unless a subclass says else.
    """

    exit_code = 3

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nHint: {self.hint}"


class SettingsError(ServerError):
    """A setting is out of range or malformed (a port, a memory size)."""

    exit_code = 2


class ToolMissingError(ServerError):
    """``java``, ``javac`` or ``mvn`` is missing or too old."""


class ProvisionError(ServerError):
    """Maven could not fetch the Neo4j jars, or ``javac`` could not build the launcher."""


class PortInUseError(ServerError):
    """A port the server needs is taken by another process."""


class AlreadyRunningError(ServerError):
    """A server from the same run directory is running with other settings."""


class StartError(ServerError):
    """The server exited during start-up or did not answer Bolt in time."""


class StopError(ServerError):
    """The server did not stop after SIGTERM within the time allowed."""
