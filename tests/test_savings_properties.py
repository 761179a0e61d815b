"""The savings model as properties: ranges ordered, totals equal the sum of their parts, no
organisation's spend counted twice, and every result moving the right way when a parameter
moves. Written against the public functions of queries/suggest/savings.py and the output of
``suggest`` (every suggestion kind), so that new kinds are held to the same rules."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import build_graph, load_graph, rows_from_files
from ictgraph.queries.allocation import allocated_costs, annual_costs
from ictgraph.queries.suggest.savings import Range, SavingsModel, annual_saving, migration_cost, part_npv
from ictgraph.queries.suggest.savings_file import load_savings_model
from ictgraph.queries.suggest.savings_file import savings_model_from_mapping
from ictgraph.queries.suggest import suggest

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
ZERO = Range(0, 0, 0)
BOUNDS = ("low", "central", "high")

money = st.floats(min_value=0, max_value=5e7, allow_nan=False)
triples = st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3).map(sorted)
days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 1, 1))
# Discount rates: 0, or at least 1e-4. Tinier positive rates divide by zero in stream_value
# (test_a_tiny_discount_rate_is_not_a_division_by_zero below).
rates = st.just(0.0) | st.floats(1e-4, 0.2)


def model(**values: Any) -> SavingsModel:
    """The defaults with ``values`` laid over them (ranges as three sorted numbers)."""
    data = {k: dict(zip(BOUNDS, v)) if isinstance(v, list) else v for k, v in values.items()}
    return savings_model_from_mapping(data, "property", load_savings_model())


def ordered(amount: Range | dict[str, Any]) -> bool:
    low, central, high = (amount.low, amount.central, amount.high) if isinstance(amount, Range) else \
        (amount["low"], amount["central"], amount["high"])
    return bool(low <= central <= high)


def not_above(a: Range, b: Range, slack: float = 1e-6) -> bool:
    pairs = zip((a.low, a.central, a.high), (b.low, b.central, b.high))
    return all(x <= y + slack * max(1.0, abs(y)) for x, y in pairs)


# --- the money functions --------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(money, triples, st.floats(0, 3, allow_nan=False), st.just(0.0) | st.floats(1e-4, 1), days, days)
def test_every_range_is_ordered(value: float, rate: list[float], bias: float, discount: float,
                                live: dt.date, paid: dt.date) -> None:
    m = model(saving_rate=rate, optimism_bias=bias, discount_rate=discount)
    saving, cost = annual_saving(value, m), migration_cost(value, m)
    assert ordered(saving) and ordered(cost) and ordered(migration_cost(value, m, same_product=True))
    assert ordered(part_npv(saving.rounded(), live, cost.rounded(), paid, AS_OF, m))


@settings(max_examples=200, deadline=None)
@given(money, st.floats(0, 0.5, allow_nan=False), rates, st.just(0.0) | st.floats(1e-4, 0.3), days, days)
def test_npv_falls_as_the_discount_rate_rises(value: float, rate: float, low_r: float, more: float,
                                              live: dt.date, paid: dt.date) -> None:
    near, far = model(discount_rate=low_r), model(discount_rate=min(1.0, low_r + more))
    saving, cost = Range(value * rate, value * rate, value * rate), migration_cost(value, near)
    # a stream of savings is worth less, a one-off cost paid later costs less today
    assert not_above(part_npv(saving, live, ZERO, live, AS_OF, far), part_npv(saving, live, ZERO, live, AS_OF, near))
    assert not_above(part_npv(ZERO, live, cost, paid, AS_OF, near), part_npv(ZERO, live, cost, paid, AS_OF, far))
    # so when the cost is paid up front the whole net present value falls
    assert not_above(part_npv(saving, live, cost, AS_OF, AS_OF, far), part_npv(saving, live, cost, AS_OF, AS_OF, near))


@settings(max_examples=200, deadline=None)
@given(money, st.floats(0, 2, allow_nan=False), st.floats(0, 1, allow_nan=False), days, days)
def test_optimism_bias_raises_costs_and_lowers_npv_only(value: float, bias: float, more: float,
                                                        live: dt.date, paid: dt.date) -> None:
    calm, wary = model(optimism_bias=bias), model(optimism_bias=bias + more)
    assert annual_saving(value, calm) == annual_saving(value, wary)
    assert not_above(migration_cost(value, calm), migration_cost(value, wary))
    saving = annual_saving(value, calm)
    assert not_above(part_npv(saving, live, migration_cost(value, wary), paid, AS_OF, wary),
                     part_npv(saving, live, migration_cost(value, calm), paid, AS_OF, calm))


@settings(max_examples=200, deadline=None)
@given(money, money, triples, st.floats(0, 0.5, allow_nan=False), days)
def test_savings_grow_with_the_rate_and_add_up_over_parts(a: float, b: float, rate: list[float], more: float,
                                                          live: dt.date) -> None:
    base, richer = model(saving_rate=rate), model(saving_rate=[min(1.0, r + more) for r in rate])
    assert not_above(annual_saving(a, base), annual_saving(a, richer))
    together, apart = annual_saving(a + b, base), annual_saving(a, base).plus(annual_saving(b, base))
    assert all(abs(x - y) <= 1e-6 * max(1.0, x) for x, y in zip((together.low, together.central, together.high),
                                                                  (apart.low, apart.central, apart.high)))


def test_a_tiny_discount_rate_is_not_a_division_by_zero() -> None:
    m = model(discount_rate=1e-17)
    npv = part_npv(Range(100, 100, 100), AS_OF, ZERO, AS_OF, AS_OF, m)
    assert npv.central == pytest.approx(100 * m.horizon_years)


# --- suggestions of every kind ----------------------------------------------------------------------

def _parts(s: dict[str, Any]) -> list[dict[str, Any]]:
    return list(s["steps"]) + list(s["already_there"])


def check_suggestion(s: dict[str, Any], costs: dict[tuple[str, str, str], float]) -> None:
    """The rules every suggestion keeps, whatever its kind."""
    for key in ("annual_saving", "npv", "one_off_cost_range"):
        assert ordered(s[key]), (s["id"], key)
    parts = _parts(s)
    organisations = [p["organisation"] for p in parts]
    assert len(organisations) == len(set(organisations)), f"{s['id']}: an organisation is counted twice"
    for bound in BOUNDS:
        assert s["annual_saving"][bound] == sum(p["annual_saving"][bound] for p in parts), (s["id"], bound)
        assert s["npv"][bound] == sum(p["npv"][bound] for p in parts), (s["id"], bound)
        assert s["one_off_cost_range"][bound] == sum(p["one_off_cost_range"][bound] for p in s["steps"]), s["id"]
    assert s["one_off_cost"] == sum(p["one_off_cost"] for p in s["steps"])
    if s["kind"] == "shared-platform":           # its spend base is the benchmark's allocation, once per organisation
        for p in parts:
            spend = sum(costs.get((p["organisation"], c, s["currency"]), 0.0) for c in p["capabilities"])
            assert p["annual_value"] is None or abs(p["annual_value"] - spend) <= 1, (s["id"], p["organisation"])


Sample = tuple[dict[str, Any], dict[tuple[str, str, str], float]]


@pytest.fixture(scope="module")
def sample() -> Sample:
    graph = load_graph([ROOT / "fixtures" / "sample"])
    return suggest(graph, as_of=AS_OF), annual_costs(allocated_costs(graph))


def test_every_sample_suggestion_keeps_the_rules(sample: Sample) -> None:
    result, costs = sample
    assert len({s["kind"] for s in result["suggestions"]}) >= 2
    for s in result["suggestions"]:
        check_suggestion(s, costs)


def test_the_effective_assumptions_are_printed(sample: Sample) -> None:
    block = sample[0]["assumptions"]
    assert block["discount_rate"] == 0.035 and block["saving_rate"] == {"low": 0.1, "central": 0.2, "high": 0.25}
    assert "Green Book" in block["sources"]["discount_rate"] and block["optimism_bias"] >= 0


PRODUCTS = ("capita/revenues", "nec/revenues")
CATALOGUE = {"format": "ictgraph/v1", "catalogue": {
    "vendors": [{"id": "capita", "name": "Capita"}, {"id": "nec", "name": "NEC"}],
    "products": [{"id": p, "name": p, "vendor": p.split("/")[0]} for p in PRODUCTS],
    "capabilities": [{"id": "revenues", "name": "Revenues"},
                     {"id": "council-tax", "name": "Council tax", "parent": "revenues"},
                     {"id": "business-rates", "name": "Business rates", "parent": "revenues"}]}}


@st.composite
def estates(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    """2–6 neighbouring districts on two revenues products, with contracts ending 2027–2031."""
    ids = [f"D{i}" for i in range(draw(st.integers(2, 6)))]
    docs: list[dict[str, Any]] = [CATALOGUE]
    for i, oid in enumerate(ids):
        caps = ["council-tax", "business-rates"][: draw(st.integers(1, 2))]
        end = draw(st.dates(dt.date(2027, 1, 1), dt.date(2031, 12, 31)))
        docs.append({"format": "ictgraph/v1", "organisation": {
            "id": oid, "name": oid, "type": "district", "nation": "England", "region": "East",
            "population": draw(st.integers(20_000, 400_000)), "neighbours": [o for o in ids if o != oid][:3]},
            "systems": [{"id": "revs", "name": "Revenues", "product": draw(st.sampled_from(PRODUCTS)),
                         "capabilities": caps, "hosting": "saas"}],
            "contracts": [{"id": "c-revs", "supplier": "capita", "covers": ["revs"], "start": "2020-01-01",
                           "end": end.isoformat(), "annual_value": draw(st.integers(10_000, 900_000))}]})
    return [(f"{i}.yaml", yaml.safe_dump(d, sort_keys=False).encode()) for i, d in enumerate(docs)]


def _by_id(graph: Any, m: SavingsModel) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in suggest(graph, as_of=AS_OF, model=m)["suggestions"]}


def _same_path(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def path(s: dict[str, Any]) -> list[tuple[str, Any]]:
        return [(p["organisation"], p.get("go_live")) for p in _parts(s)]
    return path(a) == path(b)


def test_suggestions_keep_the_rules_and_move_the_right_way() -> None:
    exercised: Counter[str] = Counter()           # the examples must have checked and compared something

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(estates(), rates, st.floats(0.01, 0.2), st.floats(0, 1), st.floats(0, 0.15))
    def keep_the_rules(files: list[tuple[str, bytes]], r: float, more_r: float,
                       more_bias: float, more_rate: float) -> None:
        graph = build_graph(*rows_from_files(files))
        costs = annual_costs(allocated_costs(graph))
        base = model(discount_rate=r)
        start = _by_id(graph, base)
        for s in start.values():
            check_suggestion(s, costs)
            exercised["suggestions"] += 1
        moved = {"discount": _by_id(graph, model(discount_rate=min(1.0, r + more_r))),
                 "bias": _by_id(graph, model(discount_rate=r, optimism_bias=base.optimism_bias + more_bias)),
                 "rate": _by_id(graph, model(discount_rate=r, saving_rate=[min(1.0, v + more_rate) for v in
                                                                             (0.10, 0.20, 0.25)]))}
        for sid, s in start.items():
            for what, other in ((w, moved[w].get(sid)) for w in moved):
                if other is None or not _same_path(s, other):
                    continue          # a moved parameter may change who joins: compare like with like
                exercised[what] += 1
                if what == "discount":
                    assert other["annual_saving"] == s["annual_saving"] and other["one_off_cost"] == s["one_off_cost"]
                    leads = [p for p in s["already_there"] if p["npv"]["central"] > 0]
                    for lead in leads:    # a saving with no cost attached is worth less at a higher rate
                        after = next(p for p in other["already_there"] if p["organisation"] == lead["organisation"])
                        assert after["npv"]["central"] <= lead["npv"]["central"] + 1
                elif what == "bias":
                    assert other["annual_saving"] == s["annual_saving"]
                    assert other["one_off_cost"] >= s["one_off_cost"] and other["npv"]["central"] <= s["npv"]["central"] + 1
                else:
                    assert all(other["annual_saving"][b] >= s["annual_saving"][b] for b in BOUNDS)

    keep_the_rules()
    assert all(exercised[what] > 0 for what in ("suggestions", "discount", "bias", "rate")), exercised
