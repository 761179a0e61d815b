"""``ictgraph track`` of a programme saved in Neo4j (``plan --neo4j --save``) tracks the same as
its JSON; the report renders its "Programme tracking" section."""
from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner, Result

from ictgraph.cli import app
from tests.neo4j_helpers import SAMPLE

LATER = SAMPLE.parent / "sample-later"
NAME = "sample-tracked"


def invoke(uri: str, *args: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_URI", uri)
        return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def saved(neo4j_uri: str, neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> str:
    assert invoke(neo4j_uri, "load", str(SAMPLE), "--quiet").exit_code == 0
    result = invoke(neo4j_uri, "plan", "--neo4j", "--as-of", "2026-11-27", "--samples", "20", "--save", NAME,
                    "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.output
    return neo4j_uri


@pytest.mark.neo4j
def test_a_saved_programme_tracks_as_its_json(saved: str, tmp_path: Path) -> None:
    plan = invoke(saved, "plan", str(SAMPLE), "--as-of", "2026-11-27", "--samples", "20", "--format", "json", "-q")
    (tmp_path / "p.json").write_text(plan.stdout)
    common = ["--as-of", "2028-06-30", "--format", "json", "-q"]
    from_json = invoke(saved, "track", str(tmp_path / "p.json"), str(LATER), *common)
    from_neo4j = invoke(saved, "track", "--programme", NAME, "--neo4j", str(LATER), *common)
    assert from_json.exit_code == 0 and from_neo4j.exit_code == 0, from_neo4j.output
    assert from_neo4j.stdout == from_json.stdout
    assert json.loads(from_neo4j.stdout)["realisation"]["realised"] == 97000


@pytest.mark.neo4j
def test_every_step_and_entry_is_saved_with_its_baseline(saved: str, neo4j_driver: neo4j.Driver) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:Move {programme: $n})-[r:MOVES|ALREADY_THERE]->(:Organisation) "
        "RETURN count(r) AS all, count(r.baseline_annual_spend) AS with_baseline", n=NAME)
    assert records[0]["all"] == records[0]["with_baseline"] > 200


@pytest.mark.neo4j
def test_an_unknown_saved_programme_is_a_clear_error(saved: str) -> None:
    result = invoke(saved, "track", "--programme", "nope", "--neo4j", str(LATER))
    assert result.exit_code == 2 and 'no programme named "nope"' in result.output
