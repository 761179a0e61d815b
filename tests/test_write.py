"""Loading into the real Neo4j server: idempotent, owner-scoped, all or nothing per unit,
and equal to the embedded graph element by element."""
from __future__ import annotations

import datetime as dt

import neo4j
import pytest

from ictgraph.graph_loader import DatabaseError, build_graph, rows_from_files
from ictgraph.graph_loader.statements import Statements
from tests.estates import CATALOGUE, files, spec_examples
from tests.neo4j_helpers import graph_digest, sample_files, stored_graph, subgraph_of, write_files

pytestmark = pytest.mark.neo4j

BURNLEY = """\
format: ictgraph/v1
organisation: {id: E07000117, name: Burnley, type: district, nation: England, neighbours: [E07000122]}
systems:
  - {id: revs, name: Revenues, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}
  - {id: crm, name: Contact, bespoke: true, capabilities: [council-tax], hosting: saas}
contracts:
  - {id: c1, supplier: civica, covers: [revs, crm], start: 2020-04-01, end: 2026-03-31, annual_value: 90000}
"""
PENDLE = """\
format: ictgraph/v1
organisation: {id: E07000122, name: Pendle, type: district, nation: England, neighbours: [E07000117]}
systems:
  - {id: revs, name: Revenues, product: capita/one-revenues, capabilities: [council-tax], hosting: on-premise}
"""


def test_the_stored_graph_equals_the_embedded_graph_element_by_element(clean_neo4j: neo4j.Driver) -> None:
    estate = sample_files()
    write_files(clean_neo4j, estate)
    embedded = build_graph(*rows_from_files(estate))
    stored = stored_graph(clean_neo4j)
    assert list(stored.nodes(data=True)) == list(embedded.nodes(data=True))
    assert list(stored.edges(keys=True, data=True)) == list(embedded.edges(keys=True, data=True))


def test_dates_are_stored_as_neo4j_dates(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, spec_examples())
    records, _, _ = clean_neo4j.execute_query(
        "MATCH (k:Contract) RETURN k.end_date AS end, valueType(k.end_date) AS type")
    assert records[0]["type"].startswith("DATE")
    assert records[0]["end"].to_native() == dt.date(2026, 3, 31)


def test_loading_twice_leaves_an_identical_graph(clean_neo4j: neo4j.Driver) -> None:
    estate = spec_examples()
    first = write_files(clean_neo4j, estate)
    before = graph_digest(clean_neo4j)
    second = write_files(clean_neo4j, estate)
    assert graph_digest(clean_neo4j) == before
    assert first.as_dict()["nodes_created"] > 0
    assert second.as_dict() | {"nodes_unchanged": 0} == dict.fromkeys(second.as_dict(), 0)


def test_reloading_an_organisation_removes_what_it_lost_and_touches_no_other(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=BURNLEY, pendle=PENDLE))
    pendle_before = subgraph_of(stored_graph(clean_neo4j), "E07000122")
    lost_crm = BURNLEY.replace("  - {id: crm, name: Contact, bespoke: true, capabilities: [council-tax], hosting: saas}\n", "")
    summary = write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=lost_crm.replace("covers: [revs, crm]", "covers: [revs]")))
    graph = stored_graph(clean_neo4j)
    assert ("System", "E07000117/crm") not in graph
    assert summary.as_dict()["nodes_removed"] == 1
    assert subgraph_of(graph, "E07000122") == pendle_before


def test_catalogue_entries_stay_while_anything_refers_to_them(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=BURNLEY, pendle=PENDLE))
    without_capita = CATALOGUE.replace("    - {id: capita/one-revenues, name: One Revenues and Benefits, vendor: capita, aliases: [Academy]}\n", "")
    write_files(clean_neo4j, files(catalogue=without_capita, burnley=BURNLEY))
    graph = stored_graph(clean_neo4j)
    assert ("Product", "capita/one-revenues") in graph  # Pendle, not reloaded, still runs it
    assert ("Skill", "oracle-dba") in graph
    no_skill = without_capita.replace("  skills:\n    - {id: oracle-dba, name: Oracle database administration}\n", "")
    write_files(clean_neo4j, files(catalogue=no_skill, burnley=BURNLEY))
    assert ("Skill", "oracle-dba") not in stored_graph(clean_neo4j)


def test_a_failed_unit_leaves_the_previous_state(clean_neo4j: neo4j.Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=BURNLEY, pendle=PENDLE))
    before = graph_digest(clean_neo4j)
    changed = BURNLEY.replace("name: Burnley,", "name: Burnley Borough,").replace("annual_value: 90000", "annual_value: 95000")
    original = Statements.merge_nodes
    # Organisation nodes are written after the unit's contracts: fail there, half-way.
    monkeypatch.setattr(Statements, "merge_nodes",
                        lambda self, label: original(self, label) + (" WITH n RETURN 1 / 0 AS x" if label == "Organisation" else ""))
    with pytest.raises(DatabaseError):
        write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=changed, pendle=PENDLE))
    assert graph_digest(clean_neo4j) == before
    monkeypatch.undo()
    write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=changed, pendle=PENDLE))
    clean_state = stored_graph(clean_neo4j)
    assert clean_state.nodes[("Organisation", "E07000117")]["name"] == "Burnley Borough"


def test_a_load_split_into_many_units_converges_to_the_same_graph(clean_neo4j: neo4j.Driver) -> None:
    estate = sample_files()
    write_files(clean_neo4j, estate, unit_budget=50)
    many = graph_digest(clean_neo4j)
    clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")
    write_files(clean_neo4j, estate)
    assert graph_digest(clean_neo4j) == many


DOUBLED = "MATCH (a)-[r]->(b) WITH a, b, type(r) AS type, count(r) AS n WHERE n > 1 RETURN count(*) AS pairs"


@pytest.mark.parametrize("unit_budget", [50, 50_000])
def test_no_relationship_is_written_twice(clean_neo4j: neo4j.Driver, unit_budget: int) -> None:
    """New relationships are CREATEd, not MERGEd: loads and reloads, in one unit or in many
    whose relationships cross, never make two of one."""
    estate = sample_files()
    for _ in range(2):
        write_files(clean_neo4j, estate, unit_budget=unit_budget)
    records, _, _ = clean_neo4j.execute_query(DOUBLED)
    assert records[0]["pairs"] == 0
    records, _, _ = clean_neo4j.execute_query("MATCH ()-[r]->() RETURN count(r) AS n")
    assert records[0]["n"] == len(rows_from_files(estate)[1])


def test_an_unreachable_server_is_a_one_line_error_with_exit_code_3() -> None:
    from ictgraph.graph_loader.connect import Neo4jSettings, open_driver
    settings = Neo4jSettings(uri="bolt://127.0.0.1:1", password="s3cret-password")
    with pytest.raises(DatabaseError) as raised:
        with open_driver(settings):
            pass
    assert raised.value.exit_code == 3
    assert raised.value.message == "cannot reach Neo4j at bolt://127.0.0.1:1"
    assert "secret" not in str(raised.value.message) + str(raised.value.hint)
