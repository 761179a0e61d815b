"""Format v1.1's contracts by capability on the Neo4j path: the estate of
tests/test_format_v1_1.py loaded into the test server gives the same windows, joint
procurements and benchmarks as the embedded graph, and the named Cypher queries that compare
contracts by capability (allocated_cost, contracts_ending, plan_matches) count
``(Contract)-[:FOR]->(Capability)`` as the Python analyses do."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.benchmark import benchmark
from ictgraph.queries.catalog import bind_params, find_query
from ictgraph.queries.estate import iter_contract_covers
from ictgraph.queries.runner import run_read_only
from ictgraph.queries.suggest import joint_procurement, suggest
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from ictgraph.queries.windows import find_windows
from tests.estates import files, graph_of
from tests.neo4j_helpers import stored_graph, write_files
from tests.test_format_v1_1 import AS_OF, ESTATE

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def loaded(neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> neo4j.Driver:
    write_files(neo4j_driver, files(**ESTATE))
    return neo4j_driver


@pytest.fixture(scope="module")
def embedded() -> nx.MultiDiGraph:
    return graph_of(**ESTATE)


def _rows(driver: neo4j.Driver, name: str, **params: str) -> list[dict[str, Any]]:
    query = find_query(name)
    result = run_read_only(driver, query.text, bind_params(query, params))
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_the_stored_graph_holds_the_for_relationships(loaded: neo4j.Driver, embedded: nx.MultiDiGraph) -> None:
    stored = stored_graph(loaded)
    assert sorted(stored.edges(keys=True)) == sorted(embedded.edges(keys=True))
    assert (("Contract", "A1/k1"), ("Capability", "council-tax"), "FOR") in set(stored.edges(keys=True))


@pytest.mark.parametrize("analysis", [
    lambda g: find_windows(g, as_of=AS_OF, months=12),
    lambda g: benchmark(g),
    lambda g: suggest(g, as_of=AS_OF),
], ids=["windows", "benchmark", "suggest"])
def test_each_analysis_is_the_same_on_both_paths(loaded: neo4j.Driver, embedded: nx.MultiDiGraph, analysis: Any) -> None:
    assert analysis(stored_graph(loaded)) == analysis(embedded)


def test_allocated_cost_in_cypher_counts_contracts_by_capability(loaded: neo4j.Driver, embedded: nx.MultiDiGraph) -> None:
    stored = sorted((r["organisation"], r["capability"], r["system"], r["contract"], r["currency"],
                     round(float(r["annual_cost"]), 6)) for r in _rows(loaded, "allocated_cost"))
    computed = sorted((x.organisation, x.capability, x.system, x.contract, x.currency, round(x.annual_cost, 6))
                      for x in allocated_costs(embedded))
    assert stored == computed
    assert ("A1", "council-tax", "", "A1/k1", "GBP", 500.0) in stored
    assert [x for x in stored if x[0] == "D1"] == [("D1", "council-tax", "D1/revs", "D1/k4", "GBP", 300.0)]


def test_contracts_ending_in_cypher_counts_contracts_by_capability(loaded: neo4j.Driver,
                                                                   embedded: nx.MultiDiGraph) -> None:
    start, end = dt.date(2027, 1, 1), dt.date(2031, 12, 31)
    stored = sorted((r["capability"], r["organisation"], r["contract"])
                    for r in _rows(loaded, "contracts_ending", **{"from": start.isoformat(), "to": end.isoformat()}))
    computed = sorted({(c.capability, c.organisation, c.contract) for c in iter_contract_covers(embedded)
                       if start <= c.end <= end})
    assert stored == computed and ("council-tax", "A1", "A1/k1") in stored


def test_plan_matches_in_cypher_counts_contracts_by_capability(loaded: neo4j.Driver, embedded: nx.MultiDiGraph) -> None:
    model = default_savings_model()
    stored = sorted((r["plan"], r["capability"], r["kind"], r["matched"])
                    for r in _rows(loaded, "plan_matches", months=str(model.schedule.window_months),
                                   as_of=AS_OF.isoformat()))
    assert stored == joint_procurement.plan_matches(read_estate(embedded), AS_OF, model)
    assert ("C1/p1", "council-tax", "contract", "A1/k1") in stored


@pytest.mark.parametrize("command", [["windows", "--as-of", "2026-11-27", "--months", "12"], ["benchmark"],
                                     ["suggest", "--as-of", "2026-11-27"]], ids=lambda c: c[0])
def test_each_command_gives_identical_bytes_on_both_paths(loaded: neo4j.Driver, neo4j_uri: str, command: list[str],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, data in files(**ESTATE):
        (tmp_path / name).write_bytes(data)
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    runner = CliRunner()
    load = runner.invoke(app, ["load", str(tmp_path), "--quiet"])
    assert load.exit_code == 0, load.output
    for fmt in ("json", "csv"):
        embedded = runner.invoke(app, [*command, str(tmp_path), "--format", fmt, "--quiet"])
        stored = runner.invoke(app, [*command, "--neo4j", "--format", fmt, "--quiet"])
        assert embedded.exit_code == 0 and stored.exit_code == 0, embedded.output + stored.output
        assert "A1" in embedded.stdout and stored.stdout == embedded.stdout


def test_a_reload_moves_a_contract_from_capabilities_to_covers_and_back(clean_neo4j: neo4j.Driver) -> None:
    """Last in the module: it wipes the database. A contract that learns its system loses its
    FOR relationships on reload and gains COVERS; and the other way round."""
    by_capability = dict(ESTATE)
    by_system = {**ESTATE, "a": ESTATE["a"].replace("capabilities: [council-tax, business-rates], start",
                                                    "covers: [revs], start")}
    for estate, kinds in ((by_capability, ["FOR", "FOR", "WITH"]), (by_system, ["COVERS", "WITH"]),
                          (by_capability, ["FOR", "FOR", "WITH"])):
        write_files(clean_neo4j, files(**estate))
        stored = stored_graph(clean_neo4j)
        assert sorted(k for _, _, k in stored.out_edges(("Contract", "A1/k1"), keys=True)) == kinds
        assert sorted(stored.edges(keys=True)) == sorted(graph_of(**estate).edges(keys=True))
