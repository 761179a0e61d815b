"""Shared fixtures: the schema and a CLI runner. The Neo4j fixtures live in neo4j_fixture."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graph_loader import Schema, load_schema


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
