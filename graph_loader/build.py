"""Step 4 (embedded): node and relationship rows to a networkx MultiDiGraph.

Nodes are keyed ``(label, key)``; each carries ``labels`` (a list, primary label first) and
its properties. Edges are keyed by relationship type, so a pair of nodes has at most one
edge of each type: the same shape as ``MERGE`` gives in Neo4j."""
from __future__ import annotations

from typing import Any

import networkx as nx

from ictgraph.graph_loader.model import EdgeRow, NodeRow

LABELS = "labels"


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def build_graph(nodes: list[NodeRow], edges: list[EdgeRow]) -> nx.MultiDiGraph:
    """The embedded graph of an estate's rows, built in sorted order for determinism."""
    graph = nx.MultiDiGraph()
    # The *_from forms: a national estate has a million relationships, and per-call overhead shows.
    graph.add_nodes_from(((node.label, node.key), {LABELS: list(node.labels), **_attributes(node.properties)})
                         for node in nodes)
    graph.add_edges_from(((edge.start.label, edge.start.key), (edge.end.label, edge.end.key), edge.type,
                          _attributes(edge.properties) if edge.properties else {}) for edge in edges)
    return graph


def _attributes(properties: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {name: _plain(value) for name, value in properties}
