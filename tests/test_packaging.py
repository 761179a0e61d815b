"""The installed wheel, not only the source tree, carries everything ictgraph reads."""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.estates import ROOT, spec_examples


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed; returns its bin dir."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(work.glob("ictgraph-*.whl"))
    env_dir = work / "venv"
    # System site-packages supply the dependencies (no network needed); the venv's own
    # site-packages come first on sys.path, so ictgraph itself is the wheel's copy.
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    return env_dir / "bin"


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(bin_dir / "ictgraph"), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_wheel_runs_from_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    for name, data in spec_examples():
        (tmp_path / name).write_bytes(data)
    where = subprocess.run([str(installed / "python"), "-c", "import graph_loader, cli; print(graph_loader.__file__, cli.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(ROOT) not in where and "site-packages" in where
    result = run(installed, "validate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 3 file(s)" in result.stdout


def test_the_wheel_carries_the_query_library(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "query", "--list", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "who_runs_product" in result.stdout
