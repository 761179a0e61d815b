"""The programme's model solved exactly by HiGHS, block by block, and tidied.

The rows are :mod:`queries.plan.model`'s; :mod:`queries.plan.blocks` splits them into
independent blocks. The objective maximises the chosen parts' NPV (central, or low with
``objective="low"``); money is in whole units, so an absolute gap under one unit is optimal:
the solver runs with ``mip_rel_gap = 0`` and ``mip_abs_gap = 0.5``. HiGHS runs
single-threaded on rows and columns in a canonical order, so the same model gives the same
answer. Its work is bounded by :data:`NODE_LIMIT` branch-and-bound nodes per block, a budget
that does not depend on the machine's speed or load; a wall-clock ``time_limit`` is optional
and off by default, because a stop by the clock makes the choice depend on the machine.
Chosen parts worth nothing that nothing depends on are dropped after the solve
(:func:`prune`): a zero is never chosen for its own sake.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import highspy

from ictgraph.queries.plan.blocks import Block, blocks
from ictgraph.queries.plan.model import (Constraints, Row, column_costs, is_integer, member_groups, model_rows,
                                         upper_bounds, value)
from ictgraph.queries.plan.parts import Option, Part

__all__ = ["NODE_LIMIT", "Constraints", "Solution", "prune", "solve"]

# Branch-and-bound nodes per block. Measured at 400 x 400 (docs/programme.md), every one of the
# 2,914 blocks solves at its root node; the budget bounds a harder model's work deterministically.
NODE_LIMIT = 100_000


@dataclass(frozen=True)
class Solution:
    chosen: frozenset[int]          # part indexes
    status: str                     # HiGHS's model status, e.g. "Optimal", "Time limit reached"
    objective: float
    bound: float
    gap: float
    seconds: float
    rows: tuple[Row, ...]           # the model's rows, for saying why a candidate was left out


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner on standard output from C++ when first constructed; ictgraph's
    standard output is the programme, so the banner goes to /dev/null."""
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _lp(costs: Sequence[float], integer: Sequence[bool], block: Block) -> highspy.HighsLp:
    size = len(block.columns)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = size, len(block.rows)
    lp.col_cost_ = list(costs)
    lp.col_lower_, lp.col_upper_ = [0.0] * size, [1.0] * size
    lp.row_lower_ = [r[1] for r in block.rows]
    lp.row_upper_ = [r[2] for r in block.rows]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer]
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = size, len(block.rows)
    starts, index, values = [0], [], []
    for coefficients, _, _, _ in block.rows:
        for column, coefficient in sorted(coefficients):
            index.append(column)
            values.append(coefficient)
        starts.append(len(index))
    matrix.start_, matrix.index_, matrix.value_ = starts, index, values
    lp.a_matrix_ = matrix
    return lp


def _highs(time_limit: float | None, node_limit: int = NODE_LIMIT) -> highspy.Highs:
    with _quiet_stdout():
        h = highspy.Highs()
    # zi_round, a rounding heuristic, costs a quarter of the time on these set-packing blocks
    # and never found a better solution in measurements (docs/programme.md).
    for name, setting in (("output_flag", False), ("threads", 1), ("random_seed", 0), ("mip_rel_gap", 0.0),
                          ("mip_abs_gap", 0.5), ("mip_max_nodes", int(node_limit)),
                          ("mip_heuristic_run_zi_round", False)):
        h.setOptionValue(name, setting)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    return h


@dataclass(frozen=True)
class _Solved:
    chosen: tuple[int, ...]      # the block's column positions chosen
    status: str
    bound: float


# A block as a worker receives it: its costs, which columns are integer, its rows, the node
# budget and the deadline (None: no wall-clock limit).
_Task = tuple[tuple[float, ...], tuple[bool, ...], Block, int, float | None]
PARALLEL_FROM = 16               # blocks; below this, one process solves them all


def _solve_task(task: _Task) -> _Solved:
    costs, integer, block, node_limit, deadline = task
    # past the deadline, HiGHS stops at once
    h = _highs(None if deadline is None else max(0.0, deadline - time.monotonic()), node_limit)
    h.passModel(_lp(costs, integer, block))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    columns = list(h.getSolution().col_value) if info.primal_solution_status else []
    chosen = tuple(k for k, x in enumerate(columns) if x > 0.5)
    found = sum(c * x for c, x in zip(costs, columns))
    if status == "Optimal":
        return _Solved(chosen, status, found)
    # Stopped early: HiGHS's bound, or, when it had none yet, the block's positive costs.
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else sum(max(0.0, c) for c in costs)
    return _Solved(chosen, status, max(found, bound))


def _solve_all(tasks: list[_Task]) -> list[_Solved]:
    """Each block's solution, in the blocks' order. Blocks are independent, so on a machine
    with several cores they are shared out between worker processes (HiGHS's branch and bound
    is single-threaded); the answer is the same either way. They are solved smallest first,
    so that under a time limit one hard block cannot starve the many easy ones."""
    order = sorted(range(len(tasks)), key=lambda i: (len(tasks[i][2].columns), i))
    workers = min(2, os.cpu_count() or 1)
    if len(tasks) < PARALLEL_FROM or workers < 2:
        solved = [_solve_task(tasks[i]) for i in order]
    else:
        # fork: the workers need nothing but this module, already imported; ictgraph holds no
        # threads here (the Neo4j driver, when used, is closed once the graph is read).
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            # small chunks: the large blocks come last and must not all fall to one worker
            solved = list(pool.map(_solve_task, [tasks[i] for i in order], chunksize=4))
    result: list[_Solved] = [solved[0]] * len(tasks) if tasks else []
    for position, i in enumerate(order):
        result[i] = solved[position]
    return result


def solve(options: Sequence[Option], parts: Sequence[Part], *, objective: str = "central",
          limits: Constraints = Constraints(), time_limit: float | None = None,
          node_limit: int = NODE_LIMIT) -> Solution:
    """The best set of parts: disjoint claims, every row kept, NPV maximised; solved block by
    block, each within ``node_limit`` nodes, all within ``time_limit`` seconds when given."""
    started = time.perf_counter()
    rows = model_rows(options, parts, limits)
    costs = column_costs(options, parts, objective)
    found = blocks(len(parts), rows, upper_bounds(options, parts, objective))
    deadline = None if time_limit is None else time.monotonic() + time_limit
    tasks = [(tuple(costs[i] for i in b.columns), tuple(is_integer(parts[i]) for i in b.columns), b, node_limit,
              deadline) for b in found]
    solved = _solve_all(tasks)
    chosen = prune(options, parts, {b.columns[k] for b, s in zip(found, solved) for k in s.chosen}, objective)
    total = sum(value(parts[i], objective) for i in chosen)
    status = next((s.status for s in solved if s.status != "Optimal"), "Optimal")
    bound = max(sum(s.bound for s in solved), total)
    gap = 0.0 if bound <= total else (bound - total) / max(abs(bound), 1.0)
    return Solution(frozenset(chosen), status, total, bound, gap, time.perf_counter() - started, tuple(rows))


def prune(options: Sequence[Option], parts: Sequence[Part], chosen: set[int], objective: str) -> set[int]:
    """Drop chosen steps that add nothing and that no chosen step links through, and moves
    worth nothing; each move's saving starts at its earliest chosen step."""
    chosen = set(chosen)
    for o in options:
        if o.base not in chosen:
            chosen -= {*o.steps, *o.starts}
            continue
        _reseat_start(o, parts, chosen, objective)
        for s in sorted(o.steps, key=lambda i: (parts[i].go_live, i), reverse=True):
            needed = {v for t in o.steps if t in chosen for v in parts[t].via}
            if s in chosen and s not in needed and value(parts[s], objective) <= 0:
                trial = chosen - {s}
                _reseat_start(o, parts, trial, objective)
                if _worth(o, parts, trial, objective) >= _worth(o, parts, chosen, objective) \
                        and _complete(o, parts, trial):
                    chosen = trial
        if not _complete(o, parts, chosen) or _worth(o, parts, chosen, objective) <= 0:
            chosen -= {o.base, *o.steps, *o.starts}
    return chosen


def _complete(option: Option, parts: Sequence[Part], chosen: set[int]) -> bool:
    """Whether the move keeps a step of each of its member groups."""
    return all(any(s in chosen for s in group) for _, group in member_groups(option, parts))


def _worth(option: Option, parts: Sequence[Part], chosen: set[int], objective: str) -> float:
    return sum(value(parts[i], objective) for i in (option.base, *option.steps, *option.starts) if i in chosen)


def _reseat_start(option: Option, parts: Sequence[Part], chosen: set[int], objective: str) -> None:
    """The move's saving starts at the chosen step where it is worth most (the earliest)."""
    if not option.starts:
        return
    chosen -= set(option.starts)
    candidates = [z for z in option.starts if any(s in chosen for s in parts[z].after)]
    if candidates:
        chosen.add(min(candidates, key=lambda z: (-value(parts[z], objective), parts[z].go_live, z)))
