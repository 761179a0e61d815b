"""Out of ictgraph: the estate as GraphML, neo4j-admin import CSVs or ArchiMate (OEF), and the
inventory format as a JSON Schema. The estate is validated first: nothing is exported from
an estate with errors."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ictgraph.graph_loader import load_rows
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.exports.admin_csv import import_command, write_admin_csv
from ictgraph.graph_loader.exports.archimate import write_archimate
from ictgraph.graph_loader.exports.graphml import write_graphml
from ictgraph.graph_loader.exports.jsonschema import inventory_json_schema, render_json_schema

__all__ = ["EXPORT_FORMATS", "export_estate", "import_command", "inventory_json_schema", "render_json_schema"]

EXPORT_FORMATS = {"graphml": write_graphml, "csv": write_admin_csv, "archimate": write_archimate}


def export_estate(paths: list[Path], fmt: str, out: Path,
                  on_progress: Callable[[str], None] | None = None) -> list[Path]:
    """Validate the estate under ``paths`` and write it to ``out`` in ``fmt``; the paths written."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", f"use one of: {', '.join(EXPORT_FORMATS)}")
    if fmt != "csv" and out.is_dir():
        raise UsageError(f'"{out}" is a directory', f"give -o the {fmt} file to write")
    (nodes, edges), _ = load_rows(paths, on_progress)
    if fmt != "csv":
        out.parent.mkdir(parents=True, exist_ok=True)
    written = EXPORT_FORMATS[fmt](nodes, edges, out)
    if on_progress:
        on_progress(f"exported {len(nodes)} nodes and {len(edges)} relationships as {fmt}")
    return written
