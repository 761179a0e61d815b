"""Levels of service: what the catalogue's measures say about each organisation, read from the graph.

Public entry points:

* :func:`period_end` ``(period)``: the last day a period covers;
* :func:`measures` ``(graph)`` → ``{id: Measure}``, each with its capability and direction;
* :func:`iter_levels` ``(graph)`` → every reported :class:`Level`, sorted;
* :func:`latest_levels` ``(graph, as_of=None)`` → ``{organisation: {measure: (period, value)}}``,
  each organisation's latest value per measure, optionally the latest on or before a date;
* :func:`compare_levels` ``(value, other, better)`` → ``"better"`` | ``"same"`` | ``"worse"`` | None;
* :func:`service_index` ``(graph, as_of=None)`` → :class:`ServiceIndex`: the measures and the
  latest levels read once, for analyses that look them up many times (``suggest``).

Rules
    A financial year ``"2022-23"`` runs from 1 April 2022 to 31 March 2023 and ends on 31
    March of its second year; a dated level ``"2024-03-31"`` ends on its date. The *latest*
    level of an organisation for a measure is the one whose period ends last; two periods
    ending on the same day (a financial year and its last day) are ordered by their text, so
    the dated one (``"2024-03-31"`` sorts after ``"2023-24"``) wins. With ``as_of``, levels
    ending after it are ignored.
Direction
    A measure's ``better`` is ``higher``, ``lower`` or ``none``; two values are compared
    only for ``higher`` and ``lower``; equal values are ``same``.

The graph (``schema.yaml``): ``(:Measure {id, name, better, unit})-[:OF]->(:Capability)``
and ``(:Organisation)-[:REPORTS]->(:ServiceLevel {id, organisation, value, period})-[:OF]->
(:Measure)``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import networkx as nx

from ictgraph.queries.estate import nodes_with_label, targets

__all__ = ["DIRECTIONS", "Level", "Measure", "ServiceIndex", "compare_levels", "iter_levels", "latest_levels",
           "measures", "measures_by_capability", "period_end", "service_index"]

DIRECTIONS = ("higher", "lower", "none")
Latest = dict[str, dict[str, tuple[str, float]]]


@dataclass(frozen=True, order=True)
class Measure:
    """A catalogue measure: what is measured, for which capability, and which way is better."""

    id: str
    name: str
    capability: str | None
    better: str
    unit: str | None = None


@dataclass(frozen=True, order=True)
class Level:
    """One organisation's value for one measure in one period (``end`` is the period's last day)."""

    organisation: str
    measure: str
    end: dt.date
    period: str
    value: float


def period_end(period: str) -> dt.date:
    """The last day of a period: 31 March of a financial year's second year, or the date itself.

    >>> period_end("2022-23"), period_end("1999-00"), period_end("2024-03-31")
    (datetime.date(2023, 3, 31), datetime.date(2000, 3, 31), datetime.date(2024, 3, 31))
    """
    text = str(period)
    if len(text) == 7 and text[4] == "-":
        return dt.date(int(text[:4]) + 1, 3, 31)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise ValueError(f"a period is a financial year YYYY-YY or a date YYYY-MM-DD, got {text!r}") from e


def measures(graph: nx.MultiDiGraph) -> dict[str, Measure]:
    """Every measure of the catalogue by id, with the capability it measures.

    Notes
    -----
    O(m) for m measures.
    """
    found = {}
    for node in nodes_with_label(graph, "Measure"):
        attrs = graph.nodes[node]
        capability = next((c[1] for c in targets(graph, node, "OF", "Capability")), None)
        found[node[1]] = Measure(node[1], str(attrs.get("name", node[1])), capability,
                                 str(attrs.get("better", "none")), attrs.get("unit"))
    return found


def measures_by_capability(catalogue: Mapping[str, Measure]) -> dict[str, tuple[Measure, ...]]:
    """The measures of each capability, sorted by id."""
    found: dict[str, list[Measure]] = {}
    for measure in sorted(catalogue.values()):
        if measure.capability is not None:
            found.setdefault(measure.capability, []).append(measure)
    return {capability: tuple(items) for capability, items in sorted(found.items())}


def iter_levels(graph: nx.MultiDiGraph) -> Iterator[Level]:
    """Every reported service level with a value, sorted by (organisation, measure, end, period).

    Notes
    -----
    O(l log l) for l levels.
    """
    rows = []
    for node in nodes_with_label(graph, "ServiceLevel"):
        attrs = graph.nodes[node]
        measure = next((m[1] for m in targets(graph, node, "OF", "Measure")), None)
        if measure is None or attrs.get("value") is None:
            continue
        period = str(attrs.get("period") or attrs.get("financial_year") or attrs.get("date"))
        rows.append(Level(str(attrs["organisation"]), measure, period_end(period), period, float(attrs["value"])))
    yield from sorted(rows)


def latest_levels(graph: nx.MultiDiGraph, as_of: dt.date | None = None) -> Latest:
    """Each organisation's latest value per measure, ``{organisation: {measure: (period, value)}}``.

    Parameters
    ----------
    graph : the estate graph.
    as_of : ignore levels whose period ends after this date (the programme's date, to find
        what was known before it); every level when None.

    Returns
    -------
    dict
        Sorted by organisation, then measure; an organisation with no level is absent.

    Notes
    -----
    O(l log l) for l levels: read once, then look up per organisation.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node(("Measure", "m"), labels=["Measure"], name="M", better="higher")
    >>> for period, value in [("2021-22", 1.0), ("2022-23", 2.0), ("2023-06-30", 3.0)]:
    ...     key = ("ServiceLevel", f"O/m/{period}")
    ...     g.add_node(key, labels=["ServiceLevel"], organisation="O", period=period, value=value)
    ...     _ = g.add_edge(key, ("Measure", "m"), key="OF")
    >>> latest_levels(g)
    {'O': {'m': ('2023-06-30', 3.0)}}
    >>> latest_levels(g, as_of=dt.date(2023, 5, 1))
    {'O': {'m': ('2022-23', 2.0)}}
    """
    found: Latest = {}
    for level in iter_levels(graph):   # sorted: a later period overwrites an earlier one
        if as_of is None or level.end <= as_of:
            found.setdefault(level.organisation, {})[level.measure] = (level.period, level.value)
    return found


def compare_levels(value: float, other: float, better: str) -> str | None:
    """``value`` against ``other`` by the measure's direction: better, same, worse; None when
    the measure has no better direction.

    >>> compare_levels(97.0, 96.4, "higher"), compare_levels(97.0, 96.4, "lower")
    ('better', 'worse')
    >>> compare_levels(5.0, 5.0, "lower"), compare_levels(1.0, 2.0, "none")
    ('same', None)
    """
    if better not in ("higher", "lower"):
        return None
    if value == other:
        return "same"
    return "better" if (value > other) == (better == "higher") else "worse"


@dataclass(frozen=True)
class ServiceIndex:
    """The measures (by id and by capability) and each organisation's latest levels; empty for
    an estate without measures."""

    measures: Mapping[str, Measure] = field(default_factory=dict)
    by_capability: Mapping[str, tuple[Measure, ...]] = field(default_factory=dict)
    latest: Mapping[str, Mapping[str, tuple[str, float]]] = field(default_factory=dict)

    def level(self, organisation: str, measure: str) -> tuple[str, float] | None:
        """The organisation's latest ``(period, value)`` for the measure, or None."""
        return self.latest.get(organisation, {}).get(measure)


def service_index(graph: nx.MultiDiGraph, as_of: dt.date | None = None) -> ServiceIndex:
    """The estate's measures and latest levels (:func:`latest_levels`), read once.

    Notes
    -----
    O(l log l) for l levels.
    """
    catalogue = measures(graph)
    return ServiceIndex(catalogue, measures_by_capability(catalogue), latest_levels(graph, as_of))
