"""The benchmark (queries/allocation.py, queries/peers.py, queries/benchmark.py): the allocation
rule, peer groups, quartiles and outliers, sums of parts, determinism, and the sample."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import build_graph, load_graph, rows_from_files
from ictgraph.queries.allocation import CostLine, allocated_costs, annual_costs, named_users
from ictgraph.queries.benchmark import VIEWS, benchmark, benchmark_table
from ictgraph.queries.estate import Organisation
from ictgraph.queries.peers import assign_peer_groups, distribution, peer_keys, population_band
from ictgraph.queries.render import to_json
from tests.synthetic_estate import run_with_hash_seeds, shuffle_estate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "sample"
CATALOGUE = {"format": "ictgraph/v1", "catalogue": {
    "vendors": [{"id": "civica", "name": "Civica"}, {"id": "idox", "name": "Idox"}],
    "products": [{"id": "civica/revs", "name": "Revs", "vendor": "civica"},
                 {"id": "idox/uniform", "name": "Uniform", "vendor": "idox"}],
    "capabilities": [{"id": c, "name": c} for c in ("council-tax", "business-rates", "planning", "gis")]}}


def org(oid: str, systems: list[dict[str, Any]], contracts: list[dict[str, Any]] = (),  # type: ignore[assignment]
        otype: str = "district", population: int | None = 100_000) -> dict[str, Any]:
    head: dict[str, Any] = {"id": oid, "name": f"Council {oid}", "type": otype}
    if population is not None:
        head["population"] = population
    return {"format": "ictgraph/v1", "organisation": head, "systems": systems, "contracts": list(contracts)}


def system(local: str, caps: list[str], *, product: str | None = "civica/revs", users: int | None = 10,
           cost: float | None = None, **more: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": local, "name": local, "capabilities": caps, "hosting": "saas", **more}
    item.update({"product": product} if product else {"bespoke": True})
    item.update({"users": users} if users is not None else {})
    return item | ({"annual_cost": cost} if cost is not None else {})


def contract(local: str, covers: list[str], value: float | None, start: str = "2024-01-01",
             end: str = "2028-12-31", **more: Any) -> dict[str, Any]:
    item = {"id": local, "supplier": "civica", "covers": covers, "start": start, "end": end, **more}
    return item | ({"annual_value": value} if value is not None else {})


def graph_of(*docs: dict[str, Any]) -> nx.MultiDiGraph:
    files = [(f"{i}.yaml", yaml.safe_dump(d, sort_keys=False).encode()) for i, d in enumerate([CATALOGUE, *docs])]
    return build_graph(*rows_from_files(files))


TWO = graph_of(
    org("D1", [system("revs", ["council-tax", "business-rates"], users=30),
               system("plan", ["planning"], product="idox/uniform"),
               system("gis", ["gis"], product=None, cost=900.0), system("spare", ["gis"], product=None)],
        [contract("c1", ["revs", "plan"], 1200.0),
         contract("c-old", ["plan"], 600.0, start="2018-01-01", end="2020-12-31")]),
    org("D2", [system("revs", ["council-tax"], users=None, cost=50.0)],
        [contract("c2", ["revs", "D1/revs"], 400.0, parties=["D1"]), contract("c-none", ["revs"], None)]),
)


# --- the allocation rule ----------------------------------------------------------------------

def test_a_contract_is_split_over_systems_then_capabilities_and_own_costs_fill_the_gaps() -> None:
    lines = {(x.organisation, x.capability, x.system, x.contract): x.annual_cost for x in allocated_costs(TWO)}
    assert lines == {
        ("D1", "business-rates", "D1/revs", "D1/c1"): 300.0, ("D1", "council-tax", "D1/revs", "D1/c1"): 300.0,
        ("D1", "planning", "D1/plan", "D1/c1"): 600.0, ("D1", "planning", "D1/plan", "D1/c-old"): 600.0,
        ("D1", "business-rates", "D1/revs", "D2/c2"): 100.0, ("D1", "council-tax", "D1/revs", "D2/c2"): 100.0,
        ("D2", "council-tax", "D2/revs", "D2/c2"): 200.0,
        ("D1", "gis", "D1/gis", ""): 900.0,        # no contract: the system's own cost; D1/spare has none
    }


def test_on_a_date_only_contracts_in_force_count() -> None:
    lines = allocated_costs(TWO, on=dt.date(2019, 6, 1))
    assert [(x.contract, x.capability) for x in lines] == [("D1/c-old", "planning")]


def test_annual_costs_are_exact_sums_and_users_are_seats() -> None:
    costs = annual_costs(allocated_costs(TWO))
    assert costs[("D1", "council-tax", "GBP")] == 400.0 and costs[("D1", "planning", "GBP")] == 1200.0
    by_capability, by_organisation = named_users(TWO)
    assert by_capability[("D1", "council-tax")] == 30 and ("D2", "council-tax") not in by_capability
    assert by_organisation == {"D1": 30 + 10 + 10 + 10}


# --- peer groups, quartiles and outliers -----------------------------------------------------------

@pytest.mark.parametrize(("population", "band"), [
    (None, None), (0, "under 100k"), (99_999, "under 100k"), (100_000, "100k-250k"), (250_000, "250k-500k"),
    (500_000, "500k and over"), (1_227_076, "500k and over")])
def test_population_bands(population: int | None, band: str | None) -> None:
    assert population_band(population) == band


def _org(oid: str, otype: str | None, population: int | None) -> Organisation:
    return Organisation(oid, oid, otype, "England", None, population, (), True, True)


@pytest.mark.parametrize(("members", "expected"), [
    ({f"D{i}": ("district", 80_000) for i in range(5)}, "district, under 100k"),
    ({**{f"D{i}": ("district", 80_000) for i in range(3)}, "D8": ("district", 120_000), "D9": ("district", 130_000)},
     "district"),
    ({"D0": ("scottish", 1), "U1": ("unitary", 1), "M1": ("metropolitan", 1), "W1": ("welsh-principal", 1),
      "L1": ("london-borough", 1)}, "single tier"),
    ({f"D{i}": ("district", 80_000) for i in range(4)}, None),
    ({"D0": ("county", 1), **{f"D{i}": ("district", 1) for i in range(1, 6)}}, None),   # tiers never mix
])
def test_the_narrowest_group_with_enough_peers_is_chosen(members: dict[str, tuple[str, int]],
                                                         expected: str | None) -> None:
    orgs = {oid: _org(oid, t, p) for oid, (t, p) in members.items()}
    groups = assign_peer_groups(orgs, orgs, min_peers=5)
    assert groups.get("D0", (None, ()))[0] == expected
    if expected is not None:
        assert "D0" in groups["D0"][1] and len(groups["D0"][1]) >= 5


def test_an_organisation_without_a_type_has_no_peers() -> None:
    assert peer_keys(_org("X", None, 5)) == ()


@pytest.mark.parametrize(("values", "value", "place"), [
    ([1, 2, 3, 4, 5], 3, (2, None)), ([1, 2, 3, 4, 5], 5, (4, None)), ([1, 2, 3, 4, 100], 100, (4, "high")),
    ([10, 50, 51, 52, 53], 10, (1, "low")), ([2, 2, 2, 2, 2], 2, (1, None))])
def test_quartiles_and_tukey_fences(values: list[float], value: float, place: tuple[int, str | None]) -> None:
    assert distribution(values).place(value) == place


def test_quartiles_use_the_inclusive_method() -> None:
    spread = distribution([1, 2, 3, 4])
    assert (spread.p25, spread.median, spread.p75) == (1.75, 2.5, 3.25)
    with pytest.raises(ValueError):
        distribution([1])


# --- the result --------------------------------------------------------------------------------

def _peers_estate(extra: float) -> nx.MultiDiGraph:
    docs = [org(f"D{i}", [system("revs", ["council-tax"])], [contract("c", ["revs"], 100_000.0 + 1000 * i)])
            for i in range(5)]
    docs.append(org("D9", [system("revs", ["council-tax"])], [contract("c", ["revs"], extra)]))
    return graph_of(*docs)


def test_an_expensive_organisation_is_a_high_outlier_with_its_excess() -> None:
    result = benchmark(_peers_estate(400_000.0))
    row = next(r for r in result["capabilities"] if r["organisation"] == "D9")
    assert row["cost_per_head"] == 4.0 and row["per_head"]["peer_group"] == "district, 100k-250k"
    assert row["per_head"]["outlier"] == "high" and row["per_head"]["quartile"] == 4
    assert row["excess_over_median"] == round((4.0 - row["per_head"]["median"]) * 100_000, 2)
    assert row["cost_per_user"] == 40_000.0


def test_rows_sum_and_nothing_is_counted_twice() -> None:
    result = benchmark(TWO, min_peers=2)
    lines = allocated_costs(TWO)
    for row in result["organisations"]:
        parts = [r["annual_cost"] for r in result["capabilities"] if r["organisation"] == row["organisation"]]
        assert row["annual_cost"] == pytest.approx(math.fsum(parts))
        own = [x.annual_cost for x in lines if x.organisation == row["organisation"]]
        assert row["annual_cost"] == pytest.approx(math.fsum(own))
    d2 = next(r for r in result["organisations"] if r["organisation"] == "D2")
    assert d2["named_users"] is None and d2["cost_per_user"] is None and d2["annual_cost"] == 200.0


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_one_row_per_record(view: str) -> None:
    result = benchmark(TWO, min_peers=2)
    columns, rows = benchmark_table(result, view)
    expected = sum(len(m["vendors"]) for m in result["market"]) if view == "market" else len(result[view])
    assert len(rows) == expected and all(len(r) == len(columns) for r in rows)
    with pytest.raises(ValueError):
        benchmark_table(result, "nonsense")


# --- properties over random estates --------------------------------------------------------------

@st.composite
def estates(draw: st.DrawFn) -> list[dict[str, Any]]:
    docs = []
    for i in range(draw(st.integers(1, 6))):
        systems = [system(f"s{j}", draw(st.lists(st.sampled_from(["council-tax", "gis", "planning"]), min_size=1,
                                                 max_size=3, unique=True)), cost=draw(st.none() | st.floats(0, 1e6)))
                   for j in range(draw(st.integers(1, 3)))]
        deals = [contract(f"c{k}", draw(st.lists(st.sampled_from([s["id"] for s in systems]), min_size=1, unique=True)),
                          draw(st.none() | st.floats(0, 1e7))) for k in range(draw(st.integers(0, 3)))]
        docs.append(org(f"O{i}", systems, deals, population=draw(st.none() | st.integers(1, 10**6))))
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates())
def test_allocation_conserves_money(docs: list[dict[str, Any]]) -> None:
    graph = graph_of(*docs)
    lines = allocated_costs(graph)
    for d in docs:
        for c in d["contracts"]:
            if c.get("annual_value") is not None:
                paid = math.fsum(x.annual_cost for x in lines if x.contract == f"{d['organisation']['id']}/{c['id']}")
                assert paid == pytest.approx(c["annual_value"], rel=1e-9, abs=1e-6)
    result = benchmark(graph, min_peers=2)
    total = math.fsum(x.annual_cost for x in lines)
    rows = math.fsum(r["annual_cost"] for r in result["organisations"])
    assert rows == pytest.approx(total, rel=1e-9, abs=0.01 * len(docs))
    assert len({(r["organisation"], r["capability"]) for r in result["capabilities"]}) == len(result["capabilities"])


# --- determinism and the sample --------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return benchmark(load_graph([SAMPLE]))


def test_the_sample_compares_every_council_but_the_lone_county(sample: dict[str, Any]) -> None:
    rows = {r["organisation"]: r for r in sample["organisations"]}
    assert len(rows) == 33 and sample["currency"] == "GBP"
    assert rows["E10000017"]["per_head"]["peer_group"] is None
    assert all(r["per_head"]["peer_group"] for oid, r in rows.items() if oid != "E10000017")
    assert rows["E07000117"]["per_head"]["peer_group"] == "district, under 100k"
    assert "split equally over the systems it covers" in sample["assumptions"]["allocation"]


def test_shuffled_files_give_identical_bytes() -> None:
    from ictgraph.graph_loader.sources import read_estate_files
    files = read_estate_files([SAMPLE])
    baseline = to_json(benchmark(build_graph(*rows_from_files(files))))
    assert to_json(benchmark(build_graph(*rows_from_files(shuffle_estate(files, seed=7))))) == baseline


def test_identical_bytes_under_other_hash_seeds() -> None:
    script = ("import datetime as dt\nfrom pathlib import Path\nfrom graph_loader import load_graph\n"
              "from ictgraph.queries.benchmark import benchmark\nfrom queries.objectives import find_objectives\n"
              "from ictgraph.queries.render import to_json\ng = load_graph([Path('fixtures/sample')])\n"
              "print(to_json(benchmark(g)) + to_json(find_objectives(g, as_of=dt.date(2026, 11, 27))))\n")
    outputs = run_with_hash_seeds(script, "0", "4242")
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10_000


def test_cost_lines_are_plain_sorted_records() -> None:
    lines = allocated_costs(TWO)
    assert lines == sorted(lines) and isinstance(lines[0], CostLine)
