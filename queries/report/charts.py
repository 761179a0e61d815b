"""The report's benchmark and objective pictures, as inline SVG (see :mod:`queries.report.figures`)."""
from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ictgraph.queries.report.svg import (ACCENT, ALERT, CALM, MUTED, STATUS_COLOURS, date_axis, day, new_figure, plain,
                                short_name, svg_figure)

__all__ = ["PEER_ROWS", "TOP_CAPABILITIES", "capability_strips", "objective_progress", "peer_distributions"]

NO_GROUP = "no peer group"
PEER_ROWS = 60          # one row per organisation up to this many, else one per peer group
TOP_CAPABILITIES = 30   # rows of the capability strips
TOP_OBJECTIVES = 12     # panels of the objectives' picture
NAMED_OUTLIERS = 3      # high outliers named per row of the strips
VECTOR_POINTS = 1_000   # beyond this many dots of one colour, a picture's dots are an embedded PNG


def _by_group(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["cost_per_head"] is not None:
            groups[row["per_head"]["peer_group"] or NO_GROUP].append(row)
    return [(label, sorted(groups[label], key=lambda r: (r["cost_per_head"], r["organisation"])))
            for label in sorted(groups, key=lambda g: (g == NO_GROUP, g))]


def _outlier_colour(mark: str | None) -> str:
    return ALERT if mark == "high" else CALM if mark == "low" else "#333333"


@svg_figure("peers")
def peer_distributions(rows: Sequence[Mapping[str, Any]], currency: str | None) -> Figure:
    """Each organisation's annual cost per head placed in its peer group: the group's
    P25–P75 band and median behind, outliers coloured (high red, low blue). One row per
    organisation up to :data:`PEER_ROWS` organisations, else one row per peer group."""
    groups = _by_group(rows)
    count = sum(len(members) for _, members in groups)
    if count > PEER_ROWS:
        return _group_strips(groups, currency)
    fig = new_figure(10, 1.2 + 0.2 * (count + 2 * len(groups)))
    ax = fig.add_subplot()
    y, ticks, labels = 0.0, [], []
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for label, members in groups:
        top, bottom = y - 0.6, y + len(members) - 0.4
        spread = members[0]["per_head"]
        _band(ax, spread, top, bottom)
        shown = f"{label}: band and median over {spread['peers']} peers" if spread["peers"] else label
        ax.text(0.0, top - 0.15, plain(shown), fontsize=7.5, fontweight="bold",
                transform=ax.get_yaxis_transform(), va="bottom")
        for row in members:
            points[_outlier_colour(row["per_head"]["outlier"])].append((row["cost_per_head"], y))
            ticks.append(y)
            labels.append(plain(short_name(row["name"])))
            y += 1
        y += 2
    _scatter(ax, points, 22)
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.set_ylim(y - 1.5, -1.6)
    _peer_axes(ax, currency, "Organisations' annual ICT cost per head within their peer groups")
    return fig


def _band(ax: Any, spread: Mapping[str, Any], top: float, bottom: float) -> None:
    if spread["median"] is not None:
        ax.fill_betweenx([top, bottom], spread["p25"], spread["p75"], color=ACCENT, alpha=0.13, linewidth=0)
        ax.plot([spread["median"]] * 2, [top, bottom], color=ACCENT, linewidth=1.2)


def _peer_axes(ax: Any, currency: str | None, title: str) -> None:
    ax.set_xlim(left=0)
    ax.set_xlabel(f"annual cost per head ({plain(currency or 'mixed currencies')}); band: peer P25-P75, line: median")
    ax.set_title(title)


def _group_strips(groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], currency: str | None) -> Figure:
    """One row per peer group: its band and median, every member a dot, the three dearest high
    outliers named."""
    fig = new_figure(10, 1.4 + 0.45 * max(1, len(groups)))
    ax = fig.add_subplot()
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for y, (_, members) in enumerate(groups):
        _band(ax, members[0]["per_head"], y - 0.4, y + 0.4)
        for i, row in enumerate(members):
            at = (row["cost_per_head"], y + _jitter(i))
            points[_outlier_colour(row["per_head"]["outlier"])].append(at)
        named = _dearest(members)
        for row in [r for r in members if r["organisation"] in named]:
            ax.annotate(plain(short_name(row["name"])), (row["cost_per_head"], y), xytext=(4, 6),
                        textcoords="offset points", fontsize=6, color=ALERT)
    _scatter(ax, points, 12)
    ax.set_yticks(range(len(groups)), [plain(f"{label} ({len(members)})") for label, members in groups])
    ax.set_ylim(len(groups) - 0.5, -0.6)
    _peer_axes(ax, currency, "Organisations' annual ICT cost per head within their peer groups\n"
               "a dot per organisation (number in the group beside its name); the dearest high outliers named")
    return fig


def _scatter(ax: Any, points: Mapping[str, Sequence[tuple[float, float]]], size: float) -> None:
    """One scatter call per colour (in sorted colour order), drawn above the bands; more than
    :data:`VECTOR_POINTS` points of a colour are drawn as an embedded image (text stays text)."""
    for colour, xy in sorted(points.items()):
        ax.scatter([x for x, _ in xy], [y for _, y in xy], s=size, color=colour, zorder=3, linewidths=0,
                   rasterized=len(xy) > VECTOR_POINTS)


def _jitter(index: int) -> float:
    return ((index * 7) % 9 - 4) * 0.07


def _dearest(rows: Sequence[Mapping[str, Any]], count: int = NAMED_OUTLIERS) -> set[str]:
    """The organisations of the ``count`` dearest high outliers (by cost per head, ties by id)."""
    high = [r for r in rows if r["per_head"]["outlier"] == "high"]
    return {r["organisation"] for r in sorted(high, key=lambda r: (-r["cost_per_head"], r["organisation"]))[:count]}


def _excess(rows: Sequence[Mapping[str, Any]]) -> float:
    return sum(r["excess_over_median"] or 0 for r in rows if r["per_head"]["outlier"] == "high")


@svg_figure("capabilities")
def capability_strips(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> Figure:
    """Per capability, every organisation's cost per head (log scale); the dearest high outliers named: the
    :data:`TOP_CAPABILITIES` capabilities whose high outliers pay most over their peer medians."""
    by_cap: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["cost_per_head"]:
            by_cap[row["capability"]].append(row)
    chosen = sorted(by_cap, key=lambda c: (-_excess(by_cap[c]), -len(by_cap[c]), c))[:TOP_CAPABILITIES]
    caps = sorted(chosen, reverse=True)
    fig = new_figure(10, 1.2 + 0.32 * max(1, len(caps)))
    ax = fig.add_subplot()
    plain_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    marked: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for y, cap in enumerate(caps):
        named = _dearest(by_cap[cap])
        for i, row in enumerate(sorted(by_cap[cap], key=lambda r: r["organisation"])):
            mark, at = row["per_head"]["outlier"], (row["cost_per_head"], y + _jitter(i))
            (marked if mark else plain_points)[_outlier_colour(mark) if mark else MUTED].append(at)
            if row["organisation"] in named:
                ax.annotate(plain(short_name(names.get(row["organisation"], row["organisation"]))), at,
                            xytext=(4, 0), textcoords="offset points", fontsize=6, color=ALERT, va="center")
    _scatter(ax, plain_points, 10)
    _scatter(ax, marked, 18)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(range(len(caps)), [plain(c) for c in caps])
    ax.set_xlabel("annual cost per head (log scale); red: above the peer group's upper fence, blue: below")
    more = (f"\nthe {len(caps)} capabilities whose high outliers pay most over the peer median, of {len(by_cap)}"
            if len(by_cap) > len(caps) else "")
    ax.set_title(f"Cost per head per capability, every organisation placed{more}")
    return fig


def _draw_objective(ax: Any, objective: Mapping[str, Any]) -> None:
    points = objective["measured"]
    xs, ys = [day(p["date"]) for p in points], [p["value"] for p in points]
    colour = STATUS_COLOURS.get(objective["status"], MUTED)
    if objective["baseline"] is not None:
        ax.axhline(objective["baseline"], color=MUTED, linestyle=":", linewidth=1, label="baseline")
    if objective["target"] is not None:
        ax.axhline(objective["target"], color="#222222", linestyle="--", linewidth=1, label="target")
    if objective["due"]:
        ax.axvline(day(objective["due"]), color=ALERT, linewidth=1, label="due")
    if xs:
        ax.plot(xs, ys, marker="o", color=colour, linewidth=1.6, label="measured")
    if objective["projected"] is not None and objective["due"] and xs:
        ax.plot([xs[-1], day(objective["due"])],
                [ys[-1], objective["projected"]], color=colour, linestyle="--", linewidth=1, label="trend")
    date_axis(ax.xaxis, maxticks=7)
    title = textwrap.fill(plain(objective["description"]), 48)
    ax.set_title(f"{title}\n{objective['status']}", fontsize=8.5, color=colour)
    ax.legend(fontsize=6.5, loc="best")


@svg_figure("objectives")
def objective_progress(objectives: Sequence[Mapping[str, Any]]) -> Figure:
    """One panel per objective: measurements, trend to the due date, baseline and target (the
    first :data:`TOP_OBJECTIVES`, with a count of the rest)."""
    rest = len(objectives) - TOP_OBJECTIVES
    objectives = objectives[:TOP_OBJECTIVES]
    columns = 2 if len(objectives) > 1 else 1
    rows = max(1, math.ceil(len(objectives) / columns))
    fig = new_figure(10, 0.4 + 3.0 * rows)
    for index, objective in enumerate(objectives):
        _draw_objective(fig.add_subplot(rows, columns, index + 1), objective)
    if not objectives:
        fig.text(0.5, 0.5, "no partnership records an objective", ha="center")
    if rest > 0:
        fig.suptitle(f"The first {len(objectives)} objectives; {rest} more in the table's CSV", fontsize=9,
                     x=0.01, ha="left")
    return fig
