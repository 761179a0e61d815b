"""``ictgraph benchmark --view service``: each organisation's latest level of service per
measure, placed in its peer group by the measure's direction, beside its cost per head for
the measure's capability, so that cost and service are read together.

Public entry points (what the CLI calls):

* :func:`service_benchmark` ``(graph, *, min_peers=5)`` → ``{"measures": [{"measure", "name",
  "capability", "better", "rows": [{"organisation", "period", "value", "peer_group",
  "peer_median", "quartile", "cost_per_head"}]}]}``, measures by id, rows by organisation;
* :func:`service_quartile` ``(distribution, value, better)``: the direction-aware quartile;
* :func:`standings` ``(rows)``: "cheap and good" … "dear and poor" for each row;
* :func:`service_table` ``(result)`` → ``(columns, rows)``.

Rules (``docs/benchmark.md``):

Values
    An organisation's latest value of the measure (:func:`queries.service_levels.latest_levels`).
Peer groups
    The cost benchmark's (:func:`queries.peers.assign_peer_groups`), among the organisations
    with a value for the measure: same type and population band, same type, same tier, the
    narrowest with at least ``min_peers`` members; none, and no comparison, otherwise.
Quartiles
    The peer group's P25, median and P75 by the inclusive method (``QUARTILE.INC``).
    Quartile 1 is the best quarter by the measure's direction: for ``higher``, a value at or
    above P75 is 1, at or above the median 2, at or above P25 3, else 4; for ``lower`` the
    mirror (at or below P25 is 1). A value on a boundary shares the better quartile. Null for
    a measure whose ``better`` is ``none``, and without a peer group.
Cost per head
    The organisation's annual cost for the measure's capability and its descendants (the
    benchmark's allocation rule, :mod:`queries.allocation`) over its population, rounded to
    4 decimals; null without a population, without a cost, or with costs in several currencies.
Standing (table only)
    Within a measure's peer group: *cheap* when the cost per head is at or below the median
    cost per head of the group's rows that have one, else *dear*; *good* in quartile 1 or 2,
    else *poor*: "cheap and good", "cheap and poor", "dear and good", "dear and poor"; empty
    when either half is unknown.
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from ictgraph.queries import peers
from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.estate import Organisation, capability_parents, organisations
from ictgraph.queries.service_levels import Measure, latest_levels, measures

__all__ = ["SERVICE_COLUMNS", "service_benchmark", "service_people_table", "service_quartile", "service_table",
           "standings", "subtree"]


def service_quartile(spread: peers.Distribution, value: float, better: str) -> int | None:
    """The quartile of ``value`` in ``spread``, 1 the best quarter by the measure's direction.

    >>> spread = peers.distribution([1, 2, 3, 4, 5])
    >>> [service_quartile(spread, v, "higher") for v in (5, 4, 3.5, 2, 1)]
    [1, 1, 2, 3, 4]
    >>> [service_quartile(spread, v, "lower") for v in (5, 4, 3.5, 2, 1)], service_quartile(spread, 1, "none")
    ([4, 3, 3, 1, 1], None)
    """
    bounds = (spread.p25, spread.median, spread.p75)
    if better == "lower":
        return 1 + sum(value > bound for bound in bounds)
    if better == "higher":
        return 1 + sum(value < bound for bound in bounds)
    return None


def subtree(capability: str, parents: Mapping[str, str | None]) -> set[str]:
    """The capability and its descendants in the capability tree."""
    found = {capability}
    for other in parents:
        node, seen = parents.get(other), {other}
        while node is not None and node not in seen:
            if node == capability:
                found.add(other)
                break
            seen.add(node)
            node = parents.get(node)
    return found


def _costs_per_head(graph: nx.MultiDiGraph, orgs: Mapping[str, Organisation],
                    catalogue: Mapping[str, Measure]) -> dict[tuple[str, str], float]:
    """(organisation, capability) → annual cost per head for the capability's subtree, for each
    capability some measure measures; absent when unknown or in several currencies."""
    parents = capability_parents(graph)
    scopes = {m.capability: subtree(m.capability, parents) for m in catalogue.values() if m.capability}
    parts: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in allocated_costs(graph):
        for capability, scope in scopes.items():
            if line.capability in scope:
                parts[(line.organisation, capability)][line.currency].append(line.annual_cost)
    result = {}
    for (oid, capability), by_currency in sorted(parts.items()):
        population = orgs[oid].population if oid in orgs else None
        if population and len(by_currency) == 1:
            result[(oid, capability)] = round(math.fsum(next(iter(by_currency.values()))) / population, 4)
    return result


def _rows(measure: Measure, values: Mapping[str, tuple[str, float]], orgs: Mapping[str, Organisation],
          costs: Mapping[tuple[str, str], float], min_peers: int) -> list[dict[str, Any]]:
    known = {oid: value for oid, (_, value) in values.items() if oid in orgs}
    groups = peers.assign_peer_groups(orgs, known, min_peers)
    spreads: dict[tuple[str, ...], peers.Distribution] = {}
    rows = []
    for oid, (period, value) in sorted(values.items()):
        label, members = groups.get(oid, (None, ()))
        if members and members not in spreads:
            spreads[members] = peers.distribution([known[m] for m in members])
        spread = spreads.get(members)
        rows.append({"organisation": oid, "period": period, "value": value, "peer_group": label,
                     "peer_median": None if spread is None else round(spread.median, 4),
                     "quartile": None if spread is None else service_quartile(spread, value, measure.better),
                     "cost_per_head": costs.get((oid, measure.capability or ""))})
    return rows


def service_benchmark(graph: nx.MultiDiGraph, *, min_peers: int = peers.MIN_PEERS) -> dict[str, Any]:
    """Each organisation's latest level of service per measure in its peer group, beside its
    cost per head for the measure's capability.

    Parameters
    ----------
    graph : the estate graph.
    min_peers : the smallest peer group compared.

    Returns
    -------
    dict
        ``{"measures": [...]}``, JSON-ready (module docstring); empty when the estate has no
        measures.

    Notes
    -----
    O(c·k + l log l) for c cost lines, k measured capabilities and l levels.
    """
    orgs, catalogue = organisations(graph), measures(graph)
    by_measure: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    for oid, levels in latest_levels(graph).items():
        for measure, level in levels.items():
            by_measure[measure][oid] = level
    costs = _costs_per_head(graph, orgs, catalogue)
    return {"measures": [{"measure": m.id, "name": m.name, "capability": m.capability, "better": m.better,
                          "rows": _rows(m, by_measure.get(m.id, {}), orgs, costs, min_peers)}
                         for m in sorted(catalogue.values())]}


def standings(rows: Sequence[Mapping[str, Any]]) -> list[str | None]:
    """The standing of each row of one measure (module docstring), in order.

    >>> rows = [{"peer_group": "g", "quartile": q, "cost_per_head": c} for q, c in [(1, 1.0), (4, 2.0), (2, 3.0)]]
    >>> standings(rows)
    ['cheap and good', 'cheap and poor', 'dear and good']
    """
    costs: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row["peer_group"] is not None and row["cost_per_head"] is not None:
            costs[row["peer_group"]].append(row["cost_per_head"])
    medians = {group: statistics.median(values) for group, values in costs.items()}
    found: list[str | None] = []
    for row in rows:
        median = medians.get(row["peer_group"])
        if row["quartile"] is None or row["cost_per_head"] is None or median is None:
            found.append(None)
            continue
        found.append(f"{'cheap' if row['cost_per_head'] <= median else 'dear'} and "
                     f"{'good' if row['quartile'] <= 2 else 'poor'}")
    return found


def _level(value: float | None) -> str | None:
    """A level of service as text to six significant digits (tables round other numbers to two
    decimals, and a quality-of-life score of 0.423 is not 0.42; the JSON keeps every digit).

    >>> _level(0.423), _level(96.0), _level(25.32767884), _level(3755.003232), _level(None)
    ('0.423', '96', '25.3277', '3755', None)
    """
    return None if value is None else f"{value:.6g}"


SERVICE_COLUMNS = ("measure", "better", "organisation", "name", "period", "value", "peer_group", "peer_median",
                   "quartile", "cost_per_head", "standing")


def service_table(result: Mapping[str, Any], names: Mapping[str, str] | None = None) -> tuple[list[str], list[list[Any]]]:
    """``(columns, rows)`` of a :func:`service_benchmark` result: one row per (measure, organisation);
    ``name`` from ``names`` (organisation id → name), empty when not given."""
    rows, names = [], names or {}
    for m in result["measures"]:
        for row, standing in zip(m["rows"], standings(m["rows"])):
            rows.append([m["measure"], m["better"], row["organisation"], names.get(row["organisation"], ""),
                         row["period"], _level(row["value"]), row["peer_group"], _level(row["peer_median"]),
                         row["quartile"],
                         row["cost_per_head"], standing])
    return list(SERVICE_COLUMNS), rows


PEOPLE_COLUMNS = ("measure", "organisation", "period", "value", "peer median", "quartile", "cost per head", "standing")


def service_people_table(result: Mapping[str, Any], names: Mapping[str, str]) -> tuple[list[str], list[list[Any]]]:
    """The service view for a person at a terminal: organisations by name, the peer group left to
    the CSV and JSON, so that a row fits on one line."""
    rows = [[m["measure"], names.get(row["organisation"], row["organisation"]), row["period"], _level(row["value"]),
             _level(row["peer_median"]), row["quartile"], row["cost_per_head"], standing]
            for m in result["measures"] for row, standing in zip(m["rows"], standings(m["rows"]))]
    return list(PEOPLE_COLUMNS), rows
