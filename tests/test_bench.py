"""The benchmark harness runs end to end at a tiny size, so that it cannot rot."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.estates import ROOT

TIMED = ("parse_pyyaml", "validate", "suggest", "plan", "create", "load", "reload", "suggest_neo4j")
RATIOS = ("validate_vs_fastest_parse", "suggest_vs_fastest_parse", "load_vs_create_throughput",
          "load_write_vs_create_write", "suggest_neo4j_vs_embedded", "plan_vs_suggest", "plan_vs_suggest_memory")


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_harness_measures_every_step(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "6x20", "--name", "tiny",
                          "--out", str(tmp_path / "results"), "--cache", str(tmp_path / "cache"),
                          "--heap", "512m", "--pagecache", "128m"],
                         check=False, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    document = json.loads((tmp_path / "results" / "tiny.json").read_text())
    result = document["results"]["6x20"]
    for name in TIMED:
        assert result[name]["seconds"] > 0 and result[name]["peak_mb"] > 0, name
    assert result["load"]["elements_per_second"] > 0 and result["create"]["elements_per_second"] > 0
    # the write phase, timed from the load's first `writing` line; the reload of the same
    # files writes nothing (the files' digest ends it before parsing)
    assert 0 < result["load"]["write_seconds"] < result["load"]["seconds"]
    assert result["reload"]["write_seconds"] is None and result["reload"]["seconds"] > 0
    assert result["elements"] == result["nodes"] + result["relationships"] > 6 * 20
    assert result["suggest_neo4j"]["identical_to_embedded"] is True
    assert result["plan"]["solver"]["status"] == "Optimal" and result["plan"]["solver"]["name"] == "HiGHS"
    assert set(RATIOS) <= set(result["ratios"])
    assert document["machine"]["cpus"] >= 1 and result["neo4j_version"].startswith("5.")
    table = (tmp_path / "results" / "tiny.md").read_text()
    assert table.startswith("| size |") and "| 6x20 |" in table


@pytest.mark.slow
def test_the_harness_times_only_the_steps_asked_for(tmp_path: Path) -> None:
    # the 1,600 x 400 run asks for validate, suggest and load only: nothing else may run
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "6x20", "--name", "some",
                          "--steps", "parse_yaml_rs,validate", "--no-neo4j",
                          "--out", str(tmp_path / "results"), "--cache", str(tmp_path / "cache")],
                         check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((tmp_path / "results" / "some.json").read_text())["results"]["6x20"]
    assert {k for k, v in result.items() if isinstance(v, dict) and "seconds" in v} == {"generate", "parse_yaml_rs",
                                                                                         "validate"}
    assert set(result["ratios"]) == {"validate_vs_fastest_parse"}


def test_an_unknown_step_is_refused_with_the_choices() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--steps", "validate,sugest"],
                         check=False, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "unknown steps: sugest" in run.stderr and "suggest_neo4j" in run.stderr


@pytest.mark.parametrize(("load", "ratios", "cells"), [
    ({"seconds": 10.0, "peak_mb": 500.0, "elements_per_second": None, "write_seconds": 4.0,
      "write_elements_per_second": None}, {}, ("10.0 s, 500 MB", "4.0 s")),
    ({"seconds": 10.0, "peak_mb": 500.0, "elements_per_second": 1000, "write_seconds": 4.0,
      "write_elements_per_second": 2500}, {"load_vs_create_throughput": 0.5, "load_write_vs_create_write": 0.8},
     ("1,000 el/s (0.5×)", "4.0 s, 2,500 el/s (0.8×)")),
    ({"seconds": 1.0, "peak_mb": 90.0, "elements_per_second": 1000, "write_seconds": None,
      "write_elements_per_second": None}, {}, ("1,000 el/s", "–")),
])
def test_the_load_cells_say_what_was_measured(load: dict, ratios: dict, cells: tuple[str, str]) -> None:
    from bench.table import _load_cells
    assert _load_cells({"load": load, "ratios": ratios}) == cells


@pytest.mark.parametrize(("written", "peak"), [("123456\n", 123456),
                                               ("Command terminated by signal 9\n", 0), ("", 0)])
def test_a_killed_command_fails_as_itself_not_as_a_misread_peak(written: str, peak: int) -> None:
    from bench.run import _peak_kb
    assert _peak_kb(written) == peak
