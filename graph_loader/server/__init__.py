"""ictgraph's own local Neo4j 5.26 Community server, without Docker.

The server comes from Maven Central through Maven (the jars that Neo4j's tarball ships,
pinned in ``pom.xml``), is cached under ``~/.cache/ictgraph/neo4j-<version>/`` and is run
by a small launcher (``Launcher.java``) through Neo4j's own bootstrapper, with a generated
``neo4j.conf``. It listens on 127.0.0.1 only and has **authentication off** unless
``ServerSettings(auth=True)`` (``ictgraph neo4j start --auth``): then the user ``neo4j`` has a
generated password kept in ``<run dir>/password`` (:mod:`graph_loader.server.auth`). Data
persists in the data directory across stops and starts.

Public API:

* :class:`ServerSettings` — ports (Bolt 7687, HTTP 7474, Browser assets 7476), heap and
  page-cache sizes, data/run/cache directories, start-up timeout, owner pid, TLS, auth.
* :func:`start_server` — provision if needed, start, wait until Bolt answers; returns a
  :class:`ServerInfo` (``already_running=True`` if this run directory's server was up).
* :func:`stop_server` — SIGTERM and wait; returns whether a server was running.
* :func:`server_status` — the :class:`ServerInfo` of the running server, or ``None``.
* :class:`ServerError` and its subclasses — ``message`` plus an optional ``hint``.

Progress messages go to an optional ``on_progress(str)`` callback; nothing is printed.

>>> ServerSettings().bolt_port
7687
"""

from __future__ import annotations

from ictgraph.graph_loader.server.errors import (
    AlreadyRunningError, PortInUseError, ProvisionError, ServerError, SettingsError, StartError,
    StopError, ToolMissingError,
)
from ictgraph.graph_loader.server.process import bolt_answers, server_status, start_server, stop_server
from ictgraph.graph_loader.server.provision import neo4j_version
from ictgraph.graph_loader.server.settings import ServerInfo, ServerSettings, resolve_paths

__all__ = [
    "AlreadyRunningError", "PortInUseError", "ProvisionError", "ServerError", "ServerInfo",
    "ServerSettings", "SettingsError", "StartError", "StopError", "ToolMissingError",
    "bolt_answers", "neo4j_version", "resolve_paths", "server_status", "start_server",
    "stop_server",
]
