"""Shared fixtures: the schema, a CLI runner, and (from tests.neo4j_fixture) a real Neo4j
server that the test session starts itself and stops at the end.

Optional groups: the tests marked ``public_data`` read the full public data sets in the
directory ``ICTGRAPH_PUBLIC_DATA`` names (tests.public_data); without it they are deselected,
never skipped. The header and the last lines of a run say which ran."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from ictgraph.graph_loader import Schema, load_schema
from tests import public_data

pytest_plugins = ["tests.neo4j_fixture"]


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def clean_neo4j_module(neo4j_driver: neo4j.Driver) -> Iterator[None]:
    """An empty database for a module whose tests share one load."""
    from tests.neo4j_fixture import wipe_database  # imported late: the plugin registers first

    wipe_database(neo4j_driver)
    yield


@pytest.fixture
def neo4j_env(neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI at the test server through the environment, as a user would."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    return neo4j_uri


# --- optional groups: the full public data sets (tests.public_data) ---------------------------

_counts = {"selected": 0, "deselected": 0, "passed": 0}


def _public_data() -> Path | None:
    value = os.environ.get(public_data.ENV)
    return Path(value).resolve() if value else None


def pytest_configure(config: pytest.Config) -> None:
    where = _public_data()
    if where is not None and not where.is_dir():
        raise pytest.UsageError(f"{public_data.ENV}={where}: no such directory")


def pytest_report_header(config: pytest.Config) -> str:
    where = _public_data()
    return f"public data: {where}" if where else f"public data: not set ({public_data.ENV}), its tests are not collected"


# Fixtures that start (or reach) the test session's Neo4j server: a test using one is marked neo4j.
SERVER_FIXTURES = {"neo4j_uri", "neo4j_driver", "clean_neo4j", "clean_neo4j_module", "neo4j_env"}


@pytest.hookimpl(trylast=True)  # after -k and -m: count what will run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``ICTGRAPH_PUBLIC_DATA``, tests marked ``public_data`` are deselected (never skipped).
    A test that uses the server without the mark ``neo4j`` is a usage error."""
    unmarked = [item.nodeid for item in items
                if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("neo4j")]
    if unmarked:
        raise pytest.UsageError("tests that use the Neo4j server must be marked neo4j: " + ", ".join(unmarked))
    marked = [item for item in items if item.get_closest_marker("public_data")]
    if _public_data() is not None:
        _counts["selected"] = len(marked)
    elif marked:
        _counts["deselected"] = len(marked)
        config.hook.pytest_deselected(items=marked)
        items[:] = [item for item in items if not item.get_closest_marker("public_data")]


def _summary() -> str:
    if _public_data() is None:
        return f"public data: not set, {_counts['deselected']} tests not collected"
    return f"public data: {_counts['passed']} of {_counts['selected']} tests passed"


def pytest_report_collectionfinish(config: pytest.Config) -> str:
    return f"public data: {_counts['selected']} tests selected" if _public_data() else _summary()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "public_data" in report.keywords:
        _counts["passed"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The line ``.ci/run`` checks: how many of the public-data tests passed."""
    terminalreporter.write_line(_summary())
