"""ictgraph's loader: parse → validate → normalise → build (networkx) or write (Neo4j).

The first three steps are pure; :func:`read_estate_files` is the only file-system step
before them, and nothing is built or written unless validation found no error."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from ictgraph.graph_loader.build import build_graph
from ictgraph.graph_loader.errors import DatabaseError, EstateError, GraphLoaderError, UsageError
from ictgraph.graph_loader.model import EdgeRow, Location, NodeKey, NodeRow, Problem
from ictgraph.graph_loader.normalise import Rows, normalise_estate
from ictgraph.graph_loader.parse import parse_file
from ictgraph.graph_loader.quickread import quick_parse_file
from ictgraph.graph_loader.schema import Schema, load_schema
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.graph_loader.validate import CheckedEstate, validate_estate

if TYPE_CHECKING:
    from ictgraph.graph_loader.connect import Neo4jSettings
    from ictgraph.graph_loader.write import LoadSummary

__all__ = [
    "CheckedEstate", "DatabaseError", "EdgeRow", "EstateError", "GraphLoaderError", "Location",
    "NodeKey", "NodeRow", "Problem", "Rows", "Schema", "UsageError", "build_graph", "check_files",
    "check_paths", "load_graph", "load_into_neo4j", "load_rows", "load_schema", "rows_from_files",
]

Progress = Callable[[str], None]


def check_files(files: list[tuple[str, bytes]], schema: Schema | None = None) -> CheckedEstate:
    """Parse and validate in-memory files: ``(name, bytes)`` pairs.

    Plainly written files are read by the fast lane (:mod:`graph_loader.quickread`), the
    others by PyYAML. A fast-read file in which a problem (error or warning) is found is read
    again by PyYAML, whose locations are exact for every value, so that each message points
    where it should; the fast lane's item locations, which messages about other files quote,
    are exact already."""
    schema = schema or load_schema()
    quick = [quick_parse_file(name, data) for name, data in files]
    parsed = [q or parse_file(name, data) for q, (name, data) in zip(quick, files)]
    checked = validate_estate(schema, parsed)
    troubled = {p.location.file for p in checked.problems}
    again = [i for i, (q, (name, _)) in enumerate(zip(quick, files)) if q is not None and name in troubled]
    if not again:
        return checked
    for i in again:
        parsed[i] = parse_file(*files[i])
    return validate_estate(schema, parsed)


def check_paths(paths: list[Path], on_progress: Progress | None = None) -> CheckedEstate:
    """Read, parse and validate the estate under ``paths``; never raises for bad data."""
    files = read_estate_files(paths)
    if on_progress:
        on_progress(f"read {len(files)} file(s)")
    return check_files(files)


def rows_from_files(files: list[tuple[str, bytes]]) -> Rows:
    """Node and relationship rows of in-memory files; :class:`EstateError` on any error."""
    checked = check_files(files)
    if checked.errors:
        raise EstateError(checked.problems)
    return normalise_estate(load_schema(), checked)


def load_rows(paths: list[Path], on_progress: Progress | None = None) -> tuple[Rows, list[Problem]]:
    """The rows of the estate under ``paths`` and its warnings; :class:`EstateError` on any error."""
    checked = check_paths(paths, on_progress)
    if checked.errors:
        raise EstateError(checked.problems)
    return normalise_estate(load_schema(), checked), checked.warnings


def load_graph(paths: list[Path], on_progress: Progress | None = None) -> nx.MultiDiGraph:
    """The embedded networkx graph of the estate under ``paths``."""
    (nodes, edges), _ = load_rows(paths, on_progress)
    if on_progress:
        on_progress(f"built the graph: {len(nodes)} nodes, {len(edges)} relationships")
    return build_graph(nodes, edges)


def load_into_neo4j(paths: list[Path], settings: "Neo4jSettings", on_progress: Progress | None = None,
                    *, unit_size: int = 50_000, batch_size: int = 5_000, full: bool = False) -> "LoadSummary":
    """Validate the estate (any error: nothing is written), then write it to Neo4j, at most
    ``unit_size`` rows per transaction (whole organisations) in batches of ``batch_size``;
    ``full``: diff every organisation, whatever digests the database holds."""
    from ictgraph.graph_loader.connect import open_driver
    from ictgraph.graph_loader.digest import files_digest
    from ictgraph.graph_loader.write import write_rows

    schema, files = load_schema(), read_estate_files(paths)
    if on_progress:
        on_progress(f"read {len(files)} file(s)")
    digest = files_digest(schema, files)
    if not full and (summary := _unchanged_files(settings, schema, digest, on_progress)) is not None:
        return summary
    checked = check_files(files, schema)
    if checked.errors:
        raise EstateError(checked.problems)
    nodes, edges = normalise_estate(schema, checked)
    with open_driver(settings) as driver:
        return write_rows(driver, schema, nodes, edges, database=settings.database, on_progress=on_progress,
                          unit_budget=unit_size, batch_size=batch_size, full=full, files=digest)


def _unchanged_files(settings: "Neo4jSettings", schema: Schema, digest: str,
                     on_progress: Progress | None) -> "LoadSummary | None":
    """The summary of a reload of the very files the last load wrote (graph_loader/digest.py),
    or None: then the estate is validated and written, and a database that cannot be reached
    is reported after any error in the estate, as before."""
    from neo4j.exceptions import DriverError, Neo4jError

    from ictgraph.graph_loader.connect import open_driver
    from ictgraph.graph_loader.write import unchanged_estate

    try:
        with open_driver(settings) as driver:
            summary = unchanged_estate(driver, schema, digest, settings.database)
    except (DatabaseError, Neo4jError, DriverError):
        return None
    if summary is not None and on_progress:
        on_progress("the estate's files are those the last load wrote, byte for byte (digest): nothing to write")
    return summary
