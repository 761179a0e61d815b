"""What ``ictgraph track`` is given: the programme (a JSON file or a name in Neo4j), the later
estate's paths and the dated snapshots."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.track.programme_file import read_programme
from ictgraph.queries.track.saved import read_saved_programme

__all__ = ["parse_snapshots", "programme_and_estate"]


def parse_snapshots(values: list[str]) -> list[tuple[dt.date, Path]]:
    """``DATE=PATH`` options as (date, path), sorted by date; a clear error for a bad one."""
    found = []
    for value in values:
        day, sep, path = value.partition("=")
        try:
            parsed = dt.date.fromisoformat(day.strip())
        except ValueError:
            parsed = None
        if not sep or parsed is None or not path.strip():
            raise UsageError(f"--snapshot {value!r}: expected DATE=PATH", "write --snapshot 2027-06-30=estates/2027-q1")
        found.append((parsed, Path(path.strip())))
    return sorted(found)


def programme_and_estate(args: list[Path], name: str | None, neo4j: bool,
                         settings: Neo4jSettings | None) -> tuple[dict[str, Any], list[Path]]:
    """The programme to track and the later estate's paths (empty: the estate in Neo4j)."""
    if name is not None:
        if not neo4j or settings is None:
            raise UsageError("--programme needs --neo4j: it names a programme saved in Neo4j",
                             "save one with `ictgraph plan --neo4j --save NAME`, or give the programme's JSON file")
        return read_saved_programme(settings, name), args
    if len(args) < 2:
        raise UsageError("track needs the programme's JSON file and the later estate",
                         "ictgraph track programme.json ESTATE --as-of DATE")
    return read_programme(args[0]), args[1:]
