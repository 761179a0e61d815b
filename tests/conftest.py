"""Shared fixtures: the schema, a CLI runner, and (from tests.neo4j_fixture) a real Neo4j
server that the test session starts itself and stops at the end."""
from __future__ import annotations

from collections.abc import Iterator

import neo4j
import pytest
from typer.testing import CliRunner

from graph_loader import Schema, load_schema

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
