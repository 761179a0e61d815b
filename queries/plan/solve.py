"""The programme as a mixed-integer programme, solved exactly by HiGHS.

One binary per part (:mod:`queries.plan.parts`). Rows:

* a step only with its move: ``step − base ≤ 0``; a move only with a step: ``base − Σ steps ≤ 0``;
* a chain link: ``step − Σ via ≤ 0``;
* the lead's saving starts once, at a chosen step: ``Σ starts − base = 0``, ``start − step ≤ 0``;
* claims: the parts holding one resource, ``Σ ≤ 1`` (weighted set packing);
* ``--max-one-off-per-year``: per financial year of go-live, ``Σ one-off cost ≤ budget``;
* ``--max-joins-per-lead-per-year``: per lead and year, ``Σ steps ≤ N``.

The objective maximises the chosen parts' NPV (central, or low with ``objective="low"``);
money is in whole units, so an absolute gap under one unit is optimal: the solver runs with
``mip_rel_gap = 0`` and ``mip_abs_gap = 0.5``. HiGHS runs single-threaded on rows and columns
in a canonical order, so the same model gives the same answer (unless the time limit stops it).

Parts that can never add value are fixed at zero before the solve (a move whose positive
parts sum to nothing, a step with negative value that links no other step), and chosen parts
worth nothing that nothing depends on are dropped after it (:func:`prune`): a zero is never
chosen for its own sake.
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import highspy

from queries.plan.parts import Option, Part

__all__ = ["Constraints", "Solution", "Row", "model_rows", "prune", "solve"]

Row = tuple[tuple[tuple[int, float], ...], float, float, str]   # (coefficients, lower, upper, name)
INF = float("inf")


@dataclass(frozen=True)
class Constraints:
    """What a programme board sets; ``None`` is no limit."""

    max_one_off_per_year: float | None = None
    max_joins_per_lead_per_year: int | None = None


@dataclass(frozen=True)
class Solution:
    chosen: frozenset[int]          # part indexes
    status: str                     # HiGHS's model status, e.g. "Optimal", "Time limit reached"
    objective: float
    bound: float
    gap: float
    seconds: float
    rows: tuple[Row, ...]           # the model's rows, for saying why a candidate was left out


def value(part: Part, objective: str) -> float:
    return part.npv.low if objective == "low" else part.npv.central


def _structure_rows(options: Sequence[Option], parts: Sequence[Part]) -> Iterator[Row]:
    for o in options:
        for s in o.steps:
            yield ((s, 1.0), (o.base, -1.0)), -INF, 0.0, f"step {s} with move {o.index}"
            if parts[s].via:
                yield ((s, 1.0), *((v, -1.0) for v in parts[s].via)), -INF, 0.0, f"link of step {s}"
        if o.steps:
            yield ((o.base, 1.0), *((s, -1.0) for s in o.steps)), -INF, 0.0, f"move {o.index} has a step"
        if o.starts:
            yield ((o.base, -1.0), *((z, 1.0) for z in o.starts)), 0.0, 0.0, f"move {o.index} starts once"
            for z in o.starts:
                step = next(s for s in o.steps if parts[s].step == parts[z].step)
                yield ((z, 1.0), (step, -1.0)), -INF, 0.0, f"start {z} at a chosen step"


def _claim_rows(parts: Sequence[Part]) -> Iterator[Row]:
    holders: dict[str, list[int]] = defaultdict(list)
    for p in parts:
        for claim in p.claims:
            holders[claim].append(p.index)
    for claim in sorted(holders):
        if len(holders[claim]) > 1:
            yield tuple((i, 1.0) for i in holders[claim]), -INF, 1.0, f"claim {claim}"


def _budget_rows(parts: Sequence[Part], limits: Constraints) -> Iterator[Row]:
    by_year: dict[str, list[Part]] = defaultdict(list)
    by_lead: dict[tuple[str, str], list[Part]] = defaultdict(list)
    for p in parts:
        if p.role == "step" and p.year:
            by_year[p.year].append(p)
            if p.lead:
                by_lead[(p.lead, p.year)].append(p)
    if limits.max_one_off_per_year is not None:
        for year in sorted(by_year):
            terms = tuple((p.index, float(p.one_off.central)) for p in by_year[year] if p.one_off.central)
            if terms:
                yield terms, -INF, float(limits.max_one_off_per_year), f"one-off budget {year}"
    if limits.max_joins_per_lead_per_year is not None:
        for lead, year in sorted(by_lead):
            terms = tuple((p.index, 1.0) for p in by_lead[(lead, year)])
            if len(terms) > limits.max_joins_per_lead_per_year:
                yield terms, -INF, float(limits.max_joins_per_lead_per_year), f"joins {lead} {year}"


def model_rows(options: Sequence[Option], parts: Sequence[Part], limits: Constraints) -> list[Row]:
    """Every row of the model, in a canonical order (see the module docstring)."""
    return [*_structure_rows(options, parts), *_claim_rows(parts), *_budget_rows(parts, limits)]


def upper_bounds(options: Sequence[Option], parts: Sequence[Part], objective: str) -> list[float]:
    """1 for a part that could add value, 0 for one that never can (fixed before the solve)."""
    linking = {v for p in parts for v in p.via}
    upper = [1.0] * len(parts)
    for o in options:
        for s in o.steps:
            # A step worth nothing may still carry a link or the start of the lead's saving.
            if value(parts[s], objective) <= 0 and s not in linking and not o.starts:
                upper[s] = 0.0
        best = value(parts[o.base], objective) + sum(max(0.0, value(parts[s], objective)) for s in o.steps) \
            + max((value(parts[z], objective) for z in o.starts), default=0.0)
        if best <= 0:
            for i in (o.base, *o.steps, *o.starts):
                upper[i] = 0.0
    return upper


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


def _lp(parts: Sequence[Part], rows: Sequence[Row], upper: Sequence[float], objective: str) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(parts), len(rows)
    lp.col_cost_ = [float(value(p, objective)) for p in parts]
    lp.col_lower_, lp.col_upper_ = [0.0] * len(parts), list(upper)
    lp.row_lower_ = [r[1] for r in rows]
    lp.row_upper_ = [r[2] for r in rows]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(parts)
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = len(parts), len(rows)
    starts, index, values = [0], [], []
    for coefficients, _, _, _ in rows:
        for column, coefficient in sorted(coefficients):
            index.append(column)
            values.append(coefficient)
        starts.append(len(index))
    matrix.start_, matrix.index_, matrix.value_ = starts, index, values
    lp.a_matrix_ = matrix
    return lp


def _highs(time_limit: float) -> highspy.Highs:
    with _quiet_stdout():
        h = highspy.Highs()
    for name, setting in (("output_flag", False), ("threads", 1), ("random_seed", 0), ("mip_rel_gap", 0.0),
                          ("mip_abs_gap", 0.5), ("time_limit", float(time_limit))):
        h.setOptionValue(name, setting)
    return h


def solve(options: Sequence[Option], parts: Sequence[Part], *, objective: str = "central",
          limits: Constraints = Constraints(), time_limit: float = 60.0) -> Solution:
    """The best set of parts: disjoint claims, every row kept, NPV maximised."""
    rows = model_rows(options, parts, limits)
    upper = upper_bounds(options, parts, objective)
    if not parts:
        return Solution(frozenset(), "Optimal", 0.0, 0.0, 0.0, 0.0, tuple(rows))
    h = _highs(time_limit)
    started = time.perf_counter()
    h.passModel(_lp(parts, rows, upper, objective))
    h.run()
    seconds = time.perf_counter() - started
    status = h.modelStatusToString(h.getModelStatus())
    columns = list(h.getSolution().col_value) if h.getInfo().primal_solution_status else []
    chosen = prune(options, parts, {i for i, x in enumerate(columns) if x > 0.5}, objective)
    info = h.getInfo()
    total = sum(value(parts[i], objective) for i in chosen)
    bound = max(info.mip_dual_bound, total) if columns else info.mip_dual_bound
    gap = 0.0 if bound <= total else (bound - total) / max(abs(bound), 1.0)
    return Solution(frozenset(chosen), status, total, bound, gap, seconds, tuple(rows))


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
                        and any(t in trial for t in o.steps):
                    chosen = trial
        if (o.steps and not any(s in chosen for s in o.steps)) or _worth(o, parts, chosen, objective) <= 0:
            chosen -= {o.base, *o.steps, *o.starts}
    return chosen


def _worth(option: Option, parts: Sequence[Part], chosen: set[int], objective: str) -> float:
    return sum(value(parts[i], objective) for i in (option.base, *option.steps, *option.starts) if i in chosen)


def _reseat_start(option: Option, parts: Sequence[Part], chosen: set[int], objective: str) -> None:
    """The move's saving starts at the chosen step where it is worth most (the earliest)."""
    if not option.starts:
        return
    chosen -= set(option.starts)
    steps = {parts[s].step for s in option.steps if s in chosen}
    candidates = [z for z in option.starts if parts[z].step in steps]
    if candidates:
        chosen.add(min(candidates, key=lambda z: (-value(parts[z], objective), parts[z].go_live, z)))
