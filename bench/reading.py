"""Reading and validating against the parse floor, back to back (issue 14's `validate` target).

    python bench/reading.py ESTATE_DIR [--runs 3] [--code OTHER_CHECKOUT ...]

For each checkout of ictgraph (this one, and any given with ``--code``, for a before/after
comparison in one run) it times, alternating so that the machine's noise falls on all alike:

- ``bare parse``: yaml-rs's parse of the same files, as its own process (``bench/baselines.py``);
- ``validate``: ``ictgraph validate ESTATE_DIR``, as its own process;
- the in-process phases of reading an estate: the fast lane's read, validation, normalisation
  and ``build_graph`` (CPU seconds, collector off as in the CLI).

Of each process it takes the wall time, the CPU time (user and system: steadier than wall
time on a machine others share) and, for ``validate``, the peak memory (GNU ``time``, where
it is installed). It prints the best of ``--runs`` for each figure, and ``validate``'s ratio to the parse floor.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside a child process, against the checkout on its PYTHONPATH.
_PHASES = """
import gc, json, sys, time
gc.disable()
from pathlib import Path
from ictgraph.graph_loader import load_schema
from ictgraph.graph_loader.build import build_graph
from ictgraph.graph_loader.normalise import normalise_estate
from ictgraph.graph_loader.parse import parse_file
from ictgraph.graph_loader.quickread import quick_parse_file
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.graph_loader.validate import validate_estate
clock, out = time.process_time, {}
files, schema = read_estate_files([Path(sys.argv[1])]), load_schema()
start = clock(); parsed = [quick_parse_file(n, b) or parse_file(n, b) for n, b in files]
out["read"] = clock() - start
start = clock(); checked = validate_estate(schema, parsed); out["validate_estate"] = clock() - start
start = clock(); rows = normalise_estate(schema, checked); out["normalise"] = clock() - start
start = clock(); build_graph(*rows); out["build_graph"] = clock() - start
print(json.dumps(out))
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], code: Path) -> tuple[float, float, float | None]:
    """Wall seconds, CPU seconds (steadier on a shared machine) and peak resident MB of one process."""
    gnu_time = Path("/usr/bin/time").exists()
    prefix = ["/usr/bin/time", "-f", "%M"] if gnu_time else []
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(prefix + args, env=_environment(code), cwd=code, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    last = done.stderr.decode().strip().splitlines()[-1:] if gnu_time else []
    return seconds, cpu, (int(last[0]) / 1024 if last and last[0].isdigit() else None)


def _environment(code: Path) -> dict[str, str]:
    """The checkout first on the path (each process also runs in it: `python -c` puts the
    working directory, and the `ictgraph` there, before PYTHONPATH)."""
    return {**os.environ, "PYTHONPATH": str(code)}


def measure(estate: Path, code: Path) -> dict[str, float]:
    """One round of every figure for the checkout at ``code``."""
    parse, parse_cpu, _ = _timed([sys.executable, str(ROOT / "bench" / "baselines.py"), "parse-yaml-rs", str(estate)], code)
    validate, validate_cpu, memory = _timed(
        [sys.executable, "-c", "from ictgraph.cli import main; main()", "validate", str(estate)], code)
    phases = subprocess.run([sys.executable, "-c", _PHASES, str(estate)], env=_environment(code), cwd=code,
                            capture_output=True, check=True)
    figures = {"bare_parse": parse, "validate": validate, "bare_parse_cpu": parse_cpu, "validate_cpu": validate_cpu,
               **json.loads(phases.stdout)}
    if memory is not None:
        figures["validate_mb"] = memory
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, action="append", default=[], help="Another checkout to compare.")
    args = parser.parse_args(argv)
    checkouts, estate = [ROOT, *(code.resolve() for code in args.code)], args.estate.resolve()
    best: dict[Path, dict[str, float]] = {code: {} for code in checkouts}
    for _ in range(args.runs):
        for code in checkouts:
            for name, value in measure(estate, code).items():
                best[code][name] = min(best[code].get(name, value), value)
    for code, figures in best.items():
        ratio, cpu_ratio = figures["validate"] / figures["bare_parse"], figures["validate_cpu"] / figures["bare_parse_cpu"]
        shown = ", ".join(f"{name} {value:.2f}" for name, value in figures.items())
        print(f"{code}: {shown}; validate / bare parse {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (best of {args.runs})")


if __name__ == "__main__":
    main()
