"""Suggestion kind ``joint-procurement``: each organisation's planned procurements matched,
across the whole UK estate and not only among neighbours, whatever the nation or region,
with other organisations' plans and expiring contracts for the same capabilities.

Matches (:func:`plan_matches`, the Cypher form ``plan_matches``)
    for a plan (its ``expected`` date E, a ``YYYY-MM`` plan the 1st of the month), every other
    organisation's plan for one of its capabilities expected within ``schedule.window_months``
    of E, and every contract for one of them (any organisation's, the planner's own included:
    the plan replaces it) ending after the as-of date and within ``window_months`` of E;
    members in the plan's currency, in any nation: ``grouping.same_nation`` holds for shared
    platforms only. UK-wide frameworks make buying together across a border lawful.
Suggestions
    one per plan (the *anchor*) with what matches it, for the anchor's capabilities, made
    when it joins two or more organisations; two plans matching each other give two
    suggestions, each with its own window, linked as alternatives. The lead is the
    organisation of the first plan by (not open to partners, expected, −population, id): an
    open plan is the one others can join. Each member joins when its own contract ends (the day after; not before as-of +
    lead time), or at its plan's expected date when it has no contract matched, through the
    wave schedule: no contract is broken.
Regimes (:func:`regimes`)
    when the members sit in more than one procurement regime (England and Northern Ireland:
    the Procurement Act 2023; Wales: the Act with the Procurement (Wales) Regulations 2024;
    Scotland: the Procurement Reform (Scotland) Act 2014 and the Public Contracts (Scotland)
    Regulations 2015), the rationale names them and the route: a UK-wide framework open to
    all of them, such as a Crown Commercial Service agreement whose customer list includes them.
Claims
    each step claims ``ORG/CAPABILITY`` for the capabilities of its matched plans and
    contracts (its ``capabilities``), so a joint procurement and a shared platform for the
    same organisation and capability conflict.
Money
    saving = ``joint_procurement.saving_rate`` × a member's matched contracts' allocated annual
    value for the capabilities (a plan's ``estimated_value`` is a one-off total and is never
    added to it); one-off cost = ``coordination_multiple`` × that value × (1 + optimism bias).
    ``combined_value`` gives both sums: ``contracts_annual`` and ``plans_estimated``.

Fields beyond the common ones::

    "window": {"start", "end"}, "plans": [{"plan", "organisation", "expected", "estimated_value",
    "open_to_partners", "capabilities"}], "contracts": [{"contract", "organisation", "end",
    "annual_value", "capabilities"}], "combined_value": {"contracts_annual", "plans_estimated"}

Id: ``joint-procurement:ANCHOR_PLAN``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.estate import ContractCover, Plan
from ictgraph.queries.suggest.paths import Joiner, add_months, schedule_waves
from ictgraph.queries.suggest.ranking import alignment
from ictgraph.queries.suggest.rationale import money
from ictgraph.queries.suggest.savings import Range, SavingsModel
from ictgraph.queries.suggest.sharing import capability_claims, label, money_lines, npv_of, score, step, suggestion, total

__all__ = ["KIND", "METHOD", "REGIMES", "plan_matches", "regimes", "suggest_joint_procurement"]

KIND = "joint-procurement"
METHOD = {
    "candidates": "every plan, across the whole UK estate whatever the nation or region, with other "
                  "organisations' plans and contracts for one of its capabilities dated within "
                  "schedule.window_months of its expected date (same currency); one suggestion per plan; the "
                  "rationale names the procurement regimes when the members sit under more than one",
    "path": "each member joins the day after its matched contract ends, or at its plan's date; never before "
            "as_of + lead time; no contract is broken",
    "annual_saving": "joint_procurement.saving_rate x each member's matched contracts' allocated annual value",
    "one_off_cost": "joint_procurement.coordination_multiple x that value x (1 + optimism_bias)",
    "score": "value of the central NPV; alignment of the members' dates; proximity: share of the plans open to "
             "partners; target: share of the members whose annual value is recorded",
}


# nation → (regime key, what applies); nations with one key share one regime.
REGIMES = {
    "England": ("pa2023", "Procurement Act 2023"),
    "Northern Ireland": ("pa2023", "Procurement Act 2023"),
    "Wales": ("pa2023-wales", "Procurement Act 2023 with the Procurement (Wales) Regulations 2024 and Welsh rules"),
    "Scotland": ("scotland", "Procurement Reform (Scotland) Act 2014 and Public Contracts (Scotland) Regulations 2015"),
}


def regimes(view: EstateView, organisations: Sequence[str]) -> str | None:
    """The rationale line when ``organisations`` sit under more than one procurement regime, else None.

    Examples
    --------
    The line for England and Wales reads "Members sit under different procurement regimes
    (England, Wales): use a UK-wide framework open to both, ...".
    """
    nations = sorted({n for o in organisations if (n := view.organisations[o].nation) in REGIMES})
    if len({REGIMES[n][0] for n in nations}) < 2:
        return None
    both = "both" if len(nations) == 2 else "all of them"
    return (f"Members sit under different procurement regimes ({', '.join(nations)}): use a UK-wide framework open "
            f"to {both}, such as a Crown Commercial Service agreement whose customer list includes them ("
            + "; ".join(f"{n}: {REGIMES[n][1]}" for n in nations) + ").")


def _within(day: dt.date, centre: dt.date, months: int) -> bool:
    return add_months(centre, -months) <= day <= add_months(centre, months)


def _plans(view: EstateView) -> dict[str, list[Plan]]:
    found: dict[str, list[Plan]] = defaultdict(list)
    for rows in view.plans.values():
        for p in rows:
            found[p.plan].append(p)
    return {k: sorted(v) for k, v in sorted(found.items())}


def _fits(plan: Plan, currency: str) -> bool:
    """Whether a plan or contract in ``currency`` can be bought with ``plan``: any nation, one currency."""
    return currency == plan.currency


def plan_matches(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[tuple[str, str, str, str]]:
    """Every (plan, capability, "plan" | "contract", matched id), sorted."""
    w, rows = model.schedule.window_months, []
    plans = _plans(view)
    for plan_id, caps in plans.items():
        for p in caps:
            for other_id, others in plans.items():
                rows += [(plan_id, p.capability, "plan", other_id) for q in others
                         if q.capability == p.capability and q.organisation != p.organisation
                         and _within(q.expected, p.expected, w) and _fits(p, q.currency)]
            rows += [(plan_id, p.capability, "contract", c.contract) for covers in view.covers.values() for c in covers
                     if c.capability == p.capability and c.end > as_of and _within(c.end, p.expected, w)
                     and _fits(p, c.currency)]
    return sorted(set(rows))


def _member_rows(view: EstateView, anchor: str, matches: list[tuple[str, str, str, str]],
                 plans: dict[str, list[Plan]]) -> tuple[list[Plan], list[ContractCover]]:
    """The anchor plan with the plans and contract covers matched to it, for its capabilities."""
    mine = [m for m in matches if m[0] == anchor]
    caps = {p.capability for p in plans[anchor]}
    others = {(m[3], m[1]) for m in mine if m[2] == "plan"}
    chosen = {(m[3], m[1]) for m in mine if m[2] == "contract"}
    covers = sorted(c for rows in view.covers.values() for c in rows if (c.contract, c.capability) in chosen)
    return sorted([*plans[anchor], *(p for pid, cap in others for p in plans[pid] if p.capability == cap)]), \
        [c for c in covers if c.capability in caps]


def _value(covers: list[ContractCover], organisation: str) -> float | None:
    values = [c.allocated_value for c in covers if c.organisation == organisation and c.allocated_value is not None]
    return float(sum(values)) if values else None


def _steps(view: EstateView, plans: list[Plan], covers: list[ContractCover], as_of: dt.date,
           model: SavingsModel) -> list[dict[str, Any]]:
    orgs = sorted({p.organisation for p in plans} | {c.organisation for c in covers})
    ends = {o: max((c.end for c in covers if c.organisation == o), default=None) for o in orgs}
    planned = {o: min((p.expected for p in plans if p.organisation == o), default=as_of) for o in orgs}
    waves = schedule_waves([Joiner(o, ends[o] or planned[o] - dt.timedelta(days=1), _value(covers, o) or 0.0)
                            for o in orgs], as_of=as_of, window_months=model.schedule.window_months,
                           lead_time_months=model.schedule.lead_time_months)
    p = model.sharing.joint_procurement
    caps = {o: sorted({q.capability for q in plans if q.organisation == o}
                      | {c.capability for c in covers if c.organisation == o}) for o in orgs}
    steps = []
    for s in waves:
        value = _value(covers, s.organisation) or 0.0
        saving = p.saving_rate.scaled(value).rounded()
        cost = p.coordination_multiple.scaled(value * (1 + model.optimism_bias)).rounded()
        steps.append(step(s.organisation, None, "join-procurement", not_before=ends[s.organisation] or planned[s.organisation],
                          go_live=s.go_live, prep_start=s.prep_start, wave=s.wave,
                          annual_value=_value(covers, s.organisation), saving=saving, cost=cost,
                          npv=npv_of(saving, s.go_live, cost, s.prep_start, as_of, model),
                          contracts=sorted({c.contract for c in covers if c.organisation == s.organisation}),
                          plans=sorted({q.plan for q in plans if q.organisation == s.organisation}),
                          capabilities=caps[s.organisation],
                          claims=capability_claims(s.organisation, caps[s.organisation])))
    return steps


def _range(d: dict[str, int]) -> Range:
    return Range(d["low"], d["central"], d["high"])


def _suggestion(view: EstateView, anchor: str, plans: list[Plan], covers: list[ContractCover],
                as_of: dt.date, model: SavingsModel) -> dict[str, Any]:
    lead_plan = min(plans, key=lambda p: (not p.open_to_partners, p.expected,
                                          -(view.organisations[p.organisation].population or 0), p.organisation))
    steps = _steps(view, plans, covers, as_of, model)
    saving, cost, npv = (total([_range(s[k]) for s in steps]) for k in ("annual_saving", "one_off_cost_range", "npv"))
    by_plan = {p.plan: [q for q in plans if q.plan == p.plan] for p in plans}
    dates = [p.expected for p in plans] + [c.end for c in covers]
    contracts = {c.contract: [x for x in covers if x.contract == c.contract] for c in covers}
    annual = sum(c.allocated_value or 0.0 for c in covers)
    estimated = sum(rows[0].estimated_value or 0.0 for rows in by_plan.values())
    currency = lead_plan.currency
    open_share = sum(1 for rows in by_plan.values() if rows[0].open_to_partners) / len(by_plan)
    valued = sum(1 for s in steps if s["annual_value"] is not None) / len(steps)
    return suggestion(
        sid=f"{KIND}:{anchor}", kind=KIND, capabilities=sorted({p.capability for p in plans}),
        organisations=[s["organisation"] for s in steps], lead=lead_plan.organisation, currency=currency,
        steps=steps, already_there=[], saving=saving, cost=cost, npv=npv,
        score_and_parts=score(model, npv.central, alignment(dates, model.schedule.window_months), open_share, valued),
        rationale=_rationale(view, lead_plan, by_plan, contracts, steps, (saving, cost, npv), currency, model,
                             (min(dates), max(dates))),
        window={"start": min(dates).isoformat(), "end": max(dates).isoformat()},
        plans=[{"plan": pid, "organisation": rows[0].organisation, "expected": rows[0].expected.isoformat(),
                "estimated_value": rows[0].estimated_value, "open_to_partners": rows[0].open_to_partners,
                "capabilities": sorted(r.capability for r in rows)} for pid, rows in sorted(by_plan.items())],
        contracts=[{"contract": cid, "organisation": rows[0].organisation, "end": rows[0].end.isoformat(),
                    "annual_value": round(sum(r.allocated_value or 0.0 for r in rows), 2),
                    "capabilities": sorted({r.capability for r in rows})} for cid, rows in sorted(contracts.items())],
        combined_value={"contracts_annual": round(annual, 2), "plans_estimated": round(estimated, 2)})


def _rationale(view: EstateView, lead: Plan, by_plan: dict[str, list[Plan]], contracts: dict[str, list[ContractCover]],
               steps: list[dict[str, Any]], money3: tuple[Range, Range, Range], currency: str, model: SavingsModel,
               window: tuple[dt.date, dt.date]) -> list[str]:
    caps = sorted({p.capability for rows in by_plan.values() for p in rows})
    lines = [f"{', '.join(view.name('Capability', c) for c in caps)}: {len(by_plan)} planned procurement"
             f"{'s' if len(by_plan) > 1 else ''} and {len(contracts)} contract{'s' if len(contracts) != 1 else ''} "
             f"ending between {window[0]} and {window[1]}: {len(steps)} organisations could buy once, together."]
    for pid, rows in sorted(by_plan.items()):
        p = rows[0]
        value = money(p.estimated_value, currency) if p.estimated_value is not None else "value not recorded"
        lines.append(f"{label(view, p.organisation)} plans {pid} for "
                     f"{', '.join(view.name('Capability', r.capability) for r in rows)}, expected {p.expected}, "
                     f"estimated {value}, " + ("open to partners" if p.open_to_partners else "not open to partners")
                     + (" (the lead)." if p.plan == lead.plan else "."))
    for cid, covers in sorted(contracts.items()):
        c = covers[0]
        lines.append(f"{label(view, c.organisation)}: contract {cid} with {view.name('Vendor', c.supplier)} ends "
                     f"{c.end} ({money(sum(r.allocated_value or 0.0 for r in covers), currency)} a year for these "
                     f"capabilities).")
    regime = regimes(view, [s["organisation"] for s in steps])
    lines += [regime] if regime else []
    jp = model.sharing.joint_procurement
    lines += money_lines(*money3, currency, model,
                         f"{jp.saving_rate.low:.0%} / {jp.saving_rate.central:.0%} / {jp.saving_rate.high:.0%} of the "
                         "members' matched contract value (plans' estimated values are one-off totals, not added)",
                         f"{jp.coordination_multiple.low:g} to {jp.coordination_multiple.high:g} times each member's "
                         "annual value")
    return lines


def suggest_joint_procurement(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every joint-procurement suggestion of the estate, by id (``suggest`` ranks them)."""
    matches, plans = plan_matches(view, as_of, model), _plans(view)
    result = []
    for anchor in plans:
        members, covers = _member_rows(view, anchor, matches, plans)
        if len({p.organisation for p in members} | {c.organisation for c in covers}) >= 2:
            result.append(_suggestion(view, anchor, members, covers, as_of, model))
    return sorted(result, key=lambda s: s["id"])
