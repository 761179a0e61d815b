"""``ictgraph track``'s service: each member's levels on a move's capabilities before the
programme and now, by the measure's direction; the baseline's levels; their Neo4j round trip."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ictgraph.queries.plan import plan
from ictgraph.queries.plan.baseline import estate_of, service_of
from ictgraph.queries.programme import programme_rows
from ictgraph.queries.source import open_estate_graph
from ictgraph.queries.track import track
from ictgraph.queries.track.saved import programme_from_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLE, LATER = ROOT / "fixtures" / "sample", ROOT / "fixtures" / "sample-later"
REVENUES = "shared-platform:business-rates+council-tax+housing-benefit:capita/one-revenues-benefits:E07000122"
CT, HB = "council-tax-collected-in-year", "days-to-process-new-benefit-claims"


@pytest.fixture(scope="module")
def programme() -> dict[str, Any]:
    graph = open_estate_graph([SAMPLE], None, None)
    return json.loads(json.dumps(plan(graph, as_of=dt.date(2026, 11, 27), samples=20), default=str))


@pytest.fixture(scope="module")
def later() -> Any:
    return open_estate_graph([LATER], None, None)


def _service(result: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any, Any]]:
    move = next(m for m in result["moves"] if m["id"] == REVENUES)
    return {(r["organisation"], r["measure"]): (r["before"] and r["before"]["value"], r["after"]["value"], r["change"])
            for r in move["service"]}


def test_service_before_and_after_by_direction(programme: dict[str, Any], later: Any) -> None:
    # fixtures/sample-later/lancashire: 2025-26 (before the programme's 2026-11-27) against
    # 2027-28. Council tax collected (higher is better): Burnley 95.1 -> 96.0 better, Hyndburn
    # 94.8 -> 94.2 worse, Pendle 96.5 -> 96.5 same. Days to process a new benefit claim (lower
    # is better): Burnley 22 -> 18 better, Hyndburn 24 -> 24 same, Pendle 19 -> 21 worse. The
    # sample (the programme's estate) reports none, so "before" comes from the later estate's
    # history up to the programme's date.
    result = track(programme, later, as_of=dt.date(2028, 6, 30))
    assert _service(result) == {
        ("E07000117", CT): (95.1, 96.0, "better"), ("E07000117", HB): (22.0, 18.0, "better"),
        ("E07000120", CT): (94.8, 94.2, "worse"), ("E07000120", HB): (24.0, 24.0, "same"),
        ("E07000122", CT): (96.5, 96.5, "same"), ("E07000122", HB): (19.0, 21.0, "worse")}
    assert result["realisation"]["service"] == {"better": 2, "same": 2, "worse": 2}
    # The sample's own levels (Oflog's adult social care, 2021-22 and 2022-23) are the same in
    # the later estate: before and after alike, no change.
    others = [row for m in result["moves"] if m["id"] != REVENUES for row in m["service"]]
    assert others and all(row["change"] is None and row["before"] == row["after"] for row in others)
    assert {row["measure"] for row in others} <= {f"asc{n}" for n in range(1, 8)}


def test_the_baselines_levels_come_first(programme: dict[str, Any], later: Any) -> None:
    recorded = json.loads(json.dumps(programme))
    move = next(m for m in recorded["moves"] if m["id"] == REVENUES)
    move["steps"][0]["baseline"]["service"] = {CT: ["2024-25", 97.0]}   # Burnley: 97.0 -> 96.0
    assert _service(track(recorded, later, as_of=dt.date(2028, 6, 30)))[("E07000117", CT)] == (97.0, 96.0, "worse")


def test_the_baseline_holds_the_latest_level_by_the_programmes_date(later: Any) -> None:
    estate = estate_of(later, as_of=dt.date(2026, 11, 27))
    assert service_of(estate, "E07000117", ["council-tax", "business-rates"]) == {CT: ["2025-26", 95.1]}
    assert service_of(estate_of(later), "E07000117", ["housing-benefit"]) == {HB: ["2027-28", 18.0]}
    assert service_of(estate, "E07000117", ["finance"]) == {}


def test_the_baselines_levels_survive_a_save(programme: dict[str, Any]) -> None:
    saved = json.loads(json.dumps(programme))
    move = next(m for m in saved["moves"] if m["id"] == REVENUES)
    move["steps"][0]["baseline"]["service"] = {CT: ["2025-26", 95.1], HB: ["2025-26", 22.0]}
    rows = programme_rows("p", saved)
    steps = [dict(s["props"], organisation=s["organisation"]) for s in rows.steps if s["move"] == REVENUES]
    there = [dict(a["props"], organisation=a["organisation"]) for a in rows.there if a["move"] == REVENUES]
    back = programme_from_rows("p", [{
        "programme": {**rows.props, "as_of": dt.date(2026, 11, 27)}, "rank": 1, "lead": move["lead"],
        "move": next(m["props"] for m in rows.moves if m["props"]["id"] == REVENUES),
        "steps": steps, "already_there": there, "names": []}])
    assert [s["baseline"] for s in back["moves"][0]["steps"]] == [s["baseline"] for s in move["steps"]]
