"""Market concentration per capability: vendor shares, the Herfindahl–Hirschman index, and
capabilities that depend on one supplier across many organisations (``anchors.md`` gap 13).

Public entry points:

* :func:`market_concentration` ``(graph)`` → JSON-ready list, one entry per capability;
* :func:`hhi` ``(shares)`` and :func:`concentration_level` ``(index)``: the index and its reading;
* :data:`ASSUMPTIONS`: the rules below, printed with every result.

Rules (``docs/benchmark.md``):

Organisations
    An organisation uses a vendor for a capability when one of its systems for it runs one
    of the vendor's products (a partner-hosted system counts on the host's product; bespoke
    systems have no vendor and are counted apart). An organisation using several vendors for
    one capability is split equally between them, so shares sum to 1; ``organisations`` is the
    whole count of organisations using the vendor.
Spend
    The annual cost of :mod:`queries.allocation` (the estate as recorded), attributed to the
    vendor of the product each system runs; spend on bespoke systems is left out. Shares are
    per currency and never mix currencies.
HHI
    ``Σ (100 × share)²``, from 0 to 10,000, on organisation shares and on spend shares. Over
    2,000 is *highly concentrated*, over 1,000 *concentrated* (the UK Competition Commission and
    OFT Merger Assessment Guidelines, 2010; the CMA's 2021 guidelines set no threshold, the US
    2023 Merger Guidelines use 1,000 and 1,800). The level is read on organisation shares.
Dependency
    A capability depends on one supplier when its leading vendor serves at least half of
    the organisations with a vendor for it and at least five organisations.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.estate import display_names, iter_usage, product_vendors

__all__ = ["ASSUMPTIONS", "DEPENDENCY_MIN_ORGANISATIONS", "DEPENDENCY_SHARE", "HIGHLY_CONCENTRATED",
           "CONCENTRATED", "concentration_level", "hhi", "market_concentration"]

HIGHLY_CONCENTRATED = 2000.0
CONCENTRATED = 1000.0
DEPENDENCY_SHARE = 0.5
DEPENDENCY_MIN_ORGANISATIONS = 5
ASSUMPTIONS = {
    "organisation_share": "organisations using a vendor's product for the capability (partner-hosted systems on the "
                          "host's product; bespoke systems apart); an organisation with several vendors is split "
                          "equally between them",
    "spend_share": "allocated annual cost (the benchmark's rule) attributed to the vendor of each system's product, "
                   "per currency; bespoke systems left out",
    "hhi": "sum of squared percentage shares (0-10,000); over 2,000 highly concentrated, over 1,000 concentrated "
           "(CC/OFT Merger Assessment Guidelines 2010); the level is read on organisation shares",
    "dependency": "the leading vendor serves at least 50% of the organisations with a vendor for the capability "
                  "and at least 5 organisations",
}


def hhi(shares: Mapping[str, float]) -> float:
    """The Herfindahl–Hirschman index of shares (fractions), on the 0–10,000 scale.

    >>> hhi({"a": 0.5, "b": 0.5}), hhi({"a": 1.0})
    (5000.0, 10000.0)
    """
    return math.fsum((100 * share) ** 2 for _, share in sorted(shares.items()))


def concentration_level(index: float) -> str:
    """``highly concentrated`` over 2,000, ``concentrated`` over 1,000, else ``unconcentrated``."""
    if index > HIGHLY_CONCENTRATED:
        return "highly concentrated"
    return "concentrated" if index > CONCENTRATED else "unconcentrated"


def _vendor_use(graph: nx.MultiDiGraph) -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]],
                                                 dict[tuple[str, str, str], str]]:
    """Per capability: vendor → organisations; bespoke organisations; (org, cap, system) → vendor."""
    vendors = product_vendors(graph)
    users: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    bespoke: dict[str, set[str]] = defaultdict(set)
    system_vendor = {}
    for use in iter_usage(graph):
        if use.product is None:
            bespoke[use.capability].add(use.organisation)
            continue
        vendor = vendors.get(use.product, "") or use.product
        users[use.capability][vendor].add(use.organisation)
        system_vendor[(use.organisation, use.capability, use.system)] = vendor
    return users, bespoke, system_vendor


def _organisation_shares(by_vendor: Mapping[str, set[str]]) -> dict[str, float]:
    """Each vendor's share of organisations, an organisation split equally over its vendors."""
    weights: dict[str, list[float]] = defaultdict(list)
    per_org: dict[str, int] = defaultdict(int)
    for organisations in by_vendor.values():
        for org in organisations:
            per_org[org] += 1
    for vendor, organisations in sorted(by_vendor.items()):
        weights[vendor] = [1 / per_org[org] for org in sorted(organisations)]
    total = len(per_org)
    return {vendor: math.fsum(w) / total for vendor, w in weights.items()}


def _spend(graph: nx.MultiDiGraph, system_vendor: Mapping[tuple[str, str, str], str]
           ) -> dict[str, dict[str, dict[str, float]]]:
    """capability → currency → vendor → annual spend."""
    parts: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for line in allocated_costs(graph):
        vendor = system_vendor.get((line.organisation, line.capability, line.system))
        if vendor is not None:
            parts[line.capability][line.currency][vendor].append(line.annual_cost)
    return {cap: {cur: {v: math.fsum(x) for v, x in sorted(by_v.items())} for cur, by_v in sorted(by_cur.items())}
            for cap, by_cur in sorted(parts.items())}


def _spend_shares(spend: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """currency → vendor → share of that currency's spend (empty when it sums to 0)."""
    shares = {}
    for currency, by_vendor in spend.items():
        total = math.fsum(by_vendor.values())
        shares[currency] = {v: amount / total for v, amount in by_vendor.items()} if total > 0 else {}
    return shares


def _dependency(vendors: list[dict[str, Any]], with_vendor: int) -> dict[str, Any] | None:
    if not vendors:
        return None
    lead = vendors[0]
    count = lead["organisations"]
    if count >= DEPENDENCY_MIN_ORGANISATIONS and count >= DEPENDENCY_SHARE * with_vendor:
        return {"vendor": lead["vendor"], "organisations": lead["organisations"], "of": with_vendor}
    return None


def _capability_entry(capability: str, by_vendor: Mapping[str, set[str]], bespoke: set[str],
                      spend: Mapping[str, Mapping[str, float]], names: Mapping[str, str]) -> dict[str, Any]:
    org_shares, spend_shares = _organisation_shares(by_vendor), _spend_shares(spend)
    vendors = [{"vendor": v, "name": names.get(v, v), "organisations": len(by_vendor[v]),
                "organisation_share": round(org_shares[v], 4),
                "spend": {cur: round(s.get(v, 0.0), 2) for cur, s in spend.items() if v in s},
                "spend_share": {cur: round(s[v], 4) for cur, s in spend_shares.items() if v in s}}
               for v in sorted(by_vendor, key=lambda v: (-org_shares[v], -len(by_vendor[v]), v))]
    index = hhi(org_shares)
    with_vendor = len(set().union(*by_vendor.values()))
    return {"capability": capability, "organisations": with_vendor, "bespoke_organisations": len(bespoke),
            "vendors": vendors, "hhi_organisations": round(index, 1),
            "hhi_spend": {cur: round(hhi(s), 1) for cur, s in spend_shares.items() if s},
            "level": concentration_level(index), "dependency": _dependency(vendors, with_vendor)}


def market_concentration(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Vendor shares and concentration per capability, sorted by capability.

    Each entry: ``{"capability", "organisations", "bespoke_organisations", "vendors": [{"vendor",
    "name", "organisations", "organisation_share", "spend": {currency: amount}, "spend_share":
    {currency: share}}], "hhi_organisations", "hhi_spend": {currency: index}, "level",
    "dependency": {"vendor", "organisations", "of"} | None}``; vendors by (−share, −organisations, id).

    Notes
    -----
    O(u + c) for u usage rows and c cost lines.
    """
    users, bespoke, system_vendor = _vendor_use(graph)
    spend = _spend(graph, system_vendor)
    names = display_names(graph, "Vendor")
    return [_capability_entry(cap, users[cap], bespoke.get(cap, set()), spend.get(cap, {}), names)
            for cap in sorted(users)]
