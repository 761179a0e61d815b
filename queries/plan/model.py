"""The programme as a mixed-integer programme: its rows and bounds, solver-free.

One binary per part (:mod:`queries.plan.parts`). Rows:

* a step only with its move: ``step − base ≤ 0``; a move only with a step: ``base − Σ steps ≤ 0``,
  and a move whose lead has a step of its own only with that step and another member's
  (:func:`member_groups`);
* a chain link: ``step − Σ via ≤ 0``;
* the lead's saving starts at the first chosen go-live: ``start − base ≤ 0`` and
  ``start − Σ steps going live on or before its date ≤ 0``, each start continuous and priced
  by increments (:func:`column_costs`);
* claims: the parts holding one resource, ``Σ ≤ 1`` (weighted set packing);
* ``--max-one-off-per-year``: per financial year of go-live, ``Σ one-off cost ≤ budget``;
* ``--max-joins-per-lead-per-year``: per lead and year, ``Σ steps ≤ N``.

Parts that can never add value are fixed at zero (:func:`upper_bounds`): a move whose
positive parts sum to nothing, a step with no value that links nothing and starts nothing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import chain
from dataclasses import dataclass

from ictgraph.queries.plan.parts import Option, Part

__all__ = ["INF", "Constraints", "Row", "column_costs", "is_integer", "member_groups", "model_rows", "upper_bounds",
           "value"]

Row = tuple[tuple[tuple[int, float], ...], float, float, str]   # (coefficients, lower, upper, name)
INF = float("inf")


@dataclass(frozen=True)
class Constraints:
    """What a programme board sets; ``None`` is no limit."""

    max_one_off_per_year: float | None = None
    max_joins_per_lead_per_year: int | None = None


def value(part: Part, objective: str) -> float:
    return part.npv.low if objective == "low" else part.npv.central


def _structure_rows(options: Sequence[Option], parts: Sequence[Part]) -> Iterator[Row]:
    for o in options:
        for s in o.steps:
            yield ((s, 1.0), (o.base, -1.0)), -INF, 0.0, f"step {s} with move {o.index}"
            if parts[s].via:
                yield ((s, 1.0), *((v, -1.0) for v in parts[s].via)), -INF, 0.0, f"link of step {s}"
        for name, group in member_groups(o, parts):
            yield ((o.base, 1.0), *((s, -1.0) for s in group)), -INF, 0.0, f"move {o.index} {name}"
        for z in o.starts:   # the increment of starting on or before z's date (column_costs)
            yield ((z, 1.0), (o.base, -1.0)), -INF, 0.0, f"start {z} with move {o.index}"
            on_or_before = [s for s in o.steps if parts[s].go_live <= parts[z].go_live]
            yield ((z, 1.0), *((s, -1.0) for s in on_or_before)), -INF, 0.0, f"start {z} after a chosen step"


def member_groups(option: Option, parts: Sequence[Part]) -> list[tuple[str, tuple[int, ...]]]:
    """The groups of steps a chosen move takes at least one of: any step, when the lead has no
    step of its own (it hosts: a shared platform, a data centre); when it has (a joint or
    network procurement), its own step and another organisation's, so that nothing joint is
    left with one member."""
    lead = parts[option.base].organisation
    own = tuple(s for s in option.steps if lead is not None and parts[s].organisation == lead)
    if not own:
        return [("has a step", option.steps)] if option.steps else []
    others = tuple(s for s in option.steps if s not in own)
    return [("takes its lead's step", own), ("has another member", others)]


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


def column_costs(options: Sequence[Option], parts: Sequence[Part], objective: str) -> list[float]:
    """The objective's coefficients. A start's value is a step function of the move's first
    go-live, so the model prices it by increments: the move earns the value of starting on its
    latest date, and each start column (continuous, at most 1 when a step goes live on or
    before its date) the extra of starting on its date rather than the next. This is tighter
    than choosing exactly one start, and the columns need not be integer."""
    costs = [float(value(p, objective)) for p in parts]
    for o in options:
        starts = sorted(o.starts, key=lambda z: parts[z].go_live)
        worth = [float(value(parts[z], objective)) for z in starts]
        if starts:
            costs[o.base] += worth[-1]
        for k, z in enumerate(starts):
            costs[z] = worth[k] - worth[k + 1] if k + 1 < len(starts) else 0.0
    return costs


def is_integer(part: Part) -> bool:
    return part.role != "start"


def model_rows(options: Sequence[Option], parts: Sequence[Part], limits: Constraints) -> list[Row]:
    """Every row of the model, in a canonical order (see the module docstring)."""
    # A column's (index, coefficient) pair recurs in its move's, link, start and claim rows:
    # each distinct pair is kept once (a national model has millions of terms).
    pairs: dict[tuple[int, float], tuple[int, float]] = {}
    return [(tuple(pairs.setdefault(pair, pair) for pair in coefficients), lower, upper, name)
            for coefficients, lower, upper, name in chain(_structure_rows(options, parts), _claim_rows(parts),
                                                          _budget_rows(parts, limits))]


def upper_bounds(options: Sequence[Option], parts: Sequence[Part], objective: str) -> list[float]:
    """1 for a part that could add value, 0 for one that never can (fixed before the solve)."""
    linking = {v for p in parts for v in p.via}
    upper = [1.0] * len(parts)
    for o in options:
        # A step worth nothing may still carry a link, the start of the lead's saving, or be
        # the lead's own or the only other member of a joint move.
        free_to_drop = not o.starts and len(member_groups(o, parts)) <= 1
        for s in o.steps:
            if value(parts[s], objective) <= 0 and s not in linking and free_to_drop:
                upper[s] = 0.0
        best = value(parts[o.base], objective) + sum(max(0.0, value(parts[s], objective)) for s in o.steps) \
            + max((value(parts[z], objective) for z in o.starts), default=0.0)
        if best <= 0:
            for i in (o.base, *o.steps, *o.starts):
                upper[i] = 0.0
    return upper
