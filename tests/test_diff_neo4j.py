"""``ictgraph diff --neo4j NEW`` is a dry run of ``ictgraph load NEW``, against the test
session's own Neo4j server: after ``load A`` it says what ``diff A B`` says; ``load B`` then
changes exactly that (the stored graph before and after the load differ by the dry run's
changes, and the graph read back equals B's), after which the dry run is empty. Organisations
that B does not define are left out, as the load leaves them alone."""
from __future__ import annotations

import json
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import Schema
from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.queries.diff import diff_graphs
from ictgraph.queries.diff_sources import compare_estates
from ictgraph.queries.dry_run import untouched_by_load
from tests.diff_helpers import AFTER, BEFORE, graph_at
from tests.neo4j_helpers import SAMPLE, sample_files, stored_graph, write_files

pytestmark = pytest.mark.neo4j

TENDRING = b"""\
format: ictgraph/v1
organisation: {id: E07000076, name: Tendring District Council, type: district, population: 147353}
systems:
  - {id: revs, name: Revenues and benefits, product: nec/revenues-benefits, capabilities: [council-tax], hosting: saas}
"""


def _changes(found: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    return found["changes"], found["summary"]


def test_after_load_a_the_dry_run_of_b_is_diff_a_b(clean_neo4j: neo4j.Driver, neo4j_uri: str, schema: Schema) -> None:
    write_files(clean_neo4j, read_estate_files([BEFORE]))
    dry = compare_estates(None, str(AFTER), Neo4jSettings(uri=neo4j_uri)).diff
    assert _changes(dry) == _changes(diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema))
    assert (dry["from"], dry["to"], dry["left_out"]) == ("neo4j (database neo4j)", str(AFTER), [])


def test_load_b_changes_exactly_what_the_dry_run_said(clean_neo4j: neo4j.Driver, neo4j_uri: str, schema: Schema) -> None:
    write_files(clean_neo4j, read_estate_files([BEFORE]) + [("tendring.yaml", TENDRING)])
    before_load = stored_graph(clean_neo4j)
    dry = compare_estates(None, str(AFTER), Neo4jSettings(uri=neo4j_uri)).diff
    assert dry["left_out"] == ["E07000076"]
    assert _changes(dry) == _changes(diff_graphs(graph_at(BEFORE), graph_at(AFTER), schema))
    summary = write_files(clean_neo4j, read_estate_files([AFTER]))
    after_load = stored_graph(clean_neo4j)
    scoped = [untouched_by_load(graph, graph_at(AFTER), schema)[0] for graph in (before_load, after_load)]
    assert _changes(diff_graphs(*scoped, schema)) == _changes(dry)
    counts = summary.as_dict()
    kinds = [c["change"] for c in dry["changes"]]
    assert (counts["nodes_created"], counts["nodes_removed"]) == (kinds.count("added"), kinds.count("removed"))
    # everything but Tendring is B; Tendring, which B names as a neighbour only, is left as it was
    assert [(c["change"], c["key"]) for c in diff_graphs(after_load, graph_at(AFTER), schema)["changes"]] == [
        ("removed", "E07000076"), ("removed", "E07000076/revs")]


def test_after_load_b_the_dry_run_is_empty_and_the_graph_is_b(clean_neo4j: neo4j.Driver, neo4j_uri: str) -> None:
    write_files(clean_neo4j, read_estate_files([BEFORE]))
    write_files(clean_neo4j, read_estate_files([AFTER]))
    assert compare_estates(None, str(AFTER), Neo4jSettings(uri=neo4j_uri)).diff["changes"] == []
    stored, embedded = stored_graph(clean_neo4j), graph_at(AFTER)
    assert sorted(stored.nodes(data=True)) == sorted(embedded.nodes(data=True))
    assert sorted((u, v, k, sorted(d.items())) for u, v, k, d in stored.edges(keys=True, data=True)) == \
        sorted((u, v, k, sorted(d.items())) for u, v, k, d in embedded.edges(keys=True, data=True))


def test_the_command_line_dry_run(clean_neo4j: neo4j.Driver, neo4j_env: str, runner: CliRunner) -> None:
    write_files(clean_neo4j, read_estate_files([BEFORE]))
    result = runner.invoke(app, ["diff", "--neo4j", str(AFTER), "--format", "json", "--quiet", "--exit-code"])
    assert result.exit_code == 1, result.output
    assert [c["key"] for c in json.loads(result.stdout)["changes"]][:2] == ["civica/openrevenues", "E07000067/c-revs-2019"]
    table = runner.invoke(app, ["diff", "--neo4j", str(AFTER), "--quiet"])
    assert table.exit_code == 0
    assert table.stdout.startswith(f"What changed from neo4j (database neo4j) to {AFTER}:\n")
    assert "  contract c-revs-2021 extended from 2026-09-30 to 2027-09-30; Braintree District Council now a party\n" in table.stdout


def test_the_dry_run_over_the_sample_estate(clean_neo4j: neo4j.Driver, neo4j_uri: str, schema: Schema) -> None:
    """The sample (33 councils, partnerships, objectives, skills) loaded: its own dry run is
    empty; the dry run of another estate leaves the 33 alone and says exactly what its load
    does, the catalogue entries nothing uses any more included."""
    write_files(clean_neo4j, sample_files())
    settings = Neo4jSettings(uri=neo4j_uri)
    assert compare_estates(None, str(SAMPLE), settings).diff["changes"] == []
    before_load = stored_graph(clean_neo4j)
    dry = compare_estates(None, str(AFTER), settings).diff
    assert len(dry["left_out"]) == 33 and "E07000067" not in dry["left_out"]
    summary = write_files(clean_neo4j, read_estate_files([AFTER])).as_dict()
    scoped = [untouched_by_load(graph, graph_at(AFTER), schema)[0] for graph in (before_load, stored_graph(clean_neo4j))]
    assert _changes(diff_graphs(*scoped, schema)) == _changes(dry)
    kinds = [c["change"] for c in dry["changes"]]
    assert (summary["nodes_created"], summary["nodes_removed"]) == (kinds.count("added"), kinds.count("removed"))
    assert compare_estates(None, str(AFTER), settings).diff["changes"] == []


def test_regression_a_removed_partnership_left_its_objectives_behind(clean_neo4j: neo4j.Driver, neo4j_uri: str) -> None:
    """A partnership gone from the catalogue was removed, but its objectives (checked
    before it, while it still referred to them) stayed as orphans; the dry run said
    'removed' for all three, and now the load does what it said."""
    partnership = """\
  partnerships:
    - id: p
      name: P
      members: [E07000067]
      status: active
      objectives:
        - {id: o, description: Cut cost}
"""
    catalogue = (BEFORE / "catalogue.yaml").read_bytes()
    estate = [(name, data) for name, data in read_estate_files([BEFORE]) if not name.endswith("catalogue.yaml")]
    write_files(clean_neo4j, [*estate, ("catalogue.yaml", catalogue + partnership.encode())])
    dry = compare_estates(None, str(BEFORE), Neo4jSettings(uri=neo4j_uri)).diff
    assert [(c["change"], c["key"]) for c in dry["changes"]] == [("removed", "p/o"), ("removed", "p")]
    assert write_files(clean_neo4j, read_estate_files([BEFORE])).as_dict()["nodes_removed"] == 2
    assert compare_estates(None, str(BEFORE), Neo4jSettings(uri=neo4j_uri)).diff["changes"] == []
    records, _, _ = clean_neo4j.execute_query("MATCH (n:Objective) RETURN count(n) AS n")
    assert records[0]["n"] == 0
