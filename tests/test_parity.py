"""The same analyses from the database: byte-identical JSON on the embedded and the Neo4j
paths, through the command line as a user runs them."""
from __future__ import annotations

import neo4j
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.neo4j_helpers import SAMPLE

pytestmark = pytest.mark.neo4j

ANALYSES = [
    ["clusters"],
    ["windows", "--as-of", "2026-11-27", "--months", "12"],
    ["suggest", "--as-of", "2026-11-27"],
    ["benchmark"],
    ["benchmark", "--view", "service"],
    ["objectives", "--as-of", "2026-11-27"],
]


@pytest.fixture(scope="module")
def loaded(neo4j_uri: str, clean_neo4j_module: None) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_URI", neo4j_uri)
        result = CliRunner().invoke(app, ["load", str(SAMPLE), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "nodes_created" in result.stdout
    return neo4j_uri


@pytest.mark.parametrize("command", ANALYSES, ids=lambda c: "-".join(c[:1] + c[c.index("--view") + 1:][:1] if "--view" in c else c[:1]))
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_each_analysis_gives_identical_bytes_on_both_paths(loaded: str, command: list[str], fmt: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", loaded)
    runner = CliRunner()
    embedded = runner.invoke(app, [*command, str(SAMPLE), "--format", fmt, "--quiet"])
    stored = runner.invoke(app, [*command, "--neo4j", "--format", fmt, "--quiet"])
    assert embedded.exit_code == 0 and stored.exit_code == 0, embedded.output + stored.output
    assert len(embedded.stdout) > 200
    assert stored.stdout == embedded.stdout


def test_query_and_cypher_commands_render_rows(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", loaded)
    runner = CliRunner()
    result = runner.invoke(app, ["query", "who_runs_product", "--param", "product=capita/one-revenues-benefits", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "organisation,name,system,via_host,capabilities"
    ad_hoc = runner.invoke(app, ["cypher", "MATCH (o:Council {id: $id}) RETURN o.name AS name", "-p", "id=E07000117", "-f", "json"])
    assert ad_hoc.exit_code == 0 and '"Burnley Borough Council"' in ad_hoc.stdout


def test_a_write_through_the_cli_is_refused_with_exit_1(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", loaded)
    result = CliRunner().invoke(app, ["cypher", "MATCH (o:Organisation) DETACH DELETE o"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the query was refused: it is not read-only")


def test_neo4j_and_paths_together_is_a_usage_error(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", loaded)
    result = CliRunner().invoke(app, ["clusters", str(SAMPLE), "--neo4j"])
    assert result.exit_code == 2 and "either estate paths or --neo4j" in result.stderr


def test_an_unreachable_server_exits_3_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "a-secret-password")
    result = CliRunner().invoke(app, ["load", str(SAMPLE), "--quiet"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1\nHint: ")
    assert "a-secret-password" not in result.output and "Traceback" not in result.output


def test_an_invalid_estate_writes_nothing(loaded: str, monkeypatch: pytest.MonkeyPatch, neo4j_driver: neo4j.Driver,
                                          tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.neo4j_helpers import graph_digest
    monkeypatch.setenv("NEO4J_URI", loaded)
    before = graph_digest(neo4j_driver)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: ictgraph/v1\norganisation: {id: E07000117, name: Renamed}\nsystems: [{id: x}]\n")
    result = CliRunner().invoke(app, ["load", str(SAMPLE), str(bad)])
    assert result.exit_code == 1 and "error(s)" in result.stderr
    assert graph_digest(neo4j_driver) == before
