"""Suggestion kind ``management``: small organisations with a fractional or missing head of
ICT, next to each other, as candidates for one shared ICT management team.

Candidates (:func:`management_candidates`, the Cypher form ``shared_management_candidates``)
    organisations with an inventory and a recorded population of at most
    ``management.small_population`` whose ``head-of-ict`` role is under one FTE (0 when the
    inventory records none: the role is missing).
Groups
    candidates joined by neighbour borders within one nation form one group, led by the
    member with the most head-of-ICT FTE, then the largest population, then id. A candidate
    with no candidate neighbour is offered to the nearest organisation (partner, neighbour)
    with a full-time head (by proximity, then population, then id), which leads; with none,
    it is left out.
    No money: the format records no staff costs; the case is resilience and a full-time post.

Fields beyond the common ones::

    "combined_head_fte", "members": [{"organisation", "head_of_ict_fte", "population", "roles"}]

Id: ``management:LEAD``. No steps: a shared team has no contract path. Claims (on the
suggestion): ``ORG/management`` for every member.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.suggest.savings import ZERO, SavingsModel
from ictgraph.queries.suggest.sharing import NO_MONEY_TEXT, label, near_organisations, score, suggestion

__all__ = ["KIND", "METHOD", "head_fte", "management_candidates", "management_groups", "suggest_management"]

KIND = "management"
HEAD = "head-of-ict"
METHOD = {
    "candidates": "organisations of at most management.small_population people whose head of ICT is under one "
                  "FTE or missing; neighbouring candidates (one nation) form a group; a lone candidate is offered "
                  "to its nearest neighbour with a full-time head",
    "annual_saving": "none: the inventory records no staff costs (resilience, and one full-time post)",
    "score": "no value part; alignment: the members' need, mean of 1 - head FTE; proximity of the members to the "
             "lead; target: min(1, the group's combined head-of-ICT FTE)",
}


def head_fte(view: EstateView, organisation: str) -> float:
    """The organisation's head-of-ICT FTE (0 when none is recorded)."""
    return view.resources.roles.get(organisation, {}).get(HEAD, 0.0)


def management_candidates(view: EstateView, model: SavingsModel) -> list[str]:
    """The small organisations with a fractional or missing head of ICT, sorted."""
    small = model.sharing.management.small_population
    return sorted(o.id for o in view.organisations.values() if o.has_inventory and o.population is not None
                  and o.population <= small and head_fte(view, o.id) < 1.0)


def _lead(view: EstateView, members: tuple[str, ...]) -> str:
    return min(members, key=lambda o: (-head_fte(view, o), -(view.organisations[o].population or 0), o))


def management_groups(view: EstateView, model: SavingsModel) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    """Each group as (lead, members sorted), by lead; and the candidates left out."""
    candidates = management_candidates(view, model)
    nations = {o: view.organisations[o].nation for o in candidates}
    groups, left = [], []
    for area in _by_nation(view, candidates, nations):
        if len(area) > 1:
            groups.append((_lead(view, area), area))
            continue
        near = near_organisations(view, area[0], model.grouping)
        full = [o for o in near if view.organisations[o].has_inventory and head_fte(view, o) >= 1.0]
        if not full:
            left.append(area[0])
            continue
        host = min(full, key=lambda o: (-near[o][0], -(view.organisations[o].population or 0), o))
        groups.append((host, tuple(sorted((host, area[0])))))
    return sorted(groups), left


def _by_nation(view: EstateView, candidates: list[str], nations: dict[str, str | None]) -> list[tuple[str, ...]]:
    """Candidates joined by borders within one nation (regions may differ)."""
    found = []
    for nation in sorted({str(n) for n in nations.values()}):
        mine = [o for o in candidates if str(nations[o]) == nation]
        found += _components(view, mine)
    return sorted(found)


def _components(view: EstateView, organisations: list[str]) -> list[tuple[str, ...]]:
    todo, found = sorted(organisations), []
    while todo:
        seen, queue = {todo[0]}, [todo[0]]
        while queue:
            for other in view.organisations[queue.pop()].neighbours:
                if other in todo and other not in seen:
                    seen.add(other)
                    queue.append(other)
        found.append(tuple(sorted(seen)))
        todo = [o for o in todo if o not in seen]
    return found


def _suggestion(view: EstateView, lead: str, members: tuple[str, ...], model: SavingsModel) -> dict[str, Any]:
    near = near_organisations(view, lead, model.grouping)
    heads = {o: head_fte(view, o) for o in members}
    combined = round(sum(heads.values()), 2)
    if heads[lead] >= 1.0:
        lines = [f"{label(view, lead)} has a full-time head of ICT and borders "
                 + ", ".join(label(view, o) for o in members if o != lead)
                 + ", which has none full-time and no neighbour in the same position: one management team "
                   "led from it would give both a full-time head and cover for absence."]
    else:
        lines = [f"{len(members)} neighbouring organisations share {combined:g} FTE of head-of-ICT time between "
                 f"them; one shared ICT management team, led from {label(view, lead)}, would give each a full-time "
                 f"head and cover for absence."]
    for o in members:
        org = view.organisations[o]
        rel = "" if o == lead else f", {near[o][1]}" if o in near else ", borders another member"
        head = f"head of ICT {heads[o]:g} FTE" if heads[o] else "no head of ICT recorded"
        pop = f"population {org.population:,}" if org.population else "population not recorded"
        lines.append(f"{label(view, o)}{rel}: {org.type or 'organisation'}, {pop}, {head}.")
    lines.append(NO_MONEY_TEXT)
    others = [o for o in members if o != lead]
    return suggestion(
        sid=f"{KIND}:{lead}", kind=KIND, organisations=members, lead=lead,
        currency=view.currencies[0] if view.currencies else "GBP", steps=[], already_there=[], saving=ZERO,
        cost=ZERO, npv=ZERO,
        score_and_parts=score(model, 0.0, sum(1 - min(1.0, h) for h in heads.values()) / len(heads),
                              sum(near.get(o, (0.0, ""))[0] for o in others) / len(others), min(1.0, combined)),
        rationale=lines, claims=[f"{o}/management" for o in members], combined_head_fte=combined,
        members=[{"organisation": o, "head_of_ict_fte": heads[o], "population": view.organisations[o].population,
                  "roles": dict(view.resources.roles.get(o, {}))} for o in members])


def suggest_management(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every management suggestion of the estate, by id (``suggest`` ranks them)."""
    groups, _ = management_groups(view, model)
    return sorted((_suggestion(view, lead, members, model) for lead, members in groups), key=lambda s: s["id"])
