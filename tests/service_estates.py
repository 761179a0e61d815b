"""Small estates with levels of service, for the service tests.

Until format v1.1's ``measures`` and ``service_levels`` load, :func:`with_service` adds them
to a built graph by hand, in the shape ``schema.yaml`` gives them: ``(:Measure)-[:OF]->
(:Capability)`` and ``(:Organisation)-[:REPORTS]->(:ServiceLevel)-[:OF]->(:Measure)``."""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from tests.estates import CATALOGUE, graph_of

MeasureRow = tuple[str, str, str, str]          # id, name, capability, better
LevelRow = tuple[str, str, str, float]          # organisation, measure, period, value


def with_service(graph: nx.MultiDiGraph, measures: Iterable[MeasureRow], levels: Iterable[LevelRow]) -> nx.MultiDiGraph:
    """``graph`` with the measures and levels added (in place; returned for chaining)."""
    for mid, name, capability, better in measures:
        graph.add_node(("Measure", mid), labels=["Measure"], id=mid, name=name, better=better)
        graph.add_edge(("Measure", mid), ("Capability", capability), key="OF")
    for org, measure, period, value in levels:
        key = ("ServiceLevel", f"{org}/{measure}/{period}")
        when = {"date": period} if len(period) == 10 else {"financial_year": period}
        graph.add_node(key, labels=["ServiceLevel"], id=key[1], organisation=org, value=value, period=period, **when)
        graph.add_edge(("Organisation", org), key, key="REPORTS")
        graph.add_edge(key, ("Measure", measure), key="OF")
    return graph


def district(oid: str, population: int, cost: float | None = None, otype: str = "district") -> str:
    """An organisation's inventory with one revenues system, costing ``cost`` a year."""
    system = ("systems:\n  - {id: revs, name: Revs, product: civica/openrevenues, hosting: saas, "
              "capabilities: [council-tax]" + (f", annual_cost: {cost}" if cost is not None else "") + "}\n")
    return (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Council {oid}, type: {otype}, "
            f"population: {population}}}\n" + system)


def small_estate(costs: dict[str, float | None], otype: str = "district") -> nx.MultiDiGraph:
    """Organisations of 100,000 people each, one revenues system each with the given cost."""
    return graph_of(c=CATALOGUE, **{oid: district(oid, 100_000, cost, otype) for oid, cost in costs.items()})
