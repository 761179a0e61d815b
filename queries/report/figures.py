"""The report's pictures of contracts, markets, clusters and suggestions, as inline SVG.

Each function takes plain data (the analyses' JSON-ready results) and returns the SVG text
of one figure (:func:`queries.report.svg.svg_figure`). Benchmark and objective pictures are in
:mod:`queries.report.charts`.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ictgraph.queries.report.svg import (
    ACCENT,
    ALERT,
    MUTED,
    PALETTE,
    date_axis,
    day,
    new_figure,
    plain,
    short_name,
    svg_figure,
)

__all__ = ["TOP_CAPABILITIES", "cluster_similarity", "contract_timeline", "market_shares", "savings_ranges"]


TOP_CAPABILITIES = 30   # rows of the pictures drawn per capability
TOP_ORGANISATIONS = 40  # rows and columns of the similarity matrix


def _merged(windows: Sequence[Mapping[str, Any]]) -> list[tuple[str, float, float, int]]:
    """Per capability, overlapping windows as one band: (capability, start, end, organisations)."""
    bands: list[tuple[str, float, float, set[str]]] = []
    for w in sorted(windows, key=lambda w: (w["capability"], w["start"], w["end"])):
        start, end = day(w["start"]), day(w["end"])
        if bands and bands[-1][0] == w["capability"] and start <= bands[-1][2]:
            cap, first, last, orgs = bands.pop()
            bands.append((cap, first, max(last, end), orgs | set(w["organisations"])))
        else:
            bands.append((w["capability"], start, end, set(w["organisations"])))
    return [(cap, start, end, len(orgs)) for cap, start, end, orgs in bands]


def _month(when: dt.date) -> float:
    return day(when.replace(day=15))


@svg_figure("timeline")
def contract_timeline(ends: Sequence[tuple[str, dt.date, str]], windows: Sequence[Mapping[str, Any]],
                      as_of: dt.date) -> Figure:
    """Contract end dates per capability (a dot per month, larger for more contracts), procurement
    windows (bands; overlapping ones merged), and ``as_of``: the :data:`TOP_CAPABILITIES`
    capabilities with the most contracts ending."""
    counts = Counter(c for c, _, _ in ends)
    for w in windows:
        counts.setdefault(w["capability"], 0)
    chosen = sorted(counts, key=lambda c: (-counts[c], c))[:TOP_CAPABILITIES]
    capabilities = sorted(chosen, reverse=True)
    row = {c: i for i, c in enumerate(capabilities)}
    fig = new_figure(10, 1.2 + 0.27 * max(1, len(capabilities)))
    ax = fig.add_subplot()
    for capability, start, end, organisations in _merged([w for w in windows if w["capability"] in row]):
        ax.add_patch(Rectangle((start - 12, row[capability] - 0.38), end - start + 24, 0.76,
                               facecolor=ACCENT, alpha=0.18, edgecolor=ACCENT, linewidth=0.8))
        ax.annotate(f"{organisations}", (end + 14, row[capability]), va="center", fontsize=7, color=ACCENT)
    by_size: dict[int, list[tuple[float, int]]] = {}
    for (capability, x), n in sorted(Counter((c, _month(end)) for c, end, _ in ends if c in row).items()):
        by_size.setdefault(10 + 8 * round(math.log2(n)), []).append((x, row[capability]))
    for size, points in sorted(by_size.items()):  # one marker per size keeps the SVG small
        ax.scatter([x for x, _ in points], [y for _, y in points], s=size, color="#333333", alpha=0.75,
                   linewidths=0, zorder=3)
    ax.axvline(day(as_of), color=ALERT, linewidth=1, linestyle="--")
    ax.annotate(f"as of {as_of.isoformat()}", (day(as_of), len(capabilities) - 0.4), color=ALERT,
                fontsize=7, xytext=(3, 0), textcoords="offset points")
    ax.set_yticks(range(len(capabilities)), [plain(c) for c in capabilities])
    ax.set_ylim(-0.7, len(capabilities) - 0.3)
    date_axis(ax.xaxis)
    rest = len(counts) - len(capabilities)
    more = f"the {len(capabilities)} capabilities with the most contracts ending, of {len(counts)}; " if rest else ""
    ax.set_title("Contract end dates per capability (a dot per month, larger: more contracts)\n"
                 f"{more}shaded: procurement windows (number of organisations)")
    return fig


def _segments(vendors: Sequence[Mapping[str, Any]]) -> list[tuple[str, float, str]]:
    """(label, share, colour) per bar segment: the three largest vendors, then the rest together."""
    parts = [(v["name"], v["organisation_share"], PALETTE[i]) for i, v in enumerate(vendors[:3])]
    rest = sum(v["organisation_share"] for v in vendors[3:])
    return parts + ([(f"{len(vendors) - 3} others", rest, MUTED)] if rest > 0 else [])


@svg_figure("market")
def market_shares(market: Sequence[Mapping[str, Any]]) -> Figure:
    """Per capability, vendors' shares of organisations as a stacked bar, with the HHI: the
    :data:`TOP_CAPABILITIES` capabilities used by the most organisations."""
    largest = sorted(market, key=lambda m: (-m["organisations"], m["capability"]))[:TOP_CAPABILITIES]
    entries = sorted(largest, key=lambda m: m["capability"], reverse=True)
    fig = new_figure(10, 1.0 + 0.3 * max(1, len(entries)))
    ax = fig.add_subplot()
    for y, entry in enumerate(entries):
        left = 0.0
        for label, share, colour in _segments(entry["vendors"]):
            ax.barh(y, share, left=left, color=colour, height=0.72, edgecolor="white", linewidth=0.6)
            if share >= 0.14:
                ax.text(left + 0.01, y, plain(label)[:int(share * 90)], va="center", fontsize=7,
                        color="white" if colour != MUTED else "#222222")
            left += share
        mark = "  single-supplier dependency" if entry["dependency"] else ""
        ax.text(1.01, y, f"HHI {entry['hhi_organisations']:,.0f}{mark}", va="center", fontsize=7,
                color=ALERT if entry["dependency"] else "#333333")
    ax.set_yticks(range(len(entries)), [plain(e["capability"]) for e in entries])
    ax.set_xlim(0, 1.32)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.grid(axis="y", visible=False)
    more = (f"\nthe {len(entries)} capabilities used by the most organisations, of {len(market)}"
            if len(market) > len(entries) else "")
    ax.set_title(f"Market share of organisations per capability (largest three vendors){more}")
    return fig


def _cluster_order(clusters: Sequence[Mapping[str, Any]], organisations: Sequence[str]) -> list[str]:
    order = [o for c in clusters for o in c["organisations"]]
    return order + [o for o in sorted(organisations) if o not in order]


@svg_figure("clusters")
def cluster_similarity(similarities: Mapping[str, Mapping[str, float]], clusters: Sequence[Mapping[str, Any]],
                       names: Mapping[str, str]) -> Figure:
    """Jaccard similarity of estates, organisations ordered by similar-estate cluster (boxed)."""
    everyone = _cluster_order(clusters, list(similarities))
    order = everyone[:TOP_ORGANISATIONS]
    n = len(order)
    matrix = [[1.0 if a == b else similarities.get(a, {}).get(b, 0.0) for b in order] for a in order]
    fig = new_figure(8.5, 7.6)
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(matrix, cmap="Blues", vmin=0, vmax=1, edgecolors="white", linewidth=0.2)
    start = 0
    for number, cluster in enumerate(clusters, 1):
        size = min(len(cluster["organisations"]), n - start)
        if size <= 0:
            break
        ax.add_patch(Rectangle((start, start), size, size, fill=False, edgecolor=ALERT, linewidth=1.4))
        ax.text(start + size + 0.2, start + size / 2, f"cluster {number}", color=ALERT, fontsize=7, va="center")
        start += size
    labels = [plain(short_name(names.get(o, o))) for o in order]
    ax.set_xticks([i + 0.5 for i in range(n)], labels, rotation=90, fontsize=6.5)
    ax.set_yticks([i + 0.5 for i in range(n)], labels, fontsize=6.5)
    ax.set_xlim(0, n)
    ax.set_ylim(n, 0)
    ax.grid(visible=False)
    ax.set_aspect("equal")
    fig.colorbar(mesh, ax=ax, shrink=0.6, label="Jaccard similarity of (capability, product) items")
    more = f"\nthe first {n} of {len(everyone)} organisations, by cluster" if len(everyone) > n else ""
    ax.set_title(f"Similar estates: who runs the same products for the same capabilities{more}")
    return fig


@svg_figure("savings")
def savings_ranges(suggestions: Sequence[Mapping[str, Any]], currency: str | None) -> Figure:
    """The ranked suggestions' annual saving ranges (low to high, central marked)."""
    rows = list(reversed(suggestions))
    fig = new_figure(10, 1.0 + 0.34 * max(1, len(rows)))
    ax = fig.add_subplot()
    for y, s in enumerate(rows):
        low, central, high = (s["annual_saving"][k] for k in ("low", "central", "high"))
        ax.plot([low, high], [y, y], color=ACCENT, linewidth=5, alpha=0.35, solid_capstyle="butt")
        ax.plot([central], [y], marker="D", color=ACCENT, markersize=5)
    labels = [plain(f"{len(rows) - i}. {' + '.join(s['capabilities'])}"
                    + (f" on {s['target_product']}" if s.get("target_product") else f" ({s['kind']})"))[:72]
              for i, s in enumerate(rows)]
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_xlabel(f"annual saving ({plain(currency or 'mixed currencies')}): low to high, central marked")
    ax.set_title("Ranked suggestions: annual saving ranges")
    return fig
