"""The floors the benchmark compares ictgraph against, each run as its own process so that
its wall time and peak memory are measured alone.

    python bench/baselines.py parse-pyyaml ESTATE_DIR     # PyYAML's C loader (CSafeLoader)
    python bench/baselines.py parse-yaml-rs ESTATE_DIR    # yaml-rs (Rust), when installed
    python bench/baselines.py create ESTATE_DIR --uri bolt://127.0.0.1:PORT [--batch-size 5000]

``create`` computes the same rows as ``ictgraph load`` (``graph_loader.rows_from_files``),
then times only a bare ``UNWIND $rows CREATE`` of them into an empty database, after the
same constraints; it prints one JSON line: seconds, nodes, relationships.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def estate_files(estate: Path) -> list[Path]:
    return sorted(p for p in estate.rglob("*") if p.suffix in (".yaml", ".yml"))


def parse_pyyaml(estate: Path) -> int:
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return sum(len(list(yaml.load_all(p.read_bytes(), Loader=loader))) for p in estate_files(estate))


def parse_yaml_rs(estate: Path) -> int:
    import yaml_rs  # type: ignore[import-not-found]
    return sum(1 for p in estate_files(estate) if yaml_rs.loads(p.read_text(encoding="utf-8")) is not None)


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _grouped(nodes: Sequence[Any], edges: Sequence[Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    from ictgraph.graph_loader.write import _props
    node_groups: dict[str, list[Any]] = {}
    for node in nodes:
        labels = ":".join(_q(label) for label in node.labels)
        node_groups.setdefault(f"UNWIND $rows AS row CREATE (n:{labels}) SET n = row", []).append(_props(node))
    edge_groups: dict[str, list[Any]] = {}
    for edge in edges:
        text = (f"UNWIND $rows AS row MATCH (a:{_q(edge.start.label)} {{id: row.start}}) "
                f"MATCH (b:{_q(edge.end.label)} {{id: row.end}}) CREATE (a)-[r:{_q(edge.type)}]->(b) SET r = row.props")
        edge_groups.setdefault(text, []).append({"start": edge.start.key, "end": edge.end.key, "props": _props(edge)})
    return node_groups, edge_groups


def bare_create(estate: Path, uri: str, batch_size: int) -> dict[str, Any]:
    from neo4j import GraphDatabase

    from ictgraph.graph_loader import load_schema, rows_from_files
    from ictgraph.graph_loader.write import create_constraints
    nodes, edges = rows_from_files([(p.as_posix(), p.read_bytes()) for p in estate_files(estate)])
    node_groups, edge_groups = _grouped(nodes, edges)
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session(database="neo4j") as session:
        create_constraints(driver, load_schema(), "neo4j")
        started = time.perf_counter()
        for groups in (node_groups, edge_groups):
            for text, rows in groups.items():
                for batch in _chunks(rows, batch_size):
                    session.execute_write(lambda tx, t=text, b=batch: tx.run(t, rows=b).consume())
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "nodes": len(nodes), "relationships": len(edges)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["parse-pyyaml", "parse-yaml-rs", "create"])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--uri")
    parser.add_argument("--batch-size", type=int, default=5_000)
    args = parser.parse_args()
    if args.what == "create":
        print(json.dumps(bare_create(args.estate, args.uri, args.batch_size)))
    else:
        parse = parse_pyyaml if args.what == "parse-pyyaml" else parse_yaml_rs
        print(json.dumps({"documents": parse(args.estate)}))


if __name__ == "__main__":
    main()
