"""``benchmark --view service`` on Oflog's real measures beside the sample's costs: every imported
level is placed, directions give quartiles and ``none`` gives none, and the README's excerpt is
what the command prints. The extract in tests/data/public always; the whole file (157
authorities) when ICTGRAPH_PUBLIC_DATA is set."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.public_data import SOURCES, oflog_measures, register

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"


@pytest.fixture(scope="module", params=SOURCES)
def estate(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """The sample, the register's councils and Oflog's levels, imported through the CLI."""
    source, runner = str(request.param), CliRunner()
    out = tmp_path_factory.mktemp(f"service-{source}")
    councils = runner.invoke(app, ["import", "councils", str(register(source)), "--all", "-o", str(out / "councils")])
    levels = runner.invoke(app, ["import", "service-levels", str(oflog_measures(source)), "--register",
                                 str(register(source)), "--catalogue", str(SAMPLE / "catalogue.yaml"),
                                 "-o", str(out / "levels")])
    assert councils.exit_code == 0 and levels.exit_code == 0, councils.output + levels.output
    return source, [str(SAMPLE), str(out / "councils"), str(out / "levels")]


def run(paths: list[str], *more: str) -> Any:
    result = CliRunner().invoke(app, ["benchmark", *paths, "--view", "service", "--quiet", *more])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_level_is_placed_by_its_direction(estate: tuple[str, list[str]]) -> None:
    source, paths = estate
    result = json.loads(run(paths, "--format", "json"))
    assert [m["measure"] for m in result["measures"]] == [f"asc{i}" for i in range(1, 8)]
    authorities = {r["organisation"] for m in result["measures"] for r in m["rows"]}
    imported = {p.name.split("-")[0] for p in Path(paths[2]).glob("E*.yaml")}
    own = {r["organisation"] for m in json.loads(run(paths[:1], "--format", "json"))["measures"] for r in m["rows"]}
    assert len(imported) == {"extract": 9, "full": 157}[source]
    assert authorities == imported | own
    for m in result["measures"]:
        compared = [r for r in m["rows"] if r["peer_group"] is not None]
        if m["better"] == "none":
            assert all(r["quartile"] is None for r in m["rows"])
        else:
            assert all(r["quartile"] in (1, 2, 3, 4) for r in compared)
    costed = {r["organisation"] for m in result["measures"] for r in m["rows"] if r["cost_per_head"] is not None}
    assert costed and costed <= {p.name.split("-")[0] for p in SAMPLE.rglob("*.yaml")}


@pytest.mark.parametrize("estate", [pytest.param("full", marks=pytest.mark.public_data)], indirect=True)
def test_the_readme_excerpt_is_what_the_command_prints(estate: tuple[str, list[str]]) -> None:
    _, paths = estate
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\$ ictgraph benchmark fixtures/sample estate/councils estate/service-levels --view service\n"
                      r"(.*?)```", readme, re.S)
    assert block is not None
    printed = run(paths).splitlines()
    excerpt = block.group(1).splitlines()
    assert excerpt[:2] == printed[:2]
    assert all(line in printed for line in excerpt[2:]) and len(excerpt) > 5
