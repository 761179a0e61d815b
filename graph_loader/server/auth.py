"""Authentication of the local server: a generated password, kept in the run directory.

``ictgraph neo4j start --auth`` turns authentication on. The password of the user
``neo4j`` is generated once with :mod:`secrets`, written to ``<run dir>/password`` (mode
0600, readable by its owner alone) and handed to the launcher as that file's *path*: the
launcher runs Neo4j's own ``set-initial-password`` in-process before the server starts, so
the password is never on a command line, in the environment of the server or in a log.

Commands aimed at the local server find the password here (:func:`local_password`) when
``NEO4J_PASSWORD`` is not set; ``ictgraph neo4j password`` prints it, on request only.

>>> is_local_uri("bolt://127.0.0.1:7688", 7688), is_local_uri("neo4j://localhost", 7687)
(True, True)
>>> is_local_uri("bolt://db.example.org:7687", 7687), is_local_uri("not a uri", 7687)
(False, False)
"""

from __future__ import annotations

import os
import secrets
import string
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ictgraph.graph_loader.server.runstate import RunState, read_live_state
from ictgraph.graph_loader.server.settings import ServerPaths, ServerSettings, resolve_paths

__all__ = [
    "USER", "credentials", "ensure_password", "is_local_uri", "local_password", "read_password",
]

USER = "neo4j"
RUN_DIR_VARIABLE = "ICTGRAPH_NEO4J_RUN_DIR"
# Letters and digits only: nothing a shell, a URI or an option parser reads specially.
_ALPHABET = string.ascii_letters + string.digits
_LENGTH = 32  # about 190 bits; Neo4j asks for at least 8 characters
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_BOLT_PORT = 7687


def ensure_password(paths: ServerPaths) -> Path:
    """The run directory's password file, created with a new password if there is none.

    The file is created with mode 0600 (no window in which others may read it) and kept
    at 0600 afterwards; an existing password is kept, as the data directory holds it.
    """
    file = paths.password_file
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        password = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(password + "\n")
    os.chmod(file, 0o600)
    return file


def read_password(paths: ServerPaths) -> str | None:
    """The password in the run directory's password file, or ``None`` if there is none."""
    try:
        return paths.password_file.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def credentials(paths: ServerPaths, state: RunState) -> tuple[str, str] | None:
    """What the driver signs in with to the server of ``state``: ``None`` when auth is off."""
    if not state.auth:
        return None
    return USER, read_password(paths) or ""


def is_local_uri(uri: str, bolt_port: int) -> bool:
    """Whether ``uri`` is Bolt on this machine's loopback at ``bolt_port``."""
    try:
        parts = urlsplit(uri)
        port = parts.port or DEFAULT_BOLT_PORT
    except ValueError:
        return False
    return parts.scheme in _BOLT_SCHEMES and parts.hostname in _LOOPBACK_HOSTS and port == bolt_port


def local_password(uri: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The generated password when ``uri`` names the running local server and it has auth on.

    The local server is the one of ``ICTGRAPH_NEO4J_RUN_DIR`` (default: the XDG state
    directory), as ``ictgraph neo4j start`` and ``status`` find it.
    """
    run_dir = environ.get(RUN_DIR_VARIABLE)
    paths = resolve_paths(ServerSettings(run_dir=Path(run_dir) if run_dir else None))
    if not paths.state_file.exists():
        return None
    state = read_live_state(paths)
    if state is None or not state.auth or not is_local_uri(uri, state.bolt_port):
        return None
    return read_password(paths)
