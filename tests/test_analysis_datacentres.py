"""Kind ``datacentre`` (queries/suggest/datacentres.py): small inline estates for the rules, and the
planted cases and near-misses of the sample."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import datacentres
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["datacentre"]
CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: civica, name: Civica}]
  products: [{id: civica/financials, name: Financials, vendor: civica}]
  capabilities: [{id: finance, name: Finance}]
"""


def _org(oid: str, neighbours: str, racks: int, used: int, cost: int, systems: int = 2, nation: str = "England") -> str:
    rows = "".join(f"  - {{id: s{i}, name: S{i}, product: civica/financials, capabilities: [finance], "
                   f"hosting: on-premise, datacentre: dc}}\n" for i in range(systems))
    return (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: district, nation: {nation}, "
            f"population: 90000, neighbours: [{neighbours}]}}\nsystems:\n{rows}"
            f"datacentres:\n  - {{id: dc, name: {oid} room, racks: {racks}, racks_used: {used}, annual_cost: {cost}}}\n")


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    view = read_estate(graph_of(catalogue=CATALOGUE, **orgs))
    return datacentres.suggest_datacentres(view, AS_OF, default_savings_model())


def test_small_sites_close_into_a_neighbour_with_room_and_capacity_holds() -> None:
    found = _suggest(h=_org("H", "A, B, C", 20, 10, 200000), a=_org("A", "H", 4, 4, 40000),
                     b=_org("B", "H", 5, 5, 45000), c=_org("C", "H", 3, 3, 36000))
    [s] = found
    assert s["id"] == "datacentre:H/dc" and s["lead"] == "H"
    assert s["racks"]["after"] <= s["racks"]["total"]
    assert sum(t["racks"] for t in s["steps"]) == s["racks"]["moving_in"]
    assert {t["datacentre"] for t in s["steps"]} | {x["datacentre"] for x in s["left_out"]} == {"A/dc", "B/dc", "C/dc"}
    assert s["claims"] == sorted({"H/dc", *(t["datacentre"] for t in s["steps"])})
    for t in s["steps"]:
        assert t["action"] == "close-site" and t["break_cost"] == 0 and t["systems"]
        assert t["annual_saving"]["low"] <= t["annual_saving"]["central"] <= t["annual_saving"]["high"]


@pytest.mark.parametrize(("systems", "why"), [
    (1, "it needs 5 racks; H/dc has 2 spare"),
    (5, "shrinking it into H room (H/dc) would not pay back"),
])
def test_a_site_without_room_or_money_near_it_is_left_out_with_why(systems: int, why: str) -> None:
    orgs = {"h": _org("H", "A", 10, 8, 150000), "a": _org("A", "H", 5, 5, 60000, systems=systems)}
    assert _suggest(**orgs) == []
    view = read_estate(graph_of(catalogue=CATALOGUE, **orgs))
    [host] = [h for h in datacentres.sites(view)[1] if h.id == "H/dc"]
    moves, left = datacentres.pack_host(host, datacentres.site_pairs(view, default_savings_model()),
                                        {s.dc.id: s for s in datacentres.sites(view)[0]}, AS_OF, default_savings_model())
    assert moves == [] and left["A/dc"].startswith(why)


@pytest.mark.parametrize(("racks", "used", "cost"), [(12, 11, 330000), (30, 20, 600000), (4, 4, 40000)])
def test_any_site_that_pays_closes_whatever_its_size(racks: int, used: int, cost: int) -> None:
    [s] = _suggest(h=_org("H", "A", 60, 20, 400000), a=_org("A", "H", racks, used, cost, systems=4))
    [t] = s["steps"]
    assert (t["action"], t["datacentre"], t["racks"]) == ("close-site", "A/dc", used)
    assert s["racks"]["after"] == 20 + used <= s["racks"]["total"] and t["npv"]["central"] > 0
    assert s["claims"] == ["A/dc", "H/dc"] and t["claims"] == ["A/dc"]


def test_capacity_is_hard_and_the_sites_worth_most_close_first() -> None:
    found = _suggest(h=_org("H", "A, B, C", 20, 12, 240000), a=_org("A", "H", 5, 5, 150000),
                     b=_org("B", "H", 5, 5, 150000), c=_org("C", "H", 4, 4, 120000, systems=1))
    [s] = [x for x in found if x["id"] == "datacentre:H/dc"]
    assert s["racks"]["after"] <= s["racks"]["total"] and sum(t["racks"] for t in s["steps"]) == s["racks"]["moving_in"]
    assert [(t["datacentre"], t["action"]) for t in s["steps"]] == [("A/dc", "close-site"), ("B/dc", "shrink-site")]
    assert [x["datacentre"] for x in s["left_out"]] == ["C/dc"]


def test_a_costly_full_site_shrinks_into_the_host_with_most_room() -> None:
    found = _suggest(h=_org("H", "A", 30, 26, 260000), a=_org("A", "H", 10, 10, 400000, systems=5),
                     x=_org("X", "", 10, 5, 50000))
    [s] = found
    [t] = s["steps"]
    assert t["action"] == "shrink-site" and t["racks"] == 4 and len(t["systems"]) == 2
    assert s["racks"]["after"] == 30


def test_another_nation_is_never_a_host() -> None:
    assert _suggest(h=_org("H", "A", 20, 10, 200000, nation="Wales"), a=_org("A", "H", 4, 4, 40000)) == []


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    return datacentres.suggest_datacentres(view, AS_OF, default_savings_model())


@pytest.mark.parametrize("planted", PLANTED["planted"], ids=lambda p: p["id"])
def test_planted_moves_are_suggested(sample: list[dict[str, Any]], planted: dict[str, Any]) -> None:
    s = {x["id"]: x for x in sample}[planted["id"]]
    assert [t["datacentre"] for t in s["steps"]] == planted["moving"]
    assert s["racks"]["after"] == planted["racks_after"] and s["datacentre"] == planted["host"]
    assert s["npv"]["low"] <= s["npv"]["central"] <= s["npv"]["high"] and s["npv"]["central"] > 0


@pytest.mark.parametrize("miss", PLANTED["near_misses"], ids=lambda m: m["site"])
def test_near_misses_are_not_suggested(sample: list[dict[str, Any]], miss: dict[str, Any]) -> None:
    assert not any(t["datacentre"] == miss["site"] for s in sample for t in s["steps"])
    if "needs" in miss:
        left = [x for s in sample for x in s["left_out"] if x["datacentre"] == miss["site"]]
        assert left and f"it needs {miss['needs']} racks" in left[0]["why"]
