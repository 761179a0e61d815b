"""The estate as plain records, read from the graph: what the analyses work on.

Every analysis reads the graph through these functions, so the embedded graph and a graph
read back from Neo4j give the same records and therefore the same answers."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

Node = tuple[str, str]


@dataclass(frozen=True, order=True)
class Organisation:
    id: str
    name: str
    type: str | None
    nation: str | None
    region: str | None
    population: int | None
    neighbours: tuple[str, ...]
    is_council: bool
    has_inventory: bool


@dataclass(frozen=True, order=True)
class Usage:
    """An organisation using a system for a capability; ``product`` is the product it runs
    (the host's product for a partner-hosted system; None for bespoke software)."""

    organisation: str
    capability: str
    system: str
    product: str | None
    bespoke: bool
    host_system: str | None
    host_organisation: str | None
    lifecycle: str | None
    users: int | None


@dataclass(frozen=True, order=True)
class ContractCover:
    """A contract paying for one system's one capability, with its share of the value.

    ``allocated_value``: the contract's annual value split equally over the systems it
    covers, then over each system's capabilities (the allocation rule of the benchmark).
    A contract that names its ``capabilities`` (format v1.1) pays for those alone: over the
    covered systems that support one of them, then over those of them each supports; one
    that covers no system has ``system`` ``""``, belongs to its holder and splits its value
    equally over its capabilities. Such a cover counts wherever contracts are compared by
    capability and never as running a product."""

    organisation: str
    capability: str
    contract: str
    system: str
    holder: str
    supplier: str
    start: dt.date
    end: dt.date
    max_end: dt.date | None
    notice_months: int | None
    annual_value: float | None
    allocated_value: float | None
    currency: str


@dataclass(frozen=True, order=True)
class Plan:
    organisation: str
    capability: str
    plan: str
    expected: dt.date
    estimated_value: float | None
    currency: str
    open_to_partners: bool


def nodes_with_label(graph: nx.MultiDiGraph, label: str) -> list[Node]:
    """Nodes whose primary label is ``label``, sorted by key."""
    return sorted(n for n in graph.nodes if n[0] == label)


# The two below read networkx's adjacency dicts (node → neighbour → key → attributes) directly:
# they run once per node of a national estate, and the edge views cost five times as much.
def targets(graph: nx.MultiDiGraph, node: Node, rel: str, label: str | None = None) -> list[Node]:
    """Sorted end nodes of ``node``'s outgoing ``rel`` relationships."""
    return sorted(v for v, keyed in graph._succ[node].items() if rel in keyed and (label is None or v[0] == label))


def sources(graph: nx.MultiDiGraph, node: Node, rel: str, label: str | None = None) -> list[Node]:
    """Sorted start nodes of ``node``'s incoming ``rel`` relationships."""
    return sorted(u for u, keyed in graph._pred[node].items() if rel in keyed and (label is None or u[0] == label))


def organisations(graph: nx.MultiDiGraph) -> dict[str, Organisation]:
    """Every organisation by id; neighbours are symmetric (either side's listing counts)."""
    result = {}
    for node in nodes_with_label(graph, "Organisation"):
        attrs = graph.nodes[node]
        near = {v[1] for v in targets(graph, node, "NEIGHBOURS")} | {u[1] for u in sources(graph, node, "NEIGHBOURS")}
        result[node[1]] = Organisation(
            id=node[1], name=attrs.get("name", node[1]), type=attrs.get("type"),
            nation=attrs.get("nation"), region=attrs.get("region"), population=attrs.get("population"),
            neighbours=tuple(sorted(near - {node[1]})), is_council="Council" in attrs["labels"],
            has_inventory="source" in attrs)
    return result


def _product_of(graph: nx.MultiDiGraph, system: Node) -> tuple[str | None, Node | None]:
    """The product a system runs, following HOSTED_BY to the host's system."""
    host = next(iter(targets(graph, system, "HOSTED_BY")), None)
    runs_on = host if host is not None else system
    product = next(iter(targets(graph, runs_on, "INSTANCE_OF")), None)
    return (product[1] if product else None), host


def iter_usage(graph: nx.MultiDiGraph) -> Iterator[Usage]:
    """Every (organisation, capability, system) use, sorted."""
    rows = []
    for system in nodes_with_label(graph, "System"):
        attrs = graph.nodes[system]
        product, host = _product_of(graph, system)
        host_org = graph.nodes[host].get("organisation") if host else None
        for capability in targets(graph, system, "SUPPORTS"):
            rows.append(Usage(attrs["organisation"], capability[1], system[1], product,
                              bool(attrs.get("bespoke", False)), host[1] if host else None, host_org,
                              attrs.get("lifecycle"), attrs.get("users")))
    yield from sorted(rows)


def _paid_for(graph: nx.MultiDiGraph, contract: Node) -> list[tuple[str, str, list[str]]]:
    """(organisation, system, capabilities) the contract pays for: each covered system with its
    capabilities, narrowed to the contract's own ``FOR`` capabilities when it names them (a
    system left with none drops out); or, covering no system, the holder for those capabilities."""
    named = [c[1] for c in targets(graph, contract, "FOR", "Capability")]
    covered = targets(graph, contract, "COVERS", "System")
    if not covered:
        return [(graph.nodes[contract]["organisation"], "", named)] if named else []
    found = []
    for system in covered:
        capabilities = [c[1] for c in targets(graph, system, "SUPPORTS")]
        capabilities = [c for c in capabilities if c in named] if named else capabilities
        if capabilities:
            found.append((graph.nodes[system]["organisation"], system[1], capabilities))
    return found


def iter_contract_covers(graph: nx.MultiDiGraph) -> Iterator[ContractCover]:
    """Every (contract, covered system, capability) with the allocated annual value, sorted;
    a contract that covers no system gives (contract, ``""``, capability) for each of its
    ``capabilities``."""
    rows = []
    for contract in nodes_with_label(graph, "Contract"):
        attrs = graph.nodes[contract]
        paid = _paid_for(graph, contract)
        supplier = next(iter(targets(graph, contract, "WITH")), ("Vendor", ""))[1]
        value = attrs.get("annual_value")
        for organisation, system, capabilities in paid:
            share = None if value is None else float(value) / len(paid) / len(capabilities)
            for capability in capabilities:
                rows.append(ContractCover(
                    organisation, capability, contract[1], system,
                    attrs["organisation"], supplier, attrs["start_date"], attrs["end_date"],
                    attrs.get("max_end_date"), attrs.get("notice_months"), value, share, attrs["currency"]))
    yield from sorted(rows)


def iter_plans(graph: nx.MultiDiGraph) -> Iterator[Plan]:
    """Every (procurement plan, capability), sorted."""
    rows = []
    for plan in nodes_with_label(graph, "ProcurementPlan"):
        attrs = graph.nodes[plan]
        for capability in targets(graph, plan, "FOR"):
            rows.append(Plan(attrs["organisation"], capability[1], plan[1], attrs["expected"],
                             attrs.get("estimated_value"), attrs["currency"],
                             bool(attrs.get("open_to_partners", False))))
    yield from sorted(rows)


# Helpers added for ``suggest`` (queries/suggest/engine.py and the modules it uses).

@dataclass(frozen=True, order=True)
class System:
    """A system's identity and run cost: what usage rows do not carry."""

    id: str
    organisation: str
    name: str
    hosting: str
    annual_cost: float | None
    currency: str
    capabilities: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Partnership:
    """A sharing arrangement from the catalogue; members and capabilities sorted."""

    id: str
    name: str
    status: str
    members: tuple[str, ...]
    lead: str | None
    capabilities: tuple[str, ...]


def iter_systems(graph: nx.MultiDiGraph) -> Iterator[System]:
    """Every system with its name, hosting, annual cost and currency, sorted by id."""
    for node in nodes_with_label(graph, "System"):
        attrs = graph.nodes[node]
        cost = attrs.get("annual_cost")
        yield System(node[1], attrs["organisation"], attrs.get("name", node[1]), attrs.get("hosting", ""),
                     None if cost is None else float(cost), attrs.get("currency", ""),
                     tuple(c[1] for c in targets(graph, node, "SUPPORTS")))


def iter_partnerships(graph: nx.MultiDiGraph) -> Iterator[Partnership]:
    """Every partnership with its members, lead and covered capabilities, sorted by id."""
    for node in nodes_with_label(graph, "Partnership"):
        attrs = graph.nodes[node]
        lead = next(iter(targets(graph, node, "LED_BY")), None)
        yield Partnership(node[1], attrs.get("name", node[1]), attrs.get("status", ""),
                          tuple(u[1] for u in sources(graph, node, "MEMBER_OF")),
                          lead[1] if lead else None,
                          tuple(c[1] for c in targets(graph, node, "COVERS", "Capability")))


def capability_parents(graph: nx.MultiDiGraph) -> dict[str, str | None]:
    """Each capability's parent capability (None at the top of the tree)."""
    return {node[1]: next((p[1] for p in targets(graph, node, "PART_OF")), None)
            for node in nodes_with_label(graph, "Capability")}


def product_vendors(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each product's vendor id."""
    return {node[1]: next((v[1] for v in targets(graph, node, "MADE_BY")), "")
            for node in nodes_with_label(graph, "Product")}


def display_names(graph: nx.MultiDiGraph, label: str) -> dict[str, str]:
    """Each ``label`` node's name (its caption), falling back to its key."""
    return {node[1]: str(graph.nodes[node].get("name", node[1])) for node in nodes_with_label(graph, label)}
