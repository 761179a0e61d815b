"""``ictgraph objectives``: partnership objectives — set, achieved, measured — with a status
from their measurements and trend (``anchors.md`` gap 9, benefits realisation).

Public entry points (what the CLI calls):

* :func:`find_objectives` ``(graph, *, as_of)`` → ``{"as_of", "assumptions", "objectives": [...],
  "partnerships": [...]}`` (partnerships with their members' benchmark before and after they
  started: :mod:`queries.realisation`);
* :func:`objectives_table` ``(result)`` → ``(columns, rows)``, one row per objective;
* :func:`iter_objectives` ``(graph)`` and :func:`assess` ``(objective, as_of)``, usable alone.

The status rule (``docs/benchmark.md``), with measurements dated after ``as_of`` ignored:

Direction
    Up when the target is at least the baseline, down otherwise (with no baseline, the first
    measurement stands for it). The latest measurement *meets* the target when it is at or
    beyond it in that direction.
achieved
    The latest measurement meets the target.
missed
    Not achieved and the due date is before ``as_of``.
on track
    Not achieved, not past due, and the least-squares line through the measurements (two or
    more, value against time) reaches the target by the due date (with no due date: moves
    towards the target).
at risk
    Otherwise: the trend falls short, moves away, or there are fewer than two measurements.
not assessed
    The objective records no target, or has neither a baseline nor a measurement.

``progress`` is ``(latest − baseline) / (target − baseline)``; ``trend_per_year`` the slope
of the line; ``projected`` its value on the due date.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ictgraph.queries.estate import nodes_with_label, sources
from ictgraph.queries.realisation import partnership_benchmarks

__all__ = ["STATUSES", "Objective", "assess", "find_objectives", "iter_objectives", "objectives_table", "trend"]

STATUSES = ("achieved", "on track", "at risk", "missed", "not assessed")
RULE = {
    "direction": "up when target >= baseline, else down (no baseline: the first measurement)",
    "achieved": "the latest measurement on or before as_of meets the target",
    "missed": "not achieved and due before as_of",
    "on track": "not achieved, not past due, and the least-squares trend of two or more measurements reaches "
                "the target by the due date (no due date: it moves towards the target)",
    "at risk": "otherwise: the trend falls short or moves away, or fewer than two measurements",
    "not assessed": "no target, or neither a baseline nor a measurement",
    "progress": "(latest - baseline) / (target - baseline)",
}
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, order=True)
class Objective:
    """A partnership's objective with its measurements, sorted by date."""

    partnership: str
    id: str
    description: str
    metric: str | None
    baseline: float | None
    target: float | None
    due: dt.date | None
    measured: tuple[tuple[dt.date, float], ...]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def iter_objectives(graph: nx.MultiDiGraph) -> Iterator[Objective]:
    """Every objective of every partnership, sorted by (partnership, id)."""
    rows = []
    for node in nodes_with_label(graph, "Objective"):
        attrs = graph.nodes[node]
        owner = next(iter(sources(graph, node, "PURSUES", "Partnership")),
                     ("Partnership", attrs.get("partnership", "")))
        points = zip(attrs.get("measured_dates") or [], attrs.get("measured_values") or [])
        rows.append(Objective(owner[1], node[1], attrs.get("description", node[1]), attrs.get("metric"),
                              _number(attrs.get("baseline")), _number(attrs.get("target")), attrs.get("due"),
                              tuple(sorted((day, float(value)) for day, value in points))))
    yield from sorted(rows)


def trend(points: Sequence[tuple[dt.date, float]]) -> tuple[float, float] | None:
    """Least-squares ``(value at the first date, slope per year)``; None for fewer than two
    points or a single date.

    >>> start, slope = trend([(dt.date(2024, 1, 1), 10.0), (dt.date(2025, 1, 1), 12.0)])
    >>> start, round(slope, 3)    # 2 in 366 days, per year of 365.25 days
    (10.0, 1.996)
    """
    if len(points) < 2:
        return None
    xs = [(day - points[0][0]).days / DAYS_PER_YEAR for day, _ in points]
    ys = [value for _, value in points]
    mean_x, mean_y = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    spread = math.fsum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    return mean_y - slope * mean_x, slope


def _meets(value: float, target: float, up: bool) -> bool:
    return value >= target if up else value <= target


def _status(objective: Objective, seen: Sequence[tuple[dt.date, float]], start: float, as_of: dt.date,
            line: tuple[float, float] | None) -> tuple[str, str, float | None]:
    """(status, reason, projected value on the due date) of an objective with a target."""
    target = objective.target
    assert target is not None
    up, due = target >= start, objective.due
    latest = seen[-1][1] if seen else start
    projected = None if line is None or due is None else line[0] + line[1] * (due - seen[0][0]).days / DAYS_PER_YEAR
    if seen and _meets(latest, target, up):
        return "achieved", f"latest {latest:g} on {seen[-1][0].isoformat()} meets the target {target:g}", projected
    if due is not None and due < as_of:
        return "missed", f"due {due.isoformat()} and the latest is {latest:g} against {target:g}", projected
    if line is None:
        return "at risk", "fewer than two measurements: no trend yet", projected
    if projected is not None:
        verdict = "on track" if _meets(projected, target, up) else "at risk"
        return verdict, f"trend reaches {projected:.4g} by {due} against the target {target:g}", projected
    toward = line[1] > 0 if up else line[1] < 0
    return ("on track" if toward else "at risk"), "no due date: judged on the trend's direction", projected


def assess(objective: Objective, as_of: dt.date) -> dict[str, Any]:
    """The objective's status and figures on ``as_of`` (see the module's rule)."""
    seen = [(day, value) for day, value in objective.measured if day <= as_of]
    start = objective.baseline if objective.baseline is not None else (seen[0][1] if seen else None)
    line = trend(seen)
    record: dict[str, Any] = {"latest": {"date": seen[-1][0].isoformat(), "value": seen[-1][1]} if seen else None,
                              "trend_per_year": None if line is None else round(line[1], 6)}
    if objective.target is None or start is None:
        why = "no target recorded" if objective.target is None else "no baseline and no measurement"
        return {**record, "status": "not assessed", "reason": why, "progress": None, "projected": None}
    status, reason, projected = _status(objective, seen, start, as_of, line)
    latest = seen[-1][1] if seen else start
    gap = objective.target - start
    progress = (latest - start) / gap if gap else (1.0 if latest == objective.target else 0.0)
    return {**record, "status": status, "reason": reason, "progress": round(progress, 4),
            "projected": None if projected is None else round(projected, 6)}


def _record(objective: Objective, as_of: dt.date, names: dict[str, str]) -> dict[str, Any]:
    return {"partnership": objective.partnership, "partnership_name": names.get(objective.partnership),
            "id": objective.id, "description": objective.description, "metric": objective.metric,
            "baseline": objective.baseline, "target": objective.target,
            "due": None if objective.due is None else objective.due.isoformat(),
            "measured": [{"date": day.isoformat(), "value": value} for day, value in objective.measured],
            **assess(objective, as_of)}


def find_objectives(graph: nx.MultiDiGraph, *, as_of: dt.date) -> dict[str, Any]:
    """Every objective's status on ``as_of``, and every partnership's members' benchmark.

    Returns
    -------
    dict
        ``{"as_of", "assumptions", "objectives": [...], "partnerships": [...]}``, JSON-ready;
        objectives sorted by (partnership, id).

    Notes
    -----
    O(m) for m measurements, plus the benchmark of :mod:`queries.realisation`.
    """
    names = {n[1]: str(graph.nodes[n].get("name", n[1])) for n in nodes_with_label(graph, "Partnership")}
    partnerships = partnership_benchmarks(graph, as_of=as_of)
    return {"as_of": as_of.isoformat(),
            "assumptions": {"status": dict(RULE), "benchmark": partnerships["assumptions"]},
            "objectives": [_record(o, as_of, names) for o in iter_objectives(graph)],
            "partnerships": partnerships["partnerships"]}


OBJECTIVE_COLUMNS = ("partnership", "objective", "metric", "baseline", "target", "due", "latest", "latest_date",
                     "progress", "trend_per_year", "projected", "status", "reason")


def objectives_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per objective, in the result's order."""
    rows = [[o["partnership"], o["id"], o["metric"], o["baseline"], o["target"], o["due"],
             (o["latest"] or {}).get("value"), (o["latest"] or {}).get("date"), o["progress"],
             o["trend_per_year"], o["projected"], o["status"], o["reason"]] for o in result["objectives"]]
    return list(OBJECTIVE_COLUMNS), rows
