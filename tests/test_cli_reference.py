"""The CLI reference (docs/cli.md) is generated from the live commands and cannot drift;
shell completion scripts come from Typer for bash and zsh."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.estates import ROOT

REFERENCE = ROOT / "docs" / "cli.md"
REGENERATE = "ictgraph docs > docs/cli.md"


def test_the_reference_matches_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["docs"])
    assert result.exit_code == 0, result.output
    assert REFERENCE.read_text(encoding="utf-8") == result.stdout, \
        f"docs/cli.md is out of date: regenerate it with `{REGENERATE}`"


def test_the_reference_covers_every_visible_command(runner: CliRunner) -> None:
    text = runner.invoke(app, ["docs"]).stdout
    for path in ("ictgraph validate", "ictgraph import councils", "ictgraph import ocds", "ictgraph import register",
                 "ictgraph export", "ictgraph schema"):
        assert f"## `{path}`" in text
    assert "## `ictgraph docs`" not in text            # hidden


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F"), ("zsh", "compdef")])
def test_completion_scripts(monkeypatch: pytest.MonkeyPatch, shell: str, marker: str) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="ictgraph")
    assert result.exit_code == 0, result.output
    assert marker in result.stdout and "_ICTGRAPH_COMPLETE" in result.stdout


def test_completion_offers_the_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_ICTGRAPH_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "ictgraph imp")
    monkeypatch.setenv("COMP_CWORD", "1")
    result = CliRunner().invoke(app, [], prog_name="ictgraph")
    assert "import" in result.stdout.split()
