"""The savings model (queries/suggest/savings.py, queries/suggest/savings_file.py): defaults, replacement files, errors, and the money
arithmetic, with its sanity rules as hypothesis properties."""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.suggest.savings import (Range, annual_saving, break_cost, discounted, migration_cost, months_between, part_npv,
                             stream_value)
from ictgraph.queries.suggest.savings_file import default_savings_model, load_savings_model, savings_model_from_mapping

AS_OF = dt.date(2026, 11, 27)


def test_defaults_are_the_documented_evidence() -> None:
    model = load_savings_model(None)
    assert model.saving_rate == Range(0.10, 0.20, 0.25)
    assert (model.migration_multiple.low, model.migration_multiple.high) == (1.0, 1.5)
    assert model.discount_rate == 0.035
    assert model.schedule.window_months == 12
    assert model.origin.startswith("defaults")


def test_assumptions_block_prints_every_value_and_its_source() -> None:
    block = load_savings_model().assumptions()
    assert list(block) == ["model", "saving_rate", "migration_multiple", "same_product_factor", "optimism_bias",
                           "break_ratio", "discount_rate", "horizon_years", "schedule", "grouping", "score",
                           "datacentre", "network", "skills", "management", "joint_procurement", "sources"]
    assert set(block["sources"]) == set(block) - {"model", "sources"}
    assert "Green Book" in block["sources"]["discount_rate"]
    json.dumps(block)  # plain data


@pytest.mark.parametrize(("name", "text"), [
    ("model.yaml", "saving_rate: {low: 0.05, central: 0.1, high: 0.15}\nschedule: {window_months: 6}\n"),
    ("model.json", '{"saving_rate": {"low": 0.05, "central": 0.1, "high": 0.15}, "schedule": {"window_months": 6}}'),
])
def test_a_file_replaces_only_what_it_names(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    model = load_savings_model(path)
    assert model.saving_rate == Range(0.05, 0.1, 0.15)
    assert model.schedule.window_months == 6
    assert model.schedule.lead_time_months == default_savings_model().schedule.lead_time_months
    assert model.discount_rate == 0.035
    sources = dict(model.sources)
    assert sources["saving_rate"] == f"replaced by {path}" and sources["schedule"] == f"replaced by {path}"
    assert "Green Book" in sources["discount_rate"]
    assert model.origin == str(path)


def test_a_file_may_give_its_own_sources(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("discount_rate: 0.03\nsources: {discount_rate: our finance team}\n", encoding="utf-8")
    assert dict(load_savings_model(path).sources)["discount_rate"] == "our finance team"


@pytest.mark.parametrize(("text", "message"), [
    ("saving_rte: {low: 0.1, central: 0.2, high: 0.3}", "unknown key 'saving_rte' (did you mean 'saving_rate'?)"),
    ("saving_rate: {low: 0.3, central: 0.2, high: 0.25}", "saving_rate must have low <= central <= high"),
    ("saving_rate: {low: -0.1, central: 0.2, high: 0.25}", "saving_rate.low must be a number between 0 and 1"),
    ("saving_rate: {low: 0.1, high: 0.25}", "saving_rate must have exactly low, central and high"),
    ("discount_rate: lots", "discount_rate must be a number between 0 and 1, not 'lots'"),
    ("horizon_years: 7.5", "horizon_years must be a whole number between 1 and 100"),
    ("schedule: {break_early: maybe}", "schedule.break_early must be true or false"),
    ("schedule: {window: 6}", "unknown key 'schedule.window'"),
    ("grouping: {max_hops: 3}", "grouping.max_hops must be a whole number between 1 and 2"),
    ("score: {value_scale: 0}", "score.value_scale must be a number"),
    ("sources: [a, b]", "sources must map parameter names to text"),
    ("- just\n- a list", "must be a mapping of parameters"),
    ("saving_rate: {low: 0.1", "is not valid YAML"),
])
def test_a_bad_file_is_a_usage_error_naming_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_savings_model(path)
    assert message in caught.value.message and str(path) in caught.value.message
    assert caught.value.hint


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(UsageError) as caught:
        savings_model_from_mapping({"discount_rate": 2, "optimism_bias": -1}, "x.yaml", default_savings_model())
    assert "discount_rate" in caught.value.message and "optimism_bias" in caught.value.message


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read savings model"):
        load_savings_model(tmp_path / "absent.yaml")


def test_bad_json_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="is not valid JSON"):
        load_savings_model(path)


# --- the money arithmetic -------------------------------------------------------------------

def test_annual_saving_and_migration_cost() -> None:
    model = default_savings_model()
    assert annual_saving(100_000, model) == Range(10_000, 20_000, 25_000)
    cost = migration_cost(100_000, model)
    assert (round(cost.low), round(cost.central), round(cost.high)) == (110_000, 137_500, 165_000)
    half = migration_cost(100_000, model, same_product=True)
    assert round(half.central) == round(cost.central * model.same_product_factor)


@pytest.mark.parametrize(("go_live", "end", "expected"), [
    (dt.date(2028, 4, 1), dt.date(2028, 3, 31), 0.0),          # after the end: nothing to break
    (dt.date(2028, 3, 31), dt.date(2028, 3, 31), 0.0),
    (dt.date(2027, 3, 31), dt.date(2028, 3, 31), 366 * 12 / 365.25 * 1000 * 0.5),
])
def test_break_cost(go_live: dt.date, end: dt.date, expected: float) -> None:
    assert break_cost(12_000, go_live, end, 0.5) == pytest.approx(expected)


def test_stream_value_matches_a_fine_sum() -> None:
    rate, steps = 0.035, 100_000
    numeric = sum(1000 / (1 + rate) ** (2 + (i + 0.5) * 8 / steps) * 8 / steps for i in range(steps))
    assert stream_value(1000, 2, 10, rate) == pytest.approx(numeric, rel=1e-6)
    assert stream_value(1000, 0, 10, 0.0) == 10_000
    assert stream_value(1000, 11, 10, rate) == 0.0
    assert discounted(1000, 1, rate) == pytest.approx(1000 / 1.035)
    assert discounted(1000, -1, rate) == 1000


# --- properties ---------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=5e7, allow_nan=False)
rates = st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=3, max_size=3).map(sorted)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2040, 1, 1))


def _model(rate: list[float], multiple: list[float] | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"saving_rate": dict(zip(("low", "central", "high"), rate))}
    if multiple:
        data["migration_multiple"] = dict(zip(("low", "central", "high"), multiple))
    return savings_model_from_mapping(data, "test", default_savings_model())


@settings(max_examples=200, deadline=None)
@given(money, rates, st.lists(st.floats(0, 5, allow_nan=False), min_size=3, max_size=3).map(sorted), days, days)
def test_npv_ranges_are_ordered(value: float, rate: list[float], multiple: list[float], live: dt.date,
                                paid: dt.date) -> None:
    model = _model(rate, multiple)
    saving, cost = annual_saving(value, model).rounded(), migration_cost(value, model).rounded()
    npv = part_npv(saving, live, cost, paid, AS_OF, model)
    for amount in (saving, cost, npv):
        assert amount.low <= amount.central <= amount.high


@settings(max_examples=200, deadline=None)
@given(money, rates, st.floats(0, 0.5, allow_nan=False), days)
def test_savings_are_monotone_in_the_saving_rate(value: float, rate: list[float], more: float,
                                                 live: dt.date) -> None:
    higher = [min(1.0, r + more) for r in rate]
    low_model, high_model = _model(rate), _model(higher)
    a, b = annual_saving(value, low_model), annual_saving(value, high_model)
    assert all(x <= y for x, y in zip((a.low, a.central, a.high), (b.low, b.central, b.high)))
    cost = migration_cost(value, low_model)
    npv_a = part_npv(a, live, cost, live, AS_OF, low_model)
    npv_b = part_npv(b, live, cost, live, AS_OF, high_model)
    assert all(x <= y + 1e-6 for x, y in zip((npv_a.low, npv_a.central, npv_a.high),
                                             (npv_b.low, npv_b.central, npv_b.high)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(money, money, money).map(sorted), max_size=8))
def test_rounded_totals_are_sums_of_rounded_parts(parts: list[list[float]]) -> None:
    ranges = [Range(*p).rounded() for p in parts]
    total = Range(0, 0, 0)
    for r in ranges:
        total = total.plus(r)
    assert total.central == sum(r.central for r in ranges)
    assert total.low <= total.central <= total.high
    assert all(isinstance(v, int) for r in ranges for v in (r.low, r.central, r.high))


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 1, 1)), days)
def test_months_between_is_never_negative(a: dt.date, b: dt.date) -> None:
    assert months_between(a, b) >= 0
    assert math.isclose(months_between(a, b), max(0, (b - a).days) * 12 / 365.25)


def test_an_empty_file_keeps_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing replaced\n", encoding="utf-8")
    model = load_savings_model(path)
    assert model.assumptions() | {"model": ""} == default_savings_model().assumptions() | {"model": ""}
