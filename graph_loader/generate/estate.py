"""Each organisation's systems and contracts, and the planted procurement windows.

Pure: a seeded :class:`random.Random` in, plain data out. Capabilities and products come
from the catalogue; every council of a planted cluster runs its cluster's capabilities and,
per capability, its cluster's product with probability ``adherence`` (otherwise one drawn by
market share). Contracts last 3–7 years and end between 2025 and 2032, except that a planted
window's contracts end within one quarter of 2029, and the other contracts for a window's
capability end at least 13 months away from it, so that ``windows --months 12`` finds the
planted group exactly.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ictgraph.graph_loader.generate.catalogue import Catalogue
from ictgraph.graph_loader.generate.organisations import Organisation

HOSTINGS = ("on-premise", "private-cloud", "public-cloud", "saas")
WINDOW_MONTHS = ((2029, 1), (2029, 2), (2029, 3))
# Ends for the other contracts of a window's capability: 13+ months before or after the quarter.
OUTSIDE_MONTHS = tuple((y, m) for y in range(2025, 2033) for m in range(1, 13)
                       if (y, m) <= (2027, 11) or (y, m) >= (2030, 5))
ALL_MONTHS = tuple((y, m) for y in range(2025, 2033) for m in range(1, 13))


@dataclass
class System:
    """One system: ``product`` is None for bespoke software; ``host`` an ``ORG/LOCAL`` system."""

    id: str
    capability: str
    product: str | None
    host: str | None
    hosting: str
    users: int
    annual_cost: int
    integrates_with: str | None = None
    end: tuple[int, int] | None = None  # (year, month) its contract ends; None: no contract


@dataclass
class Estate:
    """Systems per organisation, plus what the generator planted."""

    systems: dict[str, list[System]] = field(default_factory=dict)
    windows: list[dict[str, object]] = field(default_factory=list)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month.

    >>> month_end(2028, 2)
    datetime.date(2028, 2, 29)
    """
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _stacks(rng: random.Random, catalogue: Catalogue, organisations: list[Organisation],
            systems_per_org: int) -> dict[str, dict[str, str]]:
    """Each planted cluster's capabilities and, per capability, its product (uniform, so
    clusters differ)."""
    stacks = {}
    for cluster, tier in sorted({(o.cluster, o.tier) for o in organisations}):
        leaves = catalogue.leaves[tier]
        chosen = sorted(rng.sample(leaves, systems_per_org)) if len(leaves) > systems_per_org else leaves
        stacks[cluster] = {c: rng.choice(catalogue.products[c][0]) for c in chosen}
    return stacks


def _system(rng: random.Random, capability: str, product: str | None, host: str | None,
            has_datacentre: bool) -> System:
    if host is not None:
        hosting = "hosted-by-partner"
    else:
        hosting = rng.choice(HOSTINGS if has_datacentre else HOSTINGS[1:])
    return System(f"s-{capability}", capability, product, host, hosting, rng.randint(5, 800),
                  rng.randint(2, 400) * 500)


def build_systems(rng: random.Random, catalogue: Catalogue, organisations: list[Organisation], *,
                  systems_per_org: int, adherence: float, bespoke_share: float, hosted_share: float,
                  datacentres: dict[str, bool]) -> Estate:
    """Every organisation's systems, with product choice, partner hosting and integrations."""
    stacks = _stacks(rng, catalogue, organisations, systems_per_org)
    runners: dict[tuple[str, str], str] = {}  # first organisation running a product itself
    estate = Estate()
    for org in organisations:
        systems = []
        for capability, stacked in stacks[org.cluster].items():
            ids, weights = catalogue.products[capability]
            product: str | None = stacked if rng.random() < adherence else rng.choices(ids, weights)[0]
            if rng.random() < bespoke_share:
                product = None
            runner = runners.get((capability, product or "")) if rng.random() < hosted_share else None
            host = f"{runner}/s-{capability}" if runner else None
            systems.append(_system(rng, capability, product, host, datacentres[org.id]))
            if product is not None and host is None:
                runners.setdefault((capability, product), org.id)
        for system in systems:
            if len(systems) > 1 and rng.random() < 0.5:
                other = rng.choice(systems)
                system.integrates_with = other.id if other is not system else None
        estate.systems[org.id] = systems
    return estate


def _contracted(estate: Estate) -> dict[str, list[tuple[str, System]]]:
    """Capability → (organisation, system) for every system with a contract of its own."""
    found: dict[str, list[tuple[str, System]]] = {}
    for org, systems in estate.systems.items():
        for system in systems:
            if system.product is not None and system.host is None:
                found.setdefault(system.capability, []).append((org, system))
    return found


def plant_windows(rng: random.Random, estate: Estate, organisations: list[Organisation], count: int) -> None:
    """Give each system with a contract an end month; plant ``count`` windows: in each, the
    members of one cluster running a capability end within one quarter of 2029."""
    contracted = _contracted(estate)
    cluster_of = {o.id: o.cluster for o in organisations}
    clusters = sorted({o.cluster for o in organisations})
    capabilities = sorted(contracted)
    rng.shuffle(capabilities)
    planted: dict[str, str] = {}
    for capability in capabilities:
        if len(planted) >= count:
            break
        cluster = clusters[len(planted) % len(clusters)]
        if sum(cluster_of[org] == cluster for org, _ in contracted[capability]) >= 2:
            planted[capability] = cluster
    for capability, holders in sorted(contracted.items()):
        window = planted.get(capability)
        for org, system in holders:
            if window is None:
                system.end = rng.choice(ALL_MONTHS)
            else:
                system.end = rng.choice(WINDOW_MONTHS if cluster_of[org] == window else OUTSIDE_MONTHS)
        if window is not None:
            members = [(org, s) for org, s in holders if cluster_of[org] == window]
            ends = [month_end(*s.end) for _, s in members if s.end]
            estate.windows.append({
                "capability": capability, "cluster": window,
                "organisations": sorted(org for org, _ in members),
                "contracts": sorted(f"{org}/c-{capability}" for org, _ in members),
                "first_end": min(ends).isoformat(), "last_end": max(ends).isoformat()})
    estate.windows.sort(key=lambda w: str(w["capability"]))
