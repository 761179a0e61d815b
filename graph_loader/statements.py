"""The Cypher a load runs, generated from schema.yaml. Labels and relationship types come
only from the schema's allowlist and are backtick-quoted by :func:`quote_name`; every
value is a parameter."""
from __future__ import annotations

import re

from ictgraph.graph_loader.schema import Schema

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote_name(name: str, allowed: set[str] | frozenset[str]) -> str:
    """A label or relationship type from the allowlist, backtick-quoted."""
    if name not in allowed or not _NAME.match(name):
        raise ValueError(f"{name!r} is not a label or relationship type of schema.yaml")
    return "`" + name.replace("`", "``") + "`"


class Statements:
    """Cypher text for one schema; each method returns one parameterised statement."""

    def __init__(self, schema: Schema) -> None:
        self.labels = frozenset(schema.labels)
        self.types = frozenset(schema.relationships)
        self.schema = schema

    def label(self, name: str) -> str:
        return quote_name(name, self.labels)

    def rel(self, name: str) -> str:
        return quote_name(name, self.types)

    def constraints(self) -> list[str]:
        """Uniqueness constraints on every keyed label, then the range indexes."""
        out = []
        for spec in self.schema.labels.values():
            if spec.key:
                out.append(f"CREATE CONSTRAINT {spec.name.lower()}_{spec.key} IF NOT EXISTS "
                           f"FOR (n:{self.label(spec.name)}) REQUIRE n.{spec.key} IS UNIQUE")
            for prop in spec.indexes:
                out.append(f"CREATE INDEX {spec.name.lower()}_{prop} IF NOT EXISTS "
                           f"FOR (n:{self.label(spec.name)}) ON (n.{prop})")
        lock = self.schema.load_lock_label
        out.append(f"CREATE CONSTRAINT {lock.lower()}_id IF NOT EXISTS "
                   f"FOR (n:{quote_name(lock, {lock})}) REQUIRE n.id IS UNIQUE")
        out.append(f"CREATE CONSTRAINT {self.schema.load_digest_label.lower()}_scope IF NOT EXISTS "
                   f"FOR (n:{self.digest_label()}) REQUIRE n.scope IS UNIQUE")
        return out + self.beside_constraints()

    def beside_constraints(self) -> list[str]:
        """Uniqueness of what ictgraph writes beside the estate (a programme by its name, a
        move by its programme and id); composite where the key is."""
        beside = self.schema.programme.labels
        out = []
        for spec in beside.values():
            keys = [quote_name(k, set(spec.unique)) for k in spec.unique]
            props = ", ".join(f"n.{k}" for k in keys)
            out.append(f"CREATE CONSTRAINT {spec.name.lower()}_{'_'.join(spec.unique)} IF NOT EXISTS "
                       f"FOR (n:{quote_name(spec.name, set(beside))}) "
                       f"REQUIRE {'(' + props + ')' if len(keys) > 1 else props} IS UNIQUE")
        return out

    def digest_label(self) -> str:
        digest = self.schema.load_digest_label
        return quote_name(digest, {digest})

    def read_digests(self) -> str:
        """The stored digest of each scope in ``$scopes`` (graph_loader/digest.py)."""
        return (f"UNWIND $scopes AS scope MATCH (d:{self.digest_label()} {{scope: scope}}) "
                "RETURN d.scope AS scope, d.digest AS digest")

    def write_digests(self) -> str:
        return (f"UNWIND $rows AS row MERGE (d:{self.digest_label()} {{scope: row.scope}}) "
                "SET d.digest = row.digest")

    def read_files_record(self) -> str:
        return (f"MATCH (d:{self.digest_label()} {{scope: $scope}}) "
                "RETURN properties(d) AS record")

    def write_files_record(self) -> str:
        return (f"MERGE (d:{self.digest_label()} {{scope: $scope}}) "
                "SET d.digest = $digest, d.nodes = $nodes, d.scopes = $scopes")

    def forget_files_record(self) -> str:
        return f"MATCH (d:{self.digest_label()} {{scope: $scope}}) DELETE d"

    def read_nodes(self, label: str) -> str:
        return (f"UNWIND $keys AS key MATCH (n:{self.label(label)} {{id: key}}) "
                "RETURN n.id AS key, labels(n) AS labels, properties(n) AS props")

    def read_owned(self, label: str) -> str:
        return f"MATCH (n:{self.label(label)}) WHERE n.organisation IN $orgs RETURN n.id AS key"

    def read_defined_edges(self, label: str, outgoing: bool) -> str:
        pattern = "(n)-[r]->(m)" if outgoing else "(m)-[r]->(n)"
        return (f"UNWIND $keys AS key MATCH (n:{self.label(label)} {{id: key}}) MATCH {pattern} "
                "WHERE type(r) IN $types "
                "RETURN type(r) AS type, key, labels(m) AS other_labels, m.id AS other, properties(r) AS props")

    def merge_nodes(self, label: str) -> str:
        return f"UNWIND $rows AS row MERGE (n:{self.label(label)} {{id: row.key}}) SET n = row.props"

    def set_extra_label(self, label: str, extra: str, present: bool) -> str:
        verb = "SET" if present else "REMOVE"
        return f"UNWIND $keys AS key MATCH (n:{self.label(label)} {{id: key}}) {verb} n:{self.label(extra)}"

    def ensure_nodes(self, label: str) -> str:
        return f"UNWIND $keys AS key MERGE (n:{self.label(label)} {{id: key}})"

    def delete_nodes(self, label: str) -> str:
        return f"UNWIND $keys AS key MATCH (n:{self.label(label)} {{id: key}}) DETACH DELETE n"

    def merge_edges(self, rel: str, start: str, end: str) -> str:
        return (f"UNWIND $rows AS row MATCH (a:{self.label(start)} {{id: row.start}}) "
                f"MATCH (b:{self.label(end)} {{id: row.end}}) "
                f"MERGE (a)-[r:{self.rel(rel)}]->(b) SET r = row.props")

    def create_edges(self, rel: str, start: str, end: str) -> str:
        """For relationships the unit's diff found absent: the load holds the lease and the
        unit's transaction read every relationship of its nodes, so none can exist, and
        CREATE spares MERGE's look at the relationships already between the two nodes."""
        return (f"UNWIND $rows AS row MATCH (a:{self.label(start)} {{id: row.start}}) "
                f"MATCH (b:{self.label(end)} {{id: row.end}}) "
                f"CREATE (a)-[r:{self.rel(rel)}]->(b) SET r = row.props")

    def delete_edges(self, rel: str, start: str, end: str) -> str:
        return (f"UNWIND $rows AS row MATCH (a:{self.label(start)} {{id: row.start}})"
                f"-[r:{self.rel(rel)}]->(b:{self.label(end)} {{id: row.end}}) DELETE r")

    def delete_stale_catalogue(self, label: str) -> str:
        """Catalogue nodes the estate no longer lists and nothing in the estate refers to:
        ``$types`` are the estate's types that a reference makes (not the in-direction ones);
        a saved programme's ``CONCERNS`` does not keep an entry alive."""
        return (f"MATCH (n:{self.label(label)}) WHERE NOT n.id IN $keys "
                "AND NOT EXISTS { MATCH (n)<-[r]-() WHERE type(r) IN $types } "
                "DETACH DELETE n")
