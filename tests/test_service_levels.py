"""Levels of service read from the graph (queries/service_levels.py): periods, the latest value
per measure (optionally on or before a date), and comparison by the measure's direction."""
from __future__ import annotations

import datetime as dt

import pytest

from ictgraph.queries.service_levels import (Measure, compare_levels, iter_levels, latest_levels, measures,
                                             measures_by_capability, period_end)
from tests.service_estates import small_estate, with_service

MEASURES = [("collected", "Council tax collected", "council-tax", "higher"),
            ("days", "Days to process a change", "council-tax", "lower"),
            ("calls", "Calls received", "revenues", "none")]


@pytest.fixture
def graph():  # type: ignore[no-untyped-def]
    levels = [("A", "collected", "2021-22", 95.0), ("A", "collected", "2022-23", 96.0),
              ("A", "collected", "2023-09-30", 97.0), ("A", "days", "2022-23", 12.0),
              ("B", "collected", "2022-23", 94.5), ("B", "collected", "2022-03-31", 99.0)]
    return with_service(small_estate({"A": 1000.0, "B": 2000.0}), MEASURES, levels)


@pytest.mark.parametrize("period, end", [("2022-23", dt.date(2023, 3, 31)), ("2099-00", dt.date(2100, 3, 31)),
                                         ("2024-03-31", dt.date(2024, 3, 31)), ("2024-02-29", dt.date(2024, 2, 29))])
def test_a_period_ends_on_31_march_of_its_second_year_or_on_its_date(period: str, end: dt.date) -> None:
    assert period_end(period) == end


@pytest.mark.parametrize("period", ["2022", "22-23", "2024-13-01", ""])
def test_a_malformed_period_is_a_clear_error(period: str) -> None:
    with pytest.raises(ValueError, match="a period is a financial year YYYY-YY or a date YYYY-MM-DD"):
        period_end(period)


def test_measures_carry_their_capability_and_direction(graph) -> None:  # type: ignore[no-untyped-def]
    found = measures(graph)
    assert found["days"] == Measure("days", "Days to process a change", "council-tax", "lower")
    assert [m.id for m in measures_by_capability(found)["council-tax"]] == ["collected", "days"]
    assert list(measures_by_capability(found)) == ["council-tax", "revenues"]


def test_the_latest_level_is_the_one_ending_last(graph) -> None:  # type: ignore[no-untyped-def]
    assert latest_levels(graph) == {"A": {"collected": ("2023-09-30", 97.0), "days": ("2022-23", 12.0)},
                                    "B": {"collected": ("2022-23", 94.5)}}


@pytest.mark.parametrize("as_of, a_collected", [(dt.date(2023, 9, 29), ("2022-23", 96.0)),
                                                (dt.date(2023, 9, 30), ("2023-09-30", 97.0)),
                                                (dt.date(2022, 3, 31), ("2021-22", 95.0))])
def test_as_of_ignores_levels_ending_after_it(graph, as_of: dt.date, a_collected: tuple[str, float]) -> None:  # type: ignore[no-untyped-def]
    assert latest_levels(graph, as_of=as_of)["A"]["collected"] == a_collected


def test_an_organisation_with_nothing_before_the_date_is_absent(graph) -> None:  # type: ignore[no-untyped-def]
    assert latest_levels(graph, as_of=dt.date(2021, 1, 1)) == {}


def test_a_date_ending_with_a_financial_year_wins_the_tie() -> None:
    graph = with_service(small_estate({"A": 1.0}), MEASURES[:1],
                         [("A", "collected", "2023-24", 1.0), ("A", "collected", "2024-03-31", 2.0)])
    assert latest_levels(graph) == {"A": {"collected": ("2024-03-31", 2.0)}}


def test_levels_are_sorted_and_blank_values_left_out(graph) -> None:  # type: ignore[no-untyped-def]
    graph.nodes[("ServiceLevel", "B/collected/2022-23")]["value"] = None
    levels = list(iter_levels(graph))
    assert levels == sorted(levels) and len(levels) == 5
    assert latest_levels(graph)["B"] == {"collected": ("2022-03-31", 99.0)}


@pytest.mark.parametrize("value, other, better, expected", [
    (97.0, 96.0, "higher", "better"), (95.0, 96.0, "higher", "worse"), (96.0, 96.0, "higher", "same"),
    (10.0, 12.0, "lower", "better"), (14.0, 12.0, "lower", "worse"), (12.0, 12.0, "lower", "same"),
    (1.0, 2.0, "none", None), (2.0, 2.0, "none", None)])
def test_values_compare_by_the_measures_direction(value: float, other: float, better: str,
                                                  expected: str | None) -> None:
    assert compare_levels(value, other, better) == expected


def test_levels_loaded_from_yaml_read_as_the_hand_made_graph() -> None:
    from tests.estates import CATALOGUE, graph_of
    measures_doc = """\
    format: ictgraph/v1.1
    catalogue:
      measures:
        - {id: collected, name: Council tax collected, capability: council-tax, better: higher, unit: percent}
    """
    org = """\
    format: ictgraph/v1.1
    organisation: {id: E06000005, name: Darlington, type: unitary}
    service_levels:
      - {measure: Council tax collected, financial_year: 2022-23, value: 96.4}
      - {measure: collected, date: 2024-03-31, value: 96.9}
      - {measure: collected, financial_year: 2023-24, value: 95.0}
    """
    graph = graph_of(c=CATALOGUE, m=measures_doc, d=org)
    assert measures(graph)["collected"] == Measure("collected", "Council tax collected", "council-tax", "higher",
                                                   "percent")
    assert [(lv.period, lv.value) for lv in iter_levels(graph)] == [("2022-23", 96.4), ("2023-24", 95.0),
                                                                    ("2024-03-31", 96.9)]
    assert latest_levels(graph) == {"E06000005": {"collected": ("2024-03-31", 96.9)}}
