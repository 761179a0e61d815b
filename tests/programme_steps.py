"""A test helper: apply every step of a programme to an estate's graph, as if it all happened.

:func:`apply_programme` ``(graph, programme)`` returns a changed copy in which

* a shared-platform member's capabilities of the step move to a new system of its own,
  hosted by the lead's system (no contract, no cost of its own): its spend there becomes 0;
* a data-centre step's systems move into the host's site; a closed site has no racks used and
  no cost, a shrunk one the racks moved fewer and its cost in proportion;
* a joint procurement's or network's members' systems in scope are paid for by one new
  contract per move held by the lead with the members as parties, worth 80% of what their
  old contracts paid for them (which stop covering those systems).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ictgraph.queries.estate import iter_usage

Move = Mapping[str, Any]


def _lead_system(graph: nx.MultiDiGraph, move: Move) -> tuple[str, str]:
    for entry in move.get("already_there") or []:
        if entry["organisation"] == move["lead"] and entry.get("system"):
            return ("System", entry["system"])
    use = next(u for u in iter_usage(graph) if u.organisation == move["lead"] and u.product == move["target_product"]
               and u.host_system is None)
    return ("System", use.system)


def _platform(graph: nx.MultiDiGraph, move: Move, step: Mapping[str, Any], n: int) -> None:
    org, scope = step["organisation"], step["baseline"]["scope"]
    new = ("System", f"{org}/joined-{n}")
    graph.add_node(new, labels=["System"], id=new[1], organisation=org, name="joined", hosting="hosted-by-partner",
                   currency="GBP")
    graph.add_edge(("Organisation", org), new, key="RUNS")
    graph.add_edge(new, _lead_system(graph, move), key="HOSTED_BY")
    for system in step["baseline"]["uses"]:
        for capability in scope:
            if graph.has_edge(("System", system), ("Capability", capability), key="SUPPORTS"):
                graph.remove_edge(("System", system), ("Capability", capability), key="SUPPORTS")
    for capability in scope:
        graph.add_edge(new, ("Capability", capability), key="SUPPORTS")


def _site(graph: nx.MultiDiGraph, move: Move, step: Mapping[str, Any], n: int) -> None:
    site, host = ("DataCentre", step["datacentre"]), ("DataCentre", move["datacentre"])
    for system in step["systems"]:
        graph.remove_edge(("System", system), site, key="HOSTED_IN")
        graph.add_edge(("System", system), host, key="HOSTED_IN")
    attrs = graph.nodes[site]
    used = attrs["racks_used"]
    left = 0 if step["action"] == "close-site" else used - step["racks"]
    attrs["annual_cost"] = attrs["annual_cost"] * left / used
    attrs["racks_used"] = left
    graph.nodes[host]["racks_used"] += step["racks"]


def _joint(graph: nx.MultiDiGraph, move: Move, n: int) -> None:
    lead = move["lead"]
    contract = ("Contract", f"{lead}/joint-{n}")
    graph.add_node(contract, labels=["Contract"], id=contract[1], organisation=lead, currency="GBP",
                   start_date=dt.date(2027, 4, 1), end_date=dt.date(2032, 3, 31), title="joint",
                   annual_value=0.8 * sum(s["baseline"]["annual_spend"] for s in move["steps"]))
    graph.add_edge(("Organisation", lead), contract, key="HOLDS")
    for step in move["steps"]:
        graph.add_edge(("Organisation", step["organisation"]), contract, key="PARTY_TO")
        for system in step["baseline"]["uses"]:
            for old in step["baseline"]["contracts"]:
                if graph.has_edge(("Contract", old), ("System", system), key="COVERS"):
                    graph.remove_edge(("Contract", old), ("System", system), key="COVERS")
            graph.add_edge(contract, ("System", system), key="COVERS")


def apply_programme(graph: nx.MultiDiGraph, programme: Mapping[str, Any]) -> nx.MultiDiGraph:
    """A copy of ``graph`` with every step of ``programme`` done (see the module's rules)."""
    after = graph.copy()
    for n, move in enumerate(programme["moves"]):
        if move["kind"] in ("joint-procurement", "network"):
            _joint(after, move, n)
            continue
        for m, step in enumerate(move["steps"]):
            (_platform if move["kind"] == "shared-platform" else _site)(after, move, step, n * 100 + m)
    return after
