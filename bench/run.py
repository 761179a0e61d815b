"""The national-scale benchmark: ictgraph against its floors, at several estate sizes.

    python bench/run.py --sizes 50x400,100x400,200x400,400x400

Per size ``NxM`` (N organisations × M systems): generate the estate (cached under
``bench/.cache/``), then time each step as its own process and record its wall time and
peak memory (the child's maximum resident set, from ``os.wait4``):

* the reading floors: a bare parse of the same files by PyYAML's C loader and by yaml-rs;
* ``ictgraph validate``, ``ictgraph suggest`` and ``ictgraph plan`` (embedded, from YAML);
* the writing floor: bare ``UNWIND $rows CREATE`` of the load's own rows into an empty
  database, in the load's batch size; then ``ictgraph load`` into another empty database,
  a second (idempotent) load, and ``ictgraph suggest --neo4j``, whose output must equal
  the embedded one byte for byte.

Results go to ``bench/results/NAME.json`` and ``NAME.md`` (written after every size, so a
long run leaves its partial results). See bench/README.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.table import markdown  # noqa: E402
AS_OF = "2026-11-27"
BATCH = 5_000
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    returncode: int
    after_mark: float | None = None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(args: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None,
            mark: str | None = None) -> tuple[Measure, bytes]:
    """Run ``args``; its wall time, peak resident memory and output.

    The peak is the command's own maximum resident set, from GNU time when installed (its
    child starts from a small exec'd process); otherwise from ``os.wait4``, which also counts
    this harness's resident set at the fork (~150 MB), an upper bound. With ``mark``, the
    seconds from the first stderr line starting with it to the end (``Measure.after_mark``):
    the load's write phase, after its progress line ``ictgraph: writing``."""
    with (open(stdout, "w+b") if stdout else tempfile.TemporaryFile()) as out, \
            tempfile.NamedTemporaryFile("r") as peak_file:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak_file.name, *args] if GNU_TIME else args
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=ROOT, stdout=out, stderr=subprocess.PIPE,
                                   env={**os.environ, **(env or {})})
        err, marked = _read_stderr(process, mark)
        _, status, usage = os.wait4(process.pid, 0)
        ended = time.perf_counter()
        peak_kb = _peak_kb(peak_file.read()) if GNU_TIME else usage.ru_maxrss
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        captured = b"" if stdout else out.read()
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}): {err.decode(errors='replace')[-2000:]}")
    after = round(ended - marked, 3) if marked is not None else None
    return Measure(round(ended - started, 3), round(peak_kb / 1024, 1), process.returncode, after), captured


def _peak_kb(written: str) -> int:
    """GNU time's ``%M``: the last line it wrote; 0 when the command was killed before it could
    write one (then the command's failure is what the caller reports)."""
    lines = written.strip().splitlines()
    return int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0


def _read_stderr(process: subprocess.Popen[bytes], mark: str | None) -> tuple[bytes, float | None]:
    """All of the process's stderr, and when the first line starting with ``mark`` came."""
    assert process.stderr is not None
    lines, marked = [], None
    for line in process.stderr:
        if marked is None and mark is not None and line.decode(errors="replace").startswith(mark):
            marked = time.perf_counter()
        lines.append(line)
    return b"".join(lines), marked


def cli(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


def baseline(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "baselines.py"), *args]


def estate_for(size: str, seed: int, cache: Path) -> tuple[Path, Measure | None]:
    """The cached estate of ``size`` (generated, and timed, when missing)."""
    organisations, systems = (int(x) for x in size.split("x"))
    estate = cache / f"{size}-seed{seed}"
    if (estate / "truth.json").exists():
        return estate, None
    shutil.rmtree(estate, ignore_errors=True)
    taken, _ = measure(cli("generate", "--organisations", str(organisations), "--systems-per-org", str(systems),
                           "--seed", str(seed), str(estate)))
    return estate, taken


STEPS = ("parse_pyyaml", "parse_yaml_rs", "validate", "suggest", "plan", "create", "load", "reload", "suggest_neo4j")


def reading(estate: Path, result: dict[str, Any], work: Path, save: Callable[[], None], steps: set[str]) -> None:
    """Bare parses, validate, the embedded suggest and plan, as ``steps`` asks (saving after each)."""
    commands = {"parse_pyyaml": baseline("parse-pyyaml", str(estate)), "validate": cli("validate", str(estate))}
    if importlib.util.find_spec("yaml_rs"):
        commands["parse_yaml_rs"] = baseline("parse-yaml-rs", str(estate))
    for name, args in commands.items():
        if name in steps:
            log(f"  {name}")
            result[name] = asdict(measure(args)[0])
            save()
    if "suggest" in steps:
        log("  suggest")
        result["suggest"] = asdict(measure(cli("suggest", str(estate), "--as-of", AS_OF, "--format", "json", "-q"),
                                           stdout=work / "suggest.json")[0])
        save()
    if "plan" in steps:
        log("  plan")
        result["plan"] = {**asdict(measure(cli("plan", str(estate), "--as-of", AS_OF, "--format", "json", "-q"),
                                           stdout=work / "plan.json")[0]), **programme_facts(work / "plan.json")}


def programme_facts(path: Path) -> dict[str, Any]:
    """The solver's verdict and the programme's size, from ``plan --format json``."""
    programme = json.loads(path.read_text())
    return {"solver": programme["solver"], "moves": len(programme["moves"]),
            "steps": sum(len(m["steps"]) for m in programme["moves"]), "not_chosen": len(programme["not_chosen"]),
            "npv_central": programme["totals"]["npv"]["central"]}


class Server:
    """A dedicated local Neo4j on free ports, with a fresh, empty database per ``start``."""

    def __init__(self, work: Path, heap: str, pagecache: str) -> None:
        from tests.neo4j_fixture import free_ports
        self.work, self.heap, self.pagecache, self.ports, self.starts = work, heap, pagecache, free_ports(3), 0
        self.info: Any = None

    def settings(self) -> Any:
        from ictgraph.graph_loader.server import ServerSettings
        bolt, http, assets = self.ports
        return ServerSettings(bolt_port=bolt, http_port=http, assets_port=assets, heap=self.heap,
                              pagecache=self.pagecache, data_dir=self.work / f"data{self.starts}",
                              run_dir=self.work / "run", owner_pid=os.getpid())

    def __enter__(self) -> str:
        from ictgraph.graph_loader.server import start_server
        self.starts += 1
        self.info = start_server(self.settings())
        return str(self.info.bolt_uri)

    def __exit__(self, *exc: object) -> None:
        from ictgraph.graph_loader.server import stop_server
        stop_server(self.settings())
        shutil.rmtree(self.work / f"data{self.starts}", ignore_errors=True)


def writing(estate: Path, result: dict[str, Any], work: Path, args: argparse.Namespace) -> None:
    """Bare CREATE into one empty database; load, reload and suggest --neo4j into another."""
    server, steps = Server(work, args.heap, args.pagecache), args.steps
    if "create" in steps:
        with server as uri:
            log("  bare create")
            taken, out = measure(baseline("create", str(estate), "--uri", uri, "--batch-size", str(BATCH)))
            create = json.loads(out)
            result["elements"] = create["nodes"] + create["relationships"]
            result["nodes"], result["relationships"] = create["nodes"], create["relationships"]
            result["create"] = {**asdict(taken), "write_seconds": round(create["seconds"], 3),
                                "elements_per_second": round(result["elements"] / create["seconds"])}
    if steps & {"load", "reload", "suggest_neo4j"}:
        env = {"NEO4J_URI": "", "NEO4J_USER": "neo4j", "NEO4J_DATABASE": "neo4j"}
        with server as uri:
            env["NEO4J_URI"] = uri
            loading(estate, result, env, steps)
            if "suggest_neo4j" in steps:
                reading_back(result, work, env)
    result["neo4j_version"] = server.info.neo4j_version


def reading_back(result: dict[str, Any], work: Path, env: dict[str, str]) -> None:
    """``suggest --neo4j`` on the loaded database, and whether it printed the embedded bytes."""
    log("  suggest --neo4j")
    taken, _ = measure(cli("suggest", "--neo4j", "--as-of", AS_OF, "--format", "json", "-q"), env=env,
                       stdout=work / "suggest-neo4j.json")
    embedded = work / "suggest.json"
    same = embedded.exists() and embedded.read_bytes() == (work / "suggest-neo4j.json").read_bytes()
    result["suggest_neo4j"] = {**asdict(taken), "identical_to_embedded": same}


def loading(estate: Path, result: dict[str, Any], env: dict[str, str], steps: set[str]) -> None:
    """The load into the empty database (always, when anything reads it back), then the reload."""
    for name in ("load", "reload"):
        if name == "reload" and name not in steps:
            continue
        log(f"  {name}")
        taken, _ = measure(cli("load", str(estate), "--batch-size", str(BATCH)), env=env, mark="ictgraph: writing")
        elements = result.get("elements")
        result[name] = {**asdict(taken), "elements_per_second": round(elements / taken.seconds) if elements else None,
                        "write_seconds": taken.after_mark,
                        "write_elements_per_second": round(elements / taken.after_mark)
                        if elements and taken.after_mark else None}


def ratios(result: dict[str, Any]) -> dict[str, float]:
    """The targets' ratios, where their measures exist."""
    parses = [result[k]["seconds"] for k in ("parse_pyyaml", "parse_yaml_rs") if k in result]
    fastest = min(parses, default=0)
    found = {f"{k}_vs_fastest_parse": result[k]["seconds"] / fastest for k in ("validate", "suggest")
             if k in result and fastest}
    if "load" in result and "create" in result:
        found["load_vs_create_throughput"] = result["load"]["elements_per_second"] / result["create"]["elements_per_second"]
        found["load_vs_create_end_to_end"] = result["create"]["seconds"] / result["load"]["seconds"]
        if result["load"].get("write_elements_per_second"):
            found["load_write_vs_create_write"] = (result["load"]["write_elements_per_second"]
                                                   / result["create"]["elements_per_second"])
    if "plan" in result and "suggest" in result:
        found["plan_vs_suggest"] = result["plan"]["seconds"] / result["suggest"]["seconds"]
        found["plan_vs_suggest_memory"] = result["plan"]["peak_mb"] / result["suggest"]["peak_mb"]
        if fastest:
            found["plan_vs_fastest_parse"] = result["plan"]["seconds"] / fastest
    if "suggest_neo4j" in result:
        found["suggest_neo4j_vs_embedded"] = result["suggest_neo4j"]["seconds"] / result["suggest"]["seconds"]
    return {k: round(v, 2) for k, v in found.items()}


def growth(results: dict[str, Any]) -> dict[str, float]:
    """Time at 400 organisations over time at 100, per measure, where both sizes ran."""
    big = next((r for s, r in results.items() if s.startswith("400x")), None)
    small = next((r for s, r in results.items() if s.startswith("100x")), None)
    if not big or not small:
        return {}
    names = [k for k, v in big.items() if isinstance(v, dict) and "seconds" in v and k in small]
    return {k: round(big[k]["seconds"] / small[k]["seconds"], 2) for k in names}


def growth_steps(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each size's times over the previous size's, per step (the doubling growth)."""
    sizes = list(results)
    found = {}
    for small, big in pairwise(sizes):
        names = [k for k, v in results[big].items() if isinstance(v, dict) and "seconds" in v and k in results[small]]
        found[f"{big}/{small}"] = {k: round(results[big][k]["seconds"] / results[small][k]["seconds"], 2) for k in names}
    return found


def machine() -> dict[str, Any]:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {"cpus": os.cpu_count(), "memory_gb": round(pages / 2**30, 1), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor() or platform.machine()}


def run_size(size: str, args: argparse.Namespace, result: dict[str, Any], save: Callable[[], None]) -> None:
    """Fill ``result`` with the measures of one size, saving after the reading and the writing."""
    log(f"{size}: estate")
    estate, generated = estate_for(size, args.seed, args.cache)
    if generated:
        result["generate"] = asdict(generated)
    files = [p for p in estate.rglob("*.yaml")]
    result.update(files=len(files), megabytes=round(sum(p.stat().st_size for p in files) / 1e6, 1))
    with tempfile.TemporaryDirectory(prefix="ictgraph-bench-") as tmp:
        reading(estate, result, Path(tmp), save, args.steps)
        result["ratios"] = ratios(result)
        save()
        if args.steps & {"create", "load", "reload", "suggest_neo4j"}:
            writing(estate, result, Path(tmp), args)
    result["ratios"] = ratios(result)


def chosen_steps(parser: argparse.ArgumentParser, args: argparse.Namespace) -> set[str]:
    """The steps asked for, less Neo4j's with ``--no-neo4j``; an unknown name is an error."""
    steps = {s.strip() for s in args.steps.split(",") if s.strip()}
    if unknown := steps - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(unknown))} (choose from {', '.join(STEPS)})")
    return steps - ({"create", "load", "reload", "suggest_neo4j"} if not args.neo4j else set())


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description="ictgraph's national-scale benchmark (see bench/README.md).")
    parser.add_argument("--sizes", default="50x400,100x400,200x400,400x400", help="Comma-separated NxM sizes.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", help="Results file name (default: the sizes).")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--no-neo4j", dest="neo4j", action="store_false", help="Skip the Neo4j measures.")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="Comma-separated steps to time (default all): " + ", ".join(STEPS) + ".")
    parser.add_argument("--heap", default="2g", help="Neo4j heap.")
    parser.add_argument("--pagecache", default="1g", help="Neo4j page cache.")
    args = parser.parse_args(argv)
    args.steps = chosen_steps(parser, args)
    sizes = args.sizes.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    name = args.name or "_".join(sizes)
    document: dict[str, Any] = {"machine": machine(), "as_of": AS_OF, "batch_size": BATCH, "seed": args.seed, "results": {}}
    def save() -> None:
        for result in document["results"].values():
            result["ratios"] = ratios(result)
        document["growth_400_vs_100"] = growth(document["results"])
        document["growth"] = growth_steps(document["results"])
        (args.out / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")
        (args.out / f"{name}.md").write_text(markdown(document))

    for size in sizes:
        document["results"][size] = {}
        run_size(size, args, document["results"][size], save)
        save()
        log(f"{size}: done {document['results'][size]['ratios']}")
    return args.out / f"{name}.json"


if __name__ == "__main__":
    print(main())
