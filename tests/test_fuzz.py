"""Fuzzing the validator with valid estates and mutations of them (hypothesis).

Properties: a generated estate is valid and loads; whatever a mutation does, ``check_files``
never raises, answers within a bounded time and memory, locates every problem at a line,
and never accepts an estate that the loader then fails on (``rows_from_files`` and
``build_graph`` succeed, and every property is a value Neo4j can store).

Runs are reproducible: the ``ictgraph-fuzz`` settings profile derandomizes (the seed
comes from the test's name) and keeps no example database. ``ICTGRAPH_FUZZ_EXAMPLES``
raises the number of examples for a longer local run.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import time
import tracemalloc
from typing import Any

from hypothesis import HealthCheck, given, settings

from graph_loader import EdgeRow, NodeRow, build_graph, check_files, rows_from_files
from tests.strategies import Estate, estates, mutated_files

EXAMPLES = int(os.environ.get("ICTGRAPH_FUZZ_EXAMPLES", "60"))
settings.register_profile(
    "ictgraph-fuzz", max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings(settings.get_profile("ictgraph-fuzz"))
SECONDS_PER_ESTATE = 2.0
PEAK_BYTES_PER_ESTATE = 64 * 2**20
LARGEST = 2**63 - 1


def is_storable(value: Any) -> bool:
    """A value a Neo4j property can hold: a 64-bit integer, a finite float, text, a boolean, a
    date, or a list of one of those kinds."""
    if isinstance(value, (list, tuple)):
        return all(is_storable(v) for v in value) and len({type(v) for v in value}) <= 1  # homogeneous
    if isinstance(value, (bool, str, dt.date)):
        return True
    if isinstance(value, int):
        return -LARGEST - 1 <= value <= LARGEST
    return isinstance(value, float) and math.isfinite(value)


def assert_loads(files: list[tuple[str, bytes]]) -> None:
    """The loader builds the graph of an estate the validator accepted, with storable values."""
    nodes, edges = rows_from_files(files)
    build_graph(nodes, edges)
    rows: list[NodeRow | EdgeRow] = [*nodes, *edges]
    bad = [(row, name, value) for row in rows for name, value in row.properties if not is_storable(value)]
    assert bad == []


@FUZZ
@given(estates())
def test_generated_estates_are_valid_and_load(estate: Estate) -> None:
    files = estate.files()
    checked = check_files(files)
    assert [e.render() for e in checked.errors] == []
    assert all(w.message.endswith("it becomes a bare node") for w in checked.warnings)
    assert_loads(files)


@settings(FUZZ, max_examples=EXAMPLES * 3)
@given(mutated_files())
def test_the_validator_survives_any_mutation(files: list[tuple[str, bytes]]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        checked = check_files(files)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS_PER_ESTATE
    assert peak < PEAK_BYTES_PER_ESTATE
    assert all(p.location.line > 0 for p in checked.problems), [p.render() for p in checked.problems]
    if not checked.errors:
        assert_loads(files)
