"""Where an analysis reads its graph from: the YAML estate (embedded) or Neo4j."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from ictgraph.graph_loader import load_graph, load_schema
from ictgraph.graph_loader.connect import Neo4jSettings, open_driver
from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.graph import read_graph


def open_estate_graph(paths: list[Path], settings: Neo4jSettings | None,
                      on_progress: Callable[[str], None] | None = None) -> nx.MultiDiGraph:
    """The estate graph from YAML files, or from Neo4j when ``settings`` is given."""
    if settings is None:
        return load_graph(paths, on_progress)
    if paths:
        raise UsageError("give either estate paths or --neo4j, not both",
                         "--neo4j reads the graph that `ictgraph load` wrote")
    with open_driver(settings) as driver:
        graph = read_graph(driver, load_schema(), settings.database)
    if on_progress:
        on_progress(f"read the graph from Neo4j: {graph.number_of_nodes()} nodes")
    return graph
