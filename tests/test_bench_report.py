"""bench/report.py runs end to end at a tiny size, so that it cannot rot."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.estates import ROOT


def test_the_report_bench_measures_time_size_height_and_load(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "report.py"), "--sizes", "6x20", "--name", "tiny",
                          "--out", str(tmp_path / "results"), "--cache", str(tmp_path / "cache"), "--loads", "1"],
                         check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    document = json.loads((tmp_path / "results" / "tiny.json").read_text())
    result = document["results"][0]
    assert result["size"] == "6x20" and result["within_limits"] is True
    assert result["report_seconds"] > 0 and result["report_peak_mb"] > 0 and result["load_seconds"] > 0
    assert result["page_bytes"] > 100_000 and result["csv_files"] >= 10 and result["height_px"] > 1_000
    assert "| 6x20 |" in (tmp_path / "results" / "tiny.md").read_text() and "| 6x20 |" in run.stdout
