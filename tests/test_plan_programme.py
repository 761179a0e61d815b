"""``ictgraph plan`` on the sample estate (queries/plan/programme.py, engine.py, tables.py, cli_plan.py):
one conflict-free programme, totals that are the sums of its moves, at least as good as the best
conflict-free choice among suggest's own suggestions, the board's limits kept, same bytes."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ictgraph.cli import app
from ictgraph.graph_loader import load_graph
from ictgraph.queries.plan import Constraints, plan, plan_estate, plan_table, suggest_in_plan
from ictgraph.queries.render import to_json
from ictgraph.queries.plan.solve import NODE_LIMIT

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "sample"
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_graph([SAMPLE])


@pytest.fixture(scope="module")
def programme(graph: nx.MultiDiGraph) -> dict[str, Any]:
    return plan(graph, as_of=AS_OF)


def test_the_programme_is_optimal_and_its_moves_never_conflict(programme: dict[str, Any]) -> None:
    assert programme["solver"]["status"] == "Optimal" and programme["solver"]["gap"] == 0
    assert len(programme["moves"]) >= 10
    owner: dict[str, str] = {}
    for move in programme["moves"]:
        for claim in move["claims"]:
            assert claim not in owner, f"{claim} in {owner.get(claim)} and {move['id']}"
            owner[claim] = move["id"]
        assert move["npv"]["central"] > 0
        assert all(st["claims"] == sorted(set(st["claims"]) & set(move["claims"])) for st in move["steps"]
                   if "claims" in st)


def test_by_default_no_wall_clock_limit_can_change_the_programme(programme: dict[str, Any]) -> None:
    """The solve's bound is a node budget per block, stated with the assumptions."""
    stated = programme["assumptions"]["programme"]
    assert stated["time_limit_seconds"] is None and stated["node_limit_per_block"] == NODE_LIMIT


def test_totals_are_the_sums_of_the_moves(programme: dict[str, Any]) -> None:
    moves, totals = programme["moves"], programme["totals"]
    for bound in ("low", "central", "high"):
        assert totals["npv"][bound] == sum(m["npv"][bound] for m in moves)
        assert totals["annual_saving"][bound] == sum(m["annual_saving"][bound] for m in moves)
    assert totals["one_off_cost"] == sum(m["one_off_cost"] for m in moves)
    assert totals["npv"]["central"] == programme["solver"]["objective"]
    assert sum(y["go_lives"] for y in programme["years"]) == sum(len(m["steps"]) for m in moves)
    assert sum(y["one_off_cost"] for y in programme["years"]) == pytest.approx(totals["one_off_cost"], abs=len(programme["years"]))
    assert totals["npv"]["p10"] <= totals["npv"]["p50"] <= totals["npv"]["p90"]
    assert totals["npv"]["low"] <= totals["npv"]["p10"] and totals["npv"]["p90"] <= totals["npv"]["high"]


def _best_conflict_free_choice(suggestions: list[dict[str, Any]]) -> int:
    """The best set of whole suggestions with disjoint claims, by an independent exact method:
    a maximum-weight independent set of the conflict graph, per connected component, as a
    maximum-weight clique of the component's complement (networkx)."""
    worth = {s["id"]: s["npv"]["central"] for s in suggestions if s["npv"]["central"] > 0}
    conflicts = nx.Graph()
    conflicts.add_nodes_from(worth)
    holders: dict[str, list[str]] = defaultdict(list)
    for s in suggestions:
        if s["id"] in worth:
            for claim in s["claims"]:
                holders[claim].append(s["id"])
    for ids in holders.values():
        conflicts.add_edges_from((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    total = 0
    for component in nx.connected_components(conflicts):
        complement = nx.complement(conflicts.subgraph(component))
        nx.set_node_attributes(complement, {n: worth[n] for n in component}, "w")
        total += nx.max_weight_clique(complement, weight="w")[1]
    return total


def test_the_programme_is_at_least_the_best_conflict_free_choice_of_suggestions(graph: nx.MultiDiGraph,
                                                                               programme: dict[str, Any]) -> None:
    ranked = suggest_in_plan(graph, as_of=AS_OF)["suggestions"]
    best = _best_conflict_free_choice(ranked)
    assert best > 0 and programme["totals"]["npv"]["central"] >= best
    chosen = {m["id"] for m in programme["moves"]}
    assert {s["id"] for s in ranked if s["in_plan"]} == chosen


def test_every_candidate_left_out_says_why(programme: dict[str, Any]) -> None:
    chosen = {m["id"] for m in programme["moves"]}
    assert programme["not_chosen"] and not chosen & {n["id"] for n in programme["not_chosen"]}
    for row in programme["not_chosen"]:
        assert row["why"].startswith(("conflicts with ", "non-positive NPV", "the one-off budget", "adds nothing")), row
        if row["why"].startswith("conflicts with "):
            assert row["why"].split()[2] in chosen


@pytest.mark.parametrize("budget", [150_000, 600_000])
def test_a_one_off_budget_per_year_holds(graph: nx.MultiDiGraph, programme: dict[str, Any], budget: int) -> None:
    limited = plan(graph, as_of=AS_OF, limits=Constraints(max_one_off_per_year=budget), samples=50)
    assert limited["solver"]["status"] == "Optimal"
    assert all(y["one_off_cost"] <= budget + 1 for y in limited["years"])
    assert 0 < limited["totals"]["npv"]["central"] < programme["totals"]["npv"]["central"]
    assert any(n["why"].startswith("the one-off budget") for n in limited["not_chosen"])


def test_joins_per_lead_per_year_hold(graph: nx.MultiDiGraph) -> None:
    limited = plan(graph, as_of=AS_OF, limits=Constraints(max_joins_per_lead_per_year=1), samples=50)
    joins = Counter()
    for move in limited["moves"]:
        for st in move["steps"]:
            day = dt.date.fromisoformat(st["go_live"])
            joins[(move["lead"], day.year if day.month >= 4 else day.year - 1)] += 1
    assert joins and max(joins.values()) == 1


def test_the_low_objective_is_at_least_as_sure(graph: nx.MultiDiGraph, programme: dict[str, Any]) -> None:
    careful = plan(graph, as_of=AS_OF, objective="low", samples=200)
    assert careful["totals"]["npv"]["low"] >= programme["totals"]["npv"]["low"]
    assert careful["totals"]["npv"]["central"] <= programme["totals"]["npv"]["central"]
    for move in careful["moves"]:
        assert move["npv"]["low"] > 0 and move["probability_positive_npv"] == 1.0


def test_moves_whose_low_npv_is_positive_are_certain(programme: dict[str, Any]) -> None:
    certain = [m for m in programme["moves"] if m["npv"]["low"] > 0]
    assert certain and all(m["probability_positive_npv"] == 1.0 for m in certain)
    assert any(m["probability_positive_npv"] < 1 for m in programme["moves"])


def _without_seconds(text: str) -> str:
    data = json.loads(text)
    data["solver"]["seconds"] = None
    return to_json(data)


def test_same_bytes_whatever_the_file_order_and_hash_seed(tmp_path: Path, programme: dict[str, Any]) -> None:
    files = sorted(SAMPLE.rglob("*.yaml"))
    random.Random(3).shuffle(files)
    for i, f in enumerate(files):   # new names, so the estate is read in another order
        shutil.copy(f, tmp_path / f"{i:03d}-{f.name}")
    script = ("import datetime, sys; from pathlib import Path; from ictgraph.graph_loader import load_graph; "
              "from ictgraph.queries.plan import plan; from ictgraph.queries.render import to_json; "
              "sys.stdout.write(to_json(plan(load_graph([Path(sys.argv[1])]), as_of=datetime.date(2026, 11, 27))))")
    outputs = {_without_seconds(subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, check=True, capture_output=True, text=True,
        env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}).stdout) for seed in ("0", "977")}
    assert outputs == {_without_seconds(to_json(programme))}


def test_the_programme_from_records_read_beforehand_is_the_same(graph: nx.MultiDiGraph,
                                                                programme: dict[str, Any]) -> None:
    """The CLI reads what the plan needs and frees the graph before the solve: nothing it
    keeps may point back at the graph, and the programme (baselines included) is the same."""
    estate = plan_estate(graph, AS_OF)
    assert estate.baselines.graph is None
    sites = {node[1] for node in graph if node[0] == "DataCentre"}
    assert sites and set(estate.baselines.datacentres) == sites
    assert _without_seconds(to_json(plan(estate, as_of=AS_OF))) == _without_seconds(to_json(programme))


@pytest.mark.parametrize(("entry", "solving"), [("suggest_in_plan", "solve"), ("plan", "programme")])
def test_records_handed_over_are_freed_before_the_solve(graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch,
                                                        entry: str, solving: str) -> None:
    """The CLI keeps no reference to what it read, so the solve has that memory back."""
    import gc
    import weakref

    from ictgraph.queries.plan import engine
    from ictgraph.queries.suggest.candidates import read_estate
    records = [plan_estate(graph, AS_OF) if entry == "plan" else read_estate(graph)]
    alive = weakref.ref(records[0])
    real, seen = getattr(engine, solving), []

    def watched(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        seen.append(alive() is None)
        return real(*args, **kwargs)
    monkeypatch.setattr(engine, solving, watched)
    getattr(engine, entry)(records.pop(), as_of=AS_OF)
    assert seen == [True]


def test_the_table_lists_moves_by_year_with_names(programme: dict[str, Any]) -> None:
    columns, rows = plan_table(programme)
    assert columns[:3] == ["year", "go_live", "move"]
    assert [r[:2] for r in rows] == sorted(r[:2] for r in rows)
    assert len(rows) == sum(max(1, len(m["steps"])) for m in programme["moves"])
    assert "Pendle Borough Council" in {r[4] for r in rows} or "Hyndburn Borough Council" in {r[4] for r in rows}


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_command_prints_the_programme(runner: Any, fmt: str) -> None:
    result = runner.invoke(app, ["plan", str(SAMPLE), "--as-of", "2026-11-27", "--format", fmt, "--samples", "100", "-q"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert set(data) >= {"as_of", "currency", "assumptions", "objective", "solver", "totals", "years", "moves",
                             "not_chosen"}
        assert set(data["solver"]) == {"name", "status", "objective", "bound", "gap", "seconds"}
    elif fmt == "table":
        assert result.stdout.startswith("Programme: ") and "Solver HiGHS: Optimal" in result.stdout
    else:
        assert result.stdout.startswith("year,go_live,move,")


@pytest.mark.parametrize(("args", "message"), [(["--objective", "best"], "--objective"),
                                               (["--max-joins-per-lead-per-year", "0"], "--max-joins-per-lead-per-year"),
                                               (["--samples", "0"], "--samples")])
def test_bad_options_are_refused_with_exit_2(runner: Any, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["plan", str(SAMPLE), "--as-of", "2026-11-27", *args])
    assert result.exit_code == 2 and message in result.output
