"""Helpers for tests against the real Neo4j server: load rows, digest the whole graph."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import neo4j
import networkx as nx

from ictgraph.graph_loader import load_schema, rows_from_files
from ictgraph.graph_loader.plan import in_direction_types
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.graph_loader.write import LoadSummary, write_rows
from ictgraph.queries.graph import read_graph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"


def write_files(driver: neo4j.Driver, files: list[tuple[str, bytes]], **options: int | bool) -> LoadSummary:
    nodes, edges = rows_from_files(files)
    return write_rows(driver, load_schema(), nodes, edges, **options)  # type: ignore[arg-type]


def sample_files() -> list[tuple[str, bytes]]:
    return read_estate_files([SAMPLE])


def stored_graph(driver: neo4j.Driver) -> nx.MultiDiGraph:
    return read_graph(driver, load_schema())


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def graph_digest(driver: neo4j.Driver) -> str:
    """A digest of every node (labels, properties) and relationship in the database, so
    that any change anywhere shows; elements outside the schema count too."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY elementId(n)")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props")
    canonical = sorted(_canonical([sorted(r["labels"]), r["props"]]) for r in nodes)
    canonical += sorted(_canonical([r["type"], r["a"], r["b"], r["props"]]) for r in rels)
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()


def subgraph_of(graph: nx.MultiDiGraph, organisation: str) -> tuple[list, list]:
    """What an organisation's inventory defines: its node, the nodes it owns, and the
    relationships they define (outgoing ones, and incoming ones of the in-direction types)."""
    own = {n for n, d in graph.nodes(data=True) if n == ("Organisation", organisation) or d.get("organisation") == organisation}
    in_types = in_direction_types(load_schema())
    edges = sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in graph.edges(keys=True, data=True)
                   if (v if k in in_types else u) in own)
    return [(n, graph.nodes[n]) for n in sorted(own)], edges
