"""``ictgraph track``: the planted later snapshot, a programme applied in full, snapshots, bad input."""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.plan import plan
from ictgraph.queries.source import open_estate_graph
from ictgraph.queries.track import track, track_table
from tests.programme_steps import apply_programme

ROOT = Path(__file__).resolve().parent.parent
SAMPLE, LATER = ROOT / "fixtures" / "sample", ROOT / "fixtures" / "sample-later"
AS_OF = dt.date(2028, 6, 30)

REVENUES = "shared-platform:business-rates+council-tax+housing-benefit:capita/one-revenues-benefits:E07000122"
PSN = "network:psn:E06000004:2027-06-30"
MOSAIC = "shared-platform:adult-social-care+childrens-social-care:servelec/mosaic:E06000047"
CRM = "shared-platform:customer-contact:granicus/customer-platform:E06000003"


@pytest.fixture(scope="module")
def sample_graph() -> Any:
    return open_estate_graph([SAMPLE], None, None)


@pytest.fixture(scope="module")
def programme(sample_graph: Any) -> dict[str, Any]:
    """The sample's programme as `ictgraph plan fixtures/sample --as-of 2026-11-27` makes it
    (fewer Monte Carlo draws: they change no move nor baseline)."""
    return json.loads(json.dumps(plan(sample_graph, as_of=dt.date(2026, 11, 27), samples=20), default=str))


@pytest.fixture(scope="module")
def tracked(programme: dict[str, Any]) -> dict[str, Any]:
    return track(programme, open_estate_graph([LATER], None, None), as_of=AS_OF)


def _move(result: Mapping[str, Any], move_id: str) -> dict[str, Any]:
    return next(m for m in result["moves"] if m["id"] == move_id)


# The hand computation, from the YAML (allocation rule: a contract's annual value split equally
# over the systems it covers; all three revenues capabilities of a system are in scope).
# Revenues (Pendle leads): before, Burnley c-revs-2020 138,000, Hyndburn c-revs-2021 127,000,
#   Pendle c-revs-2020 146,000. After, Pendle's joint c-revs-2027 330,000 / 3 systems = 110,000
#   each: Burnley 138,000 - 110,000 = 28,000; Hyndburn 127,000 - 110,000 = 17,000; Pendle
#   146,000 - 110,000 = 36,000; move 81,000, within the forecast 41,100 to 102,750.
# PSN (Stockton leads): before, Hartlepool c-psn-2023 38,000, Stockton c-psn-2023 64,000,
#   Middlesbrough 52,000, Darlington 41,000. After, Stockton's joint c-psn-2028 90,000 / 2
#   systems = 45,000 each: Hartlepool 38,000 - 45,000 = -7,000; Stockton 64,000 - 45,000 =
#   19,000; others 0; move 12,000, within 9,750 to 39,000.
# Mosaic: nothing changed: 0, below the low 155,900; Sunderland's go-live 2027-05-27 has passed.
# CRM: Middlesbrough's Granicus c-crm-2020 64,000 became Salesforce c-crm-2027 60,000: 4,000;
#   Redcar 0; move 4,000, below the low 13,700.
PLANTED = [
    (REVENUES, "done", {"E07000117": ("done", 28000.0), "E07000120": ("done", 17000.0)}, 81000.0, "within"),
    (PSN, "partly done", {"E06000001": ("done", -7000.0), "E06000002": ("due", 0.0), "E06000004": ("done", 19000.0),
                          "E06000005": ("due", 0.0)}, 12000.0, "within"),
    (MOSAIC, "due", {"E08000024": ("due", 0.0)}, 0.0, "below low"),
    (CRM, "overtaken", {"E06000002": ("overtaken", 4000.0)}, 4000.0, "below low"),
]


@pytest.mark.parametrize(("move_id", "status", "steps", "realised", "against"), PLANTED)
def test_planted_moves_track_as_computed_by_hand(tracked: dict[str, Any], move_id: str, status: str,
                                                 steps: dict[str, tuple[str, float]], realised: float,
                                                 against: str) -> None:
    move = _move(tracked, move_id)
    assert move["status"] == status
    assert {s["organisation"]: (s["status"], s["realised_annual_saving"]) for s in move["steps"]} == steps
    assert move["realised_annual_saving"] == realised
    assert move["against_forecast"] == against


def test_the_lead_saves_too(tracked: dict[str, Any]) -> None:
    pendle = _move(tracked, REVENUES)["already_there"][0]
    assert (pendle["organisation"], pendle["realised_annual_saving"]) == ("E07000122", 36000.0)


def test_every_other_move_is_due_or_not_yet_due_and_saves_nothing(tracked: dict[str, Any]) -> None:
    others = [m for m in tracked["moves"] if m["id"] not in {REVENUES, PSN, MOSAIC, CRM}]
    assert {m["status"] for m in others} == {"due", "not yet due"}
    assert all(m["realised_annual_saving"] == 0 for m in others)
    for move in others:  # due exactly when a step's go-live has passed
        passed = any(dt.date.fromisoformat(s["go_live"]) <= AS_OF for s in move["steps"])
        assert move["status"] == ("due" if passed else "not yet due"), move["id"]


def test_the_realisation_adds_up(tracked: dict[str, Any], programme: dict[str, Any]) -> None:
    r = tracked["realisation"]
    assert r["realised"] == 81000 + 12000 + 4000
    assert r["forecast_central"] == programme["totals"]["annual_saving"]["central"]
    assert r["ratio"] == round(97000 / r["forecast_central"], 4)
    # every planted step goes live in 2027-28 but Darlington's (2028-04-01, 2028-29, saving 0)
    assert {y["year"]: y["realised"] for y in r["by_year"]}["2027-28"] == 97000
    assert [y["year"] for y in r["by_year"]] == [y["year"] for y in programme["years"]]
    assert MOSAIC in r["due_not_done"] and PSN in r["due_not_done"] and REVENUES not in r["due_not_done"]
    assert r["moves"]["done"] == 1 and r["moves"]["partly done"] == 1 and r["moves"]["overtaken"] == 1


def test_the_evidence_names_what_was_found(tracked: dict[str, Any]) -> None:
    burnley = _move(tracked, REVENUES)["steps"][0]
    assert burnley["evidence"] == ("E07000117 now runs E07000117/revs on capita/one-revenues-benefits "
                                   "hosted by E07000122/revs")
    assert "salesforce/service-cloud" in _move(tracked, CRM)["steps"][0]["evidence"]
    assert "E06000004/c-psn-2028" in _move(tracked, PSN)["steps"][0]["evidence"]


def test_slippage_from_dated_snapshots(programme: dict[str, Any]) -> None:
    # The changes first appear in the snapshot of 2028-01-31 (none in the sample's, 2027-03-31):
    # Burnley 2027-05-27 -> 2028-01-31 is 249 days = 8.2 months (of 365.25/12 days); Hyndburn
    # 2027-10-01 -> 122 days = 4.0; Hartlepool 2027-07-01 -> 214 days = 7.0; Stockton
    # 2028-01-01 -> 30 days = 1.0.
    later = open_estate_graph([LATER], None, None)
    result = track(programme, later, as_of=AS_OF, snapshots=[
        (dt.date(2028, 1, 31), later), (dt.date(2027, 3, 31), open_estate_graph([SAMPLE], None, None))])
    assert result["snapshots"] == ["2027-03-31", "2028-01-31", "2028-06-30"]
    slips = {s["organisation"]: (s["first_done"], s["slippage_months"])
             for m in (_move(result, REVENUES), _move(result, PSN)) for s in m["steps"]}
    assert slips == {"E07000117": ("2028-01-31", 8.2), "E07000120": ("2028-01-31", 4.0),
                     "E06000001": ("2028-01-31", 7.0), "E06000004": ("2028-01-31", 1.0),
                     "E06000002": (None, None), "E06000005": (None, None)}


def _spend(graph: Any, kind: str, entry: Mapping[str, Any]) -> float:
    """The member's spend on the entry's scope by the allocation rule, computed afresh."""
    baseline = entry["baseline"]
    if kind == "datacentre":
        node = ("DataCentre", baseline["scope"][0])
        return float(graph.nodes[node].get("annual_cost") or 0)
    lines = [line for line in allocated_costs(graph) if line.organisation == entry["organisation"]]
    if kind == "network":
        return math.fsum(line.annual_cost for line in lines if line.system in baseline["uses"])
    return math.fsum(line.annual_cost for line in lines if line.capability in baseline["scope"])


def test_a_programme_applied_in_full_tracks_all_done(sample_graph: Any, programme: dict[str, Any]) -> None:
    after = apply_programme(sample_graph, programme)
    result = track(programme, after, as_of=dt.date(2032, 3, 31))
    assert {m["status"] for m in result["moves"]} == {"done"}
    expected = math.fsum(_spend(sample_graph, m["kind"], e) - _spend(after, m["kind"], e)
                         for m in programme["moves"] for e in [*m["steps"], *m["already_there"]])
    assert result["realisation"]["realised"] == pytest.approx(expected, abs=0.01 * len(programme["moves"]))
    assert result["realisation"]["due_not_done"] == []


def test_tracking_is_deterministic(programme: dict[str, Any], tracked: dict[str, Any]) -> None:
    again = track(programme, open_estate_graph([LATER], None, None), as_of=AS_OF)
    assert json.dumps(again, sort_keys=True) == json.dumps(tracked, sort_keys=True)


def test_the_table_puts_moves_that_moved_first(tracked: dict[str, Any]) -> None:
    columns, rows = track_table(tracked)
    assert columns[:4] == ["move", "kind", "lead", "status"]
    order = [row[3] for row in rows]
    assert order == sorted(order, key=["overtaken", "partly done", "done", "due", "not yet due"].index)
    assert order[:4] == ["overtaken", "partly done", "done", "due"]


@pytest.mark.parametrize(("args", "message"), [
    (["track", "fixtures/planted.json", "fixtures/sample"], "not a programme"),
    (["track", "fixtures/sample/catalogue.yaml", "fixtures/sample"], "not JSON"),
    (["track", "PROGRAMME"], "needs the programme's JSON file and the later estate"),
    (["track", "--programme", "p", "fixtures/sample"], "--programme needs --neo4j"),
    (["track", "x.json", "fixtures/sample", "--snapshot", "2027-13-01=fixtures/sample"], "expected DATE=PATH"),
])
def test_bad_input_gives_a_clear_error(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("path", "message"), [
    (("moves", 0, "steps", 0, "baseline"), "without a baseline"),
    (("moves", 0, "steps", 0, "baseline", "uses"), "without a baseline"),
    (("moves", 0, "steps", 0, "organisation"), "has a step without organisation"),
    (("moves", 0, "kind"), "a move lacks one of"),
    (("totals",), "not a programme"),
])
def test_a_broken_or_old_programme_is_refused(tmp_path: Path, programme: dict[str, Any], path: tuple[Any, ...],
                                              message: str) -> None:
    old = json.loads(json.dumps(programme))
    holder = old
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    (tmp_path / "old.json").write_text(json.dumps(old))
    result = CliRunner().invoke(app, ["track", str(tmp_path / "old.json"), str(LATER)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_the_command_prints_a_summary_and_json(tmp_path: Path, programme: dict[str, Any]) -> None:
    (tmp_path / "p.json").write_text(json.dumps(programme))
    args = ["track", str(tmp_path / "p.json"), str(LATER), "--as-of", "2028-06-30", "-q"]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0 and "realised £97,000 a year" in table.output
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    assert _move(data, REVENUES)["status"] == "done"


def test_the_readme_shows_the_table_as_it_prints(tmp_path: Path, programme: dict[str, Any]) -> None:
    (tmp_path / "p.json").write_text(json.dumps(programme))
    printed = CliRunner().invoke(app, ["track", str(tmp_path / "p.json"), str(LATER), "--as-of", "2028-06-30",
                                       "--snapshot", f"2028-01-31={LATER}", "-q"]).stdout.splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Did the programme deliver?", 1)[1].split("```\n", 2)[2].split("```", 1)[0]
    shown = block.rstrip("\n").splitlines()
    assert shown == printed[:len(shown)]
