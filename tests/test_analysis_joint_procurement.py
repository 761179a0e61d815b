"""Kind ``joint-procurement`` (queries/suggest/joint_procurement.py): plans matched estate-wide."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import joint_procurement
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["joint_procurement"]
CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: mhr, name: MHR}]
  products: [{id: mhr/itrent, name: iTrent, vendor: mhr}]
  capabilities: [{id: hr-payroll, name: HR and payroll}]
"""


def _org(oid: str, end: str | None = None, plan: str | None = None, nation: str = "England", open_: bool = True) -> str:
    text = (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: unitary, nation: {nation}, "
            f"population: 100000}}\nsystems:\n  - {{id: hr, name: HR, product: mhr/itrent, capabilities: [hr-payroll], "
            f"hosting: saas}}\n")
    if end:
        text += (f"contracts:\n  - {{id: c-hr, supplier: mhr, covers: [hr], start: 2022-01-01, end: {end}, "
                 f"annual_value: 100000}}\n")
    if plan:
        text += (f"procurement_plans:\n  - {{id: hr-plan, capabilities: [hr-payroll], expected: {plan}, "
                 f"estimated_value: 500000, open_to_partners: {str(open_).lower()}}}\n")
    return text


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    view = read_estate(graph_of(catalogue=CATALOGUE, **orgs))
    return joint_procurement.suggest_joint_procurement(view, AS_OF, default_savings_model())


def test_a_plan_meets_far_away_contracts_and_plans_within_the_window() -> None:
    found = {s["id"]: s for s in _suggest(a=_org("A", plan="2027-12"), b=_org("B", end="2028-06-30"),
                                          c=_org("C", plan="2028-09", open_=False), d=_org("D", end="2030-06-30"))}
    s = found["joint-procurement:A/hr-plan"]
    assert s["organisations"] == ["A", "B", "C"] and s["lead"] == "A"
    assert [(p["plan"], p["open_to_partners"]) for p in s["plans"]] == [("A/hr-plan", True), ("C/hr-plan", False)]
    assert s["combined_value"] == {"contracts_annual": 100000.0, "plans_estimated": 1000000.0}
    assert all(t["go_live"] >= t["not_before"] and t["break_cost"] == 0 for t in s["steps"])   # never early
    b = [t for t in s["steps"] if t["organisation"] == "B"][0]
    assert b["go_live"] == "2028-07-01" and b["annual_saving"]["central"] == 10000


def test_a_later_contract_is_not_matched() -> None:
    assert _suggest(a=_org("A", plan="2027-12"), b=_org("B", end="2030-06-30")) == []


@pytest.mark.parametrize(("nation", "regimes"), [
    ("Wales", "(England, Wales): use a UK-wide framework open to both"),
    ("Scotland", "(England, Scotland): use a UK-wide framework open to both"),
    ("Northern Ireland", None),            # the Procurement Act 2023 applies in both
    ("England", None),
])
def test_another_nation_is_matched_and_its_regime_named(nation: str, regimes: str | None) -> None:
    [s] = _suggest(a=_org("A", plan="2027-12"), b=_org("B", end="2028-06-30", nation=nation))
    assert s["organisations"] == ["A", "B"] and s["claims"] == ["A/hr-payroll", "B/hr-payroll"]
    lines = [line for line in s["rationale"] if line.startswith("Members sit under different procurement regimes")]
    if regimes is None:
        assert lines == []
    else:
        assert len(lines) == 1 and regimes in lines[0] and "Crown Commercial Service" in lines[0]


@pytest.fixture(scope="module")
def sample() -> dict[str, dict[str, Any]]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    return {s["id"]: s for s in joint_procurement.suggest_joint_procurement(view, AS_OF, default_savings_model())}


def test_planted_matches_across_the_estate_and_the_border(sample: dict[str, dict[str, Any]]) -> None:
    for planted in PLANTED["planted"]:
        s = sample[planted["id"]]
        assert set(planted.get("includes", ())) <= set(s["organisations"])
        assert "organisations" not in planted or s["organisations"] == planted["organisations"]
        if "regimes" in planted:
            text = "\n".join(s["rationale"])
            assert f"Members sit under different procurement regimes ({', '.join(planted['regimes'])})" in text
    for miss in PLANTED["near_misses"]:
        for plan in miss["plans"]:
            s = sample[f"joint-procurement:{plan}"]
            assert not {p["plan"] for p in s["plans"]} & (set(miss["plans"]) - {plan})


def test_money_is_a_range_and_plans_are_never_added_to_annual_value(sample: dict[str, dict[str, Any]]) -> None:
    for s in sample.values():
        for key in ("annual_saving", "npv", "one_off_cost_range"):
            assert s[key]["low"] <= s[key]["central"] <= s[key]["high"]
        assert s["combined_value"]["contracts_annual"] == pytest.approx(sum(c["annual_value"] for c in s["contracts"]))
