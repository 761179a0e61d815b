"""Kind ``network`` (queries/suggest/networks.py): joint network procurement timed by the contracts
with each network's provider; inline estates for the rules, and the sample's planted cases."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import networks
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["network"]
CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: bt, name: BT}, {id: vodafone, name: Vodafone}]
  capabilities: [{id: ict-infrastructure, name: ICT infrastructure}]
"""


def _org(oid: str, neighbours: str, end: str | None, provider: str = "bt", region: str = "East",
         pop: int = 100000) -> str:
    text = (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: unitary, nation: England, "
            f"region: {region}, population: {pop}, neighbours: [{neighbours}]}}\n"
            f"networks:\n  - {{id: psn, name: PSN, kind: psn, provider: {provider}}}\n")
    if end:
        text += ("systems:\n  - {id: psn-service, name: PSN service, bespoke: true, capabilities: [ict-infrastructure], "
                 f"hosting: saas}}\ncontracts:\n  - {{id: c-psn, supplier: {provider}, covers: [psn-service], "
                 f"start: 2022-01-01, end: {end}, annual_value: 40000}}\n")
    return text


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    view = read_estate(graph_of(catalogue=CATALOGUE, **orgs))
    return networks.suggest_networks(view, AS_OF, default_savings_model())


def test_neighbours_with_contracts_ending_together_buy_once() -> None:
    [s] = _suggest(a=_org("A", "B", "2027-06-30", pop=200000), b=_org("B", "A, C", "2027-12-31"),
                   c=_org("C", "B", None))
    assert s["id"] == "network:psn:A:2027-06-30" and s["lead"] == "A" and s["organisations"] == ["A", "B"]
    assert [(t["organisation"], t["not_before"], t["go_live"]) for t in s["steps"]] == [
        ("A", "2027-06-30", "2027-07-01"), ("B", "2027-12-31", "2028-01-01")]
    assert s["could_join"] == [{"organisation": "C", "network": "C/psn", "why": "no contract with its provider is recorded"}]
    assert s["annual_saving"] == {"low": 4000, "central": 8000, "high": 16000}     # 5/10/20 % of 2 x 40,000


@pytest.mark.parametrize(("b_end", "b_region"), [("2031-03-31", "East"), ("2027-12-31", "West")],
                         ids=["years-apart", "another-region"])
def test_no_window_or_no_area_means_no_suggestion(b_end: str, b_region: str) -> None:
    assert _suggest(a=_org("A", "B", "2027-06-30"), b=_org("B", "A", b_end, region=b_region)) == []


def test_a_contract_with_another_supplier_does_not_time_the_network() -> None:
    entries = networks.network_entries(read_estate(graph_of(
        catalogue=CATALOGUE, a=_org("A", "", "2027-06-30", provider="bt").replace(
            "supplier: bt", "supplier: vodafone"))), AS_OF)
    assert [(e.network, e.end, e.contracts) for e in entries] == [("A/psn", None, ())]


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    return networks.suggest_networks(view, AS_OF, default_savings_model())


def test_the_planted_joint_psn_procurement(sample: list[dict[str, Any]]) -> None:
    for planted in PLANTED["planted"]:
        s = {x["id"]: x for x in sample}[planted["id"]]
        assert s["organisations"] == planted["organisations"] and s["lead"] == planted["lead"]
        assert sorted(c for t in s["steps"] for c in t["contracts"]) == planted["contracts"]
        assert all(t["go_live"] > t["not_before"] and t["break_cost"] == 0 for t in s["steps"])
        assert "E06000003" in [c["organisation"] for c in s["could_join"]]


def test_the_near_miss_is_not_suggested(sample: list[dict[str, Any]]) -> None:
    for miss in PLANTED["near_misses"]:
        assert not any(set(miss["organisations"]) & set(s["organisations"]) for s in sample
                       if s["network_kind"] == miss["kind"])
