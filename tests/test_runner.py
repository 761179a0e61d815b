"""Read-only Cypher, enforced: writes, admin calls and file loading are refused and change
nothing; values stay data; runaway queries stop."""
from __future__ import annotations

import neo4j
import pytest

from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.queries.runner import QueryRefused, run_read_only
from tests.neo4j_helpers import graph_digest, write_files
from tests.estates import spec_examples

pytestmark = pytest.mark.neo4j

REFUSED = [
    "CREATE (n:Organisation {id: 'x'})",
    "MERGE (n:Organisation {id: 'x'}) RETURN n",
    "MATCH (o:Organisation) SET o.name = 'x'",
    "MATCH (o:Organisation) DELETE o",
    "MATCH (o:Organisation) DETACH DELETE o",
    "MATCH (o:Organisation) REMOVE o.name",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "MATCH (o) CALL (o) { SET o.x = 1 } IN TRANSACTIONS RETURN 1",
    "CALL dbms.components()",
    "CALL db.createLabel('X')",
    "SHOW USERS",
    "CREATE DATABASE other",
    "MATCH (o:Organisation) RETURN o; MATCH (o) DETACH DELETE o",
    "MATCH (o:Organisation) // just reading\nDETACH DELETE o",
    "MATCH (o:Organisation) /* RETURN o */ SET o.name = 'x'",
    "CREATE CONSTRAINT x IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE",
]


@pytest.fixture
def estate(clean_neo4j: neo4j.Driver) -> neo4j.Driver:
    write_files(clean_neo4j, spec_examples())
    return clean_neo4j


@pytest.mark.parametrize("statement", REFUSED)
def test_writes_and_admin_are_refused_and_change_nothing(estate: neo4j.Driver, statement: str) -> None:
    before = graph_digest(estate)
    with pytest.raises(QueryRefused) as raised:
        run_read_only(estate, statement)
    assert raised.value.message.startswith("the query was refused")
    assert graph_digest(estate) == before


def test_reads_and_schema_procedures_run(estate: neo4j.Driver) -> None:
    result = run_read_only(estate, "MATCH (o:Council) RETURN o.id AS id ORDER BY id")
    assert result.columns == ["id"] and result.rows == [["E06000005"], ["E06000047"]]
    labels = run_read_only(estate, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert ["Organisation"] in labels.rows


def test_parameters_stay_data(estate: neo4j.Driver) -> None:
    sneaky = "x' }) DETACH DELETE n //"
    before = graph_digest(estate)
    result = run_read_only(estate, "MATCH (o:Organisation {id: $id}) RETURN o", {"id": sneaky})
    assert result.rows == [] and graph_digest(estate) == before


def test_the_row_cap_truncates(estate: neo4j.Driver) -> None:
    result = run_read_only(estate, "UNWIND range(1, 100) AS i RETURN i", row_cap=10)
    assert result.truncated and len(result.rows) == 10


def test_the_timeout_stops_a_runaway_query(estate: neo4j.Driver) -> None:
    runaway = "UNWIND range(1, 100000000) AS a WITH a WHERE a % 7 = 99 RETURN count(*)"
    with pytest.raises(DatabaseError, match="ran longer than 0.5 s"):
        run_read_only(estate, runaway, timeout=0.5)
