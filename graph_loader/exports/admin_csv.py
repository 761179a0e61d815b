"""Node and relationship CSVs in the layout of ``neo4j-admin database import full``. Pure
apart from :func:`write_admin_csv`.

One file per label (``nodes_Organisation.csv``: ``id:ID(Organisation)``, typed property
columns such as ``end_date:date`` or ``aliases:string[]``, ``:LABEL``) and one per
relationship type and end labels (``relationships_COVERS_Contract_System.csv``:
``:START_ID(Contract)``, ``:END_ID(System)``, ``:TYPE``). Each label is its own id space, as
keys are unique per label. Lists use neo4j-admin's default array delimiter ``;``; notes may
span lines, hence ``--multiline-fields=true`` in the printed command."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.exports.values import column_kinds, text
from ictgraph.graph_loader.model import EdgeRow, NodeRow

__all__ = ["admin_csv_files", "import_command", "write_admin_csv"]


def _header(kinds: dict[str, tuple[str, bool]], skip: str | None = None) -> list[str]:
    return [f"{name}:{kind}{'[]' if is_list else ''}" for name, (kind, is_list) in kinds.items() if name != skip]


def _cell(value: Any) -> str:
    return "" if value is None else text(value, ";")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _node_file(label: str, nodes: list[NodeRow]) -> str:
    kinds = column_kinds(n.props() for n in nodes)
    names = [n for n in kinds if n != "id"]
    header = [f"id:ID({label})", *_header(kinds, skip="id"), ":LABEL"]
    rows = [[n.key, *(_cell(n.props().get(name)) for name in names), ";".join(n.labels)] for n in nodes]
    return _csv(header, rows)


def _edge_file(start: str, end: str, edges: list[EdgeRow]) -> str:
    kinds = column_kinds(e.props() for e in edges)
    header = [f":START_ID({start})", f":END_ID({end})", ":TYPE", *_header(kinds)]
    rows = [[e.start.key, e.end.key, e.type, *(_cell(e.props().get(name)) for name in kinds)] for e in edges]
    return _csv(header, rows)


def admin_csv_files(nodes: list[NodeRow], edges: list[EdgeRow]) -> dict[str, str]:
    """File name → CSV text, node files first, in a stable order."""
    by_label: dict[str, list[NodeRow]] = defaultdict(list)
    for node in nodes:
        by_label[node.label].append(node)
    by_type: dict[tuple[str, str, str], list[EdgeRow]] = defaultdict(list)
    for edge in edges:
        by_type[(edge.type, edge.start.label, edge.end.label)].append(edge)
    files = {f"nodes_{label}.csv": _node_file(label, rows) for label, rows in sorted(by_label.items())}
    files.update({f"relationships_{t}_{s}_{e}.csv": _edge_file(s, e, rows) for (t, s, e), rows in sorted(by_type.items())})
    return files


def import_command(names: list[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the files (run from their directory)."""
    options = [f"--nodes={n}" if n.startswith("nodes_") else f"--relationships={n}" for n in names]
    return " ".join(["neo4j-admin database import full --overwrite-destination --multiline-fields=true",
                     *options, database])


def write_admin_csv(nodes: list[NodeRow], edges: list[EdgeRow], directory: Path) -> list[Path]:
    """Write the CSVs and ``neo4j-admin-import.sh`` into ``directory`` (new or empty)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(f'"{directory}" exists and is not an empty directory', "give -o a new directory for the CSV files")
    files = admin_csv_files(nodes, edges)
    files["neo4j-admin-import.sh"] = f"#!/bin/sh\n# Run from this directory, with the database stopped.\n{import_command(list(files))}\n"
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in files.items():
        (directory / name).write_text(body, encoding="utf-8")
        written.append(directory / name)
    return written
