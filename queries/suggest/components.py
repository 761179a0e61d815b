"""Shared-platform groups as connected neighbourhoods, and the links that hold them together.

Public entry points: :func:`form_groups` ``(view, bundle, product, grouping)`` → ``list[Group]``;
:func:`link_members` (re-link a group after members leave it); :func:`drop_losers` (leave out
joiners that would not pay back, keeping the only links to those further along);
:class:`Nearness` (memoised nearness, shared by the products of a bundle).

Groups
    For a capability bundle and a product, every lead option (an organisation on its own
    instance of the product, :func:`queries.suggest.candidates.lead_capabilities`) leads one
    group: a breadth-first search from it through nearness
    (:func:`queries.suggest.candidates.neighbourhood`, for the lead's capabilities) over the
    organisations that have one of those capabilities and could join it
    (:func:`queries.suggest.candidates.member_for`). A chain A–B–C–D of neighbours is one
    group of four, whichever of them leads; each lead option is a suggestion of its own, so
    the optimiser chooses the lead. Organisations reached that cannot join are the group's
    ``excluded`` and link nothing further.
Links (``via``)
    A member's ``via`` names the members near it one step closer to the lead (breadth-first
    distance through the group's members), empty when it is near the lead itself: following
    ``via`` always reaches the lead, so no member is a stranger to the others.
Leaving out (:func:`drop_losers`)
    A joiner whose own central NPV is negative is left out, most negative first, unless it
    is the only link to the lead for others; then it is kept (a *bridge*) when it and the
    members that depend on it are worth more than nothing together, else they all leave.
    Members left with no link to the lead leave too.

Notes
-----
A lead's search costs O(m·d) for the m members it reaches and d near organisations each;
a bundle and product cost O(L·m·d) for L lead options. The search never leaves the
connected neighbourhood of the organisations that hold the capabilities: nothing is
compared across the whole country.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace

from ictgraph.queries.suggest.candidates import (EstateView, Group, Link, Member, lead_capabilities, lead_member, member_for,
                                        neighbourhood)
from ictgraph.queries.suggest.savings import Grouping

__all__ = ["Nearness", "distances", "drop_losers", "form_groups", "link_members"]


class Nearness:
    """:func:`queries.suggest.candidates.neighbourhood` of each organisation, memoised per capabilities."""

    def __init__(self, view: EstateView, grouping: Grouping) -> None:
        self.view, self.grouping = view, grouping
        self._memo: dict[tuple[str, tuple[str, ...]], dict[str, Link]] = {}

    def __call__(self, organisation: str, capabilities: tuple[str, ...]) -> dict[str, Link]:
        key = (organisation, capabilities)
        if key not in self._memo:
            near = neighbourhood(self.view, organisation, capabilities, self.grouping)
            self._memo[key] = dict(sorted(near.items()))
        return self._memo[key]


def _search(view: EstateView, lead: Member, product: str, grouping: Grouping,
            near: Nearness) -> tuple[dict[str, Member], dict[str, dict[str, Link]], dict[str, str]]:
    """Breadth-first from the lead over the organisations that can join it: the members, the
    links between them, and the organisations reached that cannot join (with why)."""
    members: dict[str, Member] = {lead.organisation: lead}
    links: dict[str, dict[str, Link]] = {}
    excluded: dict[str, str] = {}
    seen, queue = {lead.organisation}, deque([lead.organisation])
    while queue:
        here = queue.popleft()
        links[here] = {}
        for org, link in near(here, lead.capabilities).items():
            if org not in seen:
                seen.add(org)
                found = member_for(view, lead, org, link, product, grouping)
                if isinstance(found, Member):
                    members[org] = found
                    queue.append(org)
                elif found is not None:
                    excluded[org] = found
            if org in members:
                links[here][org] = link
    for here, near_here in list(links.items()):      # nearness is symmetric; make sure of it
        for org, link in near_here.items():
            links[org].setdefault(here, link)
    return members, links, excluded


def form_groups(view: EstateView, bundle: tuple[str, ...], product: str, grouping: Grouping,
                near: Nearness | None = None) -> list[Group]:
    """One group per lead option for ``product`` and ``bundle``, with at least one joiner; by lead.

    Every member is linked to the lead; :func:`link_members` gives them their ``via`` (done
    once the members are final, after :func:`drop_losers`).

    Examples
    --------
    See ``tests/test_planted.py``: a chain of four neighbours is one group, whoever leads.
    """
    near = near or Nearness(view, grouping)
    options = [o for o in view.holders(bundle) if lead_capabilities(view, o, bundle, product)]
    groups = []
    for org in options:
        lead = lead_member(view, org, bundle, product)
        members, links, excluded = _search(view, lead, product, grouping, near)
        others = sorted((m for o, m in members.items() if o != org), key=lambda m: m.organisation)
        currency = view.systems[lead.uses[0].system].currency
        group = Group(lead.capabilities, product, org, currency, (lead, *others), tuple(sorted(excluded.items())),
                      links, tuple(o for o in options if o in members))
        if group.joining:
            groups.append(group)
    return groups


def distances(links: Mapping[str, Mapping[str, Link]], lead: str, present: set[str]) -> dict[str, int]:
    """Breadth-first distance from ``lead`` through the ``present`` members.

    >>> distances({"A": {"B": (0.8, "")}, "B": {"A": (0.8, ""), "C": (0.8, "")}, "C": {"B": (0.8, "")}},
    ...           "A", {"A", "B", "C"})
    {'A': 0, 'B': 1, 'C': 2}
    """
    found, queue = {lead: 0}, deque([lead])
    while queue:
        here = queue.popleft()
        for org in links.get(here, {}):
            if org in present and org not in found:
                found[org] = found[here] + 1
                queue.append(org)
    return found


def _linked(view: EstateView, group: Group, member: Member, dist: Mapping[str, int]) -> Member:
    """``member`` with its ``via`` and its link into the group (proximity and reason)."""
    near = group.links[member.organisation]
    if dist[member.organisation] == 1:
        proximity, reason = group.links[group.lead][member.organisation]
        return Member(member.organisation, member.role, member.capabilities, member.uses, proximity, reason)
    via = tuple(sorted(o for o in near if dist.get(o) == dist[member.organisation] - 1))
    best = min(via, key=lambda o: (-group.links[o].get(member.organisation, near[o])[0], o))
    proximity, reason = group.links[best].get(member.organisation, near[best])
    name = view.name("Organisation", best)
    return Member(member.organisation, member.role, member.capabilities, member.uses, proximity,
                  f"{reason.replace('the lead', name)}, which links it to the lead", via)


def link_members(view: EstateView, group: Group) -> Group:
    """The group with every member's ``via`` and link; members with no link to the lead leave."""
    present = {m.organisation for m in group.members}
    dist = distances(group.links, group.lead, present)
    kept = [m if m.role == "lead" else _linked(view, group, m, dist) for m in group.members if m.organisation in dist]
    lost = [(m.organisation, "no link to the lead is left in the group") for m in group.members
            if m.organisation not in dist]
    return replace(group, members=tuple(kept), excluded=tuple(sorted((*group.excluded, *lost))))


def drop_losers(view: EstateView, group: Group, npv: Mapping[str, float],
                why: Callable[[str, float], str]) -> Group:
    """The group without the joiners whose central NPV (``npv``) is negative, but for bridges.

    Losers are taken most negative first (then by id). One whose leaving would cut others
    off from the lead stays as a bridge when its NPV and theirs sum to more than nothing;
    otherwise it and those it alone linked leave, so every member left is still linked to
    the lead. The result has ``bridges`` set when nobody left; otherwise it is to be
    costed again."""
    present = {m.organisation for m in group.members}
    left: dict[str, str] = {}
    bridges = []
    for value, org in sorted((v, o) for o, v in npv.items() if v < 0):
        if org not in present:
            continue
        cut = present - {org} - set(distances(group.links, group.lead, present - {org}))
        if cut and value + sum(npv.get(o, 0.0) for o in cut) > 0:
            bridges.append(org)
            continue
        present -= {org} | cut
        left[org] = why(org, value)
        name = view.name("Organisation", org)
        left.update({o: f"its only link to the lead, {name} ({org}), is left out" for o in sorted(cut)})
    if not left:
        return replace(group, bridges=tuple(sorted(bridges)))
    return replace(group, members=tuple(m for m in group.members if m.organisation in present),
                   excluded=tuple(sorted((*group.excluded, *left.items()))), bridges=())
