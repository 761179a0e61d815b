"""The Neo4j password never appears in argv, output, errors or tracebacks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_loader.connect import Neo4jSettings, describe_failure
from tests.estates import ROOT

PASSWORD = "Known-Secret-Passw0rd"
FAILING = [
    ["load", "fixtures/sample", "--quiet"],
    ["cypher", "RETURN 1"],
    ["query", "organisation_summary"],
    ["suggest", "--neo4j"],
    ["--uri", "neo4j+s://user:" + "pw@127.0.0.1:1", "cypher", "RETURN 1"],
    ["--uri", "not a uri", "cypher", "RETURN 1"],
]


def run_cli(args: list[str], uri: str = "bolt://127.0.0.1:1") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_PASSWORD": PASSWORD, "NEO4J_USER": "architect"}
    return subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize("args", FAILING, ids=lambda a: " ".join(a)[:40])
def test_failing_commands_never_show_the_password(args: list[str]) -> None:
    result = run_cli(args)
    assert result.returncode == 3, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")


def test_there_is_no_password_flag() -> None:
    result = run_cli(["--password", PASSWORD, "cypher", "RETURN 1"])
    assert result.returncode == 2 and "No such option" in result.stderr


def test_settings_never_print_the_password() -> None:
    settings = Neo4jSettings(uri="bolt://u:p@host:7687", password=PASSWORD)
    assert PASSWORD not in repr(settings) and settings.safe_uri == "bolt://host:7687"
    error = describe_failure(settings, RuntimeError(f"failed with {PASSWORD} in it"))
    assert PASSWORD not in error.message


@pytest.mark.neo4j
def test_a_wrong_password_on_the_test_server_does_not_leak(neo4j_uri: str) -> None:
    result = run_cli(["cypher", "RETURN 1"], uri=neo4j_uri)
    assert PASSWORD not in result.stdout + result.stderr and "Traceback" not in result.stderr
