"""Step 4 (Neo4j): write an estate's rows, one transaction per unit (see plan.py).

Constraints and indexes first; then each unit reads what the database holds for it,
computes the difference and writes only that, with batched ``UNWIND $rows`` statements in
one managed write transaction (idempotent, so the driver may retry it)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.graph_loader.lock import LoadInProgress, LoadLease, acquire, release
from ictgraph.graph_loader.model import EdgeRow, NodeKey, NodeRow, ProgressMessage
from ictgraph.graph_loader.plan import (StoredState, Unit, catalogue_labels, diff_unit, in_direction_types,
                               owned_labels, plan_units)
from ictgraph.graph_loader.schema import Schema
from ictgraph.graph_loader.statements import Statements

Progress = Callable[[str], None]


@dataclass
class LoadSummary:
    counts: Counter[str] = field(default_factory=Counter)
    units: int = 0

    def as_dict(self) -> dict[str, int]:
        keys = ("nodes_created", "nodes_updated", "nodes_unchanged", "nodes_removed",
                "relationships_created", "relationships_updated", "relationships_removed")
        return {k: self.counts.get(k, 0) for k in keys}


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def native(value: Any) -> Any:
    """Neo4j temporal values as Python dates; lists element by element."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def _props(row: NodeRow | EdgeRow) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in row.properties}


class _UnitWriter:
    """Runs inside one managed transaction: read the unit's state, diff, write."""

    def __init__(self, schema: Schema, statements: Statements, batch_size: int) -> None:
        self.schema, self.cypher, self.batch_size = schema, statements, batch_size
        self.in_types = in_direction_types(schema)
        self.primary = {n for n, s in schema.labels.items() if not s.extra_of}

    def run(self, tx: neo4j.ManagedTransaction, text: str, **params: Any) -> list[neo4j.Record]:
        return list(tx.run(text, **params))

    def batched(self, tx: neo4j.ManagedTransaction, text: str, name: str, rows: Sequence[Any]) -> None:
        for chunk in _chunks(rows, self.batch_size):
            tx.run(text, **{name: list(chunk)}).consume()

    def stored_state(self, tx: neo4j.ManagedTransaction, unit: Unit) -> StoredState:
        by_label = _group_keys(unit.defining)
        nodes = {}
        for label, keys in by_label.items():
            for rec in self.run(tx, self.cypher.read_nodes(label), keys=keys):
                nodes[NodeKey(label, rec["key"])] = (frozenset(rec["labels"]), {k: native(v) for k, v in rec["props"].items()})
        owned = frozenset(NodeKey(label, rec["key"]) for label in owned_labels(self.schema) if unit.organisations
                          for rec in self.run(tx, self.cypher.read_owned(label), orgs=list(unit.organisations)))
        return StoredState(nodes, owned, self.stored_edges(tx, by_label))

    def stored_edges(self, tx: neo4j.ManagedTransaction, by_label: dict[str, list[str]]) -> dict[Any, dict[str, Any]]:
        out_types = sorted(set(self.schema.relationships) - self.in_types)
        edges = {}
        for label, keys in by_label.items():
            for outgoing, types in ((True, out_types), (False, sorted(self.in_types))):
                for rec in self.run(tx, self.cypher.read_defined_edges(label, outgoing), keys=keys, types=types):
                    here, there = NodeKey(label, rec["key"]), NodeKey(self._primary(rec["other_labels"]), rec["other"])
                    start, end = (here, there) if outgoing else (there, here)
                    edges[(rec["type"], start, end)] = {k: native(v) for k, v in rec["props"].items()}
        return edges

    def _primary(self, labels: list[str]) -> str:
        return next((label for label in sorted(labels) if label in self.primary), labels[0] if labels else "")

    def write(self, tx: neo4j.ManagedTransaction, unit: Unit) -> Counter[str]:
        changes = diff_unit(unit, self.stored_state(tx, unit))
        for label, keys in _group_keys(unit.ensure).items():
            self.batched(tx, self.cypher.ensure_nodes(label), "keys", keys)
        for label, keys in _group_keys(changes.nodes_to_delete).items():
            self.batched(tx, self.cypher.delete_nodes(label), "keys", keys)
        self.write_nodes(tx, changes.nodes_to_write)
        for (rel, start, end), rows in _group_edges(changes.edges_to_delete).items():
            self.batched(tx, self.cypher.delete_edges(rel, start, end), "rows", rows)
        for edges, statement in ((changes.edges_to_create, self.cypher.create_edges),
                                 (changes.edges_to_write, self.cypher.merge_edges)):
            for (rel, start, end), rows in _group_edges([(e.type, e.start, e.end, _props(e)) for e in edges]).items():
                self.batched(tx, statement(rel, start, end), "rows", rows)
        return Counter(changes.counts)

    def write_nodes(self, tx: neo4j.ManagedTransaction, nodes: list[NodeRow]) -> None:
        by_label: dict[str, list[NodeRow]] = {}
        for node in nodes:
            by_label.setdefault(node.label, []).append(node)
        for label, rows in sorted(by_label.items()):
            self.batched(tx, self.cypher.merge_nodes(label), "rows", [{"key": n.key, "props": _props(n)} for n in rows])
            for extra, spec in self.schema.labels.items():
                if spec.extra_of == label:
                    for present in (True, False):
                        keys = [n.key for n in rows if (extra in n.labels) == present]
                        self.batched(tx, self.cypher.set_extra_label(label, extra, present), "keys", keys)


def _group_keys(keys: Sequence[NodeKey]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key in keys:
        grouped.setdefault(key.label, []).append(key.key)
    return grouped


def _group_edges(edges: Sequence[tuple[Any, ...]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for edge in edges:
        rel, start, end = edge[0], edge[1], edge[2]
        row = {"start": start.key, "end": end.key, "props": edge[3] if len(edge) > 3 else {}}
        grouped.setdefault((rel, start.label, end.label), []).append(row)
    return grouped


def create_constraints(driver: neo4j.Driver, schema: Schema, database: str) -> None:
    """Uniqueness constraints and indexes from schema.yaml, before any data."""
    for statement in Statements(schema).constraints():
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


def ensure_constraints(driver: neo4j.Driver, schema: Schema, database: str) -> None:
    """:func:`create_constraints`, its failures as :class:`DatabaseError` (for writers other
    than the load, such as ``plan --save``)."""
    try:
        create_constraints(driver, schema, database)
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"cannot create the constraints: {getattr(error, 'message', None) or error}") from None


def _remove_stale_catalogue(tx: neo4j.ManagedTransaction, schema: Schema, nodes: list[NodeRow]) -> int:
    """Catalogue entries the estate no longer lists and nothing refers to, pass after pass:
    removing one may leave another without a referrer (a partnership's objectives)."""
    cypher, removed = Statements(schema), 0
    types = sorted(set(schema.relationships) - in_direction_types(schema))
    keys = {label: [n.key for n in nodes if n.label == label] for label in catalogue_labels(schema)}
    while True:
        found = sum(tx.run(cypher.delete_stale_catalogue(label), keys=keys[label], types=types).consume()
                    .counters.nodes_deleted for label in keys)
        if not found:
            return removed
        removed += found


def write_rows(driver: neo4j.Driver, schema: Schema, nodes: list[NodeRow], edges: list[EdgeRow], *,
               database: str = "neo4j", batch_size: int = 5000, unit_budget: int = 50_000,
               on_progress: Progress | None = None) -> LoadSummary:
    """Write the rows; each unit is one transaction. Returns what was created, updated, removed."""
    summary = LoadSummary()
    try:
        create_constraints(driver, schema, database)
        writer = _UnitWriter(schema, Statements(schema), batch_size)
        units = plan_units(schema, nodes, edges, unit_budget)
        lease = LoadLease(schema.load_lock_label)
        with driver.session(database=database) as session:
            try:
                for number, unit in enumerate(units, 1):
                    acquire(session, lease)
                    if on_progress:
                        on_progress(ProgressMessage(f"writing {unit.name} ({number}/{len(units)})", number - 1, len(units)))
                    summary.counts += session.execute_write(writer.write, unit)
                acquire(session, lease)
                summary.counts["nodes_removed"] += session.execute_write(_remove_stale_catalogue, schema, nodes)
                if on_progress:
                    on_progress(ProgressMessage(f"wrote {len(units)} unit(s)", len(units), len(units)))
            finally:
                release(session, lease)
        summary.units = len(units)
    except LoadInProgress:
        raise
    except (ServiceUnavailable, SessionExpired) as error:
        raise DatabaseError("lost the connection to Neo4j during the load",
                            "the unit being written was rolled back; when the server is back, load again") from error
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"the load failed: {getattr(error, 'message', None) or error}",
                            "nothing of the failed unit was written; run the load again") from None
    return summary
