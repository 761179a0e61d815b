"""Benefits realisation: the benchmark of a partnership's members before and after it started.

Public entry point: :func:`partnership_benchmarks` ``(graph, *, as_of)`` →
``{"assumptions", "partnerships": [{"id", "name", "status", "started", "members", "lead",
"capabilities", "snapshots": [...], "change_per_head"}]}``.

Rules (``docs/benchmark.md``):

Capabilities
    The partnership's capabilities and their descendants in the capability tree; every
    capability when it names none.
Snapshots
    ``before``: the day before ``started``; ``after``: ``as_of``. A partnership that has not
    started (no ``started`` date, or one after ``as_of``) has only a ``now`` snapshot on
    ``as_of``. Each uses the contracts in force on its date (:func:`queries.allocation.allocated_costs`
    with ``on``): an inventory that records only current contracts has nothing before an
    old partnership started, and the snapshot says so.
Figures
    Per member: annual cost of those capabilities, population and cost per head; for the
    members together: total cost over total population (of members with a cost); *peers*:
    the other organisations of the members' types with a cost for those capabilities, and
    their median cost per head (with two or more). One currency per snapshot: the one most of
    the members' cost is recorded in (ties by name); other amounts are left out and counted.
``change_per_head``
    The members' cost per head after less before, when both are known.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.estate import Organisation, Partnership, capability_parents, iter_partnerships, organisations

__all__ = ["ASSUMPTIONS", "partnership_benchmarks"]

ASSUMPTIONS = {
    "capabilities": "the partnership's capabilities and their descendants (every capability when it names none)",
    "snapshots": "before: the day before the partnership started; after: as_of; contracts in force on each date",
    "members_cost_per_head": "members' total annual cost for those capabilities / their total population",
    "peers": "other organisations of the members' types with a cost for those capabilities; median cost per head",
}


def _scope(partnership: Partnership, parents: Mapping[str, str | None]) -> set[str]:
    """The partnership's capabilities with their descendants (all when it names none)."""
    if not partnership.capabilities:
        return set(parents)
    scope = set(partnership.capabilities)
    for capability in sorted(parents):
        chain, node = [], parents.get(capability)
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if scope & set(chain):
            scope.add(capability)
    return scope


def _costs_on(graph: nx.MultiDiGraph, day: dt.date, scope: set[str]) -> dict[tuple[str, str], float]:
    """(organisation, currency) → annual cost for the scope's capabilities on ``day``."""
    parts: dict[tuple[str, str], list[float]] = defaultdict(list)
    for line in allocated_costs(graph, on=day):
        if line.capability in scope:
            parts[(line.organisation, line.currency)].append(line.annual_cost)
    return {key: math.fsum(values) for key, values in sorted(parts.items())}


def _currency(costs: Mapping[tuple[str, str], float], members: Sequence[str]) -> str | None:
    totals: dict[str, float] = defaultdict(float)
    for (org, currency), cost in costs.items():
        if org in members:
            totals[currency] += cost
    return min(totals, key=lambda c: (-totals[c], c)) if totals else None


def _per_head(cost: float, org: Organisation) -> float | None:
    return cost / org.population if org.population else None


def _snapshot(label: str, day: dt.date, costs: Mapping[tuple[str, str], float], members: Sequence[str],
              orgs: Mapping[str, Organisation]) -> dict[str, Any]:
    currency = _currency(costs, members)
    mine = {o: c for (o, cur), c in costs.items() if o in members and cur == currency}
    rows = [{"organisation": o, "annual_cost": round(c, 2), "population": orgs[o].population,
             "cost_per_head": None if (v := _per_head(c, orgs[o])) is None else round(v, 4)} for o, c in mine.items()]
    people = sum(orgs[o].population or 0 for o in mine if orgs[o].population)
    together = math.fsum(c for o, c in mine.items() if orgs[o].population) / people if people else None
    types = {orgs[o].type for o in members}
    peer_values = sorted(v for (o, cur), c in costs.items() if o not in members and cur == currency
                         and orgs[o].type in types and (v := _per_head(c, orgs[o])) is not None)
    other = sum(1 for (o, cur) in costs if o in members and cur != currency)
    note = None if mine else f"no contract for these capabilities in force on {day.isoformat()}"
    return {"snapshot": label, "date": day.isoformat(), "currency": currency, "members": rows,
            "members_cost_per_head": None if together is None else round(together, 4), "peers": len(peer_values),
            "peer_median_cost_per_head": round(statistics.median(peer_values), 4) if len(peer_values) >= 2 else None,
            "left_out_other_currency": other, "note": note}


def _dates(started: dt.date | None, as_of: dt.date) -> list[tuple[str, dt.date]]:
    if started is None or started > as_of:
        return [("now", as_of)]
    return [("before", started - dt.timedelta(days=1)), ("after", as_of)]


def _partnership(graph: nx.MultiDiGraph, p: Partnership, as_of: dt.date, orgs: Mapping[str, Organisation],
                 parents: Mapping[str, str | None]) -> dict[str, Any]:
    started = graph.nodes[("Partnership", p.id)].get("started")
    scope = _scope(p, parents)
    snapshots = [_snapshot(label, day, _costs_on(graph, day, scope), p.members, orgs)
                 for label, day in _dates(started, as_of)]
    values = [s["members_cost_per_head"] for s in snapshots]
    change = round(values[1] - values[0], 4) if len(values) == 2 and None not in values else None
    return {"id": p.id, "name": p.name, "status": p.status, "started": None if started is None else started.isoformat(),
            "members": list(p.members), "lead": p.lead, "capabilities": sorted(scope), "snapshots": snapshots,
            "change_per_head": change}


def partnership_benchmarks(graph: nx.MultiDiGraph, *, as_of: dt.date) -> dict[str, Any]:
    """Every partnership's members' cost per head before and after it started, by id.

    Notes
    -----
    O(P·c) for P partnerships and c contract covers.
    """
    orgs, parents = organisations(graph), capability_parents(graph)
    return {"assumptions": dict(ASSUMPTIONS),
            "partnerships": [_partnership(graph, p, as_of, orgs, parents) for p in iter_partnerships(graph)]}
