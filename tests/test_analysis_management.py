"""Kind ``management`` (queries/suggest/management.py): shared ICT management for small neighbours."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import management
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["management"]


def _org(oid: str, neighbours: str, pop: int, head: float | None, nation: str = "England") -> str:
    text = (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: district, nation: {nation}, "
            f"population: {pop}, neighbours: [{neighbours}]}}\n")
    return text + (f"people:\n  - {{role: head-of-ict, fte: {head}}}\n" if head is not None else "")


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    return management.suggest_management(read_estate(graph_of(**orgs)), AS_OF, default_savings_model())


def test_neighbouring_small_organisations_with_part_time_heads_form_one_team() -> None:
    [s] = _suggest(a=_org("A", "B", 90000, 0.5), b=_org("B", "A, C", 80000, None), c=_org("C", "B", 70000, 0.4))
    assert (s["id"], s["organisations"], s["combined_head_fte"]) == ("management:A", ["A", "B", "C"], 0.9)


@pytest.mark.parametrize(("b_pop", "b_head", "expected"), [
    (300000, 1.0, [("management:B", ["A", "B"])]),       # a lone candidate joins a full-time neighbour
    (300000, 0.5, []),                                    # the neighbour is neither small nor full-time
    (90000, 1.0, [("management:B", ["A", "B"])]),
])
def test_a_lone_candidate_needs_a_full_time_neighbour(b_pop: int, b_head: float, expected: list[Any]) -> None:
    found = _suggest(a=_org("A", "B", 60000, None), b=_org("B", "A", b_pop, b_head))
    assert [(s["id"], s["organisations"]) for s in found] == expected


def test_another_nation_never_joins() -> None:
    assert _suggest(a=_org("A", "B", 60000, 0.5), b=_org("B", "A", 60000, 0.5, nation="Wales")) == []


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    return management.suggest_management(view, AS_OF, default_savings_model())


def test_planted_and_near_miss(sample: list[dict[str, Any]]) -> None:
    found = {s["id"]: s for s in sample}
    for planted in PLANTED["planted"]:
        assert found[planted["id"]]["organisations"] == planted["organisations"]
    for miss in PLANTED["near_misses"]:
        assert not any(miss["organisation"] in s["organisations"] for s in sample)
    for s in sample:
        assert all(m["population"] <= 150000 or m["organisation"] == s["lead"] for m in s["members"])
