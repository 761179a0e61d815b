"""The installed wheel, not only the source tree, carries everything ictgraph reads."""
from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.estates import ROOT, spec_examples


def dependency_paths() -> list[str]:
    """Where this environment keeps its packages (a virtual environment's own site-packages,
    or the interpreter's and the user's outside one): the new environment borrows its
    dependencies from them."""
    paths = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
    return [p for p in paths if Path(p).is_dir()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(ROOT)],
                   check=True, capture_output=True)
    return next(work.glob("ictgraph-*.whl"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh virtual environment with the built wheel installed; returns its bin dir.

    Offline, and the same inside a virtual environment or outside one: the dependencies come
    from this environment's site directories, named in a ``.pth`` file of the new
    environment (its own site-packages, with the wheel, come first on ``sys.path``; a ``.pth``
    in a borrowed directory is not read, so an editable ictgraph there stays out of sight).
    """
    work = tmp_path_factory.mktemp("venv")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "ictgraph-test-dependencies.pth").write_text("\n".join(dependency_paths()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True)
    return env_dir / "bin"


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(bin_dir / "ictgraph"), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_wheel_runs_from_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    for name, data in spec_examples():
        (tmp_path / name).write_bytes(data)
    where = subprocess.run([str(installed / "python"), "-c", "import ictgraph.graph_loader as graph_loader, ictgraph.cli as cli; print(graph_loader.__file__, cli.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(ROOT) not in where and "site-packages" in where
    result = run(installed, "validate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 3 file(s)" in result.stdout


def test_the_wheel_carries_the_query_library(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "query", "--list", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "who_runs_product" in result.stdout


def test_the_wheel_adds_one_import_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert tops == {"ictgraph", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}


def _stand_in_queries(where: Path) -> Path:
    """A distribution named ``queries`` with a top-level package ``queries``, built here: the
    shape of the PyPI package of that name (a PostgreSQL client that needs psycopg2 built),
    which is what a top-level ``queries`` of ours would have collided with."""
    source = where / "queries-stand-in"
    (source / "queries").mkdir(parents=True)
    (source / "queries" / "__init__.py").write_text('WHO = "the other queries"\n')
    (source / "pyproject.toml").write_text('[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                                            '[project]\nname = "queries"\nversion = "2.1.1"\n')
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(where),
                    str(source)], check=True, capture_output=True)
    return next(where.glob("queries-*.whl"))


def test_ictgraph_installs_beside_another_queries_package(installed: Path, tmp_path: Path) -> None:
    other = _stand_in_queries(tmp_path)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(installed / "python"), "install", "-q", "--no-deps",
                    "--no-index", str(other)], check=True, capture_output=True)
    both = subprocess.run([str(installed / "python"), "-c", "import queries, ictgraph.queries.plan as plan; "
                           "print(queries.WHO); print(plan.__name__)"],
                          capture_output=True, text=True, cwd=tmp_path, check=True).stdout.splitlines()
    assert both == ["the other queries", "ictgraph.queries.plan"]
    result = run(installed, "query", "--list", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0 and "who_runs_product" in result.stdout, result.stderr
