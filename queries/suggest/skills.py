"""Suggestion kind ``skills``: a skill a product needs, held thinly where the product runs,
shared with an organisation that holds it and runs the same product.

Needs (:func:`thin_needs`)
    An organisation *needs* a skill when one of its own systems (not bespoke, not hosted by a
    partner) runs a product whose catalogue entry ``requires_skills`` it, in-house (hosting
    ``on-premise`` or ``private-cloud``; a SaaS supplier brings its own skills). The need is
    *thin* when the organisation holds the skill at less than ``skills.thin_fte`` FTE (0 when
    it does not hold it at all).
Partners (:func:`skill_partners`, the Cypher form ``thin_skills``)
    organisations holding the skill at ``thin_fte`` or more that run one of the same products
    in-house. Each thin organisation takes, among the partners near it or in its nation and
    region, the nearest (proximity of :func:`queries.suggest.sharing.near_organisations`, 0 when only
    the region joins them), then the one with most FTE, then by id: a shared specialist
    supports remote systems, but within reach. An organisation with a thin need and no such
    partner is in no suggestion (``unmatched`` of :func:`match_needs`).
Suggestions
    one per (skill, partner): the partner leads, the thin organisations that chose it join.
    ``single_points_of_failure`` lists the members holding the skill at more than 0 and at
    most ``skills.single_person_fte`` (one person, or part of one): the lead among them when
    its own cover is one person. No money: the format records no staff costs.

Fields beyond the common ones::

    "skill", "products", "lead_fte", "members": [{"organisation", "fte", "products", "systems"}],
    "single_points_of_failure": [{"organisation", "fte"}]

Id: ``skills:SKILL:LEAD``. No steps: sharing people has no contract path. Claims (on the
suggestion): ``ORG/skill:SKILL`` for the lead and every member.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.suggest.savings import ZERO, SavingsModel
from ictgraph.queries.suggest.sharing import NO_MONEY_TEXT, label, near_organisations, score, suggestion

__all__ = ["KIND", "METHOD", "Need", "match_needs", "skill_partners", "suggest_skills", "thin_needs"]

KIND = "skills"
IN_HOUSE = ("on-premise", "private-cloud")
METHOD = {
    "candidates": "a skill a product requires (catalogue requires_skills), run in-house (on-premise or private "
                  "cloud) by an organisation holding it below skills.thin_fte FTE; partners hold it at thin_fte "
                  "or more and run the same product in-house; each thin organisation takes the nearest partner "
                  "in its nation and region (or near it), then the one with most FTE",
    "annual_saving": "none: the inventory records no staff costs (resilience, not cash)",
    "score": "no value part; alignment: how thin the members are (mean of 1 - fte/thin_fte); proximity of the "
             "members to the lead; target: the lead's depth, min(1, lead FTE / (2 x thin_fte))",
}


@dataclass(frozen=True, order=True)
class Need:
    """An organisation's need for a skill: the products and systems that need it, its FTE."""

    organisation: str
    skill: str
    fte: float
    products: tuple[str, ...]
    systems: tuple[str, ...]


def _in_house(view: EstateView) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(organisation, skill) → {(product, system)} for products run in-house that need it."""
    found: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for uses in view.usage.values():
        for u in uses:
            detail = view.resources.details[u.system]
            if u.product and not u.bespoke and u.host_system is None and detail.hosting in IN_HOUSE:
                for skill in view.resources.requires.get(u.product, ()):
                    found[(u.organisation, skill)].add((u.product, u.system))
    return found


def _fte(view: EstateView, organisation: str, skill: str) -> float:
    return view.resources.skills.get(organisation, {}).get(skill, 0.0)


def thin_needs(view: EstateView, model: SavingsModel) -> list[Need]:
    """Every thin need of the estate, sorted."""
    thin = model.sharing.skills.thin_fte
    return sorted(Need(o, s, _fte(view, o, s), tuple(sorted({p for p, _ in ps})), tuple(sorted({x for _, x in ps})))
                  for (o, s), ps in _in_house(view).items()
                  if view.organisations[o].has_inventory and _fte(view, o, s) < thin)


def skill_partners(view: EstateView, model: SavingsModel) -> list[tuple[str, str, str, str]]:
    """Every (organisation, skill, product, partner): a thin need and a partner for one product."""
    runs = _in_house(view)
    thin = model.sharing.skills.thin_fte
    rows = []
    for need in thin_needs(view, model):
        for (other, skill), products in runs.items():
            if skill == need.skill and other != need.organisation and _fte(view, other, skill) >= thin:
                rows += [(need.organisation, skill, p, other) for p in sorted({p for p, _ in products})
                         if p in need.products]
    return sorted(set(rows))


def _place(view: EstateView, organisation: str) -> tuple[str | None, str | None]:
    return view.organisations[organisation].nation, view.organisations[organisation].region


def match_needs(view: EstateView, model: SavingsModel) -> tuple[dict[tuple[str, str], str], list[Need]]:
    """Each thin need's chosen partner, (organisation, skill) → partner; and the unmatched needs."""
    options: dict[tuple[str, str], set[str]] = defaultdict(set)
    for org, skill, _, partner in skill_partners(view, model):
        options[(org, skill)].add(partner)
    chosen, unmatched = {}, []
    for need in thin_needs(view, model):
        found = options.get((need.organisation, need.skill))
        if not found:
            unmatched.append(need)
            continue
        near = near_organisations(view, need.organisation, model.grouping)
        here = [p for p in found if p in near or _place(view, p) == _place(view, need.organisation)]
        if not here:
            unmatched.append(need)
            continue
        chosen[(need.organisation, need.skill)] = min(here, key=lambda p: (
            -near.get(p, (0.0, ""))[0], -_fte(view, p, need.skill), p))
    return chosen, unmatched


def _suggestion(view: EstateView, skill: str, lead: str, needs: list[Need], model: SavingsModel) -> dict[str, Any]:
    p = model.sharing.skills
    near = near_organisations(view, lead, model.grouping)
    lead_fte = _fte(view, lead, skill)
    products = sorted({x for n in needs for x in n.products})
    spof: list[dict[str, Any]] = [{"organisation": o, "fte": f} for o, f in sorted([(n.organisation, n.fte) for n in needs]
                                                            + [(lead, lead_fte)]) if 0 < f <= p.single_person_fte]
    name = view.resources.skill_names.get(skill, skill)
    lines = [f"{name} ({skill}) is needed to run {', '.join(view.name('Product', x) for x in products)} in-house; "
             f"{label(view, lead)} holds {lead_fte:g} FTE and runs the same product: it could cover "
             f"{len(needs)} organisation{'s' if len(needs) > 1 else ''} that hold it thinly."]
    for n in needs:
        rel = near[n.organisation][1] if n.organisation in near else "not near the lead, same product"
        held = f"holds {n.fte:g} FTE" if n.fte else "does not hold it"
        lines.append(f"{label(view, n.organisation)} ({rel}) {held}, and runs "
                     f"{', '.join(view.name('Product', x) for x in n.products)} on {', '.join(n.systems)}.")
    if spof:
        lines.append("Single points of failure (one person or less): "
                     + ", ".join(f"{label(view, s['organisation'])} {s['fte']:g} FTE" for s in spof) + ".")
    lines.append(NO_MONEY_TEXT)
    need = sum(1 - n.fte / p.thin_fte for n in needs) / len(needs) if p.thin_fte else 0.0
    proximity = sum(near.get(n.organisation, (0.0, ""))[0] for n in needs) / len(needs)
    depth = min(1.0, lead_fte / (2 * p.thin_fte)) if p.thin_fte else 1.0
    return suggestion(
        sid=f"{KIND}:{skill}:{lead}", kind=KIND, organisations=[lead, *(n.organisation for n in needs)], lead=lead,
        currency=view.currencies[0] if view.currencies else "GBP", steps=[], already_there=[], saving=ZERO,
        cost=ZERO, npv=ZERO, score_and_parts=score(model, 0.0, need, proximity, depth), rationale=lines,
        claims=[f"{o}/skill:{skill}" for o in (lead, *(n.organisation for n in needs))], skill=skill,
        products=products, lead_fte=lead_fte,
        members=[{"organisation": n.organisation, "fte": n.fte, "products": list(n.products),
                  "systems": list(n.systems)} for n in needs],
        single_points_of_failure=spof)


def suggest_skills(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every skills suggestion of the estate, by id (``suggest`` ranks them)."""
    chosen, _ = match_needs(view, model)
    needs = {(n.organisation, n.skill): n for n in thin_needs(view, model)}
    groups: dict[tuple[str, str], list[Need]] = defaultdict(list)
    for (org, skill), partner in sorted(chosen.items()):
        groups[(skill, partner)].append(needs[(org, skill)])
    return [_suggestion(view, skill, lead, members, model) for (skill, lead), members in sorted(groups.items())]
