"""Load planning without a server: units, ownership and diffs (plan.py, statements.py)."""
from __future__ import annotations

import pytest

from ictgraph.graph_loader import NodeKey, Schema, rows_from_files
from ictgraph.graph_loader.plan import CATALOGUE, StoredState, diff_unit, in_direction_types, plan_units, scope_of
from ictgraph.graph_loader.statements import Statements, quote_name
from tests.estates import spec_examples


def test_in_direction_types_come_from_the_schema(schema: Schema) -> None:
    assert in_direction_types(schema) == {"MEMBER_OF", "PARTY_TO"}


def test_a_small_estate_is_one_catalogue_unit_and_one_organisation_unit(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    units = plan_units(schema, nodes, edges)
    assert [u.name for u in units] == [CATALOGUE, "E06000005..E06000047 (2 organisations)"]
    assert units[1].organisations == ("E06000005", "E06000047")
    assert sum(len(u.nodes) for u in units) == len([n for n in nodes if scope_of(n) is not None])
    assert sum(len(u.edges) for u in units) == len(edges)


def test_membership_is_written_with_the_catalogue_and_parties_with_the_contract(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    catalogue, organisations = plan_units(schema, nodes, edges)
    assert {e.type for e in catalogue.edges} >= {"MEMBER_OF", "LED_BY", "PURSUES"}
    assert "PARTY_TO" in {e.type for e in organisations.edges}
    assert NodeKey("Organisation", "E06000047") in catalogue.ensure


def test_a_tight_budget_splits_organisations_into_units_whole(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    units = plan_units(schema, nodes, edges, unit_budget=1)
    assert [u.organisations for u in units[1:]] == [("E06000005",), ("E06000047",)]


def test_diff_against_an_empty_database_creates_everything(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    unit = plan_units(schema, nodes, edges)[1]
    changes = diff_unit(unit, StoredState({}, frozenset(), {}))
    assert changes.counts["nodes_created"] == len(unit.nodes)
    assert changes.counts["relationships_created"] == len(unit.edges)


def test_diff_against_itself_changes_nothing_and_removes_what_is_gone(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    unit = plan_units(schema, nodes, edges)[1]
    stored_nodes = {n.node_key: (frozenset(n.labels), n.props()) for n in unit.nodes}
    stale = NodeKey("System", "E06000047/old")
    stored = StoredState(stored_nodes, frozenset(set(stored_nodes) | {stale}),
                         {(e.type, e.start, e.end): e.props() for e in unit.edges})
    changes = diff_unit(unit, stored)
    assert changes.nodes_to_write == [] and changes.edges_to_write == []
    assert changes.nodes_to_delete == [stale]


def test_relationships_absent_from_the_stored_state_are_created_and_changed_ones_written(schema: Schema) -> None:
    nodes, edges = rows_from_files(spec_examples())
    unit = plan_units(schema, nodes, edges)[1]
    fresh = diff_unit(unit, StoredState({}, frozenset(), {}))
    assert fresh.edges_to_create == list({(e.type, e.start, e.end): e for e in unit.edges}.values())
    assert fresh.edges_to_write == []
    changed = next(e for e in unit.edges)
    stored = {(e.type, e.start, e.end): e.props() for e in unit.edges} | {
        (changed.type, changed.start, changed.end): {"stale": 1}}
    again = diff_unit(unit, StoredState({}, frozenset(), stored))
    assert again.edges_to_create == [] and again.edges_to_write == [changed]
    assert again.counts["relationships_updated"] == 1


@pytest.mark.parametrize("name", ["Bad Label", "System`) DETACH DELETE n //", "NotInSchema"])
def test_labels_outside_the_allowlist_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        quote_name(name, {"System"})


def test_constraints_cover_every_keyed_label(schema: Schema) -> None:
    statements = Statements(schema).constraints()
    keyed = [name for name, spec in schema.labels.items() if spec.key]
    assert len([s for s in statements if "REQUIRE n.id IS UNIQUE" in s]) == len(keyed) + 1  # + the load lock
    assert any("FOR (n:`Contract`) ON (n.end_date)" in s for s in statements)
