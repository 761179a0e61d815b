"""What changed between two estates: the difference of their graphs, node by node.

Both sides are graphs as :func:`graph_loader.build_graph` builds them (or
:func:`queries.graph.read_graph` reads them back from Neo4j), keyed ``(label, key)``. A node
is *added*, *removed* or *changed*; a change lists the properties that differ and the
relationships the node gained, lost or whose properties differ.

Rules (documented in docs/diff.md):

* **What never counts.** The properties schema.yaml declares ``internal.bookkeeping``
  (``source``: the file and line an item came from) are ignored, so an estate moved to other
  files, re-ordered or re-formatted compares equal; ``internal.identity`` properties (the key
  and what the key determines, such as ``organisation``) are never listed.
* **Bare nodes are absent.** A node with nothing but its key (an organisation named as a
  neighbour or a party but without an inventory) is not a node of the estate: when it
  gets an inventory it is *added*.
* **A relationship belongs to the item that states it.** The owner relationship of an
  inventory section (``RUNS``, ``HOLDS``, ``OPERATES``, ...) belongs to the owned item, a
  field declared ``direction: in`` (``MEMBER_OF``, ``PARTY_TO``) to the item that lists it
  (its end node), any other relationship to its start node. So a system's move to another
  host is a change of the system, and a contract's new party a change of the contract.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx

from ictgraph.graph_loader.build import LABELS
from ictgraph.graph_loader.schema import Schema

__all__ = ["ADDED", "CHANGED", "REMOVED", "diff_graphs", "is_empty"]

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
Node = tuple[str, str]
Relationships = dict[tuple[str, Node], dict[str, Any]]   # a node's own: (type, other node) -> properties


def _plain(value: Any) -> Any:
    """A property value in a form that compares the same from YAML and from Neo4j."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _kept(attrs: dict[str, Any], drop: frozenset[str], unordered: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {name: sorted(_plain(value), key=repr) if name in unordered else _plain(value)
            for name, value in attrs.items() if name != LABELS and name not in drop}


def unordered_properties(schema: Schema) -> dict[str, frozenset[str]]:
    """Per label, the properties of ``list`` fields (aliases, parties): sets written as lists,
    whose order is not a change. Series and parallel lists keep their order."""
    found: dict[str, set[str]] = {}
    for section in schema.sections.values():
        for spec in section.fields.values():
            if section.label and spec.type == "list" and spec.prop:
                found.setdefault(section.label, set()).add(spec.prop)
    return {label: frozenset(props) for label, props in found.items()}


def is_bare(attrs: dict[str, Any], schema: Schema) -> bool:
    """Whether a node holds nothing but its key (and bookkeeping): named, not described."""
    return not (set(attrs) - {LABELS} - schema.identity - schema.bookkeeping)


def _nodes(graph: nx.MultiDiGraph, schema: Schema) -> dict[Node, dict[str, Any]]:
    hidden, unordered = schema.bookkeeping | schema.identity, unordered_properties(schema)
    return {node: _kept(attrs, hidden, unordered.get(node[0], frozenset()))
            for node, attrs in graph.nodes(data=True) if not is_bare(attrs, schema)}


def belonging_types(schema: Schema) -> frozenset[str]:
    """Relationship types that belong to their end node: owner relationships and fields
    declared ``direction: in``."""
    owners = {s.owner_relationship for s in schema.sections.values() if s.owner_relationship}
    inward = {f.relationship for s in schema.sections.values() for f in s.fields.values()
              if f.relationship and f.direction == "in"}
    return frozenset(owners | inward)


def _edges(graph: nx.MultiDiGraph, schema: Schema) -> dict[Node, Relationships]:
    """Each node's relationships, by the node they belong to: ``{(type, other): properties}``."""
    to_end = belonging_types(schema)
    owned: dict[Node, Relationships] = {}
    for start, end, rel, attrs in graph.edges(keys=True, data=True):
        owner, other = (end, start) if rel in to_end else (start, end)
        owned.setdefault(owner, {})[(rel, other)] = _kept(attrs, schema.bookkeeping) if attrs else {}
    return owned


def _property_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [old.get(name), new.get(name)] for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)}


def _relationship_changes(before: Relationships, after: Relationships) -> dict[str, list[list[Any]]]:
    changed = [[rel, other[1], _property_changes(before[(rel, other)], after[(rel, other)])]
               for rel, other in sorted(set(before) & set(after)) if before[(rel, other)] != after[(rel, other)]]
    return {ADDED: [[rel, other[1]] for rel, other in sorted(set(after) - set(before))],
            REMOVED: [[rel, other[1]] for rel, other in sorted(set(before) - set(after))],
            CHANGED: changed}


def _organisation(node: Node, *graphs: nx.MultiDiGraph) -> str | None:
    label, key = node
    if label == "Organisation":
        return key
    for graph in graphs:
        if node in graph:
            owner = graph.nodes[node].get("organisation")
            if owner is not None:
                return str(owner)
    return None


def _change(node: Node, old: dict[Node, dict[str, Any]], new: dict[Node, dict[str, Any]],
            edges: tuple[Relationships, Relationships]) -> dict[str, Any] | None:
    kind = ADDED if node not in old else REMOVED if node not in new else CHANGED
    if kind == CHANGED and old[node] == new[node] and edges[0] == edges[1]:
        return None
    properties = _property_changes(old.get(node, {}), new.get(node, {}))
    relationships = _relationship_changes(*edges)
    if kind == CHANGED and not properties and not any(relationships.values()):
        return None
    return {"change": kind, "label": node[0], "key": node[1], "properties": properties, "relationships": relationships}


def diff_graphs(old: nx.MultiDiGraph, new: nx.MultiDiGraph, schema: Schema, *, old_name: str = "old",
                new_name: str = "new", left_out: Iterable[str] = ()) -> dict[str, Any]:
    """The difference of two estate graphs, as plain data.

    Parameters
    ----------
    old, new : networkx.MultiDiGraph
        Estate graphs keyed ``(label, key)``.
    schema : Schema
        Says which properties are bookkeeping and which relationships belong to their end node.
    old_name, new_name : str
        What the two sides are (``from`` and ``to`` in the result).
    left_out : iterable of str
        Organisations kept out of the comparison (a dry run's untouched ones), reported as given.

    Returns
    -------
    dict
        ``{"from", "to", "left_out", "changes": [{"change", "label", "key", "organisation",
        "properties": {NAME: [OLD, NEW]}, "relationships": {"added": [[TYPE, OTHER_KEY]],
        "removed": [...], "changed": [[TYPE, OTHER_KEY, {NAME: [OLD, NEW]}]]}}], "summary":
        {LABEL: {"added", "removed", "changed"}}}``; changes sorted by organisation (the
        catalogue's first), label and key.

    Examples
    --------
    >>> from ictgraph.graph_loader import load_schema
    >>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> old.add_node(("DataCentre", "o/dc"), id="o/dc", organisation="o", racks_used=12, source="a.yaml:3")
    >>> new.add_node(("DataCentre", "o/dc"), id="o/dc", organisation="o", racks_used=8, source="b.yaml:9")
    >>> [(c["change"], c["key"], c["properties"]) for c in diff_graphs(old, new, load_schema())["changes"]]
    [('changed', 'o/dc', {'racks_used': [12, 8]})]

    Notes
    -----
    Linear in the nodes and relationships of both graphs (dictionary lookups), plus sorting.
    """
    old_nodes, new_nodes = _nodes(old, schema), _nodes(new, schema)
    edges = (_edges(old, schema), _edges(new, schema))
    changes = []
    for node in set(old_nodes) | set(new_nodes) | set(edges[0]) | set(edges[1]):
        change = _change(node, old_nodes, new_nodes, (edges[0].get(node, {}), edges[1].get(node, {})))
        if change is not None:
            changes.append({**change, "organisation": _organisation(node, new, old)})
    changes.sort(key=lambda c: (c["organisation"] or "", c["label"], c["key"]))
    return {"from": old_name, "to": new_name, "left_out": sorted(left_out),
            "changes": [_ordered(c) for c in changes], "summary": summarise(changes)}


def _ordered(change: dict[str, Any]) -> dict[str, Any]:
    keys = ("change", "label", "key", "organisation", "properties", "relationships")
    return {k: change[k] for k in keys}


def summarise(changes: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many nodes of each label were added, removed and changed."""
    counts = Counter((c["label"], c["change"]) for c in changes)
    labels = sorted({c["label"] for c in changes})
    return {label: {kind: counts[(label, kind)] for kind in (ADDED, REMOVED, CHANGED)} for label in labels}


def is_empty(diff: dict[str, Any]) -> bool:
    """Whether a diff found no change."""
    return not diff["changes"]
