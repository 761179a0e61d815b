"""``benchmark --view service`` (queries/service_benchmark.py): peer quartiles by hand on a small
estate, direction respected, null for a measure without a direction, cost per head beside it,
the standing words, the JSON shape, determinism and the command line."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ictgraph.queries.peers import distribution

from ictgraph.cli import app
from ictgraph.queries.render import to_json
from ictgraph.queries.service_benchmark import (service_benchmark, service_people_table, service_quartile, service_table,
                                                standings, subtree)
from tests.service_estates import small_estate, with_service

MEASURES = [("collected", "Council tax collected", "council-tax", "higher"),
            ("days", "Days to process a change", "council-tax", "lower"),
            ("calls", "Calls received", "revenues", "none")]
# Five districts of 100,000: values 90, 92, 94, 96, 98 give P25 92, median 94, P75 96 (QUARTILE.INC).
VALUES = {"D1": 90.0, "D2": 92.0, "D3": 94.0, "D4": 96.0, "D5": 98.0}
COSTS = {"D1": 100_000.0, "D2": 200_000.0, "D3": 300_000.0, "D4": 400_000.0, "D5": 500_000.0}


def _graph(**more: float | None) -> Any:
    graph = small_estate({**COSTS, **more})
    levels = [(o, m, "2022-23", v) for o, v in VALUES.items() for m in ("collected", "days", "calls")]
    levels += [("D1", "collected", "2021-22", 99.0)]      # older: not the latest
    return with_service(graph, MEASURES, levels)


def _rows(result: dict[str, Any], measure: str) -> dict[str, dict[str, Any]]:
    found = next(m for m in result["measures"] if m["measure"] == measure)
    return {r["organisation"]: r for r in found["rows"]}


def test_the_json_has_exactly_the_documented_shape() -> None:
    result = service_benchmark(_graph())
    assert list(result) == ["measures"]
    assert [m["measure"] for m in result["measures"]] == ["calls", "collected", "days"]
    first = result["measures"][1]
    assert list(first) == ["measure", "name", "capability", "better", "rows"]
    assert (first["name"], first["capability"], first["better"]) == ("Council tax collected", "council-tax", "higher")
    assert list(first["rows"][0]) == ["organisation", "period", "value", "peer_group", "peer_median", "quartile",
                                      "cost_per_head"]


@pytest.mark.parametrize("measure, expected", [
    ("collected", {"D1": 4, "D2": 3, "D3": 2, "D4": 1, "D5": 1}),   # higher is better: at or above P75 is 1
    ("days", {"D1": 1, "D2": 1, "D3": 2, "D4": 3, "D5": 4}),        # lower is better: the lowest is 1
    ("calls", {o: None for o in VALUES})])                           # no direction: no quartile
def test_peer_quartiles_agree_with_a_computation_by_hand(measure: str, expected: dict[str, int | None]) -> None:
    rows = _rows(service_benchmark(_graph()), measure)
    assert {o: r["quartile"] for o, r in rows.items()} == expected
    assert {r["peer_median"] for r in rows.values()} == {94.0}
    assert {r["peer_group"] for r in rows.values()} == {"district, 100k-250k"}


@given(st.lists(st.integers(-1000, 1000), min_size=2, max_size=30), st.integers(-1000, 1000))
def test_higher_is_better_is_the_mirror_of_lower_is_better(values: list[int], value: int) -> None:
    up, down = distribution(values), distribution([-v for v in values])
    assert service_quartile(up, value, "higher") == service_quartile(down, -value, "lower")
    best, worst = max(values), min(values)
    assert service_quartile(up, best, "higher") == 1 and service_quartile(up, worst, "lower") == 1
    assert service_quartile(up, value, "none") is None


def test_the_latest_value_is_compared_and_cost_per_head_sits_beside_it() -> None:
    rows = _rows(service_benchmark(_graph()), "collected")
    assert (rows["D1"]["period"], rows["D1"]["value"]) == ("2022-23", 90.0)
    assert {o: r["cost_per_head"] for o, r in rows.items()} == {"D1": 1.0, "D2": 2.0, "D3": 3.0, "D4": 4.0, "D5": 5.0}


def test_a_parent_capabilitys_cost_includes_its_descendants() -> None:
    rows = _rows(service_benchmark(_graph()), "calls")          # measures revenues, the parent of council tax
    assert rows["D3"]["cost_per_head"] == 3.0
    assert subtree("revenues", {"revenues": None, "council-tax": "revenues", "business-rates": "revenues",
                                "planning": None}) == {"revenues", "council-tax", "business-rates"}


def test_an_organisation_without_peers_enough_is_shown_but_not_compared() -> None:
    result = service_benchmark(_graph(), min_peers=6)
    row = _rows(result, "collected")["D3"]
    assert (row["peer_group"], row["peer_median"], row["quartile"]) == (None, None, None)
    assert row["value"] == 94.0


def test_an_organisation_without_a_cost_has_no_cost_per_head() -> None:
    graph = _graph(D6=None)
    with_service(graph, [], [("D6", "collected", "2022-23", 93.0)])
    rows = _rows(service_benchmark(graph), "collected")
    assert rows["D6"]["cost_per_head"] is None and rows["D6"]["quartile"] == 3


def test_an_estate_without_measures_gives_no_measures() -> None:
    assert service_benchmark(small_estate({"D1": 1.0})) == {"measures": []}


def test_standing_words_follow_the_cost_and_service_halves() -> None:
    result = service_benchmark(_graph())
    rows = next(m for m in result["measures"] if m["measure"] == "collected")["rows"]
    # cost median 3.0 (D3); good = quartile 1 or 2
    assert standings(rows) == ["cheap and poor", "cheap and poor", "cheap and good", "dear and good", "dear and good"]
    calls = next(m for m in result["measures"] if m["measure"] == "calls")["rows"]
    assert standings(calls) == [None] * 5


def test_the_table_has_one_row_per_measure_and_organisation() -> None:
    columns, rows = service_table(service_benchmark(_graph()), {"D1": "Council D1"})
    assert columns[-1] == "standing" and len(rows) == 15
    assert rows[5] == ["collected", "higher", "D1", "Council D1", "2022-23", "90", "district, 100k-250k", "94", 4,
                       1.0, "cheap and poor"]
    assert service_table(service_benchmark(_graph()))[1][6][3] == ""


def test_the_terminal_table_names_organisations_and_fits_a_line() -> None:
    columns, rows = service_people_table(service_benchmark(_graph()), {"D1": "Council D1"})
    assert columns == ["measure", "organisation", "period", "value", "peer median", "quartile", "cost per head",
                       "standing"]
    assert rows[5] == ["collected", "Council D1", "2022-23", "90", "94", 4, 1.0, "cheap and poor"]
    assert rows[6][1] == "D2"                                    # no name: the id


def test_the_same_estate_gives_the_same_bytes() -> None:
    assert to_json(service_benchmark(_graph())) == to_json(service_benchmark(_graph()))


def test_the_command_line_runs_the_service_view_on_the_sample() -> None:
    result = CliRunner().invoke(app, ["benchmark", "fixtures/sample", "--view", "service", "--format", "json",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "measures": [')
