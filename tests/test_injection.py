"""Loaded values never become Cypher: names crafted as injections come back as plain data."""
from __future__ import annotations

import json

import neo4j
import pytest

from ictgraph.queries.runner import run_read_only
from tests.estates import files
from tests.neo4j_helpers import stored_graph, write_files

pytestmark = pytest.mark.neo4j

NASTY = [
    "x'}) DETACH DELETE n //",
    'Robert"); MATCH (n) DETACH DELETE n; //',
    "`Organisation`) DETACH DELETE n WITH 1 AS x MATCH (m",
    "$name ${name} {name}",
    "line one\nline two\r\nline three",
    "Comhairle nan Eilean Siar — Ynys Môn — Αθήνα — 北京 — القاهرة — 🏛️",
    "\\u0027 backslash \\ and 'quotes'",
    "CALL dbms.killQueries([]) // \u0000-free",
]


def estate() -> list[tuple[str, bytes]]:
    vendors = [{"id": f"v{i}", "name": name} for i, name in enumerate(NASTY)]
    products = [{"id": f"v{i}/p", "name": f"{name} product", "vendor": f"v{i}"} for i, name in enumerate(NASTY)]
    catalogue = {"format": "ictgraph/v1", "catalogue": {
        "vendors": vendors, "products": products, "capabilities": [{"id": "cap", "name": NASTY[0]}]}}
    inventory = {"format": "ictgraph/v1", "organisation": {"id": "E07000117", "name": NASTY[1], "region": NASTY[4]},
                 "systems": [{"id": f"s{i}", "name": name, "product": f"v{i}/p", "capabilities": ["cap"],
                              "hosting": "saas", "notes": name} for i, name in enumerate(NASTY)]}
    return files(catalogue=json.dumps(catalogue, ensure_ascii=False), org=json.dumps(inventory, ensure_ascii=False))


def test_crafted_names_round_trip_as_plain_data(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, estate())
    graph = stored_graph(clean_neo4j)
    assert [graph.nodes[("System", f"E07000117/s{i}")]["name"] for i in range(len(NASTY))] == NASTY
    assert [graph.nodes[("Vendor", f"v{i}")]["name"] for i in range(len(NASTY))] == NASTY
    assert graph.nodes[("Organisation", "E07000117")]["name"] == NASTY[1]
    assert graph.number_of_nodes() == 1 + 2 * len(NASTY) + len(NASTY) + 1


def test_crafted_parameters_are_only_compared(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, estate())
    for name in NASTY:
        rows = run_read_only(clean_neo4j, "MATCH (s:System {name: $name}) RETURN s.notes AS notes", {"name": name}).rows
        assert rows == [[name]]
