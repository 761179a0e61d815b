"""queries/diff.py: the difference of two estate graphs. An estate against itself, or
against itself written differently, has no change; the diff fixture's two snapshots differ
by exactly the planted changes; bookkeeping comes from schema.yaml; relationships belong to
the item that states them."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import networkx as nx
import pytest

from ictgraph.graph_loader import Schema
from ictgraph.queries.diff import diff_graphs, is_empty
from ictgraph.queries.render import to_json
from tests.diff_helpers import AFTER, BEFORE, ROOT, SAMPLE, graph_at, shuffled
from tests.estates import CATALOGUE, graph_of

EXPECTED = ROOT / "fixtures" / "diff" / "expected.json"

PLANTED = [
    ("changed", "Product", "civica/openrevenues"),
    ("removed", "Contract", "E07000067/c-revs-2019"),
    ("changed", "DataCentre", "E07000067/dc1"),
    ("removed", "System", "E07000067/crm"),
    ("changed", "System", "E07000067/revs"),
    ("changed", "Contract", "E07000071/c-revs-2021"),
    ("added", "System", "E07000071/crm"),
    ("changed", "System", "E07000071/finance"),
    ("added", "Organisation", "E07000074"),
    ("added", "System", "E07000074/finance"),
]


@pytest.mark.parametrize("estate", [BEFORE, AFTER, SAMPLE], ids=["before", "after", "sample"])
def test_an_estate_against_itself_has_no_change(estate: Path, schema: Schema) -> None:
    graph = graph_at(estate)
    assert is_empty(diff_graphs(graph, graph_at(estate), schema))


@pytest.mark.parametrize("merge", [False, True], ids=["renamed-files", "one-file"])
@pytest.mark.parametrize("estate", [BEFORE, AFTER, SAMPLE], ids=["before", "after", "sample"])
def test_an_estate_written_differently_has_no_change(estate: Path, merge: bool, schema: Schema, tmp_path: Path) -> None:
    again = graph_at(shuffled(estate, tmp_path, merge=merge))
    assert diff_graphs(graph_at(estate), again, schema) == {
        "from": "old", "to": "new", "left_out": [], "changes": [], "summary": {}}


def test_bookkeeping_is_what_the_schema_declares(schema: Schema, tmp_path: Path) -> None:
    """Without ``source`` declared bookkeeping, the same estate in other files differs in
    every node's ``source``, and nothing else."""
    again = graph_at(shuffled(BEFORE, tmp_path))
    found = diff_graphs(graph_at(BEFORE), again, dataclasses.replace(schema, bookkeeping=frozenset()))
    assert {name for c in found["changes"] for name in c["properties"]} == {"source"}
    assert len(found["changes"]) == sum(1 for _, attrs in again.nodes(data=True) if "source" in attrs)


def test_the_planted_changes_and_nothing_else(schema: Schema) -> None:
    found = diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema)
    assert [(c["change"], c["label"], c["key"]) for c in found["changes"]] == PLANTED


def test_the_whole_diff_of_the_fixture(schema: Schema) -> None:
    """Every property and relationship of every planted change, and the summary
    (fixtures/diff/expected.json: read it to see the JSON shape)."""
    found = diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema,
                        old_name="fixtures/diff/before", new_name="fixtures/diff/after")
    assert json.loads(to_json(found)) == json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert to_json(found) == EXPECTED.read_text(encoding="utf-8")


def test_the_diff_is_antisymmetric(schema: Schema) -> None:
    forward = diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema)["changes"]
    backward = diff_graphs(graph_at(AFTER), graph_at(BEFORE), schema)["changes"]
    flip = {"added": "removed", "removed": "added", "changed": "changed"}
    assert [(flip[c["change"]], c["key"]) for c in forward] == [(c["change"], c["key"]) for c in backward]
    for there, back in zip(forward, backward):
        assert {k: v[::-1] for k, v in there["properties"].items()} == back["properties"]
        assert there["relationships"]["added"] == back["relationships"]["removed"]


def _estate(system: str, contract: str = "", people: str = "") -> nx.MultiDiGraph:
    return graph_of(catalogue=CATALOGUE, a=f"""\
        format: ictgraph/v1
        organisation: {{id: A1, name: Aton, neighbours: [B2]}}
        systems:
          - {{id: revs, name: Revenues, capabilities: [council-tax], hosting: saas, {system}}}
        {contract}
        {people}
        """, b="""\
        format: ictgraph/v1
        organisation: {id: B2, name: Beeton}
        systems:
          - {id: revs, name: Revenues, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}
        """)


CONTRACT = """contracts:
          - {{id: k, supplier: civica, covers: [revs], start: 2020-01-01, end: 2026-01-01{parties}}}"""


@pytest.mark.parametrize(("old", "new", "key", "relationships"), [
    # a system's product and host are the system's, not the product's or the host's
    (_estate("product: civica/openrevenues"), _estate("product: capita/one-revenues"), "A1/revs",
     {"added": [["INSTANCE_OF", "capita/one-revenues"]], "removed": [["INSTANCE_OF", "civica/openrevenues"]], "changed": []}),
    # a party (direction: in) belongs to the contract that lists it
    (_estate("product: civica/openrevenues", CONTRACT.format(parties="")),
     _estate("product: civica/openrevenues", CONTRACT.format(parties=", parties: [B2]")), "A1/k",
     {"added": [["PARTY_TO", "B2"]], "removed": [], "changed": []}),
    # a relationship whose properties change is changed
    (_estate("product: civica/openrevenues", people="people: [{skill: oracle-dba, fte: 1}]"),
     _estate("product: civica/openrevenues", people="people: [{skill: oracle-dba, fte: 2.5}]"), "A1",
     {"added": [], "removed": [], "changed": [["HAS_SKILL", "oracle-dba", {"fte": [1.0, 2.5]}]]}),
], ids=["product", "party", "skill-fte"])
def test_relationships_belong_to_the_item_that_states_them(old: nx.MultiDiGraph, new: nx.MultiDiGraph, key: str,
                                                          relationships: dict[str, list[list[object]]], schema: Schema) -> None:
    changes = diff_graphs(old, new, schema)["changes"]
    assert [(c["key"], c["relationships"]) for c in changes] == [(key, relationships)]


def test_a_new_system_carries_its_owner_relationship_not_the_organisation(schema: Schema) -> None:
    old = _estate("product: civica/openrevenues")
    new = old.copy()
    new.add_node(("System", "A1/crm"), labels=["System"], id="A1/crm", organisation="A1", local_id="crm", name="CRM")
    new.add_edge(("Organisation", "A1"), ("System", "A1/crm"), key="RUNS")
    [change] = diff_graphs(old, new, schema)["changes"]
    assert (change["change"], change["key"], change["organisation"]) == ("added", "A1/crm", "A1")
    assert change["properties"] == {"name": [None, "CRM"]}       # never id, local_id, organisation
    assert change["relationships"]["added"] == [["RUNS", "A1"]]


def test_a_bare_organisation_that_gets_an_inventory_is_added(schema: Schema) -> None:
    """B2 is a neighbour only (a bare node) before; its NEIGHBOURS relationship from A1 is
    unchanged, so A1 is not changed."""
    old = graph_of(catalogue=CATALOGUE, a="""\
        format: ictgraph/v1
        organisation: {id: A1, name: Aton, neighbours: [B2]}
        """)
    new = graph_of(catalogue=CATALOGUE, a="""\
        format: ictgraph/v1
        organisation: {id: A1, name: Aton, neighbours: [B2]}
        """, b="""\
        format: ictgraph/v1
        organisation: {id: B2, name: Beeton, population: 1000}
        """)
    changes = diff_graphs(old, new, schema)["changes"]
    assert [(c["change"], c["key"], c["properties"]) for c in changes] == [
        ("added", "B2", {"name": [None, "Beeton"], "population": [None, 1000]})]


def test_the_order_of_a_list_of_aliases_or_parties_is_no_change(schema: Schema) -> None:
    old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    old.add_node(("Product", "v/p"), id="v/p", name="P", aliases=["x", "y"])
    new.add_node(("Product", "v/p"), id="v/p", name="P", aliases=("y", "x"))
    assert is_empty(diff_graphs(old, new, schema))
    new.nodes[("Product", "v/p")]["aliases"] = ["y"]
    assert diff_graphs(old, new, schema)["changes"][0]["properties"] == {"aliases": [["x", "y"], ["y"]]}


def test_the_summary_counts_by_label(schema: Schema) -> None:
    found = diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema)
    assert found["summary"] == {
        "Contract": {"added": 0, "removed": 1, "changed": 1},
        "DataCentre": {"added": 0, "removed": 0, "changed": 1},
        "Organisation": {"added": 1, "removed": 0, "changed": 0},
        "Product": {"added": 0, "removed": 0, "changed": 1},
        "System": {"added": 2, "removed": 1, "changed": 2},
    }
