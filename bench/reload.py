"""What a reload costs against the first load, at one estate size (issue 14's "Reloading").

    python bench/reload.py --size 100x400 --seed 7 --cache /tmp/NAME/cache

Generates the estate (cached), copies it to a working directory and, into a fresh database
on a dedicated local Neo4j (bench/run.py's ``Server``), times as their own processes:

* ``first_load``: ``ictgraph load`` into the empty database;
* ``unchanged``: a reload of the same files (stops at the files' digest, before parsing);
* ``unchanged_scopes``: the same, with the files' digest removed by hand first, so that the
  estate is read, validated and normalised and every scope's digest compared;
* ``one_changed``: a reload after renaming one system of one organisation (only that
  organisation diffed), and ``one_changed_back``, its undoing;
* ``full``: ``load --full``, every scope diffed (the reload before content digests).

Each reload is run ``--repeat`` times (best and all kept). Prints JSON: the seconds, the
ratios to the first load, and the changed organisation's share of the estate's bytes (the
target: one changed ≤ 10% + that share)."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import Server, cli, estate_for, log, measure  # noqa: E402


def _timed(args: list[str], env: dict[str, str], repeat: int, before: Any = None) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(args, env=env)[0].seconds)
    return {"seconds": min(runs), "runs": runs}


def _rename_one(path: Path, name: str) -> None:
    """Give the first system of ``path`` another name (text edit, keeping the file valid)."""
    text = path.read_text()
    start = text.index("name:", text.index("systems:"))
    end = text.index("\n", start)
    path.write_text(text[:start] + f"name: {name}" + text[end:])


def _forget(uri: str) -> None:
    """Remove the files' digest the last load stored (the scopes' digests stay)."""
    import neo4j

    from ictgraph.graph_loader import load_schema
    from ictgraph.graph_loader.digest import FILES_SCOPE
    from ictgraph.graph_loader.statements import Statements
    with neo4j.GraphDatabase.driver(uri) as driver:
        driver.execute_query(Statements(load_schema()).forget_files_record(), scope=FILES_SCOPE)


def run(estate: Path, work: Path, heap: str, pagecache: str, repeat: int) -> dict[str, Any]:
    copy = work / "estate"
    shutil.copytree(estate, copy)
    changed = sorted((copy / "organisations").rglob("*.yaml"))[0]
    original = changed.read_bytes()
    total = sum(p.stat().st_size for p in copy.rglob("*.yaml"))
    load = cli("load", str(copy), "-q")
    result: dict[str, Any] = {"organisation": changed.stem, "organisation_share": round(len(original) / total, 5)}
    with Server(work, heap, pagecache) as uri:
        env = {"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_DATABASE": "neo4j"}
        log("first load")
        result["first_load"] = {"seconds": measure(load, env=env)[0].seconds}
        log("unchanged reloads")
        result["unchanged"] = _timed(load, env, repeat)
        result["unchanged_scopes"] = _timed(load, env, repeat, before=lambda: _forget(uri))
        log("one organisation changed")
        result["one_changed"] = _timed(load, env, 1, before=lambda: _rename_one(changed, "Renamed for the benchmark"))
        result["one_changed_back"] = _timed(load, env, 1, before=lambda: changed.write_bytes(original))
        log("full")
        result["full"] = _timed(cli("load", str(copy), "-q", "--full"), env, 1)
    first = result["first_load"]["seconds"]
    result["ratios"] = {k: round(result[k]["seconds"] / first, 4)
                        for k in ("unchanged", "unchanged_scopes", "one_changed", "one_changed_back", "full")}
    result["one_changed_limit"] = round(0.10 + result["organisation_share"], 4)
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="Reload against first load (issue 14).")
    parser.add_argument("--size", default="100x400", help="NxM: organisations × systems per organisation.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path(__file__).resolve().parent / ".cache")
    parser.add_argument("--heap", default="2g", help="Neo4j heap.")
    parser.add_argument("--pagecache", default="1g", help="Neo4j page cache.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each unchanged reload (best kept).")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    estate, _ = estate_for(args.size, args.seed, args.cache)
    with tempfile.TemporaryDirectory(prefix="ictgraph-reload-") as tmp:
        result = {"size": args.size, "seed": args.seed, **run(estate, Path(tmp), args.heap, args.pagecache, args.repeat)}
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
