"""Step 4 (embedded): node and relationship rows to a networkx MultiDiGraph.

Nodes are keyed ``(label, key)``; each carries ``labels`` (a list, primary label first) and
its properties. Edges are keyed by relationship type, so a pair of nodes has at most one
edge of each type: the same shape as ``MERGE`` gives in Neo4j."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_loader.model import EdgeRow, NodeRow

LABELS = "labels"


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def build_graph(nodes: list[NodeRow], edges: list[EdgeRow]) -> nx.MultiDiGraph:
    """The embedded graph of an estate's rows, built in sorted order for determinism."""
    graph = nx.MultiDiGraph()
    for node in nodes:
        attrs = {name: _plain(value) for name, value in node.properties}
        graph.add_node((node.label, node.key), **{LABELS: list(node.labels)}, **attrs)
    for edge in edges:
        attrs = {name: _plain(value) for name, value in edge.properties}
        graph.add_edge((edge.start.label, edge.start.key), (edge.end.label, edge.end.key),
                       key=edge.type, **attrs)
    return graph
