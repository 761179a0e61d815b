"""The diff fixture's two snapshots, and the same estate written differently: items and keys
re-ordered, lists reversed, block and flow style swapped, files renamed, moved and merged."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.graph_loader.sources import read_estate_files

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "fixtures" / "diff" / "before"
AFTER = ROOT / "fixtures" / "diff" / "after"
SAMPLE = ROOT / "fixtures" / "sample"


def graph_at(path: Path) -> nx.MultiDiGraph:
    return build_graph(*rows_from_files(read_estate_files([path])))


def _reversed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reversed(v) for k, v in reversed(value.items())}
    if isinstance(value, list):
        return [_reversed(v) for v in reversed(value)]
    return value


class _Dumper(yaml.SafeDumper):
    """Dates as YAML dates, as the inventories write them."""


_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def shuffled(source: Path, target: Path, *, merge: bool = False) -> Path:
    """Write the estate under ``source`` again under ``target``: every mapping's keys and
    every list reversed, the files in reverse order under other names and folders, in the
    other YAML style; with ``merge``, as one file of many documents. Returns ``target``."""
    documents = [d for _, data in reversed(read_estate_files([source])) for d in reversed(list(yaml.safe_load_all(data)))]
    texts = [yaml.dump(_reversed(d), Dumper=_Dumper, sort_keys=False, default_flow_style=i % 2 == 0, width=200)
             for i, d in enumerate(documents)]
    if merge:
        (target / "all.yml").parent.mkdir(parents=True, exist_ok=True)
        (target / "all.yml").write_text("---\n".join(texts), encoding="utf-8")
        return target
    for i, text in enumerate(texts):
        path = target / f"folder-{i % 3}" / f"renamed-{i:03d}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
