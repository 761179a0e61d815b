"""Kind ``policy`` (queries/suggest/policies.py): shared standards and the gaps next to adopters."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import policies
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT, graph_of

AS_OF = dt.date(2026, 11, 27)
PLANTED = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]["policy"]


def _org(oid: str, neighbours: str, standard: str | None, reviewed: str = "2025-06-01", region: str = "East") -> str:
    text = (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Org {oid}, type: unitary, nation: England, "
            f"region: {region}, population: 100000, neighbours: [{neighbours}]}}\n")
    policy = f", standard: {standard}" if standard else ""
    return text + f"policies:\n  - {{id: infosec, name: Information security{policy}, reviewed: {reviewed}}}\n"


def _suggest(**orgs: str) -> list[dict[str, Any]]:
    return policies.suggest_policies(read_estate(graph_of(**orgs)), AS_OF, default_savings_model())


def test_adopters_lead_by_the_latest_review_and_neighbours_lacking_it_join() -> None:
    [s] = _suggest(a=_org("A", "B", "iso-27001", "2024-01-01"), b=_org("B", "A, C", "iso-27001", "2026-01-01"),
                   c=_org("C", "B", None), d=_org("D", "", None))
    assert (s["id"], s["lead"], s["organisations"]) == ("policy:iso-27001:England:East", "B", ["A", "B", "C"])
    assert s["lacking"] == [{"organisation": "C", "near_adopters": ["B"]}]


def test_policies_without_a_standard_are_not_compared() -> None:
    assert _suggest(a=_org("A", "B", None), b=_org("B", "A", None)) == []


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    view = read_estate(load_graph([ROOT / "fixtures" / "sample"]))
    return policies.suggest_policies(view, AS_OF, default_savings_model())


def test_planted_gap_and_near_miss(sample: list[dict[str, Any]]) -> None:
    found = {s["id"]: s for s in sample}
    for planted in PLANTED["planted"]:
        assert [x["organisation"] for x in found[planted["id"]]["lacking"]] == planted["lacking"]
    for miss in PLANTED["near_misses"]:
        assert miss["organisation"] not in found[miss["suggestion"]]["organisations"]
