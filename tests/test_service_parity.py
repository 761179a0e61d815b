"""The service view and the flags from Neo4j: the same bytes as from the YAML files, through the
command line, on a small estate with measures and levels of both directions."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.estates import CATALOGUE
from tests.service_estates import district

pytestmark = pytest.mark.neo4j

MEASURES = """\
format: ictgraph/v1.1
catalogue:
  measures:
    - {id: collected, name: Council tax collected, capability: council-tax, better: higher}
    - {id: days, name: Days to process a change, capability: council-tax, better: lower}
    - {id: calls, name: Calls received, capability: revenues, better: none}
"""


def _estate(root: Path) -> list[str]:
    catalogue = CATALOGUE.replace("ictgraph/v1\n", "ictgraph/v1.1\n", 1)
    (root / "catalogue.yaml").write_text(catalogue + MEASURES.split("catalogue:\n", 1)[1])
    for i in range(1, 7):
        levels = "".join(f"  - {{measure: {m}, financial_year: 2022-23, value: {90 + 2 * i + k}}}\n"
                         for k, m in enumerate(("collected", "days", "calls")))
        text = district(f"D{i}", 100_000, 1000.0 * i).replace("ictgraph/v1\n", "ictgraph/v1.1\n", 1)
        (root / f"d{i}.yaml").write_text(text + "service_levels:\n" + levels)
    return [str(root)]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_service_view_is_the_same_from_neo4j(neo4j_uri: str, clean_neo4j: None, tmp_path: Path, fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    paths, runner = _estate(tmp_path), CliRunner()
    loaded = runner.invoke(app, ["load", *paths, "--quiet"])
    assert loaded.exit_code == 0, loaded.output
    command = ["benchmark", "--view", "service", "--format", fmt, "--quiet"]
    embedded, stored = runner.invoke(app, [*command, *paths]), runner.invoke(app, [*command, "--neo4j"])
    assert embedded.exit_code == 0 and stored.exit_code == 0, embedded.output + stored.output
    assert '"quartile": 1' in embedded.stdout or ",1," in embedded.stdout
    assert stored.stdout == embedded.stdout
