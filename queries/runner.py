"""Run Cypher read-only, enforced in layers: ``EXPLAIN`` must report a read-only query
type with no file loading and only allowlisted procedures; then it runs in a READ
transaction with a timeout and a row cap. ictgraph's own named write statements run
together in one write transaction (:func:`run_named_writes`)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from ictgraph.graph_loader.errors import DatabaseError, UsageError
from ictgraph.queries.catalog import CypherQuery, find_query
from ictgraph.queries.graph import native

READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
})
_PROCEDURE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")


class QueryRefused(UsageError):
    """A query that could write, load files or call an unlisted procedure."""

    exit_code = 1


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


def _operators(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not plan:
        return []
    found = [plan]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def _refusal(summary: neo4j.ResultSummary) -> str | None:
    if summary.query_type != "r":
        return f"it is not read-only (query type {summary.query_type!r})"
    for operator in _operators(summary.plan):
        name = str(operator.get("operatorType", ""))
        if name.lower().startswith("loadcsv"):
            return "it loads files (LOAD CSV)"
        if name.lower().startswith("procedurecall"):
            details = str(operator.get("args", {}).get("Details", ""))
            called = _PROCEDURE.search(details)
            procedure = called.group(1) if called else details
            if procedure.lower() not in READ_ONLY_PROCEDURES:
                return f"it calls the procedure {procedure}"
    return None


def check_read_only(driver: neo4j.Driver, text: str, params: dict[str, Any], database: str) -> None:
    """Refuse ``text`` unless ``EXPLAIN`` shows a read-only plan; nothing is executed."""
    try:
        _, summary, _ = driver.execute_query("EXPLAIN " + text, params, database_=database,
                                             routing_=neo4j.RoutingControl.READ)
    except ClientError as error:
        raise QueryRefused(f"the query was refused: {error.message}",
                           "only single read-only statements run here") from None
    reason = _refusal(summary)
    if reason:
        raise QueryRefused(f"the query was refused: {reason}",
                           "ictgraph runs read-only Cypher; load data with `ictgraph load`")


def plain_value(value: Any) -> Any:
    """Graph values as plain data: nodes and relationships as dicts of their properties."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: native(v) for k, v in sorted(value.items())}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: native(v) for k, v in sorted(value.items())}}
    if isinstance(value, neo4j.graph.Path):
        return [plain_value(n) for n in value.nodes]
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return native(value)


def _fetch(tx: neo4j.ManagedTransaction, text: str, params: dict[str, Any], cap: int) -> QueryResult:
    result = tx.run(text, params)
    columns = list(result.keys())
    rows = []
    for record in result:
        if len(rows) == cap:
            return QueryResult(columns, rows, True)
        rows.append([plain_value(v) for v in record.values()])
    return QueryResult(columns, rows, False)


def run_read_only(driver: neo4j.Driver, text: str, params: dict[str, Any] | None = None, *,
                  database: str = "neo4j", timeout: float = 30.0, row_cap: int = 10_000) -> QueryResult:
    """Check, then run a read-only query in a READ transaction with a timeout and a row cap."""
    params = params or {}
    check_read_only(driver, text, params, database)
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            fetch = neo4j.unit_of_work(timeout=timeout)(_fetch)
            return session.execute_read(fetch, text, params, row_cap)
    except ClientError as error:
        if "TransactionTimedOut" in (error.code or "") or "timed out" in (error.message or "").lower():
            raise DatabaseError(f"the query ran longer than {timeout:g} s and was stopped",
                                "narrow it (a LIMIT, a WHERE) or give a larger --timeout") from None
        raise QueryRefused(f"the query failed: {error.message}") from None
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"the query failed: {getattr(error, 'message', None) or error}") from None


@dataclass(frozen=True)
class WriteResult:
    """What one named write statement returned, and what it changed."""

    name: str
    rows: list[dict[str, Any]]
    counters: dict[str, int] = field(default_factory=dict)


def _run_writes(tx: neo4j.ManagedTransaction, steps: Sequence[tuple[CypherQuery, dict[str, Any]]]) -> list[WriteResult]:
    out = []
    for query, params in steps:
        result = tx.run(query.text, params)
        rows = [{k: native(v) for k, v in record.items()} for record in result]
        counters = {k: v for k, v in vars(result.consume().counters).items() if type(v) is int and v}
        out.append(WriteResult(query.name, rows, counters))
    return out


def run_named_writes(driver: neo4j.Driver, steps: Sequence[tuple[str, dict[str, Any]]], *,
                     database: str = "neo4j") -> list[WriteResult]:
    """Run named ``mode: write`` statements in order, in one write transaction: all of them
    or none. The driver may retry the transaction, so the steps together must be idempotent.

    Raises
    ------
    UsageError
        When a name is not a write statement of the library (nothing runs).
    DatabaseError
        When the transaction fails (nothing is written)."""
    named = [(find_query(name, mode="write"), params) for name, params in steps]
    try:
        with driver.session(database=database) as session:
            return session.execute_write(_run_writes, named)
    except (Neo4jError, DriverError) as error:
        raise DatabaseError(f"the write failed: {getattr(error, 'message', None) or error}",
                            "nothing was written; try again") from None
