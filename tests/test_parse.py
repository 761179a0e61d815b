"""Step 1: YAML to located values; syntax, encoding, duplicate keys and alias bombs."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from ictgraph.graph_loader.located import LocatedList, LocatedMap
from ictgraph.graph_loader.parse import parse_file
from tests.estates import ROOT


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return ("\n".join(lines) + "\n").encode()


def test_values_carry_their_lines_and_columns() -> None:
    parsed = parse_file("x.yaml", b"format: ictgraph/v1\nsystems:\n  - id: revs\n    users: 5\n")
    body = parsed.documents[0].body
    assert isinstance(body, LocatedMap) and isinstance(body["systems"], LocatedList)
    system = body["systems"][0]
    assert (system.where("users").line, system.where("users").column) == (4, 5)
    assert body["systems"].where(0).line == 3


def test_dates_are_dates_and_quoted_dates_stay_text() -> None:
    body = parse_file("x.yaml", b"a: 2026-03-31\nb: '2026-03-31'\n").documents[0].body
    assert body["a"] == dt.date(2026, 3, 31) and body["b"] == "2026-03-31"


def test_several_documents_keep_their_order() -> None:
    parsed = parse_file("x.yaml", b"a: 1\n---\na: 2\n")
    assert [d.body["a"] for d in parsed.documents] == [1, 2]
    assert parsed.documents[1].location.line == 3


@pytest.mark.parametrize("data,line,column,words", [
    (b"a: [1, 2\n", 2, 1, "YAML syntax error"),
    (b"a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first at line 1)"),
    (b"a: 1\nb: Ynys M\xf4n\n", 2, 10, "not valid UTF-8 (byte 0xf4)"),
    (b"a:\n\t- 1\n", 2, 1, "YAML syntax error"),
    (b"", 1, 1, "the file is empty"),
    (b"# only a comment\n", 1, 1, "the file is empty"),
])
def test_unreadable_files_are_one_clear_problem(data: bytes, line: int, column: int, words: str) -> None:
    parsed = parse_file("bad.yaml", data)
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.location.file, problem.location.line, problem.location.column) == ("bad.yaml", line, column)
    assert words in problem.message


def test_a_byte_order_mark_is_accepted() -> None:
    parsed = parse_file("bom.yaml", "\ufeffname: Ynys Môn\n".encode())
    assert not parsed.problems and parsed.documents[0].body["name"] == "Ynys Môn"


BOMB_SCRIPT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from ictgraph.graph_loader.parse import parse_file
from tests.test_parse import billion_laughs
bomb = billion_laughs()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
parsed = parse_file("bomb.yaml", bomb)
print(json.dumps({"seconds": time.process_time() - started, "messages": [p.message for p in parsed.problems],
                  "grown_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def test_the_billion_laughs_is_refused_quickly_in_bounded_memory() -> None:
    """In a process of its own: ``ru_maxrss`` is a high-water mark, which an earlier test in
    this process may have raised past anything the bomb would add. CPU time, not wall time,
    so that a busy machine does not fail the bound."""
    result = subprocess.run([sys.executable, "-c", BOMB_SCRIPT, str(ROOT)], capture_output=True, text=True,
                            check=True, timeout=300)
    measured = json.loads(result.stdout)
    assert measured["messages"] == ["too many alias expansions (a YAML alias bomb?)"]
    assert measured["seconds"] < 5 and measured["grown_kib"] < 200_000


def test_honest_aliases_still_work() -> None:
    parsed = parse_file("x.yaml", b"base: &caps [council-tax, business-rates]\nother: *caps\n")
    assert not parsed.problems and parsed.documents[0].body["other"] == ["council-tax", "business-rates"]


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    parsed = parse_file("deep.yaml", b"a: " + b"[" * 200 + b"]" * 200 + b"\n")
    assert parsed.problems and "nesting deeper" in parsed.problems[0].message
