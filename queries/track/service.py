"""Each member's service levels on a move's capabilities, before the programme and now.

:func:`move_service` ``(move, later, history)`` → ``[{"organisation", "measure", "better",
"before": {"period", "value"} | None, "after": {...} | None, "change"}]``, sorted.

Rules (``docs/programme.md``, "Tracking"):

before
    The member's latest level of the measure on or before the programme's date: the one its
    baseline recorded, or else the latest the later estate reports for a period ending by then
    (inventories keep their history).
after
    The latest level the later estate reports.
change
    ``better``, ``same`` or ``worse`` by the measure's direction
    (:func:`queries.service_levels.compare_levels`); null when either is missing, when nothing
    newer than ``before`` was reported, or for a measure with no better direction.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictgraph.queries.plan.baseline import CAPABILITY_KINDS, Estate, service_of
from ictgraph.queries.service_levels import compare_levels

__all__ = ["move_service", "service_counts"]

Level = Mapping[str, Any] | None


def _level(pair: Any) -> Level:
    return None if not pair else {"period": str(pair[0]), "value": pair[1]}


def _change(before: Level, after: Level, better: str) -> str | None:
    if before is None or after is None or before["period"] == after["period"]:
        return None
    return compare_levels(float(after["value"]), float(before["value"]), better)


def _rows(entry: Mapping[str, Any], capabilities: list[str], later: Estate, history: Estate) -> list[dict[str, Any]]:
    org = entry["organisation"]
    recorded = entry["baseline"].get("service") or {}
    earlier, now = service_of(history, org, capabilities), service_of(later, org, capabilities)
    better = {m.id: m.better for c in capabilities for m in later.measures.get(c, ())}
    rows = []
    for measure in sorted(set(recorded) | set(earlier) | set(now)):
        before, after = _level(recorded.get(measure) or earlier.get(measure)), _level(now.get(measure))
        direction = better.get(measure, "none")
        rows.append({"organisation": org, "measure": measure, "better": direction, "before": before,
                     "after": after, "change": _change(before, after, direction)})
    return rows


def move_service(move: Mapping[str, Any], later: Estate, history: Estate) -> list[dict[str, Any]]:
    """Service before and after for every member of ``move`` (empty for a data centre or network).

    ``later``: the later estate; ``history``: the same with levels up to the programme's date."""
    if move["kind"] not in CAPABILITY_KINDS:
        return []
    capabilities = sorted(move.get("capabilities") or [])
    entries = [*move["steps"], *(move.get("already_there") or [])]
    return sorted((row for e in entries for row in _rows(e, capabilities, later, history)),
                  key=lambda r: (r["organisation"], r["measure"]))


def service_counts(moves: list[Mapping[str, Any]]) -> dict[str, int]:
    """How many (member, measure) pairs got better, stayed the same or got worse."""
    changes = [row["change"] for m in moves for row in m.get("service", [])]
    return {k: changes.count(k) for k in ("better", "same", "worse")}
