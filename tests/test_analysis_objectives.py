"""Partnership objectives (queries/objectives.py) and the members' benchmark before and after a
partnership started (queries/realisation.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from ictgraph.graph_loader import build_graph, load_graph, rows_from_files
from ictgraph.queries.objectives import STATUSES, Objective, assess, find_objectives, objectives_table, trend

ROOT = Path(__file__).resolve().parents[1]
D = dt.date.fromisoformat
AS_OF = D("2026-11-27")


def objective(baseline: float | None, target: float | None, due: str | None, *points: tuple[str, float]) -> Objective:
    return Objective("p", "p/o", "An objective", "m", baseline, target, None if due is None else D(due),
                     tuple((D(day), value) for day, value in points))


@pytest.mark.parametrize(("case", "status"), [
    (objective(10, 5, "2027-12-31", ("2025-01-01", 8), ("2026-01-01", 4.5)), "achieved"),        # down, met
    (objective(10, 20, "2025-12-31", ("2025-01-01", 21)), "achieved"),                            # met, even late
    (objective(10, 20, "2026-06-30", ("2025-01-01", 12), ("2026-01-01", 14)), "missed"),          # past due
    (objective(10, 20, "2027-12-31", ("2025-01-01", 12), ("2026-01-01", 16)), "on track"),        # trend gets there
    (objective(10, 20, "2027-01-31", ("2025-01-01", 12), ("2026-01-01", 13)), "at risk"),         # trend short
    (objective(10, 5, "2030-01-01", ("2025-01-01", 8), ("2026-01-01", 9)), "at risk"),            # going the wrong way
    (objective(10, 20, "2027-12-31", ("2026-01-01", 12)), "at risk"),                             # one point: no trend
    (objective(10, 20, "2027-12-31"), "at risk"),                                                 # not measured yet
    (objective(None, 20, None, ("2025-01-01", 12), ("2026-01-01", 13)), "on track"),              # no due: direction
    (objective(10, None, "2027-12-31", ("2025-01-01", 12)), "not assessed"),                      # no target
    (objective(None, 20, "2027-12-31"), "not assessed"),                                          # nothing to start
    (objective(10, 20, "2027-12-31", ("2025-01-01", 12), ("2027-01-01", 25)), "at risk"),         # future ignored
])
def test_status_rule(case: Objective, status: str) -> None:
    result = assess(case, AS_OF)
    assert result["status"] == status and result["reason"]
    assert result["status"] in STATUSES


def test_progress_and_projection() -> None:
    result = assess(objective(10, 20, "2027-01-01", ("2025-01-01", 12), ("2026-01-01", 16)), AS_OF)
    assert result["progress"] == 0.6 and result["latest"] == {"date": "2026-01-01", "value": 16.0}
    assert result["projected"] == pytest.approx(20, abs=0.02) and result["trend_per_year"] == pytest.approx(4, abs=0.01)


@pytest.mark.parametrize("points", [[], [(D("2025-01-01"), 1.0)], [(D("2025-01-01"), 1.0), (D("2025-01-01"), 2.0)]])
def test_no_trend_without_two_dates(points: list[tuple[dt.date, float]]) -> None:
    assert trend(points) is None


CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors: [{id: esri, name: Esri}]
  products: [{id: esri/arcgis, name: ArcGIS, vendor: esri}]
  capabilities: [{id: gis, name: GIS}, {id: web-maps, name: Web maps, parent: gis}]
  partnerships:
    - id: shared-gis
      name: Shared GIS <"&">
      members: [A, B]
      capabilities: [gis]
      status: active
      started: 2023-04-01
      objectives:
        - {id: cost, description: Cut GIS cost, baseline: 2.0, target: 1.5, due: 2027-03-31,
           measured: [{date: 2026-03-31, value: 1.6}, {date: 2024-03-31, value: 1.9}]}
"""


def _org(oid: str, otype: str, old: float, new: float) -> dict[str, Any]:
    return {"format": "ictgraph/v1", "organisation": {"id": oid, "name": oid, "type": otype, "population": 100_000},
            "systems": [{"id": "gis", "name": "GIS", "product": "esri/arcgis", "capabilities": ["web-maps"],
                         "hosting": "saas"}],
            "contracts": [{"id": "old", "supplier": "esri", "covers": ["gis"], "start": "2020-04-01",
                           "end": "2023-03-31", "annual_value": old},
                          {"id": "new", "supplier": "esri", "covers": ["gis"], "start": "2023-04-01",
                           "end": "2028-03-31", "annual_value": new}]}


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    docs = [_org("A", "district", 200_000, 150_000), _org("B", "district", 100_000, 90_000),
            _org("C", "district", 120_000, 130_000), _org("E", "district", 110_000, 100_000),
            _org("F", "county", 1_000, 1_000)]
    files = [("catalogue.yaml", CATALOGUE.encode())]
    files += [(f"{d['organisation']['id']}.yaml", yaml.safe_dump(d).encode()) for d in docs]
    return find_objectives(build_graph(*rows_from_files(files)), as_of=AS_OF)


def test_members_before_and_after_the_start(small: dict[str, Any]) -> None:
    [p] = small["partnerships"]
    assert p["capabilities"] == ["gis", "web-maps"] and p["name"] == 'Shared GIS <"&">'
    before, after = p["snapshots"]
    assert (before["snapshot"], before["date"]) == ("before", "2023-03-31")
    assert (after["snapshot"], after["date"]) == ("after", "2026-11-27")
    assert before["members_cost_per_head"] == 1.5 and after["members_cost_per_head"] == 1.2
    assert p["change_per_head"] == -0.3
    assert (before["peers"], before["peer_median_cost_per_head"]) == (2, 1.15)     # C and E; the county is no peer
    assert after["peer_median_cost_per_head"] == 1.15


def test_objectives_are_read_with_sorted_measurements(small: dict[str, Any]) -> None:
    [o] = small["objectives"]
    assert [m["date"] for m in o["measured"]] == ["2024-03-31", "2026-03-31"]
    assert o["status"] == "on track" and o["partnership_name"] == 'Shared GIS <"&">'
    columns, rows = objectives_table(small)
    assert len(rows) == 1 and len(rows[0]) == len(columns)
    assert small["assumptions"]["status"]["missed"]


def test_the_sample_partnership_has_one_objective_on_track_and_one_at_risk() -> None:
    result = find_objectives(load_graph([ROOT / "fixtures" / "sample"]), as_of=AS_OF)
    status = {o["id"]: o["status"] for o in result["objectives"]}
    assert status == {"srs/srs-cost-per-head": "on track", "srs/srs-systems-in-shared-dc": "at risk"}
    srs = next(p for p in result["partnerships"] if p["id"] == "srs")
    assert [s["snapshot"] for s in srs["snapshots"]] == ["before", "after"]
    assert srs["snapshots"][0]["note"].startswith("no contract for these capabilities in force on 2011-03-31")
    assert srs["snapshots"][1]["members_cost_per_head"] is not None
    proposed = next(p for p in result["partnerships"] if p["status"] == "proposed")
    assert [s["snapshot"] for s in proposed["snapshots"]] == ["now"]
