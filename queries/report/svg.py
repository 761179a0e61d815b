"""Matplotlib figures as inline SVG: deterministic, self-contained, safe for estate text.

* :func:`svg_figure` ``(name)``: a decorator turning a function that draws a matplotlib
  ``Figure`` (object-oriented API, no pyplot state) into one returning its SVG text, drawn
  and rendered with :data:`RC` in force; :func:`new_figure` ``(width, height)`` starts one;
* :func:`plain` makes estate text literal for matplotlib (no mathtext from a ``$``);
* :func:`short_name` shortens council names for axis labels.

Determinism: ``svg.hashsalt`` is fixed, the date and creator metadata are left out, the
``<metadata>`` block and the XML prolog are dropped, and every ``id`` (with the references
to it) is prefixed with the figure's name, so several SVGs sit in one page without clashing.
Text stays text (``svg.fonttype: none``): searchable, and drawn in the reader's sans-serif.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from typing import Any, ParamSpec, cast

import matplotlib as mpl
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

__all__ = ["PALETTE", "RC", "STATUS_COLOURS", "date_axis", "day", "new_figure", "plain", "short_name", "svg_figure",
           "to_svg"]

P = ParamSpec("P")

RC: dict[str, Any] = {
    "svg.fonttype": "none", "svg.hashsalt": "ictgraph", "text.parse_math": False, "text.usetex": False,
    "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 8.5, "axes.titlesize": 10, "axes.titleweight": "bold", "axes.titlelocation": "left",
    "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#666666",
    "axes.grid": True, "grid.color": "#e5e5e5", "grid.linewidth": 0.6, "axes.axisbelow": True,
    "xtick.color": "#333333", "ytick.color": "#333333", "legend.frameon": False, "figure.dpi": 72,
}
PALETTE = ("#1f5f8b", "#e07b39", "#3a9d5d", "#8e5ea2", "#c9a227", "#5aa9c6", "#b5485d", "#7f7f7f")
ACCENT, MUTED, ALERT, CALM = "#1f5f8b", "#b8b8b8", "#c0392b", "#2471a3"
STATUS_COLOURS = {"achieved": "#2e8b57", "on track": "#2471a3", "at risk": "#d68910", "missed": "#c0392b",
                  "not assessed": "#7f7f7f"}
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
_SUFFIXES = (" Metropolitan Borough Council", " County Borough Council", " Borough Council", " City Council",
             " County Council", " Council")


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` inches with a constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def day(value: dt.date | str) -> float:
    """A date (or ISO date text) as a matplotlib date number."""
    when = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return float(date2num(when))  # type: ignore[no-untyped-call]


def date_axis(axis: Any, maxticks: int = 9) -> None:
    """Concise date ticks on ``axis`` (an ``Axes.xaxis``)."""
    locator = AutoDateLocator(minticks=3, maxticks=maxticks)  # type: ignore[no-untyped-call]
    axis.set_major_locator(locator)
    axis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def plain(text: object) -> str:
    """Estate text as literal matplotlib text: ``$`` never starts mathtext."""
    return str(text).replace("$", r"\$")


def short_name(name: str) -> str:
    """A council's name without its kind, for axis labels.

    >>> short_name("Blaenau Gwent County Borough Council"), short_name("Newcastle City Council")
    ('Blaenau Gwent', 'Newcastle')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _scope_ids(svg: str, prefix: str) -> str:
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def to_svg(figure: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element for inlining, ids prefixed with ``name``."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    return _scope_ids(text, name).strip() + "\n"


def svg_figure(name: str) -> Callable[[Callable[P, Figure]], Callable[P, str]]:
    """Decorate a function drawing a figure so that it returns the figure's inline SVG."""
    def wrap(draw: Callable[P, Figure]) -> Callable[P, str]:
        @functools.wraps(draw)
        def run(*args: P.args, **kwargs: P.kwargs) -> str:
            with mpl.rc_context(cast(Any, RC)):
                return to_svg(draw(*args, **kwargs), name)
        return run
    return wrap
