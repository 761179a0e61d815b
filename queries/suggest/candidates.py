"""Consolidation candidates: who could share one platform for which capabilities.

Read through :mod:`queries.estate` only; every function is pure and canonically ordered.

Capability bundles
    Sibling capabilities (same parent; top-level capabilities are siblings of each other)
    that one system with a product serves together are merged, transitively, estate-wide:
    council tax and business rates on one revenues system form one bundle, and so do adult
    and children's social care on one social-care system, or finance and HR on one ERP.
    Capabilities under different parents never merge.
Lead options
    For a bundle and a product, a *lead option* is an organisation running its own
    (not partner-hosted) instance of the product for a capability of the bundle, not
    marked ``eliminate``. Every lead option is a lead of its own suggestion: the
    optimiser chooses among them. The suggestion's capabilities are the bundle's
    capabilities the lead's instance serves.
Members (:mod:`queries.suggest.components`)
    The group of a lead is its connected neighbourhood: the organisations reached from it
    through nearness (below), one near step at a time, among those that have at least one of
    the suggestion's capabilities (each is offered only those it has: a district is never
    offered a county's social-care platform, because it has no usage row for it) and could
    join the lead: in the same nation (``grouping.same_nation``), its systems for those
    capabilities in the lead's currency, and not already sharing another product (hosting
    others or hosted by a partner on a different product).
Proximity (analytics.md §2)
    1.0 partners in a partnership that is not ``ended`` and covers the capability (or its
    parent, or names no capability); 0.8 neighbours (either side's listing); 0.6 two
    districts bordering the same county council (its two-tier area); with ``grouping.max_hops = 2``
    also 0.5 both bordering the same organisation, in the same region. A group chains these
    steps through its own members only: it reaches as far as unbroken nearness among
    organisations that have the capabilities and could join, and no further.
Roles
    ``lead``; ``hosted-by-lead`` (already on the lead's system: shown as already there);
    ``join-hosted`` (its own instance of the target product: moves onto the lead's);
    ``migrate`` (another product or bespoke software).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import networkx as nx

from ictgraph.queries.estate import (ContractCover, Organisation, Partnership, Plan, System, Usage, capability_parents,
                            display_names, iter_contract_covers, iter_partnerships, iter_plans, iter_systems,
                            iter_usage, organisations, product_vendors)
from ictgraph.queries.resources import Resources, read_resources
from ictgraph.queries.service_levels import ServiceIndex, service_index
from ictgraph.queries.suggest.savings import Grouping

__all__ = ["EstateView", "Group", "Link", "Member", "capability_bundles", "lead_capabilities", "lead_member", "member_for", "neighbourhood",
           "read_estate"]

Key = tuple[str, str]
Link = tuple[float, str]                                # (proximity, reason)
Row = TypeVar("Row")
JOINING_ROLES = ("join-hosted", "migrate")


@dataclass(frozen=True)
class EstateView:
    """The records ``suggest`` needs, indexed; built once by :func:`read_estate`."""

    organisations: Mapping[str, Organisation]
    usage: Mapping[Key, tuple[Usage, ...]]              # (organisation, capability)
    covers: Mapping[Key, tuple[ContractCover, ...]]     # (system, capability)
    systems: Mapping[str, System]
    plans: Mapping[Key, tuple[Plan, ...]]               # (organisation, capability)
    tenants: Mapping[str, tuple[str, ...]]              # host system → organisations on it
    partnerships: tuple[Partnership, ...]
    parents: Mapping[str, str | None]
    vendors: Mapping[str, str]
    names: Mapping[str, Mapping[str, str]]              # label → id → name
    currencies: tuple[str, ...]
    vendor_users: Mapping[str, Mapping[str, frozenset[str]]]  # capability → vendor → organisations
    resources: Resources = field(default_factory=Resources)  # data centres, networks, people, policies
    service: ServiceIndex = field(default_factory=ServiceIndex)  # measures and latest levels of service

    def name(self, label: str, key: str) -> str:
        return self.names.get(label, {}).get(key, key)

    def capabilities_of(self, organisation: str) -> tuple[str, ...]:
        return tuple(sorted(c for o, c in self.usage if o == organisation))

    @cached_property
    def usage_by_capability(self) -> Mapping[str, tuple[Key, ...]]:
        """The ``usage`` keys of each capability: bundles look their holders up here rather
        than scanning every usage row (a national estate has hundreds of thousands)."""
        found: dict[str, list[Key]] = defaultdict(list)
        for key in self.usage:
            found[key[1]].append(key)
        return {c: tuple(keys) for c, keys in found.items()}

    @cached_property
    def partnerships_of(self) -> Mapping[str, tuple[Partnership, ...]]:
        """The partnerships each organisation is a member of, in the order of ``partnerships``."""
        found: dict[str, list[Partnership]] = defaultdict(list)
        for p in self.partnerships:
            for member in p.members:
                found[member].append(p)
        return {o: tuple(ps) for o, ps in found.items()}

    @cached_property
    def covers_by_supplier(self) -> Mapping[str | None, tuple[ContractCover, ...]]:
        """The contract covers of each supplier, in the order of ``covers``."""
        found: dict[str | None, list[ContractCover]] = defaultdict(list)
        for covers in self.covers.values():
            for cover in covers:
                found[cover.supplier].append(cover)
        return {supplier: tuple(covers) for supplier, covers in found.items()}

    def holders(self, capabilities: tuple[str, ...]) -> list[str]:
        """The organisations using any of ``capabilities``, sorted."""
        return sorted({o for c in capabilities for o, _ in self.usage_by_capability.get(c, ())})

    def products_for(self, capabilities: tuple[str, ...]) -> list[str]:
        """The products any organisation runs for any of ``capabilities``, sorted."""
        return sorted({u.product for c in capabilities for key in self.usage_by_capability.get(c, ())
                       for u in self.usage[key] if u.product is not None})


def _index(rows: list[Row], key: Callable[[Row], Key]) -> dict[Key, tuple[Row, ...]]:
    grouped: dict[Key, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return {k: tuple(v) for k, v in sorted(grouped.items())}


def read_estate(graph: nx.MultiDiGraph) -> EstateView:
    """The estate's records as :func:`queries.suggest.shared_platform` and friends read them."""
    usage, covers = list(iter_usage(graph)), list(iter_contract_covers(graph))
    systems = {s.id: s for s in iter_systems(graph)}
    tenants: dict[str, set[str]] = defaultdict(set)
    for use in usage:
        if use.host_system is not None:
            tenants[use.host_system].add(use.organisation)
    currencies = {s.currency for s in systems.values()} | {c.currency for c in covers}
    return EstateView(
        organisations(graph), _index(usage, lambda u: (u.organisation, u.capability)),
        _index(covers, lambda c: (c.system, c.capability)), systems,
        _index(list(iter_plans(graph)), lambda p: (p.organisation, p.capability)),
        {k: tuple(sorted(v)) for k, v in sorted(tenants.items())}, tuple(iter_partnerships(graph)),
        capability_parents(graph), product_vendors(graph),
        {label: display_names(graph, label) for label in ("Capability", "Product", "Vendor", "Organisation")},
        tuple(sorted(c for c in currencies if c)), _vendor_users(usage, product_vendors(graph)),
        read_resources(graph), service_index(graph))


def _vendor_users(usage: list[Usage], vendors: Mapping[str, str]) -> dict[str, dict[str, frozenset[str]]]:
    """Per capability and vendor, the organisations running one of the vendor's products for it."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for use in usage:
        if use.product is not None:
            found[use.capability][vendors.get(use.product, "")].add(use.organisation)
    return {c: {v: frozenset(orgs) for v, orgs in sorted(by.items())} for c, by in sorted(found.items())}


def capability_bundles(view: EstateView) -> list[tuple[str, ...]]:
    """Capabilities in use, with siblings served by one product system merged; sorted."""
    parent = {c: c for _, c in view.usage}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for system in view.systems.values():
        caps = sorted(c for c in system.capabilities if c in parent)
        for a in caps:
            for b in caps:
                if a < b and view.parents.get(a) == view.parents.get(b) \
                        and _has_product(view, system.organisation, a, system.id):
                    parent[max(root(a), root(b))] = min(root(a), root(b))
    bundles: dict[str, list[str]] = defaultdict(list)
    for c in sorted(parent):
        bundles[root(c)].append(c)
    return sorted(tuple(v) for v in bundles.values())


def _has_product(view: EstateView, organisation: str, capability: str, system: str) -> bool:
    return any(u.system == system and u.product is not None for u in view.usage.get((organisation, capability), ()))


@dataclass(frozen=True)
class Member:
    """An organisation's place in a group; ``capabilities`` are those it is offered.

    ``proximity`` and ``reason`` describe its link into the group: to the lead when it is
    near the lead (``via`` empty), else to the strongest of ``via``, the members near it one
    step closer to the lead."""

    organisation: str
    role: str
    capabilities: tuple[str, ...]
    uses: tuple[Usage, ...]
    proximity: float
    reason: str
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A lead and the organisations linked to it through nearness that could share its platform.

    ``links`` holds, for every member, the other members near it (proximity and the reason,
    worded with "the lead" standing for that member); ``options`` the members that could lead
    instead (each is its own suggestion); ``bridges`` the joiners kept only as the link to
    members further along."""

    capabilities: tuple[str, ...]
    product: str
    lead: str
    currency: str
    members: tuple[Member, ...]          # the lead first, then by organisation
    excluded: tuple[tuple[str, str], ...]  # (organisation, why), near the group but left out
    links: Mapping[str, Mapping[str, Link]] = field(default_factory=dict)
    options: tuple[str, ...] = ()
    bridges: tuple[str, ...] = ()

    @property
    def joining(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.role in JOINING_ROLES)


def neighbourhood(view: EstateView, lead: str, capabilities: tuple[str, ...],
                  grouping: Grouping) -> dict[str, tuple[float, str]]:
    """The organisations near ``lead`` for ``capabilities``: id → (proximity, reason).

    Where several reasons apply the strongest wins; among equals, the first in id order."""
    near: dict[str, tuple[float, str]] = {}

    def offer(org: str, weight: float, reason: str) -> None:
        if org != lead and org in orgs and (org not in near or weight > near[org][0]):
            near[org] = (weight, reason)

    orgs, me = view.organisations, view.organisations[lead]
    for m in (m for m in me.neighbours if m in orgs):
        county = orgs[m].type == "county" and me.type == "district"
        for other in orgs[m].neighbours:
            if county and orgs.get(other) and orgs[other].type == "district":
                offer(other, 0.6, f"in the {orgs[m].name} area with the lead")
            elif grouping.max_hops >= 2 and me.region is not None and orgs.get(other) \
                    and orgs[other].region == me.region:
                offer(other, 0.5, f"borders {orgs[m].name} as the lead does ({me.region})")
    for m in me.neighbours:
        offer(m, 0.8, "neighbour of the lead")
    wanted = set(capabilities) | {view.parents.get(c) for c in capabilities}
    for p in view.partnerships_of.get(lead, ()):
        if p.status != "ended" and (not p.capabilities or wanted & set(p.capabilities)):
            for other in p.members:
                offer(other, 1.0, f"partner of the lead in {p.name} ({p.status})")
    return near


def lead_capabilities(view: EstateView, organisation: str, bundle: tuple[str, ...], product: str) -> tuple[str, ...]:
    return tuple(c for c in bundle if any(
        u.product == product and u.host_system is None and not u.bespoke and u.lifecycle != "eliminate"
        for u in view.usage.get((organisation, c), ())))


def _role(view: EstateView, lead: str, uses: tuple[Usage, ...], product: str) -> str:
    if all(u.product == product and u.host_organisation == lead for u in uses):
        return "hosted-by-lead"
    return "join-hosted" if all(u.product == product for u in uses) else "migrate"


def _why_not(view: EstateView, lead: str, uses: tuple[Usage, ...], product: str, currency: str,
             grouping: Grouping) -> str | None:
    """Why an organisation near the lead cannot join it, or None when it can."""
    org, host = view.organisations[uses[0].organisation], view.organisations[lead]
    if grouping.same_nation and org.nation and host.nation and org.nation != host.nation:
        return f"in {org.nation}, the lead in {host.nation}"
    other = sorted({view.systems[u.system].currency for u in uses} - {currency})
    if other:
        return f"its systems are costed in {', '.join(other)}, the lead's in {currency}"
    for u in uses:
        if u.product != product and u.host_organisation not in (None, lead):
            host_name = view.name("Organisation", u.host_organisation or "")
            return f"already shares {view.name('Product', u.product or '')} hosted by {host_name}"
        if u.product != product and view.tenants.get(u.system):
            return f"already hosts {', '.join(view.tenants[u.system])} on {view.name('Product', u.product or '')}"
    return None


def _population(view: EstateView, organisation: str) -> int:
    return view.organisations[organisation].population or 0


def _uses(view: EstateView, organisation: str, capabilities: tuple[str, ...]) -> tuple[Usage, ...]:
    return tuple(u for c in capabilities for u in view.usage.get((organisation, c), ()))


def lead_member(view: EstateView, lead: str, bundle: tuple[str, ...], product: str) -> Member:
    caps = lead_capabilities(view, lead, bundle, product)
    uses = tuple(u for u in _uses(view, lead, caps) if u.product == product and u.host_system is None)
    return Member(lead, "lead", caps, uses, 1.0, "lead")


def member_for(view: EstateView, lead: Member, org: str, near: tuple[float, str], product: str,
               grouping: Grouping) -> Member | str | None:
    """``org`` as a member of ``lead``'s group; why not (text); None when it lacks the capabilities."""
    caps = tuple(c for c in lead.capabilities if (org, c) in view.usage)
    if not caps:
        return None
    uses = _uses(view, org, caps)
    currency = view.systems[lead.uses[0].system].currency
    why = _why_not(view, lead.organisation, uses, product, currency, grouping)
    return why if why else Member(org, _role(view, lead.organisation, uses, product), caps, uses, *near)
