"""The programme's model solved by HiGHS (what ``ictgraph plan`` uses) and by OR-Tools CP-SAT,
on the same rows, for the choice of solver (docs/programme.md). Prints one line per solver.

    pip install ortools    # not a dependency of ictgraph; only this comparison needs it
    python bench/solvers.py fixtures/sample
    python bench/solvers.py bench/.cache/400x400-seed1 --time-limit 120
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ictgraph.graph_loader import load_graph  # noqa: E402
from ictgraph.queries.plan.parts import options_from_suggestions  # noqa: E402
from ictgraph.queries.plan.model import Constraints, column_costs, model_rows, upper_bounds  # noqa: E402
from ictgraph.queries.plan.solve import solve  # noqa: E402
from ictgraph.queries.suggest import load_savings_model, suggest  # noqa: E402


def cp_sat(parts, costs, rows, upper, workers: int, time_limit: float) -> tuple[str, float, float, float]:
    """The same rows and objective (the increments of the lead's saving start priced as
    ictgraph prices them), every column a Boolean."""
    from ortools.sat.python import cp_model
    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"p{p.index}") if upper[p.index] else model.NewConstant(0) for p in parts]
    for coefficients, lower, upper_bound, _ in rows:
        expr = sum(int(c) * x[i] for i, c in coefficients)
        if lower == upper_bound:
            model.Add(expr == int(lower))
        else:
            model.Add(expr <= int(upper_bound))
    model.Maximize(sum(int(round(costs[p.index])) * x[p.index] for p in parts))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    started = time.perf_counter()
    status = solver.Solve(model)
    return solver.StatusName(status), solver.ObjectiveValue(), solver.BestObjectiveBound(), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--as-of", default="2026-11-27")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    as_of, model = dt.date.fromisoformat(args.as_of), load_savings_model()
    ranked = suggest(load_graph([args.estate]), as_of=as_of, model=model)
    options, parts = options_from_suggestions(ranked["suggestions"], as_of, model)
    rows = model_rows(options, parts, Constraints())
    upper = upper_bounds(options, parts, "central")
    costs = column_costs(options, parts, "central")
    print(f"{len(options)} candidates, {len(parts)} parts ({sum(1 for u in upper if u)} free), {len(rows)} rows")
    h = solve(options, parts, time_limit=args.time_limit)
    print(f"HiGHS: {h.status}, objective {h.objective:,.0f}, bound {h.bound:,.0f}, {h.seconds:.2f} s")
    for workers in (1, 2):
        status, objective, bound, seconds = cp_sat(parts, costs, rows, upper, workers, args.time_limit)
        print(f"CP-SAT ({workers} worker{'s' if workers > 1 else ''}): {status}, objective {objective:,.0f}, "
              f"bound {bound:,.0f}, {seconds:.2f} s")


if __name__ == "__main__":
    main()
