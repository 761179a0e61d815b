"""What a load of an estate would leave alone in the database: for ``ictgraph diff --neo4j
NEW``, a dry run of ``ictgraph load NEW``.

A load replaces the organisations the estate defines, with their items and the
relationships those items state, and the catalogue; it leaves alone the organisations the
estate does not define (their nodes, items and relationships) and any catalogue entry one of
them still refers to (graph_loader/plan.py). Cutting those out of the stored graph leaves
what the load compares with the estate, so that the difference of the two graphs is exactly
what the load creates, updates and removes."""
from __future__ import annotations

import networkx as nx

from ictgraph.graph_loader.build import LABELS
from ictgraph.graph_loader.plan import CATALOGUE, in_direction_types
from ictgraph.graph_loader.schema import Schema
from ictgraph.queries.diff import Node, is_bare

__all__ = ["untouched_by_load"]


def _scope(graph: nx.MultiDiGraph, node: Node, schema: Schema) -> str | None:
    """The owner of a node as the load sees it: an organisation id, the catalogue, or None
    for a bare node."""
    attrs = graph.nodes[node]
    if node[0] == "Organisation":
        return None if is_bare(attrs, schema) else node[1]
    return attrs.get("organisation") or CATALOGUE


def _defining(start: Node, end: Node, rel: str, in_types: frozenset[str]) -> Node:
    return end if rel in in_types else start


def _still_referred(stored: nx.MultiDiGraph, left: set[Node], stale: set[Node], in_types: frozenset[str]) -> set[Node]:
    """Stale catalogue entries that a node left alone still refers to (the load keeps them),
    and what those refer to in turn."""
    kept: set[Node] = set()
    frontier = set(left)
    while frontier:
        found = {end for start in frontier for _, end, rel in stored.out_edges(start, keys=True)
                 if rel not in in_types and end in stale and end not in kept}
        kept |= found
        frontier = found
    return kept


def untouched_by_load(stored: nx.MultiDiGraph, estate: nx.MultiDiGraph, schema: Schema) -> tuple[nx.MultiDiGraph, list[str]]:
    """The stored graph without what a load of ``estate`` would leave alone, and the
    organisations left alone (sorted).

    Parameters
    ----------
    stored : networkx.MultiDiGraph
        The graph in the database (:func:`queries.graph.read_graph`).
    estate : networkx.MultiDiGraph
        The estate a load would write.
    schema : Schema

    Returns
    -------
    tuple of (networkx.MultiDiGraph, list of str)
        A copy of ``stored`` in which the relationships stated by what the load leaves
        alone are gone and those nodes are bare (their key only, so not compared), and the
        organisations left alone.

    Examples
    --------
    >>> from ictgraph.graph_loader import load_schema
    >>> stored, estate = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> for graph, org in ((stored, "a"), (stored, "b"), (estate, "b")):
    ...     graph.add_node(("Organisation", org), id=org, name=org.upper(), source="x.yaml:2")
    >>> scoped, left = untouched_by_load(stored, estate, load_schema())
    >>> dict(scoped.nodes(data="name")), left
    ({('Organisation', 'a'): None, ('Organisation', 'b'): 'B'}, ['a'])

    Notes
    -----
    Linear in the stored graph's nodes and relationships.
    """
    in_types = in_direction_types(schema)
    defined = {key for (label, key), attrs in estate.nodes(data=True)
               if label == "Organisation" and not is_bare(attrs, schema)}
    scopes = {node: _scope(stored, node, schema) for node in stored.nodes}
    left_orgs = {s for s in scopes.values() if s not in (None, CATALOGUE) and s not in defined}
    left = {node for node, scope in scopes.items() if scope in left_orgs}
    stale = {node for node, scope in scopes.items() if scope == CATALOGUE and node not in estate}
    left |= _still_referred(stored, left, stale, in_types)
    scoped = stored.copy()
    scoped.remove_edges_from([(start, end, rel) for start, end, rel in stored.edges(keys=True)
                              if _defining(start, end, rel, in_types) in left])
    for node in left:
        _make_bare(scoped, node, schema)
    return scoped, sorted(left_orgs)


def _make_bare(graph: nx.MultiDiGraph, node: Node, schema: Schema) -> None:
    """Keep only the node's key: a relationship the load compares may still end at it (a
    neighbour, a party), but the node itself is not compared."""
    attrs = graph.nodes[node]
    for name in [n for n in attrs if n != LABELS and n not in schema.identity]:
        del attrs[name]
