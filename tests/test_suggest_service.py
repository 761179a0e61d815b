"""Levels of service in suggestions (queries/suggest/service.py): each step's levels beside the
lead's, the flag in the rationale when the lead's service is worse, and nothing added to an
estate without measures."""
from __future__ import annotations

from typing import Any

import pytest

from ictgraph.queries.render import to_json
from ictgraph.queries.suggest import suggest
from tests.service_estates import with_service
from tests.test_analysis_suggest import AS_OF, REVS, graph_of, small_estate

SOCIAL = "shared-platform:adult-social-care:system-c/las:C1"
MEASURES = [("asc1", "Carer-reported quality of life", "adult-social-care", "higher"),
            ("asc5", "No further service after short-term support", "adult-social-care", "higher"),
            ("asc7", "Workforce turnover", "adult-social-care", "none"),
            ("ctax", "Council tax collected", "council-tax", "higher")]


def _suggestions(levels: list[tuple[str, str, str, float]]) -> dict[str, dict[str, Any]]:
    graph = with_service(graph_of(small_estate()), MEASURES, levels)
    return {s["id"]: s for s in suggest(graph, as_of=AS_OF)["suggestions"]}


def _flags(suggestion: dict[str, Any]) -> list[str]:
    return [line for line in suggestion["rationale"] if line.startswith("Flag: ")]


def _step(suggestion: dict[str, Any], organisation: str) -> dict[str, Any]:
    return next(s for s in suggestion["steps"] if s["organisation"] == organisation)


WORSE_LEAD = [("C1", "asc1", "2022-23", 7.1), ("U1", "asc1", "2022-23", 7.9),
              ("C1", "asc5", "2022-23", 80.0), ("U1", "asc5", "2021-22", 85.5),
              ("C1", "asc7", "2022-23", 30.0), ("U1", "asc7", "2022-23", 20.0)]


def test_a_move_onto_a_lead_with_a_worse_service_is_flagged() -> None:
    social = _suggestions(WORSE_LEAD)[SOCIAL]
    assert _flags(social) == [
        "Flag: Council C1's service is worse than Council U1 (U1)'s on 2 of 2 measures of Adult social care "
        "(Carer-reported quality of life: 7.1 in 2022-23 against 7.9 in 2022-23; No further service after "
        "short-term support: 80 in 2022-23 against 85.5 in 2021-22)."]


def test_each_step_lists_the_members_levels_beside_the_leads() -> None:
    step = _step(_suggestions(WORSE_LEAD)[SOCIAL], "U1")
    assert step["service"] == [
        {"measure": "asc1", "period": "2022-23", "value": 7.9, "lead_value": 7.1, "lead_period": "2022-23",
         "compared": "better"},
        {"measure": "asc5", "period": "2021-22", "value": 85.5, "lead_value": 80.0, "lead_period": "2022-23",
         "compared": "better"},
        {"measure": "asc7", "period": "2022-23", "value": 20.0, "lead_value": 30.0, "lead_period": "2022-23",
         "compared": None}]


@pytest.mark.parametrize("levels", [
    [("C1", "asc1", "2022-23", 7.9), ("U1", "asc1", "2022-23", 7.1)],      # the lead is better
    [("C1", "asc1", "2022-23", 7.5), ("U1", "asc1", "2022-23", 7.5)],      # the same
    [("C1", "asc7", "2022-23", 30.0), ("U1", "asc7", "2022-23", 20.0)],    # no direction
    [("U1", "asc1", "2022-23", 7.9)]])                                     # the lead reports nothing
def test_no_flag_without_a_worse_lead(levels: list[tuple[str, str, str, float]]) -> None:
    social = _suggestions(levels)[SOCIAL]
    assert _flags(social) == [] and "service" in _step(social, "U1")


def test_a_member_without_levels_shows_the_leads_alone() -> None:
    step = _step(_suggestions([("C1", "asc1", "2022-23", 7.1)])[SOCIAL], "U1")
    assert step["service"] == [{"measure": "asc1", "period": None, "value": None, "lead_value": 7.1,
                                "lead_period": "2022-23", "compared": None}]


def test_only_the_moves_capabilities_are_compared() -> None:
    found = _suggestions([*WORSE_LEAD, ("D1", "ctax", "2022-23", 95.0), ("D2", "ctax", "2022-23", 97.0),
                          ("D3", "ctax", "2022-23", 94.0)])
    revs = found[REVS]
    assert [e["measure"] for e in _step(revs, "D2")["service"]] == ["ctax"]
    assert [f.split(" on ")[0] for f in _flags(revs)] == ["Flag: Council D1's service is worse than Council D2 (D2)'s"]
    assert _step(revs, "D3")["service"][0]["compared"] == "worse"
    assert len(_flags(found[SOCIAL])) == 1


def test_an_estate_without_levels_gives_the_same_bytes_as_before() -> None:
    plain = suggest(graph_of(small_estate()), as_of=AS_OF)
    measured = suggest(with_service(graph_of(small_estate()), MEASURES, []), as_of=AS_OF)
    assert to_json(measured) == to_json(plain)
    assert not any("service" in st for s in plain["suggestions"] for st in s["steps"])


def test_levels_of_organisations_outside_the_move_change_nothing() -> None:
    plain = to_json(suggest(graph_of(small_estate()), as_of=AS_OF))
    assert to_json(suggest(with_service(graph_of(small_estate()), MEASURES, [("D4", "asc1", "2022-23", 1.0)]),
                           as_of=AS_OF)) == plain


def test_the_programme_carries_the_levels_and_the_flag() -> None:
    from ictgraph.queries.plan import plan
    graph = with_service(graph_of(small_estate()), MEASURES, WORSE_LEAD)
    moves = {m["id"]: m for m in plan(graph, as_of=AS_OF)["moves"]}
    social = moves[SOCIAL]
    assert _step(social, "U1")["service"][0]["compared"] == "better"
    assert len(_flags(social)) == 1


def test_the_programme_drops_the_flags_of_members_it_leaves_out() -> None:
    from ictgraph.queries.suggest.service import drop_flags
    flags = ["Flag: Council D1's service is worse than Council D2 (D2)'s on 1 of 1 measure of X (…).",
             "Flag: Council D1's service is worse than Council D22 (D22)'s on 1 of 1 measure of X (…).",
             "Council D2 (D2), neighbour: …"]
    assert drop_flags(flags, ["D2"]) == flags[1:]
    assert drop_flags(flags, []) == flags
