"""``ictgraph benchmark``: annual cost per head and per named user, per capability and per
organisation, compared within peer groups; and market concentration per capability
(``anchors.md`` gaps 8 and 13; ``analytics.md`` §2 "Benchmark").

Public entry points (what the CLI calls):

* :func:`benchmark` ``(graph, *, on=None, min_peers=5)`` → the JSON-ready dict
  ``{"on", "currency", "assumptions", "organisations": [...], "capabilities": [...], "market": [...]}``;
* :func:`benchmark_table` ``(result, view)`` → ``(columns, rows)`` for ``organisations``,
  ``capabilities`` or ``market``;
* :func:`compare` ``(values, organisations, min_peers)``: one figure compared within peer groups.

Rows
    A capability row is one organisation's annual cost for one capability in one currency
    (:mod:`queries.allocation`); an organisation row is the exact sum of its capability rows
    in a currency, so no cost is counted twice. ``cost_per_head`` divides by the population,
    ``cost_per_user`` by the named users (:func:`queries.allocation.named_users`); either is
    null when the divisor is unknown or zero.
Comparison
    ``per_head`` and ``per_user`` each hold the peer group (:mod:`queries.peers`), its size,
    P25, median and P75, the row's quartile and outlier mark (``high``/``low``/null); all null
    when the row has no peer group. Capability rows are compared with the organisations having
    that capability, in the same currency.
Excess over the median
    ``excess_over_median`` = ``max(0, cost_per_head − peer median) × population``: what the
    organisation pays a year above the peer median (``analytics.md`` §2 "potential"); null
    without a comparison.

Rows are sorted by (organisation, currency) and (capability, organisation, currency); money
is rounded to pence, per-head figures to 4 decimals, only when written.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ictgraph.queries import concentration, peers
from ictgraph.queries.allocation import RULE, allocated_costs, annual_costs, named_users
from ictgraph.queries.estate import Organisation, organisations

__all__ = ["VIEWS", "benchmark", "benchmark_table", "compare"]

VIEWS = ("capabilities", "organisations", "market")
_EMPTY: dict[str, Any] = {"peer_group": None, "peers": None, "p25": None, "median": None, "p75": None, "quartile": None,
          "outlier": None}


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def compare(values: Mapping[str, float], orgs: Mapping[str, Organisation],
            min_peers: int = peers.MIN_PEERS, digits: int = 4) -> dict[str, dict[str, Any]]:
    """Each organisation's value placed in its peer group's distribution.

    Returns ``id → {"peer_group", "peers", "p25", "median", "p75", "quartile", "outlier"}``,
    the fields null for an organisation without a peer group. Quartiles are rounded to ``digits``.

    Notes
    -----
    O(n log n) for n values.
    """
    groups = peers.assign_peer_groups(orgs, values, min_peers)
    spreads: dict[tuple[str, ...], peers.Distribution] = {}
    result = {}
    for oid in sorted(values):
        if oid not in groups:
            result[oid] = dict(_EMPTY)
            continue
        label, members = groups[oid]
        if members not in spreads:
            spreads[members] = peers.distribution([values[m] for m in members])
        spread = spreads[members]
        quartile, outlier = spread.place(values[oid])
        result[oid] = {"peer_group": label, "peers": spread.count, "p25": round(spread.p25, digits),
                       "median": round(spread.median, digits), "p75": round(spread.p75, digits),
                       "quartile": quartile, "outlier": outlier}
    return result


def _per(amount: float, divisor: int | None) -> float | None:
    return amount / divisor if divisor else None


def _rows(costs: Mapping[tuple[str, str], float], users: Mapping[str, int | None],
          orgs: Mapping[str, Organisation], min_peers: int) -> dict[str, dict[str, Any]]:
    """Rows of one comparable set (one capability or all, one currency), by organisation."""
    per_head = {o: v for o, v in ((o, _per(c, orgs[o].population)) for (o, _), c in costs.items()) if v is not None}
    per_user = {o: v for o, v in ((o, _per(c, users.get(o))) for (o, _), c in costs.items()) if v is not None}
    head_cmp, user_cmp = compare(per_head, orgs, min_peers), compare(per_user, orgs, min_peers, 2)
    rows = {}
    for (oid, currency), cost in sorted(costs.items()):
        head = head_cmp.get(oid, dict(_EMPTY))
        excess = (None if head["median"] is None else
                  max(0.0, per_head[oid] - head["median"]) * (orgs[oid].population or 0))
        rows[oid] = {"organisation": oid, "name": orgs[oid].name, "type": orgs[oid].type, "currency": currency,
                     "population": orgs[oid].population, "named_users": users.get(oid),
                     "annual_cost": round(cost, 2), "cost_per_head": _r(per_head.get(oid), 4),
                     "cost_per_user": _r(per_user.get(oid), 2), "per_head": head,
                     "per_user": user_cmp.get(oid, dict(_EMPTY)), "excess_over_median": _r(excess, 2)}
    return rows


def _capability_rows(costs: Mapping[tuple[str, str, str], float], cap_users: Mapping[tuple[str, str], int],
                     orgs: Mapping[str, Organisation], min_peers: int) -> list[dict[str, Any]]:
    by_set: dict[tuple[str, str], dict[tuple[str, str], float]] = defaultdict(dict)
    for (oid, cap, currency), cost in costs.items():
        by_set[(cap, currency)][(oid, currency)] = cost
    rows = []
    for (cap, currency), subset in sorted(by_set.items()):
        users = {oid: cap_users.get((oid, cap)) for oid, _ in subset}
        rows += [{"capability": cap, **row} for row in _rows(subset, users, orgs, min_peers).values()]
    return sorted(rows, key=lambda r: (r["capability"], r["organisation"], r["currency"]))


def _organisation_rows(costs: Mapping[tuple[str, str, str], float], org_users: Mapping[str, int],
                       orgs: Mapping[str, Organisation], min_peers: int) -> list[dict[str, Any]]:
    parts: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    for (oid, _, currency), cost in costs.items():
        parts[currency][(oid, currency)].append(cost)
    rows = []
    for currency, by_org in sorted(parts.items()):
        totals = {key: math.fsum(values) for key, values in sorted(by_org.items())}
        rows += list(_rows(totals, org_users, orgs, min_peers).values())
    return sorted(rows, key=lambda r: (r["organisation"], r["currency"]))


def assumptions(on: dt.date | None, min_peers: int) -> dict[str, Any]:
    """The rules behind a benchmark, printed with it."""
    return {
        "allocation": RULE,
        "contracts": ("every recorded contract, whatever its dates (an inventory records each system's current "
                      "contract)" if on is None else
                      f"contracts in force on {on.isoformat()} (start <= date <= end); systems' own costs left out"),
        "peer_groups": "narrowest first: same type and population band; same type; same tier; the first with at "
                       f"least {min_peers} organisations with a value (itself included), else no comparison",
        "population_bands": [label for _, label in peers.BANDS], "min_peers": min_peers,
        "tiers": dict(sorted(peers.TIERS.items())),
        "quartiles": "inclusive method (linear interpolation, as QUARTILE.INC)",
        "outliers": f"Tukey's fences: above P75 + {peers.FENCE} x IQR high, below P25 - {peers.FENCE} x IQR low",
        "named_users": "sum of the users of the organisation's systems for the capability; per organisation, "
                       "each system once (seats)",
        "excess_over_median": "max(0, cost per head - peer median) x population, a year",
        "market": dict(concentration.ASSUMPTIONS),
    }


def benchmark(graph: nx.MultiDiGraph, *, on: dt.date | None = None,
              min_peers: int = peers.MIN_PEERS) -> dict[str, Any]:
    """Cost per head and per named user, compared within peer groups, and market concentration.

    Parameters
    ----------
    graph : the estate graph.
    on : benchmark the contracts in force on this date; the estate as recorded when None.
    min_peers : the smallest peer group compared.

    Returns
    -------
    dict
        ``{"on", "currency", "assumptions", "organisations", "capabilities", "market"}``, JSON-ready.

    Notes
    -----
    O(c log c) for c cost lines.
    """
    orgs = organisations(graph)
    costs = annual_costs(allocated_costs(graph, on=on))
    cap_users, org_users = named_users(graph)
    currencies = sorted({currency for _, _, currency in costs})
    return {"on": None if on is None else on.isoformat(),
            "currency": currencies[0] if len(currencies) == 1 else None,
            "assumptions": assumptions(on, min_peers),
            "organisations": _organisation_rows(costs, org_users, orgs, min_peers),
            "capabilities": _capability_rows(costs, cap_users, orgs, min_peers),
            "market": concentration.market_concentration(graph)}


_COMPARED = ("cost_per_head", "peer_group", "peers", "p25", "median", "p75", "outlier", "cost_per_user",
             "user_median", "user_outlier", "excess_over_median")


def _compared(row: Mapping[str, Any]) -> list[Any]:
    head, user = row["per_head"], row["per_user"]
    return [row["cost_per_head"], head["peer_group"], head["peers"], head["p25"], head["median"], head["p75"],
            head["outlier"], row["cost_per_user"], user["median"], user["outlier"], row["excess_over_median"]]


def _money(amounts: Mapping[str, float]) -> list[str]:
    return [f"{currency} {amount:.2f}" for currency, amount in amounts.items()]


def benchmark_table(result: Mapping[str, Any], view: str = "capabilities") -> tuple[list[str], list[list[Any]]]:
    """``(columns, rows)`` of one view of a :func:`benchmark` result.

    ``capabilities`` and ``organisations``: one row per benchmark row; ``market``: one row
    per (capability, vendor), money as ``"GBP 1234.00"`` per currency."""
    if view == "organisations":
        columns = ["organisation", "name", "type", "population", "currency", "annual_cost", *_COMPARED]
        return columns, [[r["organisation"], r["name"], r["type"], r["population"], r["currency"],
                          r["annual_cost"], *_compared(r)] for r in result["organisations"]]
    if view == "capabilities":
        columns = ["capability", "organisation", "type", "population", "currency", "annual_cost", *_COMPARED]
        return columns, [[r["capability"], r["organisation"], r["type"], r["population"], r["currency"],
                          r["annual_cost"], *_compared(r)] for r in result["capabilities"]]
    if view != "market":
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    columns = ["capability", "vendor", "organisations", "organisation_share", "spend", "spend_share",
               "hhi_organisations", "level", "dependency"]
    rows = [[m["capability"], v["vendor"], v["organisations"], v["organisation_share"], _money(v["spend"]),
             [f"{c} {s:.4f}" for c, s in v["spend_share"].items()], m["hhi_organisations"], m["level"],
             (m["dependency"] or {}).get("vendor") == v["vendor"]]
            for m in result["market"] for v in m["vendors"]]
    return columns, rows
