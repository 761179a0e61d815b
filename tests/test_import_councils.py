"""``import councils``: organisation stubs from mySociety's register of UK local authorities."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import check_files, check_paths
from ictgraph.graph_loader.imports.authorities import read_register
from ictgraph.graph_loader.imports.councils import stub_files
from tests.public_data import SOURCES, register

TODAY = dt.date(2026, 11, 27)
# Current authorities, and all rows, of the repository's extract and of the whole register.
CURRENT = {"extract": 25, "full": 397}
ROWS = {"extract": 30, "full": 470}


@pytest.fixture(scope="module", params=SOURCES)
def source(request: pytest.FixtureRequest) -> str:
    """The register: the repository's extract, and the whole file when ICTGRAPH_PUBLIC_DATA is set."""
    return str(request.param)


@pytest.fixture(scope="module")
def current(source: str) -> dict[str, dict[str, object]]:
    files = stub_files(read_register(register(source)), as_of=TODAY, everything=False)
    return {f.path: yaml.safe_load(f.text)["organisation"] for f in files}


def by_id(stubs: dict[str, dict[str, object]], org_id: str) -> dict[str, object]:
    return next(s for s in stubs.values() if s["id"] == org_id)


@pytest.mark.public_data
def test_current_authorities_only() -> None:
    files = stub_files(read_register(register("full")), as_of=TODAY, everything=False)
    current = {f.path: yaml.safe_load(f.text)["organisation"] for f in files}
    assert len(current) == 397
    types: dict[object, int] = {}
    for stub in current.values():
        types[stub["type"]] = types.get(stub["type"], 0) + 1
    assert types == {"combined-authority": 14, "county": 21, "district": 164, "london-borough": 32,
                     "metropolitan": 36, "ni-district": 11, "other": 2, "scottish": 32, "unitary": 63,
                     "welsh-principal": 22}
    assert "E10000023" not in {s["id"] for s in current.values()}    # North Yorkshire County Council, abolished


@pytest.mark.parametrize(("org_id", "expected"), [
    ("E07000121", {"name": "Lancaster City Council", "type": "district", "nation": "England", "region": "North West",
                   "notes": "Parent county: Lancashire County Council (E10000017)."}),
    ("W06000001", {"name": "Isle of Anglesey County Council", "type": "welsh-principal", "nation": "Wales"}),
    ("E09000001", {"type": "other", "notes": "Register type: City corporation (CC); the inventory format has no type for it."}),
    ("E06000065", {"name": "North Yorkshire Council", "type": "unitary", "population": 620610}),
])
def test_stub_fields(current: dict[str, dict[str, object]], org_id: str, expected: dict[str, object]) -> None:
    stub = by_id(current, org_id)
    assert {k: stub.get(k) for k in expected} == expected


def test_file_names_follow_the_sample_estate(current: dict[str, dict[str, object]]) -> None:
    assert "E07000121-lancaster.yaml" in current and "W06000001-isle-of-anglesey.yaml" in current


def test_every_stub_validates(source: str) -> None:
    files = stub_files(read_register(register(source)), as_of=TODAY, everything=True)
    checked = check_files([(f.path, f.text.encode()) for f in files])
    assert checked.errors == [] and len(files) == ROWS[source]


def test_a_past_date_gives_the_authorities_then(source: str) -> None:
    ids = {yaml.safe_load(f.text)["organisation"]["id"]
           for f in stub_files(read_register(register(source)), as_of=dt.date(2022, 1, 1), everything=False)}
    assert "E10000023" in ids and "E06000065" not in ids


def test_abolished_authorities_say_so_when_asked_for(source: str) -> None:
    files = stub_files(read_register(register(source)), as_of=TODAY, everything=True)
    county = next(yaml.safe_load(f.text)["organisation"] for f in files if f.path.startswith("E10000023-"))
    assert county["notes"] == "Abolished 2023-04-01; succeeded by North Yorkshire Council (E06000065)."


def test_the_command_writes_a_valid_estate_and_a_report(source: str, tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["import", "councils", str(register(source)), "-o", str(tmp_path), "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert ["organisations_written", str(CURRENT[source])] in [line.split() for line in result.stdout.splitlines()]
    assert not check_paths([tmp_path]).errors
    assert json.loads((tmp_path / "import-report.json").read_text())["organisations_written"] == CURRENT[source]


def test_a_file_that_is_not_the_register_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    other = tmp_path / "other.csv"
    other.write_text("name,code\nX,1\n")
    result = runner.invoke(app, ["import", "councils", str(other), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'Error: "{other}" is not a register of local authorities')
