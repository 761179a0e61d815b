"""Step 4 (Neo4j): write an estate's rows, one transaction per unit (see plan.py).

Constraints and indexes first; then one query reads the digest the last load stored for
each scope (the catalogue, each organisation; digest.py), and the scopes whose digest
matches are skipped, read back no further. Each unit of the other scopes reads what the
database holds for it, computes the difference and writes only that, with its scopes' new
digests, in batched ``UNWIND $rows`` statements in one managed write transaction
(idempotent, so the driver may retry it). ``full=True`` ignores the stored digests."""
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
from ictgraph.graph_loader.digest import FILES_SCOPE, schema_tag, scope_digests
from ictgraph.graph_loader.plan import (CATALOGUE, Scopes, StoredState, Unit, catalogue_labels, diff_unit,
                                        group_by_scope, in_direction_types, owned_labels, plan_scoped_units)
from ictgraph.graph_loader.schema import Schema
from ictgraph.graph_loader.statements import Statements

Progress = Callable[[str], None]


@dataclass
class LoadSummary:
    counts: Counter[str] = field(default_factory=Counter)
    units: int = 0            # transactions written
    scopes_diffed: int = 0    # scopes (the catalogue, organisations) read back and diffed
    scopes_skipped: int = 0   # scopes whose stored digest matched: not read back at all
    files_unchanged: bool = False   # the files were those of the last load: not even parsed

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

    def __init__(self, schema: Schema, statements: Statements, batch_size: int,
                 digests: dict[str, str] | None = None) -> None:
        self.schema, self.cypher, self.batch_size = schema, statements, batch_size
        self.digests = digests or {}
        self.deleted: set[NodeKey] = set()   # nodes the units written so far removed
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
        self.write_digests(tx, unit)
        self.deleted.update(changes.nodes_to_delete)
        return Counter(changes.counts)

    def write_digests(self, tx: neo4j.ManagedTransaction, unit: Unit) -> None:
        scopes = unit.organisations or ((CATALOGUE,) if unit.name == CATALOGUE else ())
        rows = [{"scope": s, "digest": self.digests[s]} for s in scopes if s in self.digests]
        if rows:
            tx.run(self.cypher.write_digests(), rows=rows).consume()

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


def _stored_digests(tx: neo4j.ManagedTransaction, cypher: Statements, scopes: list[str]) -> dict[str, str]:
    return {rec["scope"]: rec["digest"] for rec in tx.run(cypher.read_digests(), scopes=scopes)}


def _touching(scopes: Scopes, names: set[str], deleted: set[NodeKey]) -> list[str]:
    """The scopes among ``names`` with a relationship to a node a unit deleted (its
    DETACH DELETE took that relationship with it, so the scope must be diffed after all)."""
    if not deleted:
        return []
    return sorted(s for s in names if any(e.start in deleted or e.end in deleted for e in scopes.edges[s]))


def _write_units(session: neo4j.Session, writer: _UnitWriter, lease: LoadLease, units: list[Unit],
                 on_progress: Progress | None, summary: LoadSummary) -> None:
    for number, unit in enumerate(units, 1):
        acquire(session, lease)
        if on_progress:
            on_progress(ProgressMessage(f"writing {unit.name} ({number}/{len(units)})", number - 1, len(units)))
        summary.counts += session.execute_write(writer.write, unit)
    summary.units += len(units)


def _write_changed(session: neo4j.Session, writer: _UnitWriter, lease: LoadLease, scopes: Scopes,
                   full: bool, unit_budget: int, on_progress: Progress | None) -> LoadSummary:
    """Compare the digests, write the units of the scopes that differ (then those a deletion
    touched), and count the skipped scopes' nodes as unchanged."""
    summary, digests = LoadSummary(), writer.digests
    acquire(session, lease)
    session.execute_write(lambda tx: tx.run(writer.cypher.forget_files_record(), scope=FILES_SCOPE).consume())
    stored = {} if full else session.execute_read(_stored_digests, writer.cypher, list(digests))
    changed = {s for s, d in digests.items() if stored.get(s) != d}
    if on_progress:
        on_progress(f"{len(digests) - len(changed)} of {len(digests)} scope(s) unchanged since the last load "
                    f"(content digests); diffing {len(changed)}")
    units = plan_scoped_units(scopes, unit_budget, changed)
    _write_units(session, writer, lease, units, on_progress, summary)
    skipped = set(digests) - changed
    while touched := _touching(scopes, skipped, writer.deleted):
        _write_units(session, writer, lease, plan_scoped_units(scopes, unit_budget, touched), on_progress, summary)
        skipped -= set(touched)
    summary.counts["nodes_unchanged"] += sum(len(scopes.nodes[s]) for s in skipped)
    summary.scopes_diffed, summary.scopes_skipped = len(digests) - len(skipped), len(skipped)
    return summary


def unchanged_estate(driver: neo4j.Driver, schema: Schema, files: str, database: str = "neo4j") -> LoadSummary | None:
    """The summary of a reload of files whose digest the last load stored (nothing to write),
    or None."""
    records, _, _ = driver.execute_query(Statements(schema).read_files_record(), scope=FILES_SCOPE,
                                         database_=database, routing_="r")
    record = records[0]["record"] if records else {}
    if record.get("digest") != files:
        return None
    summary = LoadSummary(scopes_skipped=record["scopes"], files_unchanged=True)
    summary.counts["nodes_unchanged"] = record["nodes"]
    return summary


def write_rows(driver: neo4j.Driver, schema: Schema, nodes: list[NodeRow], edges: list[EdgeRow], *,
               database: str = "neo4j", batch_size: int = 5000, unit_budget: int = 50_000,
               on_progress: Progress | None = None, full: bool = False, files: str | None = None) -> LoadSummary:
    """Write the rows; each unit is one transaction. Returns what was created, updated, removed.
    Scopes whose stored digest matches are skipped unless ``full``; ``files``, the digest of
    the files the rows come from (digest.py), is stored when the load has succeeded."""
    try:
        create_constraints(driver, schema, database)
        scopes = group_by_scope(schema, nodes, edges)
        writer = _UnitWriter(schema, Statements(schema), batch_size, scope_digests(schema_tag(schema), scopes))
        lease = LoadLease(schema.load_lock_label)
        with driver.session(database=database) as session:
            try:
                summary = _write_changed(session, writer, lease, scopes, full, unit_budget, on_progress)
                acquire(session, lease)
                summary.counts["nodes_removed"] += session.execute_write(_remove_stale_catalogue, schema, nodes)
                if files:
                    record = {"scope": FILES_SCOPE, "digest": files, "scopes": len(writer.digests),
                              "nodes": sum(len(scopes.nodes[s]) for s in writer.digests)}
                    session.execute_write(lambda tx: tx.run(writer.cypher.write_files_record(), **record).consume())
                if on_progress:
                    on_progress(ProgressMessage(f"wrote {summary.units} unit(s)", summary.units, summary.units))
            finally:
                release(session, lease)
    except LoadInProgress:
        raise
    except (ServiceUnavailable, SessionExpired) as error:
        raise DatabaseError("lost the connection to Neo4j during the load",
                            "the unit being written was rolled back; when the server is back, load again") from error
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"the load failed: {getattr(error, 'message', None) or error}",
                            "nothing of the failed unit was written; run the load again") from None
    return summary
