"""Format v1.1's measures and service levels on the Neo4j path: the estate of
tests/test_format_service_levels.py written to the test server reads back as the same
networkx graph, under constraints derived from the schema; a reload that changes or drops a
service level changes exactly that."""
from __future__ import annotations

import neo4j
import networkx as nx
import pytest

from tests.estates import CATALOGUE, files, graph_of
from tests.neo4j_helpers import stored_graph, write_files
from tests.test_format_service_levels import GOOD, MEASURES, levels

pytestmark = pytest.mark.neo4j
ESTATE = {"c": CATALOGUE, "m": MEASURES, "a": levels(*GOOD)}


def _same(stored: nx.MultiDiGraph, embedded: nx.MultiDiGraph) -> None:
    assert sorted(stored.nodes(data=True)) == sorted(embedded.nodes(data=True))
    assert sorted(stored.edges(keys=True, data=True)) == sorted(embedded.edges(keys=True, data=True))


def test_service_levels_round_trip_through_neo4j(neo4j_driver: neo4j.Driver, clean_neo4j: None) -> None:
    write_files(neo4j_driver, files(**ESTATE))
    stored = stored_graph(neo4j_driver)
    _same(stored, graph_of(**ESTATE))
    level = stored.nodes[("ServiceLevel", "A1/tax-collected/2024-03-31")]
    assert (level["period"], level["value"], level["organisation"]) == ("2024-03-31", 96.9, "A1")


def test_the_labels_have_their_constraints_and_indexes(neo4j_driver: neo4j.Driver, clean_neo4j: None) -> None:
    write_files(neo4j_driver, files(**ESTATE))
    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties "
                                               "RETURN labelsOrTypes[0] AS label, properties AS props")
    constraints = {(r["label"], tuple(r["props"])) for r in records}
    assert {("Measure", ("id",)), ("ServiceLevel", ("id",))} <= constraints
    records, _, _ = neo4j_driver.execute_query("SHOW RANGE INDEXES YIELD labelsOrTypes, properties "
                                               "RETURN labelsOrTypes[0] AS label, properties AS props")
    assert ("ServiceLevel", ("organisation",)) in {(r["label"], tuple(r["props"])) for r in records}


def test_a_reload_changes_and_drops_service_levels(neo4j_driver: neo4j.Driver, clean_neo4j: None) -> None:
    write_files(neo4j_driver, files(**ESTATE))
    later = {**ESTATE, "a": levels("measure: tax-collected, financial_year: 2022-23, value: 97.1", *GOOD[2:])}
    write_files(neo4j_driver, files(**later))
    stored = stored_graph(neo4j_driver)
    _same(stored, graph_of(**later))
    assert stored.nodes[("ServiceLevel", "A1/tax-collected/2022-23")]["value"] == 97.1
    assert ("ServiceLevel", "A1/tax-collected/2024-03-31") not in stored
