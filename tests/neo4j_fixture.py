"""pytest plugin: a real Neo4j for the tests that need one. Never skips.

Register it from ``tests/conftest.py``::

    pytest_plugins = ["tests.neo4j_fixture"]

The suite never writes to a database it did not start. At the start of the session the
plugin takes ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` (a
user's own database, as the README tells users to set them) out of the environment of every
test and subprocess; ``NEO4J_URI`` is set to an address where nothing listens, so a command
that a test forgets to point at the test server fails instead of finding ``localhost:7687``.

Fixtures:

* ``neo4j_uri`` (session) — the project's own local server, started on free ports with a
  temporary data and run directory the first time a test asks for it, and stopped at the
  end of the session. Only ``ICTGRAPH_TEST_NEO4J_URI`` (with ``ICTGRAPH_TEST_NEO4J_USER`` /
  ``ICTGRAPH_TEST_NEO4J_PASSWORD``) points the tests at another server instead:
  **this database will be wiped** — every node, constraint and index in it is deleted.
* ``neo4j_auth`` (session) — the ``(user, password)`` pair, or ``None`` for the local server.
* ``neo4j_driver`` (session) — a connected :class:`neo4j.Driver`, closed at the end.
* ``clean_neo4j`` (function) — the same driver, after wiping every node, constraint and
  index (except the built-in token lookup indexes) from the ``neo4j`` database.

If the server cannot be started or reached, the tests that need it fail with the reason.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from ictgraph.graph_loader.server import ServerError, ServerSettings, start_server, stop_server

DATABASE = "neo4j"


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports that are free now (held open until all are chosen)."""
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            probe = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
        return ports


def local_server_settings(tmp_dir: Path) -> ServerSettings:
    """Settings for a throw-away server: free ports, data and run dirs under ``tmp_dir``.

    The jars come from the usual cache (``~/.cache/ictgraph``), shared with the CLI.
    """
    bolt, http, assets = free_ports(3)
    return ServerSettings(
        bolt_port=bolt, http_port=http, assets_port=assets,
        data_dir=tmp_dir / "data", run_dir=tmp_dir / "run",
        owner_pid=os.getpid(),  # the server stops itself if this test process dies
    )


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# A user's own database: the suite never reads these (the test server is ICTGRAPH_TEST_NEO4J_*).
USER_VARIABLES = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
# Where nothing listens (port 9, "discard"): a command a test forgot to point at the test server.
UNREACHABLE_URI = "bolt://127.0.0.1:9"


def pytest_configure(config: pytest.Config) -> None:
    for name in USER_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(NEO4J_URI=UNREACHABLE_URI)
    target = external_server()
    if target is not None and target[1] is not None:   # commands the tests run sign in as the test user
        os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"] = target[1]


def external_server() -> tuple[str, tuple[str, str] | None] | None:
    """The server ``ICTGRAPH_TEST_NEO4J_URI`` names and its credentials, or ``None``: the
    session then starts its own. ``NEO4J_URI`` is never consulted."""
    uri = os.environ.get("ICTGRAPH_TEST_NEO4J_URI")
    if not uri:
        return None
    password = os.environ.get("ICTGRAPH_TEST_NEO4J_PASSWORD")
    auth = None if password is None else (os.environ.get("ICTGRAPH_TEST_NEO4J_USER", "neo4j"), password)
    return uri, auth


@pytest.fixture(scope="session")
def neo4j_auth() -> tuple[str, str] | None:
    target = external_server()
    return None if target is None else target[1]


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    target = external_server()
    if target is not None:
        yield target[0]
        return
    settings = local_server_settings(tmp_path_factory.mktemp("neo4j"))
    try:
        info = start_server(settings)
    except ServerError as error:
        pytest.fail(f"Could not start the local Neo4j server: {error}", pytrace=False)
    try:
        yield info.bolt_uri
    finally:
        stop_server(settings)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str, neo4j_auth: tuple[str, str] | None) -> Iterator[Driver]:
    driver = GraphDatabase.driver(neo4j_uri, auth=neo4j_auth)
    try:
        driver.verify_connectivity()
    except (DriverError, Neo4jError, OSError) as error:
        driver.close()
        pytest.fail(f"Could not connect to Neo4j at {neo4j_uri}: {error}", pytrace=False)
    yield driver
    driver.close()


def wipe_database(driver: Driver, database: str = DATABASE) -> None:
    """Delete every node and relationship, then every constraint and non-lookup index."""
    with driver.session(database=database) as session:
        # Auto-commit (session.run): CALL ... IN TRANSACTIONS cannot run in a managed transaction.
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
        # Constraints first: dropping one drops the index that backs it.
        constraints = session.run("SHOW CONSTRAINTS YIELD name").value("name")
        for name in constraints:
            session.run(f"DROP CONSTRAINT {_quote(name)} IF EXISTS").consume()
        indexes = session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").value("name")
        for name in indexes:
            session.run(f"DROP INDEX {_quote(name)} IF EXISTS").consume()


@pytest.fixture
def clean_neo4j(neo4j_driver: Driver) -> Driver:
    wipe_database(neo4j_driver)
    return neo4j_driver
