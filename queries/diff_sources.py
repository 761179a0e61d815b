"""The two sides of ``ictgraph diff``: an estate path, ``REV:PATH`` (an estate at a git
revision), or what Neo4j holds now; read into graphs and compared."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ictgraph.graph_loader import build_graph, load_graph, load_schema, rows_from_files
from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.revisions import parse_revision, read_revision_files
from ictgraph.queries.diff import diff_graphs
from ictgraph.queries.dry_run import untouched_by_load
from ictgraph.queries.source import open_estate_graph

__all__ = ["Comparison", "compare_estates", "open_side"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Comparison:
    """A diff and the two graphs it compares (the words need their names)."""

    diff: dict[str, Any]
    old: nx.MultiDiGraph
    new: nx.MultiDiGraph


def open_side(text: str, on_progress: Progress | None = None) -> nx.MultiDiGraph:
    """The graph of one side: a file or directory, or ``REV:PATH``."""
    revision = parse_revision(text)
    if revision is None:
        return load_graph([Path(text)], on_progress)
    files = read_revision_files(revision)
    if on_progress:
        on_progress(f"read {len(files)} file(s) at {revision}")
    return build_graph(*rows_from_files(files))


def compare_estates(old: str | None, new: str, settings: Neo4jSettings | None = None,
                    on_progress: Progress | None = None) -> Comparison:
    """Compare ``old`` (or, with ``settings``, what Neo4j holds: a dry run of loading ``new``,
    which leaves alone the organisations ``new`` does not define) with ``new``."""
    if (old is None) == (settings is None):
        raise UsageError("give two estates, OLD and NEW, or --neo4j and NEW",
                         "ictgraph diff OLD NEW, or ictgraph diff --neo4j NEW for what `load NEW` would change")
    schema = load_schema()
    if old is not None:
        old_graph = open_side(old, on_progress)
        new_graph = open_side(new, on_progress)
        return Comparison(diff_graphs(old_graph, new_graph, schema, old_name=old, new_name=new), old_graph, new_graph)
    assert settings is not None
    new_graph = open_side(new, on_progress)
    stored, left_out = untouched_by_load(open_estate_graph([], settings, on_progress), new_graph, schema)
    name = f"neo4j (database {settings.database})"
    return Comparison(diff_graphs(stored, new_graph, schema, old_name=name, new_name=new, left_out=left_out),
                      stored, new_graph)
