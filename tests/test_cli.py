"""The command line: exit codes, message forms, and help for every command."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.estates import spec_examples


def write_estate(directory: Path, files: list[tuple[str, bytes]]) -> Path:
    for name, data in files:
        (directory / name).write_bytes(data)
    return directory


def test_validate_a_clean_estate(runner: CliRunner, tmp_path: Path) -> None:
    estate = write_estate(tmp_path, spec_examples())
    result = runner.invoke(app, ["validate", str(estate)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "ok: 3 file(s), 25 item(s), 1 warning(s)"
    assert ": warning: organisation 'E06000057' has no inventory" in result.stdout


def test_validate_reports_every_error_with_file_line_and_hint(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [(n, d.replace(b"hosting: saas", b"hosting: cloud").replace(b"end: 2026-03-31", b"end: 31/03/2026"))
             for n, d in spec_examples()]
    write_estate(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "."])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("spec-example-1.yaml:11:27: warning: organisation 'E06000057'")
    lines = lines[1:]
    assert lines[0] == "spec-example-1.yaml:31:5: error: `hosting`: 'cloud' is not one of the allowed values"
    assert lines[2] == "spec-example-1.yaml:39:5: error: `end`: '31/03/2026' is not an ISO 8601 date"
    assert lines[3] == "    hint: write dates as YYYY-MM-DD, for example 2026-03-31; 31/03/2026 would be 2026-03-31"
    assert lines[-1] == "2 error(s), 1 warning(s)"
    assert "Traceback" not in result.output


def test_a_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'Error: "{tmp_path / "nope"}" does not exist\nHint: ')


def test_a_directory_without_yaml_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "no YAML files under" in result.stderr


def commands() -> list[list[str]]:
    """Every command path, sub-commands included (``["neo4j", "start"]``)."""
    def walk(group: Any, prefix: list[str]) -> list[list[str]]:
        found = []
        for name, command in sorted(group.commands.items()):
            if hasattr(command, "commands"):
                found += walk(command, [*prefix, name])
            else:
                found.append([*prefix, name])
        return found
    return walk(typer.main.get_command(app), [])  # type: ignore[arg-type]


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: ictgraph" in result.stdout


def test_bare_call_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "Usage" in result.output and "validate" in result.output
