"""Shared-application clusters: who runs the same product, and whose estates look alike.

Public entry points (what ``ictgraph clusters`` calls):

* :func:`find_clusters` ``(graph, *, k=10, seed=42, core_share=0.8, kinds=KINDS)`` →
  ``list[Cluster]``, canonically ordered;
* :func:`clusters_document` ``(clusters)`` → the JSON-ready dict
  ``{"clusters": [{"id", "kind", "capability", "product", "organisations", "core"}]}``;
* :func:`clusters_table` ``(clusters)`` → ``(columns, rows)`` for a table or CSV.

Two kinds of cluster, both read through :mod:`queries.estate` (``iter_usage``):

``same-product``
    An exact group-by, not a clustering: per capability, the organisations whose systems
    run the same product, at least two of them. A partner-hosted system counts on the
    host's product; a bespoke system has no product and never clusters. Id:
    ``same-product:CAPABILITY:PRODUCT``. Ordered by (capability, −size, product).
``similar-estate``
    Organisations whose sets of *items* — ``(capability, product)`` pairs — are alike
    (``shared/notes/analytics.md`` §1): items held by one organisation only are pruned;
    Jaccard similarity is computed sparsely (per item, over the organisations holding it:
    O(Σ holders²), never all pairs of sets); each organisation keeps its ``k`` nearest
    neighbours ordered by (−similarity, id); the union of those edges, inserted in sorted
    order on integer nodes numbered by sorted id, goes to Louvain with a fixed seed.
    Communities of one are dropped. Members are sorted and clusters ordered by
    (−size, first member); ids are ``similar-estate:1``, ``similar-estate:2``, … in that
    order, so an id is stable for a given estate but not across estates.

Every cluster's ``core`` stack is the items held by at least ``core_share`` of its
members, as sorted ``"capability|product"`` strings (the item key of the Cypher
queries); the items are not pruned for this. For a same-product cluster the core always
contains its own item and shows what else its members have in common.

Nothing iterates a set or a dict whose order depends on the input without sorting, and
Louvain sees integer nodes only, so results are byte-identical whatever the order of the
files and whatever ``PYTHONHASHSEED``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ictgraph.queries.estate import iter_usage

__all__ = [
    "KINDS", "Cluster", "clusters_document", "clusters_table", "core_stack", "estate_items",
    "find_clusters", "holders_by_item", "item_key", "jaccard_similarities", "nearest_neighbours",
    "similar_estate_communities",
]

KINDS = ("same-product", "similar-estate")
ItemsByOrganisation = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Cluster:
    """A group of organisations; ``capability``/``product`` only for a same-product cluster."""

    id: str
    kind: str
    capability: str | None
    product: str | None
    organisations: tuple[str, ...]
    core: tuple[str, ...]


def item_key(capability: str, product: str) -> str:
    """The text key of a (capability, product) item.

    >>> item_key("council-tax", "capita/revenues")
    'council-tax|capita/revenues'
    """
    return f"{capability}|{product}"


def estate_items(graph: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """Each organisation's sorted (capability, product) items; bespoke use has no item.

    Organisations without any item are left out.
    """
    items: dict[str, set[str]] = {}
    for use in iter_usage(graph):
        if use.product is not None:
            items.setdefault(use.organisation, set()).add(item_key(use.capability, use.product))
    return {org: tuple(sorted(found)) for org, found in sorted(items.items())}


def holders_by_item(items: ItemsByOrganisation, min_holders: int = 1) -> dict[str, tuple[str, ...]]:
    """Item → sorted organisations holding it, for items with at least ``min_holders``.

    >>> holders_by_item({"A": ["x", "y"], "B": ["x"]}, min_holders=2)
    {'x': ('A', 'B')}
    """
    holders: dict[str, list[str]] = {}
    for org in sorted(items):
        for item in sorted(set(items[org])):
            holders.setdefault(item, []).append(org)
    return {item: tuple(orgs) for item, orgs in sorted(holders.items()) if len(orgs) >= min_holders}


def jaccard_similarities(items: ItemsByOrganisation) -> dict[str, dict[str, float]]:
    """Jaccard similarity of every pair of organisations sharing at least one item.

    Intersections are counted per item over its holders, so the cost is the sum over
    items of (holders)², not the number of pairs of organisations.

    >>> jaccard_similarities({"A": ["x", "y"], "B": ["x"], "C": ["z"]})
    {'A': {'B': 0.5}, 'B': {'A': 0.5}, 'C': {}}

    Notes
    -----
    O(Σ_items holders² + Σ_orgs neighbours · log neighbours) time.
    """
    sets = {org: sorted(set(found)) for org, found in sorted(items.items())}
    holders = holders_by_item(sets)
    result: dict[str, dict[str, float]] = {}
    for org, own in sets.items():
        shared: Counter[str] = Counter()
        for item in own:
            shared.update(holders[item])
        del shared[org]
        result[org] = {other: count / (len(own) + len(sets[other]) - count)
                       for other, count in sorted(shared.items())}
    return result


def nearest_neighbours(similarities: Mapping[str, Mapping[str, float]], k: int) -> dict[str, list[tuple[str, float]]]:
    """Each organisation's ``k`` most similar organisations, ordered by (−similarity, id).

    >>> nearest_neighbours({"A": {"C": 0.5, "B": 0.5, "D": 0.9}}, k=2)
    {'A': [('D', 0.9), ('B', 0.5)]}
    """
    return {org: sorted(near.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
            for org, near in sorted(similarities.items())}


def similar_estate_communities(neighbours: Mapping[str, Sequence[tuple[str, float]]], *,
                               seed: int = 42) -> list[tuple[str, ...]]:
    """Louvain communities (two or more members) of the k-nearest-neighbour graph.

    The graph has one integer node per organisation, numbered in sorted id order, and
    the undirected union of the neighbour edges, weighted by similarity and inserted in
    sorted order. Returns sorted member tuples ordered by (−size, first member).

    >>> similar_estate_communities({"A": [("B", 1.0)], "B": [("A", 1.0)], "C": []})
    [('A', 'B')]
    """
    ids = sorted(set(neighbours) | {other for near in neighbours.values() for other, _ in near})
    number = {org: index for index, org in enumerate(ids)}
    edges = sorted({(min(number[a], number[b]), max(number[a], number[b])): weight
                    for a, near in neighbours.items() for b, weight in near}.items())
    knn: nx.Graph[int] = nx.Graph()
    knn.add_nodes_from(range(len(ids)))
    knn.add_weighted_edges_from((a, b, weight) for (a, b), weight in edges)
    found = nx.community.louvain_communities(knn, weight="weight", seed=seed)
    members = [tuple(ids[n] for n in sorted(community)) for community in found if len(community) >= 2]
    return sorted(members, key=lambda group: (-len(group), group[0]))


def core_stack(members: Iterable[str], items: ItemsByOrganisation, core_share: float = 0.8) -> tuple[str, ...]:
    """Items held by at least ``core_share`` of ``members``, sorted.

    >>> core_stack(["A", "B"], {"A": ["x", "y"], "B": ["x"]}, core_share=0.8)
    ('x',)
    """
    group = sorted(set(members))
    counts = Counter(item for org in group for item in set(items.get(org, ())))
    return tuple(sorted(item for item, count in counts.items() if count / len(group) >= core_share - 1e-12))


def _same_product(items: ItemsByOrganisation, core_share: float) -> list[Cluster]:
    clusters = []
    for item, orgs in holders_by_item(items, min_holders=2).items():
        capability, product = item.split("|", 1)
        clusters.append(Cluster(f"same-product:{capability}:{product}", "same-product", capability,
                                product, orgs, core_stack(orgs, items, core_share)))
    return sorted(clusters, key=lambda c: (c.capability or "", -len(c.organisations), c.product or ""))


def _similar_estate(items: ItemsByOrganisation, k: int, seed: int, core_share: float) -> list[Cluster]:
    shared = set(holders_by_item(items, min_holders=2))
    pruned = {org: [i for i in found if i in shared] for org, found in sorted(items.items())}
    pruned = {org: found for org, found in pruned.items() if found}
    neighbours = nearest_neighbours(jaccard_similarities(pruned), k)
    communities = similar_estate_communities(neighbours, seed=seed)
    return [Cluster(f"similar-estate:{n}", "similar-estate", None, None, members,
                    core_stack(members, items, core_share))
            for n, members in enumerate(communities, start=1)]


def find_clusters(graph: nx.MultiDiGraph, *, k: int = 10, seed: int = 42, core_share: float = 0.8,
                  kinds: Sequence[str] = KINDS) -> list[Cluster]:
    """Same-product and similar-estate clusters of an estate, canonically ordered.

    Parameters
    ----------
    graph : the estate graph (``graph_loader.build_graph``).
    k : neighbours kept per organisation in the similarity graph.
    seed : the Louvain seed.
    core_share : share of a cluster's members that must hold an item for it to be core.
    kinds : which kinds to find; output is always same-product first.

    Returns
    -------
    list of Cluster

    Notes
    -----
    O(usage + Σ_items holders² + Louvain on ≤ k·organisations edges).
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or k < 1 or not 0 < core_share <= 1:
        raise ValueError(f"bad clusters options: kinds {unknown or 'ok'}, k={k}, core_share={core_share}")
    items = estate_items(graph)
    found: list[Cluster] = []
    if "same-product" in kinds:
        found += _same_product(items, core_share)
    if "similar-estate" in kinds:
        found += _similar_estate(items, k, seed, core_share)
    return found


def clusters_document(clusters: Sequence[Cluster]) -> dict[str, Any]:
    """The JSON-ready result: ``{"clusters": [{"id", "kind", "capability", "product",
    "organisations", "core"}, ...]}`` with ``null`` capability/product where they do not apply."""
    return {"clusters": [{"id": c.id, "kind": c.kind, "capability": c.capability, "product": c.product,
                          "organisations": list(c.organisations), "core": list(c.core)} for c in clusters]}


def clusters_table(clusters: Sequence[Cluster],
                   names: Mapping[str, str] | None = None) -> tuple[list[str], list[list[Any]]]:
    """``(columns, rows)`` for ``queries.render.to_table`` / ``to_csv``: one row per cluster;
    with ``names`` (organisation id → name), organisations are named."""
    columns = ["id", "kind", "capability", "product", "size", "organisations", "core"]
    rows = [[c.id, c.kind, c.capability, c.product, len(c.organisations),
             [(names or {}).get(o, o) for o in c.organisations], list(c.core)] for c in clusters]
    return columns, rows
