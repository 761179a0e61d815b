"""Why a candidate, or a member of a chosen move, is not in the programme.

In order of what a board can act on: a claim that a chosen move already holds (named, with
the claims they share); a budget row that is full (the one-off budget of a year, a lead's
joins in a year); a value that is not positive; and, when the solver stopped at its time
limit, that the search did not reach it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ictgraph.queries.plan.parts import Option, Part
from ictgraph.queries.plan.model import value
from ictgraph.queries.plan.solve import Solution
from ictgraph.queries.suggest.rationale import money

__all__ = ["left_out_steps", "not_chosen"]


def _holders(options: Sequence[Option], parts: Sequence[Part], solution: Solution) -> dict[str, int]:
    """Each claim held by the programme → the option holding it."""
    held = {}
    for i in sorted(solution.chosen):
        for claim in parts[i].claims:
            held[claim] = parts[i].option
    return held


def _full_rows(solution: Solution, indexes: set[int]) -> list[str]:
    """The budget rows that hold one of ``indexes`` and have no room left for it."""
    full = []
    for coefficients, _, upper, name in solution.rows:
        if not name.startswith(("one-off budget", "joins ")):
            continue
        mine = [c for i, c in coefficients if i in indexes and i not in solution.chosen]
        used = sum(c for i, c in coefficients if i in solution.chosen)
        if mine and used + min(mine) > upper + 1e-9:
            full.append(_row_text(name, used, upper))
    return sorted(set(full))


def _row_text(name: str, used: float, upper: float) -> str:
    if name.startswith("one-off budget"):
        return f"the one-off budget of {name.split()[-1]} is spent ({money(used, 'GBP')} of {money(upper, 'GBP')})"
    _, lead, year = name.split()
    return f"{lead} already takes {int(used)} joins in {year} (at most {int(upper)})"


def _conflicts(claims: set[str], held: Mapping[str, int], options: Sequence[Option], own: int) -> str | None:
    rivals: dict[int, list[str]] = defaultdict(list)
    for claim in sorted(claims):
        if claim in held and held[claim] != own:
            rivals[held[claim]].append(claim)
    if not rivals:
        return None
    first = min(rivals)
    shared = rivals[first]
    more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
    return f"conflicts with {options[first].suggestion['id']} on {', '.join(shared[:3])}{more}"


def _why(claims: set[str], indexes: set[int], worth: float, options: Sequence[Option], parts: Sequence[Part],
         solution: Solution, own: int) -> str:
    conflict = _conflicts(claims, _holders(options, parts, solution), options, own)
    if conflict:
        return conflict
    full = _full_rows(solution, indexes)
    if full:
        return "; ".join(full)
    if worth <= 0:
        return f"non-positive NPV ({money(worth, 'GBP')})"
    if solution.status != "Optimal":
        return f"not in the best programme the solver found before it stopped ({solution.status})"
    return "adds nothing the chosen moves do not already give"


def not_chosen(options: Sequence[Option], parts: Sequence[Part], solution: Solution,
               objective: str) -> list[dict[str, Any]]:
    """Every candidate not in the programme: ``{"id", "kind", "npv_central", "why"}``, in rank order."""
    rows = []
    for o in options:
        if o.base in solution.chosen:
            continue
        indexes = {o.base, *o.steps, *o.starts}
        claims = {c for i in indexes for c in parts[i].claims}
        worth = value(parts[o.base], objective) + sum(max(0.0, value(parts[s], objective)) for s in o.steps) \
            + max((value(parts[z], objective) for z in o.starts), default=0.0)
        rows.append({"id": o.suggestion["id"], "kind": o.suggestion["kind"],
                     "npv_central": o.suggestion["npv"]["central"],
                     "why": _why(claims, indexes, worth, options, parts, solution, o.index)})
    return rows


def left_out_steps(option: Option, options: Sequence[Option], parts: Sequence[Part], solution: Solution,
                   objective: str) -> list[dict[str, str]]:
    """The members of a chosen move whose step is not in the programme, and why."""
    out = []
    for s in option.steps:
        if s in solution.chosen:
            continue
        part = parts[s]
        why = _why(set(part.claims), {s}, value(part, objective), options, parts, solution, option.index)
        if why.startswith("adds nothing") and part.via:
            why = "no member that links it to the lead is in the move"
        out.append({"organisation": part.organisation or "", "why": why})
    return out
