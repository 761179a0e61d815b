"""queries/dry_run.py on plain graphs: what a load of an estate leaves alone in the database
is cut out of the stored graph before the comparison (tests/test_diff_neo4j.py checks it
against real loads)."""
from __future__ import annotations

import networkx as nx

from ictgraph.graph_loader import Schema
from ictgraph.queries.diff import diff_graphs
from ictgraph.queries.dry_run import untouched_by_load
from tests.estates import CATALOGUE, graph_of

A1 = """\
    format: ictgraph/v1
    organisation: {id: A1, name: Aton, neighbours: [B2]}
    systems:
      - {id: revs, name: Revenues, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}
    """
B2 = """\
    format: ictgraph/v1
    organisation: {id: B2, name: Beeton, neighbours: [A1]}
    systems:
      - {id: revs, name: Revenues, product: capita/one-revenues, capabilities: [business-rates], hosting: saas}
    """


def _dry_run(stored: nx.MultiDiGraph, estate: nx.MultiDiGraph, schema: Schema) -> tuple[list[tuple[str, str, str]], list[str]]:
    scoped, left = untouched_by_load(stored, estate, schema)
    found = diff_graphs(scoped, estate, schema, left_out=left)
    return [(c["change"], c["label"], c["key"]) for c in found["changes"]], found["left_out"]


def test_an_organisation_the_estate_does_not_define_is_left_alone(schema: Schema) -> None:
    stored = graph_of(catalogue=CATALOGUE, a=A1, b=B2)
    assert _dry_run(stored, graph_of(catalogue=CATALOGUE, a=A1), schema) == ([], ["B2"])


def test_a_catalogue_entry_that_only_a_left_alone_organisation_uses_stays(schema: Schema) -> None:
    """capita/one-revenues and business-rates are used by B2 only: a load of a catalogue
    without them keeps them (B2 still refers to them)."""
    catalogue = CATALOGUE.replace("    - {id: capita/one-revenues, name: One Revenues and Benefits, vendor: capita, aliases: [Academy]}\n", "")
    estate = graph_of(catalogue=catalogue, a=A1)
    assert ("Product", "capita/one-revenues") not in estate
    assert _dry_run(graph_of(catalogue=CATALOGUE, a=A1, b=B2), estate, schema) == ([], ["B2"])


def test_a_catalogue_entry_nothing_uses_any_more_is_removed(schema: Schema) -> None:
    catalogue = CATALOGUE.replace("{id: oracle-dba,", "{id: oracle-dba-gone,")
    found, _ = _dry_run(graph_of(catalogue=CATALOGUE, a=A1), graph_of(catalogue=catalogue, a=A1), schema)
    assert found == [("removed", "Skill", "oracle-dba"), ("added", "Skill", "oracle-dba-gone")]


def test_the_estate_replaces_what_its_organisations_state(schema: Schema) -> None:
    """A1's inventory changes and B2 is not in the estate: A1 changes, B2's relationship to
    A1 (NEIGHBOURS, stated by B2) is not compared."""
    changed = A1.replace("hosting: saas", "hosting: public-cloud").replace("neighbours: [B2]", "neighbours: []")
    found, left = _dry_run(graph_of(catalogue=CATALOGUE, a=A1, b=B2), graph_of(catalogue=CATALOGUE, a=changed), schema)
    assert (found, left) == ([("changed", "Organisation", "A1"), ("changed", "System", "A1/revs")], ["B2"])
