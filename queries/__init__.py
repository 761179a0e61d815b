"""The questions ictgraph asks of an estate's graph.

``*.cypher`` files are named Cypher statements for Neo4j; the Python modules are the
networkx analyses, one concept per module, each a pure function of a graph."""
