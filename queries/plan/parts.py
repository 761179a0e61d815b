"""The programme's decision parts: every suggestion cut into the pieces the optimiser chooses.

A suggestion (``queries.suggest``) becomes one *move option* made of parts:

``base``
    the move itself: chosen at most once, it holds the claims no single step holds (the
    lead's ``ORG/CAPABILITY`` through its ``already_there`` entry, the data centre a move
    fills, a skill, a policy) and, for kinds without steps, the whole move's money.
``step``
    one organisation's step (a join, a migration, a site closure): it may be chosen only
    with its move's base, holds its own claims and money, and, when its ``via`` names other
    members, only with at least one of their steps (the chain that links it to the lead).
``start``
    the lead's (and the already-there members') saving, which begins at the first chosen
    step's go-live: one ``start`` part per go-live date of the move's steps, exactly one of
    which is taken with the move, never one on a date when no chosen step goes live. The
    optimiser, maximising, takes the earliest.

Money (:func:`part_money`) is recomputed here with :func:`queries.suggest.savings.part_npv`
from the step's own ranges and dates (the saving from its go-live, the one-off cost at its
preparation start, a break cost at its go-live), each part rounded to whole units as the
kinds round theirs, so a suggestion whose every part is chosen has exactly the suggestion's
NPV (``tests/test_plan_parts.py`` holds this for every suggestion of the sample estate).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ictgraph.queries.suggest.savings import ZERO, Range, SavingsModel, discounted, part_npv, years_between

__all__ = ["Option", "Part", "financial_year", "options_from_suggestions"]


@dataclass(frozen=True, slots=True)     # slots: a national estate has close to a million parts
class Part:
    """One decision the optimiser takes or leaves (see the module docstring)."""

    index: int
    option: int                       # index of its move option
    role: str                         # "base", "step" or "start"
    organisation: str | None
    claims: tuple[str, ...]
    npv: Range                        # rounded to whole units of money
    saving: Range                     # a year, from go_live
    one_off: Range                    # one-off cost, break cost included
    go_live: dt.date | None
    cost_at: dt.date | None
    break_cost: int = 0
    step: int | None = None           # a step part's position in the suggestion's steps
    via: tuple[int, ...] = ()         # step parts, one of which must be chosen with this one
    after: tuple[int, ...] = ()       # a start part: the step parts going live on its date
    lead: str | None = None           # the move's lead, for the joins-per-lead constraint

    @property
    def year(self) -> str | None:
        return financial_year(self.go_live) if self.go_live else None


@dataclass(frozen=True, slots=True)
class Option:
    """One suggestion as the optimiser sees it: its parts by role."""

    index: int
    suggestion: Mapping[str, Any]
    base: int
    steps: tuple[int, ...]
    starts: tuple[int, ...]
    uncertain: str                    # the kind, which names its uncertain parameters


def financial_year(day: dt.date) -> str:
    """The UK public-sector financial year (April to March) holding ``day``: ``2027-28``."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@functools.lru_cache(maxsize=None)      # a few thousand dates for a million parts: one object each
def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _range(value: Mapping[str, float] | None) -> Range:
    return Range(value["low"], value["central"], value["high"]) if value else ZERO


def part_money(saving: Range, cost: Range, break_cost: int, go_live: dt.date, cost_at: dt.date,
               as_of: dt.date, model: SavingsModel) -> Range:
    """A part's NPV as the kinds compute it: saving from go-live, cost at ``cost_at``, less the
    break cost paid at go-live; rounded to whole units."""
    npv = part_npv(saving, go_live, cost, cost_at, as_of, model)
    paid = discounted(break_cost, years_between(as_of, go_live), model.discount_rate)
    return Range(npv.low - paid, npv.central - paid, npv.high - paid).rounded()


class _Builder:
    """Accumulates parts with consecutive indexes."""

    def __init__(self, as_of: dt.date, model: SavingsModel) -> None:
        self.parts: list[Part] = []
        self.as_of, self.model = as_of, model

    def add(self, **fields: Any) -> int:
        self.parts.append(Part(index=len(self.parts), **fields))
        return len(self.parts) - 1

    def step_part(self, option: int, lead: str, step: Mapping[str, Any], position: int) -> int:
        go_live, brk = _date(step["go_live"]), int(step.get("break_cost") or 0)
        cost_at = _date(step.get("prep_start")) or self.as_of
        saving, cost = _range(step["annual_saving"]), _range(step["one_off_cost_range"])
        npv = part_money(saving, cost, brk, go_live, cost_at, self.as_of, self.model)
        return self.add(option=option, role="step", organisation=step["organisation"],
                        claims=tuple(sorted(step.get("claims", ()))), npv=npv, saving=saving,
                        one_off=Range(cost.low + brk, cost.central + brk, cost.high + brk), go_live=go_live,
                        cost_at=cost_at, break_cost=brk, step=position, lead=lead)

    def start_part(self, option: int, savings: Sequence[Range], after: tuple[int, ...], go_live: dt.date) -> int:
        # Each already-there member's saving is rounded on its own, as the kinds round it.
        npv, saving = ZERO, ZERO
        for own in savings:
            npv = npv.plus(part_money(own, ZERO, 0, go_live, go_live, self.as_of, self.model))
            saving = saving.plus(own)
        return self.add(option=option, role="start", organisation=None, claims=(), npv=npv, saving=saving,
                        one_off=ZERO, go_live=go_live, cost_at=go_live, after=after)


def _base_claims(suggestion: Mapping[str, Any], scheduled: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    held = {c for s in scheduled for c in s.get("claims", ())}
    return tuple(sorted(set(suggestion.get("claims", ())) - held))


def _option(builder: _Builder, index: int, suggestion: Mapping[str, Any]) -> Option:
    scheduled = [(i, s) for i, s in enumerate(suggestion["steps"]) if s.get("go_live")]
    lead = suggestion["lead"]
    # Kinds without steps carry their money on the move itself (today always zero).
    base_money = ZERO if scheduled else _range(suggestion["npv"])
    base = builder.add(option=index, role="base", organisation=lead,
                       claims=_base_claims(suggestion, [s for _, s in scheduled]), npv=base_money,
                       saving=ZERO if scheduled else _range(suggestion["annual_saving"]),
                       one_off=ZERO if scheduled else _range(suggestion["one_off_cost_range"]),
                       go_live=None, cost_at=None, lead=lead)
    steps = {i: builder.step_part(index, lead, s, i) for i, s in scheduled}
    linked = {s["organisation"]: steps[i] for i, s in scheduled}
    for i, s in scheduled:
        via = tuple(sorted(linked[o] for o in s.get("via", ()) if o in linked))
        builder.parts[steps[i]] = replace(builder.parts[steps[i]], via=via)
    savings = [_range(a["annual_saving"]) for a in suggestion.get("already_there", ()) if a.get("annual_saving")]
    by_day: dict[dt.date, list[int]] = {}
    for i, s in scheduled:
        by_day.setdefault(_date(s["go_live"]), []).append(steps[i])
    starts = tuple(builder.start_part(index, savings, tuple(by_day[day]), day) for day in sorted(by_day)) \
        if savings else ()
    return Option(index, suggestion, base, tuple(steps.values()), starts, suggestion["kind"])


def options_from_suggestions(suggestions: Sequence[Mapping[str, Any]], as_of: dt.date,
                             model: SavingsModel) -> tuple[list[Option], list[Part]]:
    """Every suggestion as a move option, and all their parts (indexed consecutively).

    Parameters
    ----------
    suggestions : sequence of dict
        ``queries.suggest.suggest(...)["suggestions"]``, in rank order.
    as_of : date
        The planning date the suggestions were made for.
    model : SavingsModel
        The savings model they were priced with.

    Returns
    -------
    (options, parts)
        ``options[i]`` is ``suggestions[i]``; ``parts[j].index == j``.
    """
    builder = _Builder(as_of, model)
    options = [_option(builder, i, s) for i, s in enumerate(suggestions)]
    return options, builder.parts
