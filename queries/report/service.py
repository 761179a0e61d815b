"""The report's "Cost and service" section: per capability that has measures, a scatter of
each organisation's annual cost per head for the capability against its latest value of each
measure (:func:`queries.service_benchmark.service_benchmark`), with every peer group's medians
drawn as lines, and a short table of standings ("cheap and good" … "dear and poor").

The section is absent (:func:`service_section` returns None) when the estate has no measures.
Figures are named ``service-CAPABILITY``.
"""
from __future__ import annotations

import math
import statistics
import textwrap
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from ictgraph.queries.report.page import Section, esc, figure, table
from ictgraph.queries.report.svg import MUTED, PALETTE, new_figure, plain, svg_figure
from ictgraph.queries.service_benchmark import standings

__all__ = ["STANDINGS", "cost_service_scatter", "service_section"]

STANDINGS = ("cheap and good", "cheap and poor", "dear and good", "dear and poor")
NO_GROUP = "no peer group"
TOP_CAPABILITIES = 6   # capabilities drawn, in name order
Measure = Mapping[str, Any]


def _by_capability(measures: Sequence[Measure]) -> dict[str, list[Measure]]:
    found: dict[str, list[Measure]] = defaultdict(list)
    for measure in measures:
        if measure["capability"] and measure["rows"]:
            found[measure["capability"]].append(measure)
    return dict(sorted(found.items()))


def _corners(ax: Any, good_is_up: bool) -> None:
    """The standing words in the panel's corners: cheap to the left, good up or down."""
    for x, cost in ((0.01, "cheap"), (0.99, "dear")):
        for y, up in ((0.98, True), (0.02, False)):
            ax.text(x, y, f"{cost} and {'good' if up == good_is_up else 'poor'}", transform=ax.transAxes,
                    ha="left" if x < 0.5 else "right", va="top" if up else "bottom", fontsize=7, color=MUTED)


def _draw_panel(ax: Any, measure: Measure) -> None:
    """One measure: points per peer group, the group's service median (dashed, across) and cost
    median (dotted, up) in its colour."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in measure["rows"]:
        if row["cost_per_head"] is not None:
            groups[row["peer_group"] or NO_GROUP].append(row)
    for index, label in enumerate(sorted(groups, key=lambda g: (g == NO_GROUP, g))):
        rows, colour = groups[label], MUTED if label == NO_GROUP else PALETTE[index % len(PALETTE)]
        ax.scatter([r["cost_per_head"] for r in rows], [r["value"] for r in rows], s=16, color=colour,
                   linewidths=0, zorder=3, label=plain(label))
        if label != NO_GROUP:
            ax.axhline(rows[0]["peer_median"], color=colour, linestyle="--", linewidth=0.9)
            ax.axvline(statistics.median(r["cost_per_head"] for r in rows), color=colour, linestyle=":",
                       linewidth=0.9)
    if measure["better"] in ("higher", "lower"):
        _corners(ax, measure["better"] == "higher")
    better = {"higher": "higher is better", "lower": "lower is better"}.get(measure["better"], "no direction")
    ax.set_title(plain(textwrap.fill(f"{measure['name']} ({better})", 58)), fontsize=8.5)
    ax.set_xlabel("annual cost per head")
    if groups:
        ax.legend(fontsize=6.5, loc="best")
    else:
        ax.text(0.5, 0.5, "no organisation has both a value and a cost", ha="center", transform=ax.transAxes)


def cost_service_scatter(capability: str, measures: Sequence[Measure]) -> str:
    """The SVG of one capability's panels, one per measure (two columns)."""
    @svg_figure(f"service-{capability}")
    def draw() -> Figure:
        columns = 2 if len(measures) > 1 else 1
        rows = math.ceil(len(measures) / columns)
        fig = new_figure(10, 0.6 + 3.2 * rows)
        for index, measure in enumerate(measures):
            _draw_panel(fig.add_subplot(rows, columns, index + 1), measure)
        fig.suptitle(plain(f"{capability}: cost per head against level of service; lines: peer medians"),
                     fontsize=10, fontweight="bold", x=0.01, ha="left")
        return fig
    return draw()


def _table_rows(measures: Sequence[Measure]) -> list[list[Any]]:
    rows = []
    for m in measures:
        counts = Counter(standings(m["rows"]))
        costed = sum(1 for r in m["rows"] if r["cost_per_head"] is not None)
        rows.append([m["name"], m["better"], len(m["rows"]), costed, *(counts[s] for s in STANDINGS)])
    return rows


def service_section(result: Mapping[str, Any]) -> Section | None:
    """The section of a :func:`queries.service_benchmark.service_benchmark` result; None
    without measures."""
    by_capability = _by_capability(result.get("measures", ()))
    if not result.get("measures"):
        return None
    body = ('<p class="lead">Each organisation\'s latest level of service per measure against its annual cost '
            "per head for the measure's capability (the benchmark's allocation rule), within its peer group. "
            "Dashed lines: the peer group's median level; dotted: its median cost per head. Cheap or dear: at or "
            "below, or above, the group's median cost per head; good or poor: in the best two quarters of the "
            "group by the measure's direction, or not.</p>\n")
    for capability, measures in list(by_capability.items())[:TOP_CAPABILITIES]:
        body += f"<h3>{esc(capability)}</h3>\n" + figure(
            f"service-{capability}", cost_service_scatter(capability, measures),
            f"Cost per head against level of service for {capability}, peer medians as lines")
        body += table(["measure", "better", "organisations", "with a cost", *STANDINGS], _table_rows(measures),
                      numeric=(2, 3, 4, 5, 6, 7))
    if len(by_capability) > TOP_CAPABILITIES:
        body += (f"<p class=\"more\">and {len(by_capability) - TOP_CAPABILITIES} more capabilities with measures: "
                 "<code>ictgraph benchmark --view service</code> lists them all.</p>\n")
    if not by_capability:
        body += "<p>No organisation reports a level for a measure with a capability.</p>\n"
    return Section("service", "Cost and service", body)
