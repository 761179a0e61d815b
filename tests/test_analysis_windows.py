"""Tests of queries/windows.py: procurement windows from contract ends and plans."""
from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.render import to_json
from ictgraph.queries.windows import WindowContract, add_months, decision_date, find_windows, group_by_expiry, windows_table
from tests.synthetic_estate import AS_OF, generate_estate, run_with_hash_seeds, shuffle_estate

D = dt.date.fromisoformat

CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors:
    - {id: capita, name: Capita}
    - {id: civica, name: Civica}
  products:
    - {id: capita/revenues, name: One Revenues and Benefits, vendor: capita}
    - {id: civica/openrevenues, name: OpenRevenues, vendor: civica}
  capabilities:
    - {id: council-tax, name: Council tax}
    - {id: business-rates, name: Business rates}
"""
TAX = ["council-tax"]


def system(local: str, capabilities: list[str] = TAX, product: str = "capita/revenues") -> dict[str, Any]:
    return {"id": local, "name": local.title(), "product": product, "capabilities": capabilities, "hosting": "saas"}


def contract(local: str, end: str, *, covers: tuple[str, ...] = ("revs",), value: float | None = 100000,
             notice: int | None = None, **more: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": local, "supplier": "capita", "covers": list(covers), "start": D("2020-04-01"),
                            "end": D(end)}
    if notice is not None:
        item["notice_months"] = notice
    if value is not None:
        item["annual_value"] = value
    return {**item, **more}


def inventory(org: str, *contracts: dict[str, Any], systems: list[dict[str, Any]] | None = None,
              plans: list[dict[str, Any]] = (), currency: str | None = None) -> str:  # type: ignore[assignment]
    document: dict[str, Any] = {"format": "ictgraph/v1"}
    if currency:
        document["currency"] = currency
    document["organisation"] = {"id": org, "name": f"Council {org}", "type": "district"}
    document["systems"] = [system("revs")] if systems is None else systems
    if contracts:
        document["contracts"] = list(contracts)
    if plans:
        document["procurement_plans"] = list(plans)
    return yaml.safe_dump(document, sort_keys=False)


def plan(local: str, expected: str, capabilities: list[str] = TAX, value: float = 500000) -> dict[str, Any]:
    return {"id": local, "capabilities": capabilities, "expected": expected, "estimated_value": value}


def graph_of(*inventories: str) -> nx.MultiDiGraph:
    files = [("catalogue.yaml", CATALOGUE.encode())]
    files += [(f"org{n}.yaml", text.encode()) for n, text in enumerate(inventories)]
    return build_graph(*rows_from_files(files))


def windows_of(*inventories: str, as_of: str = "2025-01-01", months: int = 12) -> list[dict[str, Any]]:
    windows: list[dict[str, Any]] = find_windows(graph_of(*inventories), as_of=D(as_of), months=months)["windows"]
    return windows


def spans(windows: list[dict[str, Any]]) -> list[tuple[str, str, str, list[str]]]:
    return [(w["capability"], w["start"], w["end"], w["organisations"]) for w in windows]


@pytest.mark.parametrize(("end_a", "end_b", "months", "together"), [
    ("2026-03-31", "2027-03-31", 12, True),   # exactly N months: inside
    ("2026-03-31", "2027-04-01", 12, False),  # one day more: outside
    ("2026-08-31", "2027-02-28", 6, True),    # the bound is clamped to the month's end
    ("2026-08-31", "2027-03-01", 6, False),
    ("2026-01-15", "2026-01-15", 0, True),
])
def test_window_bound_is_inclusive_in_calendar_months(end_a: str, end_b: str, months: int, together: bool) -> None:
    found = windows_of(inventory("A", contract("k", end_a)), inventory("B", contract("k", end_b)), months=months)
    assert spans(found) == ([("council-tax", end_a, end_b, ["A", "B"])] if together else [])


@pytest.mark.parametrize(("end_a", "kept"), [("2025-01-01", False), ("2025-01-02", True), ("2024-06-30", False)])
def test_contracts_ended_by_the_as_of_date_are_left_out(end_a: str, kept: bool) -> None:
    found = windows_of(inventory("A", contract("k", end_a)), inventory("B", contract("k", "2025-06-30")),
                       as_of="2025-01-01")
    assert spans(found) == ([("council-tax", end_a, "2025-06-30", ["A", "B"])] if kept else [])


@pytest.mark.parametrize(("end", "notice", "decision"), [
    ("2026-03-31", 6, "2025-09-30"), ("2026-03-31", 1, "2026-02-28"), ("2024-05-31", 3, "2024-02-29"),
    ("2026-04-30", 1, "2026-03-30"), ("2026-03-31", 0, "2026-03-31"), ("2026-03-31", None, None),
])
def test_decision_date_is_end_minus_notice_in_calendar_months(end: str, notice: int | None, decision: str | None) -> None:
    assert decision_date(D(end), notice) == (decision and D(decision))
    found = windows_of(inventory("A", contract("k", end, notice=notice)), inventory("B", contract("k", end)),
                       as_of="2023-01-01")
    assert found[0]["contracts"][0]["decision_date"] == decision


def test_one_organisation_alone_makes_no_window() -> None:
    estate = inventory("A", contract("k1", "2026-01-31"), contract("k2", "2026-02-28"),
                       systems=[system("revs"), system("revs2")])
    assert windows_of(estate) == []


def test_a_lone_early_contract_does_not_hide_a_later_pair() -> None:
    found = windows_of(inventory("A", contract("k1", "2026-01-31"), contract("k2", "2026-12-31", covers=("revs2",)),
                                 systems=[system("revs"), system("revs2")]),
                       inventory("B", contract("k", "2027-02-01")))
    assert spans(found) == [("council-tax", "2026-12-31", "2027-02-01", ["A", "B"])]
    assert [c["contract"] for c in found[0]["contracts"]] == ["A/k2", "B/k"]


def test_later_ends_open_the_next_window() -> None:
    found = windows_of(*(inventory(org, contract("k", end)) for org, end in [
        ("A", "2025-06-30"), ("B", "2026-06-30"), ("C", "2026-07-31"), ("D", "2027-05-31"), ("E", "2029-01-31")]))
    assert spans(found) == [("council-tax", "2025-06-30", "2026-06-30", ["A", "B"]),
                            ("council-tax", "2026-07-31", "2027-05-31", ["C", "D"])]


def test_plans_join_the_window_they_fall_in() -> None:
    found = windows_of(
        inventory("A", contract("k", "2026-03-31", notice=6), plans=[plan("p", "2025-10")]),
        inventory("B", contract("k", "2026-06-30", notice=3)),
        inventory("C", systems=[], plans=[plan("at-end", "2026-06-30"), plan("after", "2026-07")]),
        inventory("D", systems=[], plans=[plan("rates", "2026-01", ["business-rates"]), plan("early", "2025-09")]))
    assert [(p["plan"], p["expected"]) for p in found[0]["plans"]] == [("A/p", "2025-10-01"), ("C/at-end", "2026-06-30")]
    assert found[0]["organisations"] == ["A", "B"]  # plans never add members


def test_a_plan_joins_only_the_first_window_that_holds_it() -> None:
    found = windows_of(
        inventory("A", contract("k", "2026-01-31")), inventory("B", contract("k", "2026-02-28")),
        inventory("C", contract("k", "2026-06-30", notice=12)), inventory("D", contract("k", "2026-07-31")),
        inventory("E", systems=[], plans=[plan("p", "2026-02")]), months=3)
    assert [[p["plan"] for p in w["plans"]] for w in found] == [["E/p"], []]


def test_currencies_are_never_added_together() -> None:
    found = windows_of(inventory("A", contract("k", "2026-01-31", value=100000)),
                       inventory("B", contract("k", "2026-02-28", value=50000), currency="EUR"),
                       inventory("C", contract("k", "2026-03-31", value=25000.5)))
    assert found[0]["combined_annual_value"] == {"EUR": 50000.0, "GBP": 125000.5}
    assert [c["currency"] for c in found[0]["contracts"]] == ["GBP", "EUR", "GBP"]


def test_a_contract_over_several_systems_is_counted_once() -> None:
    systems = [system("revs1"), system("revs2", ["council-tax", "business-rates"])]
    found = windows_of(inventory("A", contract("k", "2026-01-31", covers=("revs1", "revs2"), value=300000),
                                 systems=systems),
                       inventory("B", contract("k", "2026-02-28", value=100000)))
    assert spans(found) == [("council-tax", "2026-01-31", "2026-02-28", ["A", "B"])]
    first = found[0]["contracts"][0]
    assert (first["contract"], first["systems"], first["allocated_annual_value"]) == (
        "A/k", ["A/revs1", "A/revs2"], 225000.0)  # 150000 + 150000 / 2; business rates has the rest
    assert found[0]["combined_annual_value"] == {"GBP": 325000.0}


def test_a_joint_contract_is_split_between_its_parties_not_doubled() -> None:
    found = windows_of(inventory("A", contract("k", "2026-01-31", covers=("revs", "B/revs"), value=200000,
                                               parties=["B"])),
                       inventory("B"))
    assert [(c["organisation"], c["holder"], c["allocated_annual_value"]) for c in found[0]["contracts"]] == [
        ("A", "A", 100000.0), ("B", "A", 100000.0)]
    assert found[0]["combined_annual_value"] == {"GBP": 200000.0}
    assert windows_table({"windows": found})[1][0][5] == ["A/k"]  # listed once in the table


def test_contracts_without_a_value_add_nothing() -> None:
    found = windows_of(inventory("A", contract("k", "2026-01-31", value=None)),
                       inventory("B", contract("k", "2026-02-28", value=None)))
    assert found[0]["combined_annual_value"] == {}
    assert found[0]["contracts"][0]["allocated_annual_value"] is None


def test_result_has_exactly_the_agreed_shape() -> None:
    result = find_windows(graph_of(inventory("A", contract("k", "2026-03-31", notice=6, max_end=D("2028-03-31"))),
                                   inventory("B", contract("k", "2026-06-30"), plans=[plan("p", "2026-04")])),
                          as_of=D("2025-01-01"))
    assert result == {"as_of": "2025-01-01", "windows": [{
        "capability": "council-tax", "start": "2026-03-31", "end": "2026-06-30", "organisations": ["A", "B"],
        "contracts": [
            {"contract": "A/k", "organisation": "A", "holder": "A", "systems": ["A/revs"], "supplier": "capita",
             "end": "2026-03-31", "decision_date": "2025-09-30", "max_end": "2028-03-31", "notice_months": 6,
             "allocated_annual_value": 100000.0, "currency": "GBP"},
            {"contract": "B/k", "organisation": "B", "holder": "B", "systems": ["B/revs"], "supplier": "capita",
             "end": "2026-06-30", "decision_date": None, "max_end": None, "notice_months": None,
             "allocated_annual_value": 100000.0, "currency": "GBP"}],
        "plans": [{"plan": "B/p", "organisation": "B", "expected": "2026-04-01", "estimated_value": 500000,
                   "currency": "GBP", "open_to_partners": False}],
        "combined_annual_value": {"GBP": 200000.0}}]}
    columns, rows = windows_table(result)
    assert columns == ["capability", "start", "end", "first_decision", "organisations", "contracts", "plans",
                       "combined_annual_value"]
    assert rows == [["council-tax", "2026-03-31", "2026-06-30", "2025-09-30", ["A", "B"], ["A/k", "B/k"], ["B/p"],
                     ["GBP 200000.00"]]]


def test_negative_months_are_refused() -> None:
    with pytest.raises(ValueError):
        find_windows(graph_of(inventory("A")), as_of=D("2025-01-01"), months=-1)


def entry(org: str, end: dt.date, n: int) -> WindowContract:
    return WindowContract("c", end, org, f"{org}/k{n}", org, (), "v", None, None, None, 1.0, "GBP")


entries = st.lists(st.tuples(st.sampled_from("ABCDE"), st.dates(D("2025-01-01"), D("2030-12-31"))), max_size=25)


@given(entries, st.integers(0, 30))
def test_grouping_invariants(ends: list[tuple[str, dt.date]], months: int) -> None:
    items = [entry(org, end, n) for n, (org, end) in enumerate(ends)]
    windows = group_by_expiry(items, months)
    grouped = [x for w in windows for x in w]
    assert len(grouped) == len(set(grouped))  # nobody twice
    assert grouped == sorted(grouped, key=lambda x: (x.end, x.organisation, x.contract))
    for w in windows:
        assert len({x.organisation for x in w}) >= 2
        assert w[-1].end <= add_months(w[0].end, months)
        assert not [x for x in items if x not in grouped and w[0].end <= x.end <= add_months(w[0].end, months)]


@pytest.fixture(scope="module")
def synthetic() -> list[tuple[str, bytes]]:
    estate = generate_estate(organisations=60, capabilities=8, clusters=5, euro_share=0.2, plan_share=0.4, seed=9)
    mixed = [CATALOGUE,
             inventory("A", contract("k", "2026-01-31", covers=("revs", "B/revs"), parties=["B"], notice=6)),
             inventory("B", contract("k2", "2026-05-31", covers=("revs2",)), currency="EUR",
                       systems=[system("revs"), system("revs2", ["council-tax", "business-rates"])]),
             inventory("C", contract("k", "2026-09-30", value=None), plans=[plan("p", "2026-02")]),
             inventory("D", contract("k", "2026-12-31", covers=("rates",)),
                       systems=[system("rates", ["business-rates"], "civica/openrevenues")])]
    return [*estate.files, ("mixed.yaml", "---\n".join(mixed).encode())]  # several documents in one file


def windows_json(files: list[tuple[str, bytes]]) -> str:
    return to_json(find_windows(build_graph(*rows_from_files(files)), as_of=AS_OF, months=12))


def test_synthetic_windows_keep_their_invariants(synthetic: list[tuple[str, bytes]]) -> None:
    result = find_windows(build_graph(*rows_from_files(synthetic)), as_of=AS_OF, months=12)
    assert result["windows"] and any(w["plans"] for w in result["windows"])
    for w in result["windows"]:
        ends = [D(c["end"]) for c in w["contracts"]]
        assert AS_OF < min(ends) and max(ends) <= add_months(D(w["start"]), 12)
        assert len(w["organisations"]) >= 2 and len(w["contracts"]) == len({(c["contract"], c["organisation"]) for c in w["contracts"]})
        for currency, total in w["combined_annual_value"].items():
            parts = [c["allocated_annual_value"] for c in w["contracts"] if c["currency"] == currency]
            assert total == round(sum(v for v in parts if v is not None), 2)


@pytest.mark.parametrize("seed", [1, 2])
def test_output_is_byte_identical_after_shuffling(synthetic: list[tuple[str, bytes]], seed: int) -> None:
    assert windows_json(shuffle_estate(synthetic, seed)) == windows_json(synthetic)


SCRIPT = """
import datetime as dt
from tests.synthetic_estate import AS_OF, generate_estate
from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.render import to_json
from ictgraph.queries.windows import find_windows
estate = generate_estate(organisations=60, capabilities=8, clusters=5, euro_share=0.2, plan_share=0.4, seed=9)
print(to_json(find_windows(build_graph(*rows_from_files(estate.files)), as_of=AS_OF)), end="")
"""


def test_output_does_not_depend_on_the_hash_seed() -> None:
    first, second = run_with_hash_seeds(SCRIPT, "0", "4242")
    assert first == second and b'"capability": "cap-00"' in first
