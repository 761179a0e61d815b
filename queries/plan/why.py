"""Why a candidate, or a member of a chosen move, is not in the programme.

In order of what a board can act on: a claim that a chosen move already holds (named, with
the claims they share); a budget row that is full (the one-off budget of a year, a lead's
joins in a year); a value that is not positive; and, when the solver stopped at its time
limit, that the search did not reach it. :class:`Reasons` indexes the solution once, so
that each question is a few look-ups (a national programme leaves tens of thousands out).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ictgraph.queries.plan.model import Row, value
from ictgraph.queries.plan.parts import Option, Part
from ictgraph.queries.plan.solve import Solution
from ictgraph.queries.suggest.rationale import money

__all__ = ["Reasons", "left_out_steps", "not_chosen"]

BUDGET_ROWS = ("one-off budget", "joins ")


class Reasons:
    """The solution's claims and budget rows, indexed for :meth:`why`."""

    def __init__(self, options: Sequence[Option], parts: Sequence[Part], solution: Solution) -> None:
        self.options, self.solution = options, solution
        self.held: dict[str, int] = {}                     # claim → option holding it
        for i in sorted(solution.chosen):
            for claim in parts[i].claims:
                self.held[claim] = parts[i].option
        self.budgets: dict[int, list[tuple[Row, float]]] = defaultdict(list)   # part → (row, used)
        for row in solution.rows:
            if row[3].startswith(BUDGET_ROWS):
                used = sum(c for i, c in row[0] if i in solution.chosen)
                for i, _ in row[0]:
                    self.budgets[i].append((row, used))

    def _conflict(self, claims: set[str], own: int) -> str | None:
        rivals: dict[int, list[str]] = defaultdict(list)
        for claim in sorted(claims):
            if claim in self.held and self.held[claim] != own:
                rivals[self.held[claim]].append(claim)
        if not rivals:
            return None
        first = min(rivals)
        shared = rivals[first]
        more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
        return f"conflicts with {self.options[first].suggestion['id']} on {', '.join(shared[:3])}{more}"

    def _full(self, indexes: set[int]) -> list[str]:
        full = set()
        for i in indexes - self.solution.chosen:
            for (coefficients, _, upper, name), used in self.budgets.get(i, ()):
                mine = dict(coefficients)[i]
                if used + mine > upper + 1e-9:
                    full.add(_row_text(name, used, upper))
        return sorted(full)

    def why(self, claims: set[str], indexes: set[int], worth: float, own: int) -> str:
        conflict = self._conflict(claims, own)
        if conflict:
            return conflict
        full = self._full(indexes)
        if full:
            return "; ".join(full)
        if worth <= 0:
            return f"non-positive NPV ({money(worth, 'GBP')})"
        if self.solution.status != "Optimal":
            return f"not in the best programme the solver found before it stopped ({self.solution.status})"
        return "adds nothing the chosen moves do not already give"


def _row_text(name: str, used: float, upper: float) -> str:
    if name.startswith("one-off budget"):
        return f"the one-off budget of {name.split()[-1]} is spent ({money(used, 'GBP')} of {money(upper, 'GBP')})"
    _, lead, year = name.split()
    return f"{lead} already takes {int(used)} joins in {year} (at most {int(upper)})"


def not_chosen(options: Sequence[Option], parts: Sequence[Part], reasons: Reasons,
               objective: str) -> list[dict[str, Any]]:
    """Every candidate not in the programme: ``{"id", "kind", "npv_central", "why"}``, in rank order."""
    rows = []
    for o in options:
        if o.base in reasons.solution.chosen:
            continue
        indexes = {o.base, *o.steps, *o.starts}
        claims = {c for i in indexes for c in parts[i].claims}
        worth = value(parts[o.base], objective) + sum(max(0.0, value(parts[s], objective)) for s in o.steps) \
            + max((value(parts[z], objective) for z in o.starts), default=0.0)
        rows.append({"id": o.suggestion["id"], "kind": o.suggestion["kind"],
                     "npv_central": o.suggestion["npv"]["central"],
                     "why": reasons.why(claims, indexes, worth, o.index)})
    return rows


def left_out_steps(option: Option, parts: Sequence[Part], reasons: Reasons, objective: str) -> list[dict[str, str]]:
    """The members of a chosen move whose step is not in the programme, and why."""
    out = []
    for s in option.steps:
        if s in reasons.solution.chosen:
            continue
        part = parts[s]
        why = reasons.why(set(part.claims), {s}, value(part, objective), option.index)
        if why.startswith("adds nothing") and part.via:
            why = "no member that links it to the lead is in the move"
        out.append({"organisation": part.organisation or "", "why": why})
    return out
