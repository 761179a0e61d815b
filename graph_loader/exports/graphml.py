"""GraphML for Gephi and yEd, written by networkx. Pure apart from :func:`write_graphml`.

GraphML holds strings, numbers and booleans only: dates become ISO strings and lists
``"; "``-joined text. Nodes are ``Label:key``; each has ``label`` (its name, what Gephi shows;
in yEd map it with Edit › Properties Mapper), ``labels`` (``Organisation:Council``), ``key``
and its properties. Each edge has ``type`` (the relationship type), which is also its id."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from ictgraph.graph_loader.exports.values import caption, column_kinds, node_id, text
from ictgraph.graph_loader.model import EdgeRow, NodeRow

__all__ = ["graphml_graph", "write_graphml"]


def _plain(props: dict[str, Any], kinds: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in props.items():
        kind, is_list = kinds[name]
        key = "key" if name == "id" else name
        if is_list or kind in ("string", "date"):
            out[key] = text(value)
        else:
            out[key] = float(value) if kind == "double" else value
    return out


def graphml_graph(nodes: list[NodeRow], edges: list[EdgeRow]) -> nx.MultiDiGraph:
    """A copy of the estate graph whose every id and value GraphML can hold."""
    graph = nx.MultiDiGraph()
    node_kinds = column_kinds(n.props() for n in nodes)
    for node in nodes:
        graph.add_node(node_id(node.label, node.key), label=caption(node), labels=":".join(node.labels),
                       **_plain(node.props(), node_kinds))
    edge_kinds = column_kinds(e.props() for e in edges)
    for edge in edges:
        graph.add_edge(node_id(edge.start.label, edge.start.key), node_id(edge.end.label, edge.end.key),
                       key=edge.type, type=edge.type, **_plain(edge.props(), edge_kinds))
    return graph


def write_graphml(nodes: list[NodeRow], edges: list[EdgeRow], path: Path) -> list[Path]:
    """Write the estate as one GraphML file."""
    nx.write_graphml(graphml_graph(nodes, edges), path, encoding="utf-8", prettyprint=True)
    return [path]
