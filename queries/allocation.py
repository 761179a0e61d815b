"""The allocation rule of the benchmark: who pays what a year for which capability.

Public entry points:

* :func:`allocated_costs` ``(graph, *, on=None)`` → sorted :class:`CostLine` records, one per
  (system, capability, contract) — or per (system, capability) for a system's own running cost;
* :func:`annual_costs` ``(lines)`` → the sum per (organisation, capability, currency);
* :func:`named_users` ``(graph)`` → named users per (organisation, capability) and per organisation.

The rule (``docs/benchmark.md``; ``shared/notes/analytics.md`` §2, the same as ``suggest``):

Contracts
    A contract's ``annual_value`` is split equally over the systems it covers, then over each
    system's capabilities (:func:`queries.estate.iter_contract_covers`). The share belongs to
    the organisation that runs the system, whoever holds the contract, so a joint contract is
    split between its parties' systems and nothing is counted twice. A contract that names
    its ``capabilities`` (format v1.1) pays for those alone; one that covers no system gives
    lines with ``system`` ``""``, its value split equally over its capabilities, for its holder.
Systems without a contract
    A system that no contract with an ``annual_value`` covers counts its own ``annual_cost``,
    split equally over its capabilities (bespoke and in-house systems have a cost too).
    A system with neither counts nothing.
Dates
    With ``on=None`` (the estate as recorded) every contract counts, whatever its dates: an
    inventory records each system's current contract. With a date, only contracts in force
    on it (``start <= on <= end``) count, and systems' own costs do not (they carry no date).
Currencies
    Amounts keep their currency and are never added across currencies.

The named query ``queries/cypher/benchmark/allocated_cost.cypher`` gives the same lines
from Neo4j (``tests/test_benchmark_cypher.py`` holds them equal).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from ictgraph.queries.estate import iter_contract_covers, iter_systems, iter_usage

__all__ = ["CostLine", "RULE", "allocated_costs", "annual_costs", "named_users"]

RULE = ("a contract's annual value is split equally over the systems it covers, then over each system's "
        "capabilities, and belongs to the organisation running the system; a contract naming capabilities "
        "instead of systems is split equally over them, for its holder; a system that no valued contract "
        "covers counts its own annual_cost, split equally over its capabilities; amounts are never added across "
        "currencies")


@dataclass(frozen=True, order=True)
class CostLine:
    """One part of an organisation's annual cost for a capability.

    ``contract`` is the contract paying for it, or ``""`` for the system's own annual cost;
    ``system`` is ``""`` for a contract that covers no system, only capabilities."""

    organisation: str
    capability: str
    system: str
    contract: str
    currency: str
    annual_cost: float


def _in_force(start: dt.date, end: dt.date, on: dt.date | None) -> bool:
    return on is None or start <= on <= end


def allocated_costs(graph: nx.MultiDiGraph, *, on: dt.date | None = None) -> list[CostLine]:
    """Every allocated cost line of the estate, sorted.

    Parameters
    ----------
    graph : the estate graph.
    on : count only contracts in force on this date (and no system's own cost); every
        recorded contract and systems' own costs when None.

    Notes
    -----
    O(c + s) for c contract covers and s systems.

    Examples
    --------
    >>> from tests.estates import CATALOGUE, graph_of
    >>> org = '''format: ictgraph/v1
    ... organisation: {id: D1, name: One, type: district}
    ... systems:
    ...   - {id: revs, name: Revs, product: civica/openrevenues, hosting: saas,
    ...      capabilities: [council-tax, business-rates]}
    ...   - {id: own, name: Own, bespoke: true, capabilities: [revenues], hosting: on-premise, annual_cost: 500}
    ... contracts:
    ...   - {id: c1, supplier: civica, covers: [revs], start: 2024-01-01, end: 2028-12-31, annual_value: 1000}
    ... '''
    >>> [(line.capability, line.contract, line.annual_cost) for line in allocated_costs(graph_of(c=CATALOGUE, d=org))]
    [('business-rates', 'D1/c1', 500.0), ('council-tax', 'D1/c1', 500.0), ('revenues', '', 500.0)]
    """
    lines, paid = [], set()
    for cover in iter_contract_covers(graph):
        if cover.allocated_value is None:
            continue
        paid.add(cover.system)  # "" for a contract by capability: no system's own cost is replaced
        if _in_force(cover.start, cover.end, on):
            lines.append(CostLine(cover.organisation, cover.capability, cover.system, cover.contract,
                                  cover.currency, cover.allocated_value))
    if on is None:
        for system in iter_systems(graph):
            if system.id not in paid and system.annual_cost is not None and system.capabilities:
                share = system.annual_cost / len(system.capabilities)
                lines += [CostLine(system.organisation, capability, system.id, "", system.currency, share)
                          for capability in system.capabilities]
    return sorted(lines)


def annual_costs(lines: Iterable[CostLine]) -> dict[tuple[str, str, str], float]:
    """Annual cost per (organisation, capability, currency): the exact sum of its lines."""
    parts: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for line in lines:
        parts[(line.organisation, line.capability, line.currency)].append(line.annual_cost)
    return {key: math.fsum(values) for key, values in sorted(parts.items())}


def named_users(graph: nx.MultiDiGraph) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Named users per (organisation, capability) and per organisation.

    A capability's users are the sum of the ``users`` of the organisation's systems serving
    it; an organisation's are the sum over its systems, each system once (named users are
    seats: a person named on two systems counts twice). Systems without ``users`` add nothing;
    keys with no recorded users are absent."""
    by_capability: dict[tuple[str, str], int] = defaultdict(int)
    by_system: dict[str, tuple[str, int]] = {}
    for use in iter_usage(graph):
        if use.users is not None:
            by_capability[(use.organisation, use.capability)] += use.users
            by_system[use.system] = (use.organisation, use.users)
    by_organisation: dict[str, int] = defaultdict(int)
    for organisation, users in by_system.values():
        by_organisation[organisation] += users
    return dict(sorted(by_capability.items())), dict(sorted(by_organisation.items()))
