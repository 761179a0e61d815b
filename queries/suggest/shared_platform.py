"""Suggestion kind ``shared-platform``: organisations near each other move onto one
platform, run by a lead organisation already on the target product.

For every capability bundle and every product in use for it, :func:`queries.suggest.components.form_groups`
gives one group per lead option: the organisations linked to it through nearness, however
far along the chain (see :mod:`queries.suggest.components`); every lead option is a suggestion of
its own, and their claims overlap, so at most one of them can be followed. For each group this
module costs every member,
schedules the joiners in waves (:func:`queries.suggest.paths.schedule_waves`), values the parts
(:mod:`queries.suggest.savings`), scores the whole (:mod:`queries.suggest.ranking`) and explains it
(:mod:`queries.suggest.rationale`).

Money (in the group's currency, the lead's; members costed in another currency are left out):

* a member's *annual value* for the capabilities it is offered is its contracts' allocated
  annual value for them (:func:`queries.estate.iter_contract_covers`: a contract's value split
  equally over its systems, then their capabilities); for a system no valued contract covers,
  the system's ``annual_cost`` split over its capabilities; unknown when neither is recorded
  (then it counts as nothing, and the rationale says so);
* its *contract end* is the latest end of those contracts (``not_before`` of its step);
* parts: each joining step saves ``saving_rate × its annual value`` from its go-live and costs
  the migration (:func:`queries.suggest.savings.migration_cost`, spent at its prep start) plus any
  break cost (at its go-live); the lead saves ``saving_rate × its annual value`` from the first
  go-live; organisations already on the lead's system add nothing (their saving is had);
* a joiner whose own part has a negative central net present value (it would not repay its
  one-off cost within the horizon) is left out, named in the rationale, and the rest are
  rescheduled, until every joiner pays back, except a joiner that is the only link to the
  lead for members further along and is worth keeping with them
  (:func:`queries.suggest.components.drop_losers`: the rationale says so); members left with
  no link leave too; a group left without joiners is no suggestion;
* totals are the sums of the parts, each part rounded to whole units first.

Links and claims: every step and every ``already_there`` entry has ``via`` (the members near
it one step closer to the lead; ``[]`` when near the lead itself, and for the lead) and
``claims``, ``ORG/CAPABILITY`` for each capability it is offered; the suggestion's ``claims``
are their sorted union.

Id: ``shared-platform:CAP+CAP:PRODUCT:LEAD`` (capabilities sorted), stable for an estate.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView, Group, Member, capability_bundles
from ictgraph.queries.suggest.components import Nearness, drop_losers, form_groups, link_members
from ictgraph.queries.estate import ContractCover
from ictgraph.queries.suggest.paths import Joiner, Step, schedule_waves
from ictgraph.queries.suggest.rationale import money, rationale
from ictgraph.queries.suggest.ranking import score_parts
from ictgraph.queries.suggest.service import add_service
from ictgraph.queries.suggest.sharing import capability_claims, claims_of, iso
from ictgraph.queries.suggest.savings import (ZERO, Range, SavingsModel, annual_saving, discounted, migration_cost, part_npv, whole,
                             years_between)

__all__ = ["KIND", "METHOD", "MemberCost", "Part", "member_cost", "suggest_shared_platforms"]

KIND = "shared-platform"
METHOD = {
    "candidates": "per capability bundle (siblings, or top-level capabilities, that one product system "
                  "serves together) and product: every organisation on its own instance of the product (not "
                  "'eliminate') is a lead option with a suggestion of its own; its group is the connected "
                  "neighbourhood reached from it, one near step at a time (partnership 1.0, neighbour 0.8, same "
                  "county area 0.6, two hops in the region 0.5), through organisations with the capabilities that "
                  "could join (same nation with grouping.same_nation, same currency, not already sharing another "
                  "product); each step's via names the members linking it towards the lead",
    "joiners": "a joiner whose own central NPV is negative is left out (named in the rationale), unless it is "
               "the only link to the lead for members further along and is worth keeping with them; members "
               "left with no link are left out",
    "path": "wave schedule: joiners by (contract end, id); a wave takes every joiner ready within the "
            "window of its first; go_live = max(contract end + 1 day, wave start, as_of + lead time); with "
            "schedule.break_early a wave goes live together and later contracts pay the break cost",
    "annual_saving": "saving_rate x annual contract value of the lead and the joiners for the capabilities",
    "one_off_cost": "sum over joiners of migration_multiple x annual value x (1 + optimism_bias) "
                    "(x same_product_factor for join-hosted) + break costs",
    "npv": "savings from each go-live less one-off costs, discounted at discount_rate over horizon_years; "
           "low = low saving with high cost, high = high saving with low cost",
    "score": "weighted sum (score section) of: value n/(n+value_scale) of the central NPV n; expiry "
             "alignment, the mean over pairs of go-lives and the lead's renewal of max(0, 1 - months apart / W); "
             "proximity of the joiners less a dominance penalty when the lead has over half the population; "
             "the target score 0.4 population share + 0.3 fit + 0.2 lifecycle + 0.1 (1 - vendor concentration)",
}


@dataclass(frozen=True)
class MemberCost:
    """What a member pays today for the capabilities it is offered."""

    annual_value: float | None
    contract_end: dt.date | None
    covers: tuple[ContractCover, ...]


@dataclass(frozen=True)
class Part:
    """One organisation's share of a suggestion's money, rounded to whole units."""

    annual_saving: Range
    one_off_cost: Range
    npv: Range


def member_cost(view: EstateView, member: Member, currency: str) -> MemberCost:
    """The member's annual value, latest contract end and contracts for its capabilities."""
    value: float | None = None
    covers: list[ContractCover] = []
    for use in member.uses:
        found = [c for c in view.covers.get((use.system, use.capability), ()) if c.currency == currency]
        covers += found
        valued = [c.allocated_value for c in found if c.allocated_value is not None]
        system = view.systems[use.system]
        if valued:
            value = (value or 0.0) + sum(valued)
        elif system.annual_cost is not None and system.currency == currency:
            value = (value or 0.0) + system.annual_cost / len(system.capabilities)
    end = max((c.end for c in covers), default=None)
    return MemberCost(value, end, tuple(sorted(set(covers))))


def _joiner_part(member: Member, cost: MemberCost, step: Step, as_of: dt.date, model: SavingsModel) -> Part:
    value = cost.annual_value or 0.0
    saving = annual_saving(value, model).rounded()
    migration = migration_cost(value, model, same_product=member.role == "join-hosted").rounded()
    brk = Range(step.break_cost, step.break_cost, step.break_cost)
    npv = part_npv(saving, step.go_live, migration, step.prep_start, as_of, model)
    paid = discounted(step.break_cost, years_between(as_of, step.go_live), model.discount_rate)
    return Part(saving, migration.plus(brk), npv.plus(Range(-paid, -paid, -paid)).rounded())


def _lead_part(cost: MemberCost, first_go_live: dt.date, as_of: dt.date, model: SavingsModel) -> Part:
    saving = annual_saving(cost.annual_value or 0.0, model).rounded()
    return Part(saving, ZERO, part_npv(saving, first_go_live, ZERO, first_go_live, as_of, model).rounded())


def _total(parts: Sequence[Part]) -> Part:
    total = Part(ZERO, ZERO, ZERO)
    for p in parts:
        total = Part(total.annual_saving.plus(p.annual_saving), total.one_off_cost.plus(p.one_off_cost),
                     total.npv.plus(p.npv))
    return total


def _money(amount: Range) -> dict[str, int]:
    return {k: int(v) for k, v in amount.as_dict().items()}


def primary_system(member: Member) -> str:
    """The member's system serving most of its offered capabilities (ties by id)."""
    counts: dict[str, int] = {}
    for use in member.uses:
        counts[use.system] = counts.get(use.system, 0) + 1
    return min(counts, key=lambda s: (-counts[s], s))


def _product_of(member: Member, system: str) -> str | None:
    return next(u.product for u in member.uses if u.system == system)


def _step_dict(member: Member, cost: MemberCost, step: Step, part: Part) -> dict[str, Any]:
    system = primary_system(member)
    return {"organisation": step.organisation, "system": system, "action": member.role,
            "not_before": iso(step.not_before), "go_live": iso(step.go_live),
            "break_cost": step.break_cost, "wave": step.wave, "prep_start": iso(step.prep_start),
            "capabilities": list(member.capabilities), "current_product": _product_of(member, system),
            "contracts": sorted({c.contract for c in cost.covers}),
            "annual_value": None if cost.annual_value is None else whole(cost.annual_value),
            "annual_saving": _money(part.annual_saving), "one_off_cost": int(part.one_off_cost.central),
            "one_off_cost_range": _money(part.one_off_cost), "npv": _money(part.npv), "via": list(member.via),
            "claims": capability_claims(member.organisation, member.capabilities)}


def _there_dict(member: Member, cost: MemberCost, part: Part) -> dict[str, Any]:
    return {"organisation": member.organisation, "system": primary_system(member), "action": "already-there",
            "role": member.role, "capabilities": list(member.capabilities),
            "contracts": sorted({c.contract for c in cost.covers}),
            "annual_value": None if cost.annual_value is None else whole(cost.annual_value),
            "annual_saving": _money(part.annual_saving), "npv": _money(part.npv), "via": list(member.via),
            "claims": capability_claims(member.organisation, member.capabilities)}


def suggestion_id(group: Group) -> str:
    return f"{KIND}:{'+'.join(sorted(group.capabilities))}:{group.product}:{group.lead}"


@dataclass(frozen=True)
class CostedPath:
    """A group with its members' costs, its steps and every part's money."""

    group: Group
    costs: Mapping[str, MemberCost]
    steps: tuple[Step, ...]
    step_parts: tuple[Part, ...]
    there: tuple[Member, ...]
    there_parts: tuple[Part, ...]


class Memo:
    """Member costs and joiner parts already computed in one run: the lead options of a group
    share their members, so each (organisation, capabilities, currency) is costed once, and
    each joiner's part once per role and date."""

    def __init__(self, view: EstateView) -> None:
        self.view = view
        self.costs: dict[tuple[str, tuple[str, ...], str], MemberCost] = {}
        self.parts: dict[tuple[Any, ...], Part] = {}

    def cost(self, member: Member, currency: str) -> MemberCost:
        key = (member.organisation, member.capabilities, currency)
        if key not in self.costs:
            self.costs[key] = member_cost(self.view, member, currency)
        return self.costs[key]

    def part(self, member: Member, currency: str, step: Step, as_of: dt.date, model: SavingsModel) -> Part:
        cost = self.cost(member, currency)
        key = (member.organisation, member.capabilities, currency, member.role, step.go_live, step.prep_start,
               step.break_cost)
        if key not in self.parts:
            self.parts[key] = _joiner_part(member, cost, step, as_of, model)
        return self.parts[key]


def _cost_path(group: Group, costs: Mapping[str, MemberCost], as_of: dt.date, model: SavingsModel,
               memo: Memo) -> CostedPath:
    by_org = {m.organisation: m for m in group.members}
    steps = schedule_waves([Joiner(m.organisation, costs[m.organisation].contract_end,
                                   costs[m.organisation].annual_value or 0.0) for m in group.joining],
                           as_of=as_of, window_months=model.schedule.window_months,
                           lead_time_months=model.schedule.lead_time_months,
                           break_early=model.schedule.break_early, break_ratio=model.break_ratio)
    step_parts = [memo.part(by_org[s.organisation], group.currency, s, as_of, model) for s in steps]
    there = [m for m in group.members if m.role in ("lead", "hosted-by-lead")]
    there_parts = [_lead_part(costs[m.organisation], steps[0].go_live, as_of, model) if m.role == "lead"
                   else Part(ZERO, ZERO, ZERO) for m in there]
    return CostedPath(group, costs, tuple(steps), tuple(step_parts), tuple(there), tuple(there_parts))


def costed_path(view: EstateView, group: Group, as_of: dt.date, model: SavingsModel,
                memo: Memo | None = None) -> CostedPath | None:
    """The group's path with joiners whose own part would not pay back (central NPV < 0)
    left out, but for bridges (:func:`queries.suggest.components.drop_losers`), rescheduled
    until the members are stable; None when no joiner is left."""
    memo = memo or Memo(view)
    costs = {m.organisation: memo.cost(m, group.currency) for m in group.members}

    def why(org: str, value: float) -> str:
        return (f"would not repay its one-off cost within {model.horizon_years} years "
                f"(central net present value {money(value, group.currency)})")

    while group.joining:
        path = _cost_path(group, costs, as_of, model, memo)
        kept = drop_losers(view, group, {s.organisation: p.npv.central for s, p in zip(path.steps, path.step_parts)},
                           why)
        if len(kept.members) == len(group.members):
            return replace(path, group=link_members(view, kept))
        group = kept
    return None


def build_suggestion(view: EstateView, group: Group, as_of: dt.date, model: SavingsModel,
                     memo: Memo | None = None) -> dict[str, Any] | None:
    """The JSON-ready suggestion for one group; None when no joiner would pay back."""
    path = costed_path(view, group, as_of, model, memo)
    if path is None:
        return None
    group, costs = path.group, path.costs
    by_org: Mapping[str, Member] = {m.organisation: m for m in group.members}
    total = _total(path.step_parts + path.there_parts)
    renewal = schedule_waves([Joiner(group.lead, costs[group.lead].contract_end)], as_of=as_of,
                             lead_time_months=model.schedule.lead_time_months)[0].go_live
    steps = [_step_dict(by_org[s.organisation], costs[s.organisation], s, p)
             for s, p in zip(path.steps, path.step_parts)]
    there = [_there_dict(by_org[m.organisation], costs[m.organisation], p) for m, p in zip(path.there, path.there_parts)]
    parts, target = score_parts(view, group, path.steps, renewal, total.npv.central, model.score,
                                model.schedule.window_months)
    return add_service(view, {
        "id": suggestion_id(group), "kind": KIND, "capabilities": sorted(group.capabilities),
        "organisations": sorted(by_org), "target_product": group.product, "lead": group.lead,
        "currency": group.currency,
        "steps": steps, "already_there": there, "annual_saving": _money(total.annual_saving),
        "one_off_cost": int(total.one_off_cost.central), "one_off_cost_range": _money(total.one_off_cost), "npv": _money(total.npv),
        "score": parts.total(model.score), "score_parts": parts.as_dict(),
        "rationale": rationale(view, group, costs, list(path.steps), path.step_parts, total, target, as_of, model),
        "claims": claims_of(steps, there),
    })


def suggest_shared_platforms(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every shared-platform suggestion of the estate, by id (``suggest`` ranks them)."""
    suggestions = []
    for bundle in capability_bundles(view):
        near, memo = Nearness(view, model.grouping), Memo(view)
        for product in view.products_for(bundle):
            for group in form_groups(view, bundle, product, model.grouping, near):
                if (suggestion := build_suggestion(view, group, as_of, model, memo)) is not None:
                    suggestions.append(suggestion)
    return sorted(suggestions, key=lambda s: s["id"])
