"""What a load writes: the estate's rows split into transaction units, and each unit's
difference from what the database holds. Pure: the database state comes in as data.

A unit is written in one transaction, so readers see each unit before or after, never
half-written. The catalogue is the first unit; organisations follow, packed whole into
units of at most ``unit_budget`` rows (a small estate is one unit: an atomic load).

Ownership decides what a load may remove. An organisation in the estate owns its node,
the items of its inventory (``organisation`` property) and the relationships they define;
a reload replaces exactly those, and organisations absent from the estate are untouched.
A relationship is defined by its start node, except the types that a field declares with
``direction: in`` (``MEMBER_OF``, ``PARTY_TO``), which their end node defines."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ictgraph.graph_loader.model import EdgeRow, NodeKey, NodeRow
from ictgraph.graph_loader.schema import Schema

CATALOGUE = "catalogue"
EdgeId = tuple[str, NodeKey, NodeKey]


def in_direction_types(schema: Schema) -> frozenset[str]:
    """Relationship types that their end node defines."""
    return frozenset(f.relationship for s in schema.sections.values() for f in s.fields.values()
                     if f.relationship and f.direction == "in")


def owned_labels(schema: Schema) -> tuple[str, ...]:
    return tuple(sorted(s.label for s in schema.sections.values() if s.scope == "owned" and s.label))


def catalogue_labels(schema: Schema) -> tuple[str, ...]:
    return tuple(sorted(s.label for s in schema.sections.values()
                        if s.scope in ("catalogue", "nested") and s.label))


def defining_node(edge: EdgeRow, in_types: frozenset[str]) -> NodeKey:
    return edge.end if edge.type in in_types else edge.start


def scope_of(node: NodeRow) -> str | None:
    """The owner of a node: an organisation id, the catalogue, or None for a bare node."""
    props = node.props()
    if node.label == "Organisation":
        return node.key if "source" in props else None
    return props.get("organisation") or CATALOGUE


@dataclass(frozen=True)
class Unit:
    name: str
    organisations: tuple[str, ...]
    nodes: tuple[NodeRow, ...]
    edges: tuple[EdgeRow, ...]
    ensure: tuple[NodeKey, ...]

    @property
    def defining(self) -> tuple[NodeKey, ...]:
        return tuple(n.node_key for n in self.nodes)


def _unit(name: str, orgs: list[str], nodes: list[NodeRow], edges: list[EdgeRow]) -> Unit:
    defined = {n.node_key for n in nodes}
    far = {end for e in edges for end in (e.start, e.end)} - defined
    return Unit(name, tuple(orgs), tuple(nodes), tuple(edges), tuple(sorted(far, key=lambda k: (k.label, k.key))))


@dataclass(frozen=True)
class Scopes:
    """An estate's rows by owner: an organisation id, the catalogue, or None (bare nodes)."""

    nodes: dict[str | None, list[NodeRow]]
    edges: dict[str | None, list[EdgeRow]]

    def names(self) -> list[str]:
        """The catalogue, then the organisations in order: the scopes a load writes."""
        return [CATALOGUE] + sorted(s for s in self.nodes if s not in (None, CATALOGUE))


def _row_scope(node: NodeRow) -> str | None:
    """:func:`scope_of` without building the properties' dict (once per node of an estate)."""
    if node.label == "Organisation":
        return node.key if any(k == "source" for k, _ in node.properties) else None
    return next((v for k, v in node.properties if k == "organisation"), None) or CATALOGUE


def group_by_scope(schema: Schema, nodes: list[NodeRow], edges: list[EdgeRow]) -> Scopes:
    in_types = in_direction_types(schema)
    nodes_by_scope: dict[str | None, list[NodeRow]] = defaultdict(list)
    scope: dict[tuple[str, str], str | None] = {}   # by (label, key): a tuple hashes in C
    for node in nodes:
        scope[node.label, node.key] = owner = _row_scope(node)
        nodes_by_scope[owner].append(node)
    edges_by_scope: dict[str | None, list[EdgeRow]] = defaultdict(list)
    for edge in edges:
        defining = edge.end if edge.type in in_types else edge.start
        edges_by_scope[scope.get((defining.label, defining.key))].append(edge)
    return Scopes(nodes_by_scope, edges_by_scope)


def plan_units(schema: Schema, nodes: list[NodeRow], edges: list[EdgeRow], unit_budget: int = 50_000) -> list[Unit]:
    """The catalogue unit, then organisation units of at most ``unit_budget`` rows each."""
    return plan_scoped_units(group_by_scope(schema, nodes, edges), unit_budget)


def plan_scoped_units(scopes: Scopes, unit_budget: int = 50_000, only: Collection[str] | None = None) -> list[Unit]:
    """:func:`plan_units` over grouped rows; with ``only``, just those scopes (the catalogue
    unit only if ``only`` names it)."""
    nodes_by_scope, edges_by_scope = scopes.nodes, scopes.edges
    wanted = [s for s in scopes.names() if only is None or s in only]
    units = [_unit(CATALOGUE, [], nodes_by_scope[CATALOGUE], edges_by_scope[CATALOGUE])] if CATALOGUE in wanted else []
    batch: list[str] = []
    size = 0
    for org in wanted:
        if org == CATALOGUE:
            continue
        rows = len(nodes_by_scope[org]) + len(edges_by_scope[org])
        if batch and size + rows > unit_budget:
            units.append(_org_unit(batch, nodes_by_scope, edges_by_scope))
            batch, size = [], 0
        batch.append(org)
        size += rows
    if batch:
        units.append(_org_unit(batch, nodes_by_scope, edges_by_scope))
    return units


def _org_unit(orgs: list[str], nodes: dict[str | None, list[NodeRow]], edges: dict[str | None, list[EdgeRow]]) -> Unit:
    name = orgs[0] if len(orgs) == 1 else f"{orgs[0]}..{orgs[-1]} ({len(orgs)} organisations)"
    return _unit(name, orgs, [n for o in orgs for n in nodes[o]], [e for o in orgs for e in edges[o]])


@dataclass(frozen=True)
class StoredState:
    """What the database holds for one unit, read inside the unit's transaction."""

    nodes: dict[NodeKey, tuple[frozenset[str], dict[str, Any]]]
    owned: frozenset[NodeKey]
    edges: dict[EdgeId, dict[str, Any]]


@dataclass
class UnitChanges:
    nodes_to_write: list[NodeRow] = field(default_factory=list)
    nodes_to_delete: list[NodeKey] = field(default_factory=list)
    edges_to_write: list[EdgeRow] = field(default_factory=list)   # stored with other properties
    edges_to_create: list[EdgeRow] = field(default_factory=list)  # not stored at all
    edges_to_delete: list[EdgeId] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def comparable(props: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in props.items()}


def diff_unit(unit: Unit, stored: StoredState) -> UnitChanges:
    """The writes and deletions that bring the stored state to the unit's rows."""
    changes = UnitChanges()
    for node in unit.nodes:
        before = stored.nodes.get(node.node_key)
        if before is None or before[1] == {"id": node.key}:
            # Absent, or a bare placeholder an earlier unit of this load made for an edge.
            changes.counts["nodes_created"] += 1
        elif before[0] == frozenset(node.labels) and comparable(before[1]) == comparable(node.props()):
            changes.counts["nodes_unchanged"] += 1
            continue
        else:
            changes.counts["nodes_updated"] += 1
        changes.nodes_to_write.append(node)
    keep = {n.node_key for n in unit.nodes}
    changes.nodes_to_delete = sorted(stored.owned - keep, key=lambda k: (k.label, k.key))
    changes.counts["nodes_removed"] = len(changes.nodes_to_delete)
    _diff_edges(unit, stored, changes)
    return changes


def _diff_edges(unit: Unit, stored: StoredState, changes: UnitChanges) -> None:
    wanted = {(e.type, e.start, e.end): e for e in unit.edges}
    for edge_id, edge in wanted.items():
        before = stored.edges.get(edge_id)
        if before is None:
            changes.counts["relationships_created"] += 1
            changes.edges_to_create.append(edge)
            continue
        if comparable(before) != comparable(edge.props()):
            changes.counts["relationships_updated"] += 1
            changes.edges_to_write.append(edge)
    changes.edges_to_delete = sorted(set(stored.edges) - set(wanted), key=lambda e: (e[0], e[1].key, e[2].key))
    changes.counts["relationships_removed"] = len(changes.edges_to_delete)
