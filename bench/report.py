"""What a person gets from ``ictgraph report`` at scale: its time, the page's size and height,
the CSV written beside it, and how long headless Chromium takes to open it.

    python bench/report.py --sizes 100x400,400x400 [--seed 7] [--name report-scale]

Per size ``NxM``: the estate ``bench/.cache/NxM-seedSEED`` (generated as ``bench/run.py`` does,
when missing); ``ictgraph report`` as its own process (wall time, peak resident set); the
page's bytes and the ``report-data/`` CSV files' count and bytes; then the page opened in a
fresh headless Chromium ``--loads`` times (best of them: seconds from navigating to the load
event) at 1280 × 1000, with its height (``document.body.scrollHeight``). The limits of issue 14
are checked: page < 5 MB, load < 3 s, height ≤ 40 screens of 1,000 px. Results are printed and
written to ``bench/results/NAME.json`` and ``NAME.md``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import AS_OF, cli, estate_for, log, measure  # noqa: E402
from tests.chromium import open_page  # noqa: E402

LIMITS = {"page_mb": 5.0, "load_seconds": 3.0, "height_px": 40_000}
COLUMNS = ("size", "report s", "peak MB", "page MB", "CSV files", "CSV MB", "height px", "screens", "load s",
           "within limits")


def chromium_load(page: Path, loads: int) -> tuple[int, float]:
    """The page's height and the best of ``loads`` load times, each in a fresh browser."""
    opened = [open_page(page, width=1280, height=1000) for _ in range(loads)]
    problems = [p for o in opened for p in o.problems]
    if problems:
        raise RuntimeError(f"chromium reported problems on {page}: {problems[:3]}")
    return opened[0].height, min(o.load_seconds for o in opened)


def measure_size(size: str, seed: int, loads: int, cache: Path, work: Path) -> dict[str, Any]:
    estate, generated = estate_for(size, seed, cache)
    page = work / size / "report.html"
    page.parent.mkdir(parents=True)
    log(f"{size}: ictgraph report")
    taken, _ = measure(cli("report", str(estate), "--as-of", AS_OF, "-o", str(page), "--quiet"))
    csvs = sorted((page.parent / "report-data").glob("*.csv"))
    log(f"{size}: chromium, {loads} loads")
    height, load = chromium_load(page, loads)
    result = {"size": size, "seed": seed, "generate_seconds": generated.seconds if generated else None,
              "report_seconds": taken.seconds, "report_peak_mb": taken.peak_mb,
              "page_bytes": page.stat().st_size, "csv_files": len(csvs),
              "csv_bytes": sum(p.stat().st_size for p in csvs), "height_px": height, "load_seconds": round(load, 3)}
    result["within_limits"] = (result["page_bytes"] < LIMITS["page_mb"] * 1e6 and load < LIMITS["load_seconds"]
                               and height <= LIMITS["height_px"])
    return result


def row(r: dict[str, Any]) -> list[str]:
    return [r["size"], f'{r["report_seconds"]:.1f}', f'{r["report_peak_mb"]:,.0f}', f'{r["page_bytes"] / 1e6:.2f}',
            str(r["csv_files"]), f'{r["csv_bytes"] / 1e6:.1f}', f'{r["height_px"]:,}',
            f'{r["height_px"] / 1000:.1f}', f'{r["load_seconds"]:.2f}', "yes" if r["within_limits"] else "no"]


def markdown(results: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return "\n".join(lines + ["| " + " | ".join(row(r)) + " |" for r in results]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100x400", help="comma-separated NxM (organisations x systems each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--loads", type=int, default=3, help="Chromium loads per page (the best is kept)")
    parser.add_argument("--name", default=None, help="results file name (default: report-SIZES)")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    sizes = args.sizes.split(",")
    results = []
    with tempfile.TemporaryDirectory(prefix="ictgraph-bench-report-") as work:
        for size in sizes:
            results.append(measure_size(size, args.seed, args.loads, args.cache, Path(work)))
            print(markdown(results[-1:]).splitlines()[-1], flush=True)
    name = args.name or "report-" + "_".join(sizes)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps({"limits": LIMITS, "results": results}, indent=2) + "\n")
    (out / f"{name}.md").write_text(markdown(results))
    print(markdown(results), end="")
    return 0 if all(r["within_limits"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
