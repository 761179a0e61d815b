"""Suggestion kind ``policy``: organisations adopting the same standard share the work of it,
and organisations whose partners or neighbours adopt a standard they lack take it up with them.

Standards, not policy ids
    Policies are compared by their ``standard`` (``iso-27001``, ``cyber-essentials-plus``):
    a policy's own id is local to its organisation, so two ``infosec`` policies need not be
    the same thing. Policies without a standard take no part.
Adopters and gaps (:func:`policy_gaps`, the Cypher form ``policy_gaps``)
    an *adopter* of a standard has a policy naming it; an organisation with an inventory
    *lacks* it when it has none and an organisation near it (partnership that has not ended,
    neighbour, same county area; :func:`queries.suggest.sharing.near_organisations`) adopts it.
Suggestions
    one per (standard, area), the area being one nation and region as the inventories spell
    them: the area's adopters and the organisations there that lack it next to an adopter;
    made when there is a gap or at least two adopters. The lead is the adopter whose policy
    was reviewed most recently (then the largest population, then id): its policy is the one
    to reuse. No money: the format records no audit or certification costs.

Fields beyond the common ones::

    "standard", "area": {"nation", "region"}, "adopters": [{"organisation", "policy", "reviewed"}],
    "lacking": [{"organisation", "near_adopters"}]

Id: ``policy:STANDARD:NATION:REGION`` (spaces as hyphens). No steps. Claims (on the
suggestion): ``ORG/policy:STANDARD`` for every adopter and every organisation lacking it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.resources import Policy
from ictgraph.queries.suggest.savings import ZERO, SavingsModel
from ictgraph.queries.suggest.sharing import label, near_organisations, score, suggestion

__all__ = ["KIND", "METHOD", "adopters", "policy_gaps", "suggest_policies"]

KIND = "policy"
CURRENT_MONTHS = 24
METHOD = {
    "candidates": "per standard (policies compared by their standard, not their local ids) and area (nation and "
                  "region): the adopters, and organisations lacking it whose partner or neighbour adopts it",
    "annual_saving": "none: the inventory records no audit or certification costs",
    "score": "no value part; alignment: share of the adopters' policies reviewed within 24 months; proximity of "
             "each lacking organisation to its nearest adopter (1 when none lacks it); target: the adopters' share "
             "of the area's organisations with this suggestion",
}


def adopters(view: EstateView) -> dict[str, dict[str, Policy]]:
    """standard → organisation → its policy naming the standard (the latest reviewed when several)."""
    found: dict[str, dict[str, Policy]] = defaultdict(dict)
    for p in sorted(view.resources.policies, key=lambda p: (p.reviewed or dt.date.min, p.id)):
        if p.standard:
            found[p.standard][p.organisation] = p
    return {s: dict(sorted(by.items())) for s, by in sorted(found.items())}


def policy_gaps(view: EstateView, model: SavingsModel) -> list[tuple[str, str, str]]:
    """Every (organisation lacking a standard, standard, near adopter), sorted."""
    rows = []
    for standard, by_org in adopters(view).items():
        for org in sorted(o for o, x in view.organisations.items() if x.has_inventory and o not in by_org):
            near = near_organisations(view, org, model.grouping)
            rows += [(org, standard, a) for a in by_org if a in near]
    return sorted(rows)


def _area(view: EstateView, organisation: str) -> tuple[str, str]:
    org = view.organisations[organisation]
    return org.nation or "", org.region or ""


def _lead(view: EstateView, policies: dict[str, Policy]) -> str:
    return min(policies, key=lambda o: (-(policies[o].reviewed or dt.date.min).toordinal(),
                                         -(view.organisations[o].population or 0), o))


def _suggestion(view: EstateView, standard: str, area: tuple[str, str], adopted: dict[str, Policy],
                lacking: dict[str, list[str]], as_of: dt.date, model: SavingsModel) -> dict[str, Any]:
    lead = _lead(view, adopted)
    recent = dt.date.fromordinal(max(1, as_of.toordinal() - round(CURRENT_MONTHS * 365.25 / 12)))
    current = sum(1 for p in adopted.values() if p.reviewed and p.reviewed >= recent) / len(adopted)
    nearest = [max(near_organisations(view, o, model.grouping)[a][0] for a in near) for o, near in lacking.items()]
    everyone = [o for o, x in view.organisations.items() if x.has_inventory and _area(view, o) == area]
    lines = [f"{len(adopted)} organisation{'s' if len(adopted) > 1 else ''} in {area[1] or 'this area'} "
             f"({area[0]}) adopt {standard}: "
             + ", ".join(f"{label(view, o)} ({p.name}, reviewed {p.reviewed or 'not recorded'})"
                         for o, p in adopted.items()) + "."]
    lines.append(f"Lead: {label(view, lead)}, the most recently reviewed policy: share it, and the audit and "
                 f"certification work, with the others.")
    for org, near in lacking.items():
        lines.append(f"{label(view, org)} has no {standard} policy, but "
                     + ", ".join(f"{view.name('Organisation', a)} ({near_organisations(view, org, model.grouping)[a][1]})"
                                 for a in near) + " adopt" + ("s" if len(near) == 1 else "") + " it.")
    lines.append("No money is estimated: the inventory format records no audit or certification costs.")
    return suggestion(
        sid=f"{KIND}:{standard}:{area[0]}:{area[1]}".replace(" ", "-"), kind=KIND,
        organisations=[*adopted, *lacking], lead=lead, currency=view.currencies[0] if view.currencies else "GBP",
        steps=[], already_there=[], saving=ZERO, cost=ZERO, npv=ZERO,
        score_and_parts=score(model, 0.0, current, sum(nearest) / len(nearest) if nearest else 1.0,
                              len(adopted) / max(1, len(everyone))),
        rationale=lines, claims=[f"{o}/policy:{standard}" for o in (*adopted, *lacking)], standard=standard,
        area={"nation": area[0] or None, "region": area[1] or None},
        adopters=[{"organisation": o, "policy": p.id, "reviewed": p.reviewed.isoformat() if p.reviewed else None}
                  for o, p in adopted.items()],
        lacking=[{"organisation": o, "near_adopters": near} for o, near in lacking.items()])


def suggest_policies(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every policy suggestion of the estate, by id (``suggest`` ranks them)."""
    gaps: dict[tuple[str, str], list[str]] = defaultdict(list)
    for org, standard, adopter in policy_gaps(view, model):
        gaps[(standard, org)].append(adopter)
    result = []
    for standard, by_org in adopters(view).items():
        for area in sorted({_area(view, o) for o in by_org}):
            adopted = {o: p for o, p in by_org.items() if _area(view, o) == area}
            lacking = {o: near for (s, o), near in sorted(gaps.items()) if s == standard and _area(view, o) == area}
            if lacking or len(adopted) >= 2:
                result.append(_suggestion(view, standard, area, adopted, lacking, as_of, model))
    return sorted(result, key=lambda s: s["id"])
