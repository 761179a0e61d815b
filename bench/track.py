"""What tracking costs at scale: ``plan`` (with the baselines tracking needs) and ``track``.

    python bench/track.py --size 100x400 [--seed 1] [--name track-scale]

Generates (or reuses) the estate ``bench/.cache/SIZE-seedSEED`` as ``bench/run.py`` does, then,
each as its own process with GNU time's peak resident set: ``ictgraph plan --format json``;
``ictgraph track`` of that programme against the same estate. In one more process, the plan
again with the baselines timed on their own (``queries.plan.baseline.add_baselines``), so
that what they add to ``plan`` is measured, not guessed. Results: ``bench/results/NAME.md``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
AS_OF = "2026-11-27"


def timed(args: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one command (GNU time)."""
    with tempfile.NamedTemporaryFile("r") as peak, (open(stdout, "wb") if stdout else open("/dev/null", "wb")) as out:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak.name, *args], cwd=ROOT, stdout=out, check=True)
        return round(time.perf_counter() - started, 1), round(int(peak.read().split()[-1]) / 1024, 1)


def baselines_share(estate: Path) -> dict[str, float]:
    """Seconds of the whole plan and of its baselines alone, in this process."""
    from ictgraph.queries.plan import plan
    from ictgraph.queries.plan.baseline import add_baselines
    from ictgraph.queries.source import open_estate_graph

    graph = open_estate_graph([estate], None, None)
    started = time.perf_counter()
    result = plan(graph, as_of=dt.date.fromisoformat(AS_OF))
    whole = time.perf_counter() - started
    started = time.perf_counter()
    add_baselines(result, graph)
    return {"plan_seconds_in_process": round(whole, 1), "baselines_seconds": round(time.perf_counter() - started, 2),
            "moves": len(result["moves"]), "steps": sum(len(m["steps"]) for m in result["moves"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100x400")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", default="track-scale")
    args = parser.parse_args()
    from bench.run import estate_for  # the same cache and generator as the main benchmark
    estate, _ = estate_for(args.size, args.seed, ROOT / "bench" / ".cache")
    work = Path(tempfile.mkdtemp(prefix="ictgraph-track-"))
    cli = [sys.executable, str(ROOT / "cli.py")]
    plan = timed([*cli, "plan", str(estate), "--as-of", AS_OF, "--format", "json", "-q"], work / "plan.json")
    track = timed([*cli, "track", str(work / "plan.json"), str(estate), "--as-of", "2028-06-30", "--format", "json",
                   "-q"], work / "track.json")
    share = baselines_share(estate)
    facts = {"size": args.size, "seed": args.seed, "plan": plan, "track": track, **share,
             "plan_json_mb": round((work / "plan.json").stat().st_size / 2**20, 1)}
    (ROOT / "bench" / "results" / f"{args.name}.json").write_text(json.dumps(facts, indent=1) + "\n")
    print(json.dumps(facts, indent=1))


if __name__ == "__main__":
    main()
