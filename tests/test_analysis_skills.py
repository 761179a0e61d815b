"""Kind ``skills`` (queries/suggest/skills.py): thin skills matched with holders of the same product."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import skills
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["skills"]
CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: oracle, name: Oracle}]
  products:
    - {id: oracle/ebs, name: E-Business Suite, vendor: oracle, requires_skills: [oracle-dba]}
    - {id: oracle/other, name: Other, vendor: oracle, requires_skills: [oracle-dba]}
  capabilities: [{id: finance, name: Finance}]
  skills: [{id: oracle-dba, name: Oracle DBA}]
"""


def _org(oid: str, neighbours: str, fte: float | None, hosting: str = "on-premise", product: str = "oracle/ebs") -> str:
    text = (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: unitary, nation: England, "
            f"region: East, population: 100000, neighbours: [{neighbours}]}}\n"
            f"systems:\n  - {{id: erp, name: ERP, product: {product}, capabilities: [finance], hosting: {hosting}}}\n")
    return text + (f"people:\n  - {{skill: oracle-dba, fte: {fte}}}\n" if fte is not None else "")


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    return skills.suggest_skills(read_estate(graph_of(catalogue=CATALOGUE, **orgs)), AS_OF, default_savings_model())


def test_a_thin_skill_is_matched_with_the_nearest_holder_of_the_same_product() -> None:
    [s] = _suggest(a=_org("A", "B", 0.5), b=_org("B", "A", 1.0), c=_org("C", "", 3.0))
    assert (s["id"], s["lead"], s["organisations"]) == ("skills:oracle-dba:B", "B", ["A", "B"])
    assert s["single_points_of_failure"] == [{"organisation": "A", "fte": 0.5}, {"organisation": "B", "fte": 1.0}]
    assert s["annual_saving"] == {"low": 0, "central": 0, "high": 0} and s["steps"] == []


@pytest.mark.parametrize("estate", [
    {"a": ("A", "B", 0.5, "saas", "oracle/ebs"), "b": ("B", "A", 2.0, "on-premise", "oracle/ebs")},   # SaaS: no need
    {"a": ("A", "B", 0.5, "on-premise", "oracle/ebs"), "b": ("B", "A", 2.0, "on-premise", "oracle/other")},  # other product
    {"a": ("A", "B", 1.0, "on-premise", "oracle/ebs"), "b": ("B", "A", 2.0, "on-premise", "oracle/ebs")},  # not thin
], ids=["saas", "other-product", "not-thin"])
def test_no_suggestion_without_an_in_house_thin_need_and_a_same_product_holder(estate: dict[str, tuple[Any, ...]]) -> None:
    assert _suggest(**{k: _org(*v) for k, v in estate.items()}) == []


@pytest.fixture(scope="module")
def sample() -> tuple[list[dict[str, Any]], Any]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    model = default_savings_model()
    return skills.suggest_skills(view, AS_OF, model), skills.match_needs(view, model)[1]


def test_the_planted_skill_group(sample: tuple[list[dict[str, Any]], Any]) -> None:
    found = {s["id"]: s for s in sample[0]}
    for planted in PLANTED["planted"]:
        s = found[planted["id"]]
        assert s["organisations"] == planted["organisations"] and s["lead"] == planted["lead"]
        assert [x["organisation"] for x in s["single_points_of_failure"]] == planted["single_points_of_failure"]


def test_the_near_miss_is_unmatched(sample: tuple[list[dict[str, Any]], Any]) -> None:
    suggestions, unmatched = sample
    for miss in PLANTED["near_misses"]:
        assert (miss["organisation"], miss["skill"]) in {(n.organisation, n.skill) for n in unmatched}
        assert not any(s["skill"] == miss["skill"] and miss["organisation"] in s["organisations"] for s in suggestions)


def test_every_member_runs_a_product_needing_the_skill_in_house(sample: tuple[list[dict[str, Any]], Any]) -> None:
    for s in sample[0]:
        assert s["members"] and all(set(m["products"]) <= set(s["products"]) for m in s["members"])
        assert all(m["fte"] < 1.0 for m in s["members"]) and s["lead_fte"] >= 1.0
