"""Consolidation paths: the wave schedule (``shared/notes/analytics.md`` §3, formulation A).

Public entry point: :func:`schedule_waves` ``(joiners, *, as_of, window_months,
lead_time_months, break_early, break_ratio)`` → ``list[Step]``.

The lead (host) organisation is not a step: it is already on the target. Each joining
organisation is *ready* the day after its current contract for the capability ends, or
at ``as_of`` when it has none, but never before ``as_of + lead_time_months`` (the time
needed to prepare a migration). Joiners are taken in (ready date, id) order; a wave opens
at the first ready date not yet scheduled and takes every joiner ready within
``window_months`` of it. Within a wave:

* by default (``break_early=False``) each joiner goes live when it is ready,
  ``go_live = max(contract end + 1 day, wave start)``, so no contract is broken;
* with ``break_early=True`` the wave goes live together at its start, and a joiner whose
  contract ends later pays ``remaining months × monthly value × break_ratio``; a joiner
  whose break cost would round to nothing (no recorded value) waits for its contract end.

Invariants (tested as properties): every joiner exactly once; ``go_live ≥ not_before``
unless the step carries ``break_cost > 0``; ``go_live ≥ as_of + lead time``; each wave spans
at most ``window_months``; ``prep_start = max(as_of, go_live − lead time)``; steps sorted by
(go_live, organisation), waves numbered 1, 2, … in that order.

Notes
-----
O(n log n) for n joiners: one sort and one pass.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ictgraph.queries.suggest.savings import break_cost, whole

__all__ = ["Joiner", "Step", "add_months", "schedule_waves"]


@dataclass(frozen=True, order=True)
class Joiner:
    """An organisation to schedule: its current contract end for the capability (None when
    it has no contract) and the annual value that a break would be charged on."""

    organisation: str
    contract_end: dt.date | None
    annual_value: float = 0.0


@dataclass(frozen=True, order=True)
class Step:
    """One joining organisation's place in the path."""

    go_live: dt.date
    organisation: str
    wave: int
    not_before: dt.date
    prep_start: dt.date
    break_cost: int


@lru_cache(maxsize=1 << 16)       # a national suggest asks ~400,000 times for a few thousand dates
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month.

    >>> add_months(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _ready(joiner: Joiner, as_of: dt.date, earliest: dt.date) -> dt.date:
    start = as_of if joiner.contract_end is None else joiner.contract_end + dt.timedelta(days=1)
    return max(start, earliest)


def _go_live(joiner: Joiner, ready: dt.date, wave_start: dt.date, break_early: bool,
             ratio: float) -> tuple[dt.date, int]:
    """The joiner's go-live in a wave starting at ``wave_start`` and its break cost."""
    if not break_early or ready <= wave_start or joiner.contract_end is None:
        return max(ready, wave_start), 0
    cost = whole(break_cost(joiner.annual_value, wave_start, joiner.contract_end, ratio))
    return (wave_start, cost) if cost > 0 else (ready, 0)


def schedule_waves(joiners: Sequence[Joiner], *, as_of: dt.date, window_months: int = 12,
                   lead_time_months: int = 6, break_early: bool = False,
                   break_ratio: float = 0.0) -> list[Step]:
    """The wave schedule of ``joiners`` onto a platform they do not yet use.

    Parameters
    ----------
    joiners : sequence of Joiner
        One per organisation (ids unique); the lead is not one of them.
    as_of : date
        Today, for the purpose of the plan: nothing is prepared before it.
    window_months : int
        W: a wave takes every joiner ready within W months of its first.
    lead_time_months : int
        L: preparation before a go-live; ``prep_start = go_live − L``.
    break_early : bool
        Whether a wave goes live together, later contracts paying a break cost.
    break_ratio : float
        Share of the remaining contract value a break costs.

    Returns
    -------
    list of Step
        Sorted by (go_live, organisation).

    Examples
    --------
    >>> steps = schedule_waves([Joiner("B", dt.date(2027, 3, 31)), Joiner("A", dt.date(2027, 9, 30)),
    ...                         Joiner("C", dt.date(2029, 3, 31))], as_of=dt.date(2026, 11, 27))
    >>> [(s.organisation, s.wave, s.go_live.isoformat()) for s in steps]
    [('B', 1, '2027-05-27'), ('A', 1, '2027-10-01'), ('C', 2, '2029-04-01')]
    """
    earliest = add_months(as_of, lead_time_months)
    ready = {j.organisation: _ready(j, as_of, earliest) for j in joiners}
    queue = sorted(joiners, key=lambda j: (ready[j.organisation], j.organisation))
    steps: list[Step] = []
    wave, wave_start, wave_end = 0, earliest, earliest
    for joiner in queue:
        if wave == 0 or ready[joiner.organisation] > wave_end:
            wave, wave_start = wave + 1, ready[joiner.organisation]
            wave_end = add_months(wave_start, window_months)
        go_live, cost = _go_live(joiner, ready[joiner.organisation], wave_start, break_early, break_ratio)
        not_before = as_of if joiner.contract_end is None else joiner.contract_end
        prep_start = max(as_of, add_months(go_live, -lead_time_months))
        steps.append(Step(go_live, joiner.organisation, wave, not_before, prep_start, cost))
    return sorted(steps)
