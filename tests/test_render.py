"""Tables for a person at a terminal (queries/render.py, cli_common.emit): 120 columns, the
first 20 rows with a line saying how to see the rest, organisations by name."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ictgraph.cli import app
from ictgraph.queries.render import TERMINAL_WIDTH, to_table

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"


@pytest.mark.parametrize(("cell_width", "clipped"), [(5, False), (40, True), (200, True)])
def test_a_fitted_table_never_exceeds_its_width(cell_width: int, clipped: bool) -> None:
    rows = [[i, "x" * cell_width, "y" * (cell_width // 2), "short"] for i in range(5)]
    text = to_table(["n", "long", "longer heading", "s"], rows, width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert ("…" in text) == clipped


def test_short_columns_keep_their_width_when_others_are_cut() -> None:
    text = to_table(["id", "organisations"], [["E07000117", "a" * 300]], width=50)
    assert text.splitlines()[2].startswith("E07000117  ") and len(text.splitlines()[2]) == 50


@pytest.mark.parametrize(("rows", "limit", "footer"), [(25, 20, "… and 5 more rows"), (20, 20, None), (3, None, None)])
def test_a_limited_table_says_how_many_rows_it_left_out(rows: int, limit: int | None, footer: str | None) -> None:
    lines = to_table(["n"], [[i] for i in range(rows)], limit=limit).splitlines()
    assert len(lines) == 2 + min(rows, limit or rows) + (1 if footer else 0)
    if footer:
        assert lines[-1].startswith(footer) and "--all" in lines[-1] and "--format json" in lines[-1]


@pytest.mark.parametrize("command", [["windows", "--as-of", "2026-11-27"], ["clusters"],
                                     ["plan", "--as-of", "2026-11-27", "--samples", "50"],
                                     ["suggest", "--as-of", "2026-11-27"]])
def test_default_tables_fit_120_columns_and_name_organisations(runner: Any, command: list[str]) -> None:
    result = runner.invoke(app, [command[0], str(SAMPLE), *command[1:], "-q"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= TERMINAL_WIDTH
    assert {"Hartlepool", "Burnley", "Durham", "Middlesbrough", "Fylde"} & set(result.stdout.replace("…", " ").split())
    everything = runner.invoke(app, [command[0], str(SAMPLE), *command[1:], "-q", "--all"])
    assert len(everything.stdout.splitlines()) > len(lines) - 1


def test_the_query_list_in_json_is_objects_with_named_fields(runner: Any) -> None:
    result = runner.invoke(app, ["query", "--list", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["queries"]
    assert listed and all(set(q) == {"area", "name", "parameters", "description"} for q in listed)
    assert "programme_moves" in {q["name"] for q in listed}
