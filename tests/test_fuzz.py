"""Fuzzing the validator with valid estates and mutations of them (hypothesis).

Mutations break a valid estate from ``tests.strategies`` once or twice: in its data (a key
deleted, a value replaced by one of another type, a reference made unknown, an entry
duplicated) or in its text (garbage bytes, a truncation, a line duplicated, deleted or
indented by a tab, CRLF, a BOM, a stray bracket or quote, anchors and aliases, very deep
nesting, control characters, YAML tags such as ``!!bool`` or ``!!python/object``).

Properties: a generated estate is valid and loads; whatever a mutation does, ``check_files``
never raises, answers within a bounded time and memory, locates every problem at a line,
and never accepts an estate that the loader then fails on (``rows_from_files`` and
``build_graph`` succeed, and every property is a value Neo4j can store).

Runs are reproducible: the ``ictgraph-fuzz`` settings profile derandomizes (the seed
comes from the test's name) and keeps no example database. ``ICTGRAPH_FUZZ_EXAMPLES``
raises the number of examples for a longer local run.
"""
from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import time
import tracemalloc
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import EdgeRow, NodeRow, build_graph, check_files, rows_from_files
from tests.strategies import Estate, dump, estates

EXAMPLES = int(os.environ.get("ICTGRAPH_FUZZ_EXAMPLES", "80"))
settings.register_profile(
    "ictgraph-fuzz", max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings(settings.get_profile("ictgraph-fuzz"))
SECONDS_PER_ESTATE = 2.0
PEAK_BYTES_PER_ESTATE = 64 * 2**20
LARGEST = 2**63 - 1

# ---- Mutations: in the data (then dumped again) or in the text -------------------------------

JUNK_VALUES = [None, 0, -1, "", "text", [], {}, True, 1.5, 2**70, float("inf"), dt.date(2026, 3, 31),
               "31/03/2026", "E99999999/nope", ["a", 1], {"id": "x"}]
DEEP = 200_000  # deep enough to overflow the C stack of libyaml's composer (a segfault before the fix)
TAGS = [b"!!bool ", b"!!timestamp ", b"!!float ", b"!!int ", b"!!binary ", b"!!set ", b"!!omap ", b"!!seq ",
        b"!!map ", b"!!str ", b"!!null ", b"!foo ", b"!!python/object/apply:os.system ", b"!!python/name:os.system "]


def _containers(value: Any, found: list[Any]) -> list[Any]:
    """Every mapping and list inside ``value``, depth first."""
    if isinstance(value, (dict, list)):
        found.append(value)
        for child in (value.values() if isinstance(value, dict) else value):
            _containers(child, found)
    return found


def _mutate_data(draw: st.DrawFn, documents: list[Any]) -> list[Any]:
    documents = copy.deepcopy(documents)
    target = draw(st.sampled_from(_containers(documents, [])))
    if not target:
        return documents
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    key = draw(st.sampled_from(keys))
    action = draw(st.sampled_from(["delete", "replace", "unknown-reference", "duplicate"]))
    if action == "delete":
        del target[key]
    elif action == "replace":
        target[key] = draw(st.sampled_from(JUNK_VALUES))
    elif action == "unknown-reference" and isinstance(target[key], str):
        target[key] = target[key] + "-unknown"
    elif action == "duplicate" and isinstance(target, list):
        target.append(copy.deepcopy(target[key]))
    return documents


def _mutate_text(draw: st.DrawFn, data: bytes) -> bytes:
    where = draw(st.integers(0, len(data)))
    lines = data.split(b"\n")
    line = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["garbage", "truncate", "duplicate-line", "delete-line", "tab", "indent",
                                   "crlf", "bom", "bracket", "anchor", "deep", "control", "tag"]))
    if action == "garbage":
        return data[:where] + draw(st.binary(min_size=1, max_size=8)) + data[where:]
    if action == "truncate":
        return data[:where]
    if action in ("duplicate-line", "delete-line", "tab", "indent"):
        replacement = {"duplicate-line": [lines[line]] * 2, "delete-line": [], "tab": [b"\t" + lines[line]],
                       "indent": [b" " + lines[line]]}[action]
        return b"\n".join(lines[:line] + replacement + lines[line + 1:])
    if action == "crlf":
        return data.replace(b"\n", b"\r\n")
    if action == "bom":
        return b"\xef\xbb\xbf" + data
    insert = {"bracket": draw(st.sampled_from([b"[", b"]", b"{", b"}", b"'", b'"', b": ", b"- ", b"#"])),
              "anchor": draw(st.sampled_from([b"&a ", b"*a ", b"*b ", b"<<: *a\n", b"!!python/object:os.system "])),
              "deep": b"[" * draw(st.sampled_from([63, 64, 65, 66, 1000, DEEP])),
              "control": draw(st.sampled_from([b"\x00", b"\x07", b"\x1b", b"\xc2\x85", b"\xe2\x80\xa8"])),
              "tag": draw(st.sampled_from(TAGS))}[action]
    if action == "tag":  # a tag on the value of some key: `!!bool maybe`, `!!python/... [x]`
        values = [m.end() for m in re.finditer(rb": ", data)] or [where]
        where = draw(st.sampled_from(values))
    return data[:where] + insert + data[where:]


@st.composite
def mutated_files(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    """A valid estate broken once or twice, in its data or in its text."""
    estate = draw(estates(max_organisations=2))
    documents = dict(estate.documents)
    files = dict(estate.files())
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from(sorted(files)))
        if draw(st.booleans()):
            documents[name] = _mutate_data(draw, documents[name])
            files[name] = dump(documents[name])
        else:
            files[name] = _mutate_text(draw, files[name])
    return sorted(files.items())


# ---- Properties ------------------------------------------------------------------------------

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
    # Time and memory in two runs: tracemalloc slows every allocation several times over, and
    # CPU time (not wall time) does not grow with a busy machine's other work.
    started = time.process_time()
    checked = check_files(files)
    elapsed = time.process_time() - started
    tracemalloc.start()
    try:
        check_files(files)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS_PER_ESTATE
    assert peak < PEAK_BYTES_PER_ESTATE
    assert all(p.location.line > 0 for p in checked.problems), [p.render() for p in checked.problems]
    if not checked.errors:
        assert_loads(files)
