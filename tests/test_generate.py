"""The estate generator: valid, deterministic for a seed, and its planted truth is what
``ictgraph clusters`` and ``ictgraph windows`` find."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import check_files
from ictgraph.graph_loader.generate import TRUTH_FILE, generate_estate
from ictgraph.graph_loader.generate.catalogue import sub_capabilities_per_area
from tests.synthetic_estate import adjusted_rand_index


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "estate"
    result = CliRunner().invoke(app, ["generate", "--organisations", "40", "--systems-per-org", "30",
                                      "--seed", "7", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 41 files" in result.stdout
    return out


def _truth(estate: Path) -> dict[str, Any]:
    return json.loads((estate / TRUTH_FILE).read_text(encoding="utf-8"))


def _cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("organisations", "systems"), [(1, 1), (12, 5), (30, 60)])
def test_a_generated_estate_is_valid(organisations: int, systems: int) -> None:
    estate = generate_estate(organisations=organisations, systems_per_org=systems, seed=3)
    checked = check_files([(name, text.encode()) for name, text in estate.files])
    assert [p.render() for p in checked.problems] == []
    assert len(checked.items) > organisations * systems


def test_every_organisation_runs_the_systems_asked_for() -> None:
    estate = generate_estate(organisations=25, systems_per_org=40, seed=2)
    for name, text in estate.files[1:]:
        assert text.count("\n  - id: s-") == 40, name


def test_the_capability_tree_gives_every_tier_enough_leaves() -> None:
    assert sub_capabilities_per_area(400) == 25
    assert sub_capabilities_per_area(16) == 1


def test_the_same_seed_gives_the_same_bytes(written: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    CliRunner().invoke(app, ["generate", "--organisations", "40", "--systems-per-org", "30", "--seed", "7", str(again)])
    first = {p.relative_to(written): p.read_bytes() for p in sorted(written.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first == second


def test_another_seed_gives_another_estate() -> None:
    one = generate_estate(organisations=10, systems_per_org=10, seed=1)
    two = generate_estate(organisations=10, systems_per_org=10, seed=2)
    assert one.files != two.files


def test_the_generated_estate_validates_from_the_cli(written: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(written)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 41 file(s)")


def test_same_product_groups_equal_the_truth(written: Path) -> None:
    found = _cli_json("clusters", str(written))["clusters"]
    same = {(c["capability"], c["product"]): c["organisations"] for c in found if c["kind"] == "same-product"}
    truth = {(g["capability"], g["product"]): g["organisations"] for g in _truth(written)["same_product"]}
    assert same == truth


def test_planted_clusters_are_recovered(written: Path) -> None:
    found = _cli_json("clusters", str(written))["clusters"]
    predicted = {org: c["id"] for c in found if c["kind"] == "similar-estate" for org in c["organisations"]}
    planted = {org: cluster for cluster, members in _truth(written)["clusters"].items() for org in members}
    orgs = sorted(planted)
    assert adjusted_rand_index([planted[o] for o in orgs], [predicted.get(o, o) for o in orgs]) >= 0.95


def test_planted_windows_are_found_exactly(written: Path) -> None:
    truth = _truth(written)
    months = str(truth["parameters"]["windows_months"])
    found = _cli_json("windows", str(written), "--as-of", truth["parameters"]["windows_as_of"], "--months", months)
    windows = {(w["capability"], tuple(w["organisations"])) for w in found["windows"]}
    assert truth["windows"], "the generator planted no window"
    for planted in truth["windows"]:
        assert (planted["capability"], tuple(planted["organisations"])) in windows
