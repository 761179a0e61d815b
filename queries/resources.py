"""The estate's infrastructure, people and policies as plain records, read from the graph.

What :mod:`queries.estate` leaves out and the sharing kinds of ``suggest`` need: data
centres with the systems they host, networks, skills and ICT roles, policies, the skills
products require, and the detail of each system (hosting, data centre, integrations).
Every function reads the graph through :mod:`queries.estate`'s helpers and returns sorted
records, so the embedded graph and a graph read back from Neo4j give the same records.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from ictgraph.queries.estate import nodes_with_label, sources, targets

__all__ = ["DataCentre", "Network", "Policy", "Resources", "SystemDetail", "read_resources"]


@dataclass(frozen=True, order=True)
class DataCentre:
    """A data centre with its capacity, cost and the systems hosted in it (any organisation's)."""

    id: str
    organisation: str
    name: str
    racks: int | None
    racks_used: int | None
    annual_cost: float | None
    currency: str
    systems: tuple[str, ...]

    @property
    def spare(self) -> int | None:
        """Racks free, when both figures are recorded."""
        return None if self.racks is None or self.racks_used is None else self.racks - self.racks_used


@dataclass(frozen=True, order=True)
class Network:
    id: str
    organisation: str
    name: str
    kind: str
    provider: str | None


@dataclass(frozen=True, order=True)
class Policy:
    id: str
    organisation: str
    name: str
    standard: str | None
    reviewed: dt.date | None


@dataclass(frozen=True, order=True)
class SystemDetail:
    """What a system's usage rows do not say: how and where it runs, what it talks to.

    ``integrations`` are the systems it integrates with in either direction."""

    id: str
    organisation: str
    name: str
    hosting: str
    datacentre: str | None
    bespoke: bool
    lifecycle: str | None
    criticality: str | None
    integrations: tuple[str, ...]


@dataclass(frozen=True)
class Resources:
    """The records the sharing kinds read; empty by default (an estate without them)."""

    datacentres: Mapping[str, DataCentre] = field(default_factory=dict)
    networks: tuple[Network, ...] = ()
    skills: Mapping[str, Mapping[str, float]] = field(default_factory=dict)   # organisation → skill → FTE
    roles: Mapping[str, Mapping[str, float]] = field(default_factory=dict)    # organisation → role → FTE
    policies: tuple[Policy, ...] = ()
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)     # product → skills
    details: Mapping[str, SystemDetail] = field(default_factory=dict)         # system → detail
    skill_names: Mapping[str, str] = field(default_factory=dict)


def _datacentres(graph: nx.MultiDiGraph) -> dict[str, DataCentre]:
    result = {}
    for node in nodes_with_label(graph, "DataCentre"):
        a = graph.nodes[node]
        cost = a.get("annual_cost")
        result[node[1]] = DataCentre(node[1], a["organisation"], a.get("name", node[1]), a.get("racks"),
                                     a.get("racks_used"), None if cost is None else float(cost),
                                     a.get("currency", ""), tuple(s[1] for s in sources(graph, node, "HOSTED_IN")))
    return result


def _networks(graph: nx.MultiDiGraph) -> tuple[Network, ...]:
    return tuple(Network(n[1], graph.nodes[n]["organisation"], graph.nodes[n].get("name", n[1]),
                         graph.nodes[n].get("kind", "other"),
                         next((v[1] for v in targets(graph, n, "PROVIDED_BY")), None))
                 for n in nodes_with_label(graph, "Network"))


def _skills(graph: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    held: dict[str, dict[str, float]] = {}
    for org in nodes_with_label(graph, "Organisation"):
        for _, skill, key, data in sorted(graph.out_edges(org, keys=True, data=True), key=lambda e: e[:3]):
            if key == "HAS_SKILL":
                held.setdefault(org[1], {})[skill[1]] = float(data.get("fte", 0.0))
    return held


def _roles(graph: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    result = {}
    for org in nodes_with_label(graph, "Organisation"):
        a = graph.nodes[org]
        roles, fte = a.get("ict_roles") or (), a.get("ict_role_fte") or ()
        if roles:
            result[org[1]] = {str(r): float(f) for r, f in sorted(zip(roles, fte))}
    return result


def _policies(graph: nx.MultiDiGraph) -> tuple[Policy, ...]:
    return tuple(Policy(n[1], graph.nodes[n]["organisation"], graph.nodes[n].get("name", n[1]),
                        graph.nodes[n].get("standard"), graph.nodes[n].get("reviewed"))
                 for n in nodes_with_label(graph, "Policy"))


def _details(graph: nx.MultiDiGraph) -> dict[str, SystemDetail]:
    result = {}
    for node in nodes_with_label(graph, "System"):
        a = graph.nodes[node]
        linked = {s[1] for s in targets(graph, node, "INTEGRATES_WITH")} | \
                 {s[1] for s in sources(graph, node, "INTEGRATES_WITH")}
        result[node[1]] = SystemDetail(
            node[1], a["organisation"], a.get("name", node[1]), a.get("hosting", ""),
            next((d[1] for d in targets(graph, node, "HOSTED_IN")), None), bool(a.get("bespoke", False)),
            a.get("lifecycle"), a.get("criticality"), tuple(sorted(linked - {node[1]})))
    return result


def read_resources(graph: nx.MultiDiGraph) -> Resources:
    """Every data centre, network, skill, role, policy, required skill and system detail."""
    return Resources(
        _datacentres(graph), _networks(graph), _skills(graph), _roles(graph), _policies(graph),
        {p[1]: tuple(s[1] for s in targets(graph, p, "REQUIRES")) for p in nodes_with_label(graph, "Product")},
        _details(graph), {s[1]: str(graph.nodes[s].get("name", s[1])) for s in nodes_with_label(graph, "Skill")})
