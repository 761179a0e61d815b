"""Procurement windows: organisations whose contracts for a capability end close together.

Public entry points (what ``ictgraph windows`` calls):

* :func:`find_windows` ``(graph, *, as_of, months=12)`` → the JSON-ready dict
  ``{"as_of", "windows": [{"capability", "start", "end", "organisations", "contracts",
  "plans", "combined_annual_value"}]}``;
* :func:`windows_table` ``(result)`` → ``(columns, rows)``, one row per window.

Building blocks, pure and usable alone: :func:`add_months`, :func:`decision_date`,
:func:`window_contracts` (contract covers to per-capability entries) and
:func:`group_by_expiry` (the grouping rule).

Rules, all read through :mod:`queries.estate` (``iter_contract_covers``, ``iter_plans``):

Entries
    One entry per (capability, contract, organisation): the organisation is the one
    running the covered system (for a joint contract, each party whose system it covers
    gets its own entry); a contract that names capabilities instead of systems (format
    v1.1) gives its holder an entry with no systems. Its ``allocated_annual_value`` is the
    sum of the allocated values of the contract's covers for that capability (the
    contract's value split equally over the systems it covers, then over each system's
    capabilities), so a contract covering several systems is counted once and the entries
    of one contract sum to its value.
    Only contracts ending strictly after ``as_of`` take part.
Decision date
    ``end`` minus ``notice_months`` calendar months, the day clamped to the month's end
    (2026-03-31 minus 1 month is 2026-02-28); ``null`` when the notice is not recorded.
Grouping (per capability)
    Sort the entries by (end, organisation, contract). Open a window at the earliest
    remaining end; it takes every entry ending on or before that end plus ``months``
    calendar months (the bound is inclusive). If those entries belong to at least two
    organisations the window is kept and its entries removed; otherwise only the entries
    ending on the opening date are dropped. Repeat from the next remaining end. So every
    window spans at most ``months`` months, no entry is in two windows, and a lone early
    contract never hides a later pair.
Window fields
    ``start``/``end``: the first and last contract end in the window;
    ``organisations``: the sorted organisations of its entries.
Plans
    A procurement plan for the capability joins the first window (by start) whose range,
    from the earliest of its ``start`` and its contracts' decision dates to its ``end``,
    holds the plan's ``expected`` date (a ``YYYY-MM`` plan is the 1st of the month). Plans
    never open a window nor add organisations, and their one-off ``estimated_value`` is
    not added to the annual value.
Money
    ``combined_annual_value`` is always a mapping from ISO 4217 currency to the sum of the
    entries' allocated values in that currency (``{"GBP": 315000.0}``), rounded to pence;
    different currencies are never added; entries without a value are left out (``{}``
    when none has one).

Output is sorted: windows by (capability, start, first organisation), contracts by
(end, organisation, contract), plans by (expected, organisation, plan).
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ictgraph.queries.estate import ContractCover, Plan, iter_contract_covers, iter_plans

__all__ = [
    "WindowContract", "add_months", "decision_date", "find_windows", "group_by_expiry",
    "window_contracts", "windows_table",
]


@dataclass(frozen=True, order=True)
class WindowContract:
    """One contract's part, for one organisation's systems, in a capability's window."""

    capability: str
    end: dt.date
    organisation: str
    contract: str
    holder: str
    systems: tuple[str, ...]
    supplier: str
    decision_date: dt.date | None
    max_end: dt.date | None
    notice_months: int | None
    allocated_annual_value: float | None
    currency: str


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the end of the month.

    >>> add_months(dt.date(2026, 3, 31), -1), add_months(dt.date(2023, 8, 31), 6)
    (datetime.date(2026, 2, 28), datetime.date(2024, 2, 29))
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def decision_date(end: dt.date, notice_months: int | None) -> dt.date | None:
    """The last day to decide: ``end`` minus the notice period; None if it is unknown.

    >>> decision_date(dt.date(2026, 3, 31), 6)
    datetime.date(2025, 9, 30)
    """
    return None if notice_months is None else add_months(end, -notice_months)


def _entry(covers: Sequence[ContractCover]) -> WindowContract:
    first = covers[0]
    values = [c.allocated_value for c in covers if c.allocated_value is not None]
    return WindowContract(
        first.capability, first.end, first.organisation, first.contract, first.holder,
        tuple(sorted({c.system for c in covers if c.system})), first.supplier,
        decision_date(first.end, first.notice_months), first.max_end, first.notice_months,
        math.fsum(values) if values else None, first.currency)


def window_contracts(covers: Iterable[ContractCover], *, as_of: dt.date) -> list[WindowContract]:
    """Contract covers ending after ``as_of``, merged per (capability, contract, organisation).

    Notes
    -----
    O(n log n) in the number of covers.
    """
    merged: dict[tuple[str, str, str], list[ContractCover]] = {}
    for cover in sorted(covers):
        if cover.end > as_of:
            merged.setdefault((cover.capability, cover.contract, cover.organisation), []).append(cover)
    return sorted(_entry(group) for _, group in sorted(merged.items()))


def group_by_expiry(entries: Iterable[WindowContract], months: int) -> list[list[WindowContract]]:
    """One capability's entries grouped into windows by the rule of the module docstring.

    >>> e = lambda org, end: WindowContract("c", end, org, org + "/k", org, (), "v", None, None, None, None, "GBP")
    >>> [[x.organisation for x in w] for w in group_by_expiry(
    ...     [e("A", dt.date(2026, 1, 31)), e("A", dt.date(2026, 12, 31)), e("B", dt.date(2027, 2, 1))], 12)]
    [['A', 'B']]
    """
    ordered = sorted(entries, key=lambda x: (x.end, x.organisation, x.contract))
    windows, first = [], 0
    while first < len(ordered):
        limit = add_months(ordered[first].end, months)
        last = first
        while last < len(ordered) and ordered[last].end <= limit:
            last += 1
        if len({x.organisation for x in ordered[first:last]}) >= 2:
            windows.append(ordered[first:last])
            first = last
        else:
            opening = ordered[first].end
            while first < len(ordered) and ordered[first].end == opening:
                first += 1
    return windows


def _money(entries: Iterable[WindowContract]) -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    for entry in entries:
        if entry.allocated_annual_value is not None:
            sums.setdefault(entry.currency, []).append(entry.allocated_annual_value)
    return {currency: round(math.fsum(values), 2) for currency, values in sorted(sums.items())}


def _contract_record(entry: WindowContract) -> dict[str, Any]:
    value = entry.allocated_annual_value
    return {"contract": entry.contract, "organisation": entry.organisation, "holder": entry.holder,
            "systems": list(entry.systems), "supplier": entry.supplier, "end": entry.end.isoformat(),
            "decision_date": entry.decision_date.isoformat() if entry.decision_date else None,
            "max_end": entry.max_end.isoformat() if entry.max_end else None,
            "notice_months": entry.notice_months,
            "allocated_annual_value": None if value is None else round(value, 2), "currency": entry.currency}


def _plan_record(plan: Plan) -> dict[str, Any]:
    return {"plan": plan.plan, "organisation": plan.organisation, "expected": plan.expected.isoformat(),
            "estimated_value": plan.estimated_value, "currency": plan.currency,
            "open_to_partners": plan.open_to_partners}


def _plan_range(window: Sequence[WindowContract]) -> tuple[dt.date, dt.date]:
    decisions = [x.decision_date for x in window if x.decision_date is not None]
    return min([window[0].end, *decisions]), window[-1].end


def _capability_windows(capability: str, entries: list[WindowContract], plans: list[Plan],
                        months: int) -> list[dict[str, Any]]:
    windows = group_by_expiry(entries, months)
    joined: list[list[Plan]] = [[] for _ in windows]
    for plan in sorted(plans, key=lambda p: (p.expected, p.organisation, p.plan)):
        for index, window in enumerate(windows):
            low, high = _plan_range(window)
            if low <= plan.expected <= high:
                joined[index].append(plan)
                break
    return [{"capability": capability, "start": w[0].end.isoformat(), "end": w[-1].end.isoformat(),
             "organisations": sorted({x.organisation for x in w}),
             "contracts": [_contract_record(x) for x in w], "plans": [_plan_record(p) for p in p_list],
             "combined_annual_value": _money(w)} for w, p_list in zip(windows, joined)]


def find_windows(graph: nx.MultiDiGraph, *, as_of: dt.date, months: int = 12) -> dict[str, Any]:
    """Procurement windows of an estate after ``as_of``, contract ends within ``months``.

    Parameters
    ----------
    graph : the estate graph (``graph_loader.build_graph``).
    as_of : contracts ending on or before this date are over and left out.
    months : the longest span, in calendar months, between contract ends in one window.

    Returns
    -------
    dict
        ``{"as_of": ISO date, "windows": [...]}``, JSON-ready (dates as ISO strings).

    Notes
    -----
    O(c log c + w·p) for c contract covers, w windows and p plans per capability.
    """
    if months < 0:
        raise ValueError(f"months must not be negative, got {months}")
    by_capability: dict[str, list[WindowContract]] = {}
    for entry in window_contracts(iter_contract_covers(graph), as_of=as_of):
        by_capability.setdefault(entry.capability, []).append(entry)
    plans: dict[str, list[Plan]] = {}
    for plan in iter_plans(graph):
        plans.setdefault(plan.capability, []).append(plan)
    windows = [window for capability, entries in sorted(by_capability.items())
               for window in _capability_windows(capability, entries, plans.get(capability, []), months)]
    windows.sort(key=lambda w: (w["capability"], w["start"], w["organisations"][0]))
    return {"as_of": as_of.isoformat(), "windows": windows}


def windows_table(result: dict[str, Any], names: Mapping[str, str] | None = None) -> tuple[list[str], list[list[Any]]]:
    """``(columns, rows)`` of a :func:`find_windows` result, one row per window.

    ``first_decision`` is the earliest decision date in the window; a joint contract's id
    is listed once; money is shown as ``"GBP 315000.00"`` per currency, never summed
    across currencies. With ``names`` (organisation id → name), organisations are named.
    """
    columns = ["capability", "start", "end", "first_decision", "organisations", "contracts", "plans",
               "combined_annual_value"]
    rows = []
    for w in result["windows"]:
        decisions = sorted(c["decision_date"] for c in w["contracts"] if c["decision_date"])
        rows.append([w["capability"], w["start"], w["end"], decisions[0] if decisions else None,
                     [(names or {}).get(o, o) for o in w["organisations"]],
                     list(dict.fromkeys(c["contract"] for c in w["contracts"])),
                     [p["plan"] for p in w["plans"]],
                     [f"{cur} {value:.2f}" for cur, value in w["combined_annual_value"].items()]])
    return columns, rows
