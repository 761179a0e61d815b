"""What tracking needs of a programme's estate: each member's baseline.

Public entry points:

* :func:`add_baselines` ``(result, graph)``: sets ``baseline`` on every step and
  ``already_there`` entry of a plan's moves (in place; returns the plan);
* :func:`member_state` ``(estate, kind, organisation, scope)`` → the same figures for any
  estate, so that ``ictgraph track`` compares a later estate with the baseline by one rule.

A baseline::

    {"annual_spend": float, "currency", "scope": [capability, ...] | [data centre] | [network],
     "contracts": [contract, ...], "uses": [system, ...], "hosts": [organisation, ...],
     "products": [product, ...], "racks_used": int | None,
     "service": {measure: [period, value]}}

Rules (``docs/programme.md``, "Tracking"):

Scope
    A shared platform's or joint procurement's member: the step's own capabilities (its
    claims, so that two moves never count the same spend); a data-centre step: the site it
    closes or shrinks (the host: its own site); a network step: its network.
Annual spend
    Capabilities: the member's allocated annual cost on them by the benchmark's allocation rule
    (:func:`queries.allocation.allocated_costs`, every recorded contract), in the programme's
    currency. A data centre: its ``annual_cost``. A network: the member's allocated cost on the
    systems its baseline contracts cover (the format's contracts cover systems, so a network's
    contract covers a system that stands for the connection).
``uses``, ``products``, ``hosts``
    The member's systems in the scope (a data centre: the systems hosted in it), the products
    they run (a hosted system runs its host's) and the organisations hosting them (not itself).
``service``
    The member's latest level (period, value) of each measure of the scope's capabilities on or
    before the programme's date (:func:`queries.service_levels.latest_levels`); empty for a
    data centre or a network, and when the estate reports none.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from ictgraph.queries.allocation import CostLine, allocated_costs
from ictgraph.queries.estate import Usage, iter_usage, nodes_with_label, sources
from ictgraph.queries.service_levels import Measure, latest_levels, measures, measures_by_capability
from ictgraph.queries.suggest.engine import DEFAULT_CURRENCY

__all__ = ["CAPABILITY_KINDS", "Estate", "add_baselines", "estate_of", "member_state", "scope_of", "service_of",
           "without_graph"]

CAPABILITY_KINDS = ("shared-platform", "joint-procurement")


@dataclass(frozen=True)
class Estate:
    """An estate's figures that tracking reads, indexed by organisation.

    ``graph`` is None in an estate read for a plan's baselines only (:func:`without_graph`):
    the baselines need the indexes, not the graph, and ``plan`` frees the graph before its
    solve. ``track`` keeps it, to say where a system went."""

    graph: nx.MultiDiGraph | None
    datacentres: Mapping[str, dict[str, Any]]                 # site → its baseline
    lines: Mapping[str, list[CostLine]]
    usage: Mapping[str, list[Usage]]
    currency: str
    levels: Mapping[str, Mapping[str, tuple[str, float]]]     # organisation → measure → (period, value)
    measures: Mapping[str, tuple[Measure, ...]]               # capability → its measures


def estate_of(graph: nx.MultiDiGraph, currency: str = "GBP", as_of: dt.date | None = None) -> Estate:
    """Index ``graph``'s allocated cost lines and uses by organisation (once per estate), and
    its latest service levels (on or before ``as_of`` when given)."""
    lines: dict[str, list[CostLine]] = defaultdict(list)
    for line in allocated_costs(graph):
        lines[line.organisation].append(line)
    usage: dict[str, list[Usage]] = defaultdict(list)
    for use in iter_usage(graph):
        usage[use.organisation].append(use)
    return Estate(graph, _datacentres(graph), dict(lines), dict(usage), currency, latest_levels(graph, as_of),
                  measures_by_capability(measures(graph)))


def without_graph(estate: Estate) -> Estate:
    """``estate``'s indexes without the graph they were read from (enough for baselines)."""
    return replace(estate, graph=None)


def _datacentres(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Each data centre's baseline: its annual cost, the systems hosted in it, its racks used."""
    return {node[1]: {"annual_spend": float(graph.nodes[node].get("annual_cost") or 0.0), "contracts": [],
                      "uses": sorted(s[1] for s in sources(graph, node, "HOSTED_IN", "System")), "hosts": [],
                      "products": [], "racks_used": graph.nodes[node].get("racks_used")}
            for node in nodes_with_label(graph, "DataCentre")}


def service_of(estate: Estate, organisation: str, capabilities: Iterable[str]) -> dict[str, list[Any]]:
    """The organisation's latest level of each measure of ``capabilities``: ``{measure: [period, value]}``."""
    mine = estate.levels.get(organisation, {})
    wanted = sorted({m.id for c in capabilities for m in estate.measures.get(c, ())})
    return {m: [str(mine[m][0]), float(mine[m][1])] for m in wanted if m in mine}


def scope_of(kind: str, move: Mapping[str, Any], step: Mapping[str, Any]) -> list[str]:
    """The baseline's scope of ``step`` (or ``already_there`` entry) of ``move``."""
    if kind == "datacentre":
        return [step.get("datacentre") or step["system"]]
    if kind == "network":
        return [step.get("network") or step["system"]]
    return sorted(step.get("capabilities") or move.get("capabilities") or [])


def _spend(lines: Iterable[CostLine], currency: str) -> float:
    return round(math.fsum(line.annual_cost for line in lines if line.currency == currency), 2)


def _datacentre(estate: Estate, site: str) -> dict[str, Any]:
    found = estate.datacentres.get(site)
    if found is None:
        return {"annual_spend": 0.0, "contracts": [], "uses": [], "hosts": [], "products": [], "racks_used": 0}
    return {**found, "uses": list(found["uses"])}


def _uses(uses: list[Usage], organisation: str) -> dict[str, Any]:
    return {"uses": sorted({u.system for u in uses}),
            "hosts": sorted({u.host_organisation for u in uses if u.host_organisation not in (None, organisation)}),
            "products": sorted({u.product for u in uses if u.product})}


def member_state(estate: Estate, kind: str, organisation: str, scope: list[str],
                 systems: Iterable[str] = ()) -> dict[str, Any]:
    """The member's spend, contracts and uses in ``scope`` in ``estate`` (see the module's rules).

    ``systems``: for a network, the systems standing for it (the baseline's ``uses``)."""
    if kind == "datacentre":
        return _datacentre(estate, scope[0])
    lines = estate.lines.get(organisation, [])
    if kind == "network":
        wanted = set(systems)
        mine = [line for line in lines if line.system in wanted]
        uses = [u for u in estate.usage.get(organisation, []) if u.system in wanted]
    else:
        wanted = set(scope)
        mine = [line for line in lines if line.capability in wanted]
        uses = [u for u in estate.usage.get(organisation, []) if u.capability in wanted]
    return {"annual_spend": _spend(mine, estate.currency),
            "contracts": sorted({line.contract for line in mine if line.contract}), **_uses(uses, organisation),
            "racks_used": None}


def _systems(estate: Estate, kind: str, step: Mapping[str, Any]) -> list[str]:
    """A network step's systems: those its contracts cover for the member."""
    if kind != "network":
        return []
    contracts = set(step.get("contracts") or [])
    return sorted({line.system for line in estate.lines.get(step["organisation"], [])
                   if line.contract in contracts and line.system})


def _baseline(estate: Estate, kind: str, move: Mapping[str, Any], step: Mapping[str, Any]) -> dict[str, Any]:
    scope = scope_of(kind, move, step)
    state = member_state(estate, kind, step["organisation"], scope, _systems(estate, kind, step))
    service = service_of(estate, step["organisation"], scope) if kind in CAPABILITY_KINDS else {}
    return {"annual_spend": state["annual_spend"], "currency": estate.currency, "scope": scope, **{
        k: state[k] for k in ("contracts", "uses", "hosts", "products", "racks_used")}, "service": service}


def add_baselines(result: MutableMapping[str, Any], estate: nx.MultiDiGraph | Estate) -> MutableMapping[str, Any]:
    """Set ``baseline`` on every step and ``already_there`` entry of ``result``'s moves, from
    the estate's graph or its :class:`Estate` read beforehand in the plan's currency and date."""
    if not isinstance(estate, Estate):
        as_of = dt.date.fromisoformat(str(result["as_of"])) if result.get("as_of") else None
        estate = estate_of(estate, result.get("currency") or DEFAULT_CURRENCY, as_of)
    for move in result["moves"]:
        for step in [*move["steps"], *move.get("already_there", [])]:
            step["baseline"] = _baseline(estate, move["kind"], move, step)
    return result
