"""The only bridge from Neo4j records to networkx: read an ictgraph graph back from the
database into the same MultiDiGraph that :func:`graph_loader.build_graph` builds, so that
every analysis runs unchanged (and gives the same bytes) on either path."""
from __future__ import annotations


import neo4j
import networkx as nx
from neo4j.exceptions import DriverError, Neo4jError

from ictgraph.graph_loader import Schema
from ictgraph.graph_loader.build import LABELS
from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.graph_loader.write import native

_NODES = ("MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels) "
          "RETURN labels(n) AS labels, properties(n) AS props")
_EDGES = ("MATCH (a)-[r]->(b) WHERE type(r) IN $types "
          "RETURN type(r) AS type, labels(a) AS a_labels, a.id AS a, labels(b) AS b_labels, b.id AS b, "
          "properties(r) AS props")


def _ordered_labels(labels: list[str], schema: Schema) -> list[str]:
    primary = sorted(label for label in labels if label in schema.labels and not schema.labels[label].extra_of)
    extras = sorted(label for label in labels if label in schema.labels and schema.labels[label].extra_of)
    return primary[:1] + extras


def read_graph(driver: neo4j.Driver, schema: Schema, database: str = "neo4j") -> nx.MultiDiGraph:
    """The estate graph held in Neo4j, as a networkx MultiDiGraph keyed ``(label, id)``."""
    try:
        nodes, _, _ = driver.execute_query(_NODES, labels=sorted(schema.labels), database_=database,
                                           routing_=neo4j.RoutingControl.READ)
        edges, _, _ = driver.execute_query(_EDGES, types=sorted(schema.relationships), database_=database,
                                           routing_=neo4j.RoutingControl.READ)
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"cannot read the graph: {getattr(error, 'message', None) or error}") from None
    node_rows = []
    for record in nodes:
        labels = _ordered_labels(record["labels"], schema)
        props = {k: native(v) for k, v in record["props"].items()}
        node_rows.append(((labels[0], props["id"]), labels, props))
    graph = nx.MultiDiGraph()
    for key, labels, props in sorted(node_rows, key=lambda row: row[0]):
        graph.add_node(key, **{LABELS: labels}, **dict(sorted(props.items())))
    edge_rows = sorted(
        (record["type"], (_ordered_labels(record["a_labels"], schema)[0], record["a"]),
         (_ordered_labels(record["b_labels"], schema)[0], record["b"]),
         {k: native(v) for k, v in record["props"].items()}) for record in edges)
    for rel, start, end, props in sorted(edge_rows, key=lambda row: (row[0], row[1], row[2])):
        graph.add_edge(start, end, key=rel, **props)
    return graph
