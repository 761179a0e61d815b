"""bench/reading.py runs end to end on the sample, so that it cannot rot."""
from __future__ import annotations

import subprocess
import sys

from tests.estates import ROOT

FIGURES = ("bare_parse", "validate", "bare_parse_cpu", "validate_cpu", "read", "validate_estate", "normalise",
           "build_graph")


def test_the_reading_bench_prints_every_figure_and_the_ratio() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "reading.py"), str(ROOT / "fixtures" / "sample"),
                          "--runs", "1"], check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    line = run.stdout.strip()
    assert line.startswith(f"{ROOT}: ") and "validate / bare parse" in line, line
    for name in FIGURES:
        assert f" {name} " in line, name
