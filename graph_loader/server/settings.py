"""Settings of the local Neo4j server, the paths derived from them, and what a start returns."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ictgraph.graph_loader.server.errors import SettingsError

__all__ = ["ServerInfo", "ServerPaths", "ServerSettings", "resolve_paths"]

# One size for both the JVM (-Xmx1g) and neo4j.conf (512m): digits and a k/m/g suffix.
_MEMORY_SIZE = re.compile(r"^[1-9][0-9]*[kmgKMG]$")


@dataclass(frozen=True)
class ServerSettings:
    """How to run the local server. ``None`` directories take the XDG defaults.

    Defaults suit a 2-core / 24 GB machine with test-sized data: a 1 GB heap (raise to 2g for
    10k-row batches with many properties) and a 512 MB page cache (the store's hot pages).
    """

    bolt_port: int = 7687
    http_port: int = 7474
    assets_port: int = 7476
    heap: str = "1g"
    pagecache: str = "512m"
    data_dir: Path | None = None
    run_dir: Path | None = None
    cache_dir: Path | None = None
    startup_timeout: float = 180.0
    owner_pid: int | None = None
    """Stop the server when this process exits (test fixtures pass their own pid)."""
    tls_dir: Path | None = None
    """A directory with ``private.key`` and ``public.crt``: Bolt then also accepts TLS
    (``bolt+s://``, ``neo4j+s://``; plain ``bolt://`` still works)."""
    auth: bool = False
    """Authentication on: the user ``neo4j`` signs in with the generated password kept in
    ``<run dir>/password`` (see :mod:`graph_loader.server.auth`)."""

    def validate(self) -> None:
        """Raise :class:`SettingsError` for a bad port, memory size or timeout."""
        ports = {"Bolt": self.bolt_port, "HTTP": self.http_port, "assets": self.assets_port}
        for name, port in ports.items():
            if not 1 <= port <= 65535:
                raise SettingsError(f'{name} port "{port}" is not between 1 and 65535')
        if len(set(ports.values())) != len(ports):
            raise SettingsError(
                f"Bolt, HTTP and assets ports must differ; got {self.bolt_port}, "
                f"{self.http_port} and {self.assets_port}"
            )
        for name, size in {"heap": self.heap, "page cache": self.pagecache}.items():
            if not _MEMORY_SIZE.match(size):
                raise SettingsError(
                    f'{name} size "{size}" is not a size such as 512m or 2g',
                    hint="Use whole numbers with a k, m or g suffix.",
                )
        if self.startup_timeout <= 0:
            raise SettingsError(f'start-up timeout "{self.startup_timeout}" must be positive')


@dataclass(frozen=True)
class ServerPaths:
    """Where one server keeps its files. ``run_dir`` is also Neo4j's home directory."""

    run_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def conf_dir(self) -> Path:
        return self.run_dir / "conf"

    @property
    def logs_dir(self) -> Path:
        return self.run_dir / "logs"

    @property
    def log_file(self) -> Path:
        """Neo4j's user log (start-up, "Started.", errors)."""
        return self.logs_dir / "neo4j.log"

    @property
    def console_log(self) -> Path:
        """The JVM's stdout and stderr: the user log plus anything that fails before it opens."""
        return self.logs_dir / "console.log"

    @property
    def state_file(self) -> Path:
        return self.run_dir / "server.json"

    @property
    def password_file(self) -> Path:
        """The generated password of the user ``neo4j`` (mode 0600), when auth is on."""
        return self.run_dir / "password"


@dataclass(frozen=True)
class ServerInfo:
    """A running server, as :func:`start_server` and :func:`server_status` report it."""

    bolt_uri: str
    http_uri: str
    browser_url: str
    """Neo4j Browser: without a login form when authentication is off."""
    assets_url: str
    """The static server of the Browser style and guide."""
    pid: int
    data_dir: Path
    run_dir: Path
    log_file: Path
    neo4j_version: str
    already_running: bool = False
    ready: bool = True
    """Whether the server answered a Bolt query when this was made."""
    auth: bool = False
    """Whether authentication is on (the password is in ``password_file``)."""
    password_file: Path | None = None


def _xdg_dir(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    base = Path(value) if value else Path.home() / fallback
    return base / "ictgraph"


def resolve_paths(settings: ServerSettings) -> ServerPaths:
    """Fill in default directories: XDG data, state and cache homes, under ``ictgraph/``.

    >>> resolve_paths(ServerSettings(run_dir=Path("/r"), data_dir=Path("/d"),
    ...                              cache_dir=Path("/c"))).log_file
    PosixPath('/r/logs/neo4j.log')
    """
    data_dir = settings.data_dir or _xdg_dir("XDG_DATA_HOME", ".local/share") / "neo4j"
    run_dir = settings.run_dir or _xdg_dir("XDG_STATE_HOME", ".local/state") / "neo4j"
    cache_dir = settings.cache_dir or _xdg_dir("XDG_CACHE_HOME", ".cache")
    return ServerPaths(
        run_dir=run_dir.expanduser().resolve(),
        data_dir=data_dir.expanduser().resolve(),
        cache_dir=cache_dir.expanduser().resolve(),
    )
