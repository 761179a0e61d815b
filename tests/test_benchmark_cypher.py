"""The benchmark's allocation in Cypher (queries/cypher/benchmark/allocated_cost.cypher) gives
the same cost lines as the Python rule (queries/allocation.py), on the sample and on an estate
with joint contracts, contracts without a value and systems paid by their own cost."""
from __future__ import annotations

import neo4j
import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.catalog import find_query
from ictgraph.queries.runner import run_read_only
from tests.neo4j_helpers import SAMPLE, sample_files, stored_graph, write_files

pytestmark = pytest.mark.neo4j
TOLERANCE = 1e-9

EDGES = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: v, name: V}]
  products: [{id: v/p, name: P, vendor: v}]
  capabilities: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
---
format: ictgraph/v1
organisation: {id: X1, name: X one, type: district, population: 1000}
systems:
  - {id: s1, name: S1, product: v/p, capabilities: [a, b, c], hosting: saas, annual_cost: 90}
  - {id: s2, name: S2, product: v/p, capabilities: [a], hosting: saas, annual_cost: 7}
  - {id: s3, name: S3, bespoke: true, capabilities: [b, c], hosting: on-premise, annual_cost: 10}
  - {id: s4, name: S4, bespoke: true, capabilities: [c], hosting: on-premise}
contracts:
  - {id: k1, supplier: v, covers: [s1, s2, X2/t1], start: 2024-01-01, end: 2029-01-01, annual_value: 1000,
     parties: [X2]}
  - {id: k2, supplier: v, covers: [s3], start: 2024-01-01, end: 2029-01-01}
---
format: ictgraph/v1
currency: EUR
organisation: {id: X2, name: X two, type: district, population: 2000}
systems:
  - {id: t1, name: T1, product: v/p, capabilities: [b, c], hosting: saas}
  - {id: t2, name: T2, product: v/p, capabilities: [a], hosting: saas, annual_cost: 33}
contracts:
  - {id: k3, supplier: v, covers: [t2], start: 2024-01-01, end: 2029-01-01, annual_value: 3}
"""

Line = tuple[str, str, str, str, str, float]


def cypher_lines(driver: neo4j.Driver) -> list[Line]:
    query = find_query("allocated_cost")
    result = run_read_only(driver, query.text, {}, row_cap=1_000_000)
    assert tuple(result.columns) == query.returns and not result.truncated
    return sorted((r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in result.rows)


def python_lines(graph) -> list[Line]:  # type: ignore[no-untyped-def]
    return sorted((x.organisation, x.capability, x.system, x.contract, x.currency, x.annual_cost)
                  for x in allocated_costs(graph))


def assert_equal_lines(stored: list[Line], computed: list[Line]) -> None:
    assert [line[:5] for line in stored] == [line[:5] for line in computed]
    for a, b in zip(stored, computed):
        assert abs(a[5] - b[5]) <= TOLERANCE * max(1.0, abs(b[5])), (a, b)


def test_the_sample_allocation_is_the_same_in_cypher(neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> None:
    write_files(neo4j_driver, sample_files())
    stored = cypher_lines(neo4j_driver)
    assert_equal_lines(stored, python_lines(load_graph([SAMPLE])))
    assert_equal_lines(stored, python_lines(stored_graph(neo4j_driver)))
    assert any(line[3] == "" for line in stored) and len({line[3] for line in stored}) > 300


def test_joint_unvalued_and_own_cost_lines_are_the_same_in_cypher(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, [("edges.yaml", EDGES.encode())])
    stored = cypher_lines(clean_neo4j)
    assert_equal_lines(stored, python_lines(stored_graph(clean_neo4j)))
    assert [line for line in stored if line[2] in ("X1/s3", "X1/s4", "X2/t1")] == [
        ("X1", "b", "X1/s3", "", "GBP", 5.0), ("X1", "c", "X1/s3", "", "GBP", 5.0),
        ("X2", "b", "X2/t1", "X1/k1", "GBP", 1000 / 3 / 2), ("X2", "c", "X2/t1", "X1/k1", "GBP", 1000 / 3 / 2)]
