"""The suite never writes to a database it did not start: a user's ``NEO4J_URI`` names a
server with their data, and the database fixtures leave it alone (issue 13)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import neo4j
import pytest

from ictgraph.graph_loader.server import start_server, stop_server
from tests.estates import ROOT
from tests.neo4j_fixture import local_server_settings, wipe_database

pytestmark = pytest.mark.neo4j

MARKER = "a user's own data: the test suite must not touch it"
# A test session of its own, run below with NEO4J_URI naming the user's server: it wipes
# the database its fixtures choose, loads an estate into it, and connects as a command does
# when no test pointed it at a server.
INNER = '''
import pytest

from ictgraph.graph_loader.connect import Neo4jSettings, open_driver
from ictgraph.graph_loader.errors import DatabaseError
from tests.neo4j_helpers import write_files

ESTATE = b"""format: ictgraph/v1
organisation: {id: SAFETY-CHECK, name: Safety check, type: other, nation: other}
"""


def test_the_fixtures_wipe_and_load_their_own_server(clean_neo4j):
    write_files(clean_neo4j, [("estate.yaml", ESTATE)])


def test_a_command_pointed_nowhere_reaches_no_server():
    with pytest.raises(DatabaseError, match="cannot reach Neo4j at bolt://127.0.0.1:9"):
        with open_driver(Neo4jSettings.from_env()):   # how every ictgraph command connects
            pass
'''


def count(driver: neo4j.Driver, query: str, **parameters: str) -> int:
    records, _, _ = driver.execute_query(query, parameters)
    return int(records[0][0])


def test_a_users_database_survives_the_database_fixtures(neo4j_uri: str, neo4j_driver: neo4j.Driver,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = local_server_settings(tmp_path / "users-server")
    users_uri = start_server(settings).bolt_uri
    try:
        with neo4j.GraphDatabase.driver(users_uri) as users:
            users.execute_query("CREATE (:UsersOwnData {marker: $marker})", marker=MARKER)
            monkeypatch.setenv("NEO4J_URI", users_uri)              # as the README tells users to
            monkeypatch.setenv("NEO4J_USER", "neo4j")
            monkeypatch.setenv("NEO4J_PASSWORD", "the-users-password")
            monkeypatch.setenv("ICTGRAPH_TEST_NEO4J_URI", neo4j_uri)  # this session's own server
            inner = tmp_path / "inner"
            inner.mkdir()
            (inner / "pytest.ini").write_text("[pytest]\n")
            (inner / "test_inner.py").write_text(textwrap.dedent(INNER))
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "tests.neo4j_fixture", "-p", "no:cacheprovider",
                 "--rootdir", str(inner), str(inner / "test_inner.py")],
                cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "2 passed" in result.stdout
            assert count(users, "MATCH (n) RETURN count(n)") == 1
            assert count(users, "MATCH (n:UsersOwnData {marker: $marker}) RETURN count(n)", marker=MARKER) == 1
        assert count(neo4j_driver, "MATCH (o:Organisation {id: 'SAFETY-CHECK'}) RETURN count(o)") == 1
    finally:
        stop_server(settings)
        wipe_database(neo4j_driver)
