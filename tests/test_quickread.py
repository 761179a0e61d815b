"""The fast lane (graph_loader.quickread) reads a file as the exact reader does, or not at all.

The property that matters: whenever ``quick_parse_file`` answers, its values equal those of
``parse_file`` and every item (each mapping in a list, and the organisation) has the same
location; and an estate with any problem is reported exactly as the exact reader reports it."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import check_files, load_schema
from ictgraph.graph_loader.generate import generate_estate
from ictgraph.graph_loader.located import plain
from ictgraph.graph_loader.model import Location
from ictgraph.graph_loader.normalise import normalise_estate
from ictgraph.graph_loader.parse import ParsedFile, parse_file
from ictgraph.graph_loader.quickread import _plain_enough, quick_parse_file
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.graph_loader.validate import validate_estate
from tests.strategies import estates
from tests.test_fuzz import FUZZ, mutated_files

ROOT = Path(__file__).resolve().parent.parent


def _item_locations(value: Any, found: list[Location], in_list: bool = False, key: Any = None) -> list[Location]:
    if isinstance(value, dict):
        if in_list or key == "organisation":
            found.append(value.location)
        for name, inner in value.items():
            _item_locations(inner, found, key=name)
    elif isinstance(value, list):
        for inner in value:
            _item_locations(inner, found, in_list=True)
    return found


def _same_reading(quick: ParsedFile, exact: ParsedFile) -> None:
    assert not exact.problems, exact.problems
    assert [d.index for d in quick.documents] == [d.index for d in exact.documents]
    for fast, slow in zip(quick.documents, exact.documents):
        assert plain(fast.body) == plain(slow.body)
        assert _item_locations(fast.body, []) == _item_locations(slow.body, [])


def _check_files_agree(files: list[tuple[str, bytes]]) -> int:
    """Compare both readers on each file; the number of files the fast lane read."""
    read = 0
    for name, data in files:
        quick = quick_parse_file(name, data)
        if quick is not None:
            _same_reading(quick, parse_file(name, data))
            read += 1
    return read


@pytest.mark.parametrize(("estate", "fast", "files"), [
    ("fixtures/sample", 31, 34),        # the other files hold text the fast lane leaves to the exact reader
    ("fixtures/valid", 0, 4),
    ("fixtures/format", 5, 6),          # the page's examples, v1.1 ones included
    ("tests/awkward_estates", 0, 16),   # made to be awkward: all of them go the exact way
])
def test_fixture_files_read_alike(estate: str, fast: int, files: int) -> None:
    """Every file the fast lane reads, it reads as the exact reader does; how many it reads is
    pinned, so that a fast lane that quietly reads fewer (or more) files shows here."""
    found = read_estate_files([ROOT / estate])
    assert (_check_files_agree(found), len(found)) == (fast, files)


V11_CONTRACTS = """\
format: ictgraph/v1.1
organisation:
  id: E07000117
  name: Burnley
  type: district
contracts:
  - id: ocds-b5fd17-2f0e1c
    supplier: civica
    capabilities: [council-tax, business-rates]
    start: 2024-04-01
    end: 2029-03-31
    annual_value: 138000
"""


def test_a_v1_1_document_gives_the_same_rows_in_both_lanes() -> None:
    """Contracts by capability read alike: the same values and locations, and the same
    nodes and relationships (``FOR``, no ``COVERS``) from the fast lane as from the exact one."""
    catalogue = (ROOT / "fixtures" / "format" / "v1" / "0-catalogue.yaml").read_bytes()
    files = [("catalogue.yaml", catalogue), ("burnley.yaml", V11_CONTRACTS.encode())]
    assert quick_parse_file(*files[1]) is not None and _check_files_agree(files[1:]) == 1
    schema = load_schema()
    fast = check_files(files)
    exact = validate_estate(schema, [parse_file(name, data) for name, data in files])
    assert fast.problems == exact.problems and not fast.errors  # warnings: the catalogue's bare partners
    rows = normalise_estate(schema, fast)
    assert rows == normalise_estate(schema, exact)
    assert sorted(e.end.key for e in rows[1] if e.type == "FOR") == ["business-rates", "council-tax"]
    assert not [e for e in rows[1] if e.type == "COVERS" and e.start.label == "Contract"]


def test_a_generated_estate_is_read_wholly_by_the_fast_lane() -> None:
    generated = generate_estate(organisations=12, systems_per_org=40, seed=3)
    files = [(name, text.encode()) for name, text in generated.files]
    assert _check_files_agree(files) == len(files)


@FUZZ
@given(estates())
def test_generated_estates_read_alike(estate: Any) -> None:
    _check_files_agree(estate.files())


@FUZZ
@given(mutated_files())
def test_mutated_files_read_alike_or_go_the_exact_way(files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        quick = quick_parse_file(name, data)
        if quick is not None:
            exact = parse_file(name, data)
            if exact.problems:  # the exact reader refuses: the fast lane must not have answered
                pytest.fail(f"the fast lane read {name}, which the exact reader refuses: {exact.problems}")
            _same_reading(quick, exact)


ORGANISATION = "format: ictgraph/v1\norganisation:\n  id: E07000117\n  name: Burnley\n  type: district\n"


@pytest.mark.parametrize("text", [
    "a: yes", "a: On", "a: 017", "a: 0o17", "a: 1e3", "a: -.5", "a: 1:30", "a: 12:30:00",
    "a: '2024-01-31'", "a: 2024-01-31 10:00:00", "a: !!str 1", "a: &x 1\nb: *x", "a: {b: 1}",
    "---\na: 1", "a: 1\n---\nb: 2", "%YAML 1.1\n---\na: 1", "a: 1\r\nb: 2", "a:\tb", "a: \x07",
    "<<: {}", "a: 2024-02-30", "- id: x", "", "a: '7.2'\nb: 7.2", "a: '7.2'\nb: [7.2]",
])
def test_unsure_texts_go_the_exact_way(text: str) -> None:
    assert quick_parse_file("f.yaml", text.encode()) is None


@pytest.mark.parametrize("text", [
    ORGANISATION,
    ORGANISATION + "systems:\n  - id: a\n    name: \"2025.1\"\n  - id: b\n    name: x\n",
    # a quoted "7.2" beside 77.2 and 7.25, which hold it but are other numbers
    ORGANISATION + "systems:\n  - id: a\n    version: \"7.2\"\n    users: 77.2\n    annual_cost: 7.25\n",
    ORGANISATION + "# a comment\nsystems:\n\n- id: a\n  capabilities:\n  - one\n  - two\n- id: b\n",
])
def test_plain_texts_take_the_fast_lane(text: str) -> None:
    quick = quick_parse_file("f.yaml", text.encode())
    assert quick is not None
    _same_reading(quick, parse_file("f.yaml", text.encode()))


@pytest.mark.parametrize("text", [
    # an entry line hidden in a quoted string continued at the entry's indent
    ORGANISATION + "systems:\n  - id: a\n    name: \"x\n  - id: y\"\n  - id: b\n",
    # a block scalar holding entry-like lines
    ORGANISATION + "systems:\n  - id: a\n    notes: |\n      - id: fake\n  - id: b\n",
    # an entry whose mapping starts on the next line
    ORGANISATION + "systems:\n  -\n    id: a\n",
])
def test_entry_lines_that_do_not_add_up_go_the_exact_way(text: str) -> None:
    quick = quick_parse_file("f.yaml", text.encode())
    assert quick is None or plain(quick.documents[0].body) == plain(parse_file("f.yaml", text.encode()).documents[0].body)
    assert quick is None


def test_an_estate_with_a_problem_is_reported_from_the_exact_reading() -> None:
    text = ORGANISATION + "systems:\n  - id: a\n    name: A\n    colour: red\n"
    files = [("org.yaml", text.encode())]
    assert quick_parse_file("org.yaml", text.encode()) is not None
    exact = validate_estate(load_schema(), [parse_file(name, data) for name, data in files])
    checked = check_files(files)
    assert checked.problems == exact.problems
    assert any(p.location == Location("org.yaml", 9, 5) for p in checked.problems), checked.problems


@settings(FUZZ)
@given(mutated_files())
def test_check_files_reports_what_the_exact_reading_reports(files: list[tuple[str, bytes]]) -> None:
    exact = validate_estate(load_schema(), [parse_file(name, data) for name, data in files])
    assert check_files(files).problems == exact.problems


def test_only_the_files_with_problems_are_read_again() -> None:
    """The second file redefines the first file's vendor: its message quotes the first
    file's item location, which the fast lane gives exactly."""
    first = "format: ictgraph/v1\ncatalogue:\n  vendors:\n    - id: civica\n      name: Civica\n"
    second = "format: ictgraph/v1\n\ncatalogue:\n  vendors:\n    - id: civica\n      name: Civica UK\n"
    files = [("a.yaml", first.encode()), ("b.yaml", second.encode())]
    assert all(quick_parse_file(name, data) is not None for name, data in files)
    exact = validate_estate(load_schema(), [parse_file(name, data) for name, data in files])
    checked = check_files(files)
    assert checked.problems == exact.problems
    assert [p.location.file for p in checked.problems] == ["b.yaml"]
    assert "a.yaml:4:7" in checked.problems[0].hint, checked.problems


# The screening as first written, one pattern at a time: the fast screening must agree with it.
_SCREENS = [re.compile(p) for p in (
    "[!*{\t\r\x85\u2028\u2029]", "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]", "['\"][0-9]{4}-",
    r"(?<=[,\[\n ])[-+]?(?:0[0-9_o]|[0-9][0-9_]*(?:\.[0-9_]*)?[eE]|\.[0-9])[0-9A-Za-z_.:+-]*(?=[ ]*(?:[\n,\]#]|$))")]


@given(st.text(alphabet=st.sampled_from(list("0123456789eE._o+-:, [\n]#aZ'\"!*{\t\r\x00\x7f")), max_size=24))
def test_the_screening_finds_what_its_patterns_one_by_one_find(text: str) -> None:
    markers = text.startswith(("---", "...", "%")) or any(m in text for m in ("\n---", "\n...", "\n%"))
    assert _plain_enough(text) == (not markers and not any(p.search(text) for p in _SCREENS))
