"""The rationale of a shared-platform suggestion: sentences a person can check against the
inventories (which products, which contracts and dates, which neighbours, which sums).

Pure: every line is built from the records and the computed path; names come from the
catalogue and the inventories, ids follow in brackets so the YAML can be found.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ictgraph.queries.suggest.candidates import EstateView, Group, Member
from ictgraph.queries.suggest.components import distances
from ictgraph.queries.suggest.paths import Step, add_months
from ictgraph.queries.suggest.savings import SavingsModel, months_between

if TYPE_CHECKING:
    from ictgraph.queries.suggest.shared_platform import MemberCost, Part

__all__ = ["money", "rationale"]

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money(amount: float, currency: str) -> str:
    """``£1,234`` (or ``CHF 1,234``): whole units with thousands separators."""
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount:,.0f}" if symbol else f"{sign}{currency} {amount:,.0f}"


def _org(view: EstateView, org: str) -> str:
    return f"{view.name('Organisation', org)} ({org})"


def _caps(view: EstateView, caps: Sequence[str]) -> str:
    return ", ".join(view.name("Capability", c) for c in caps)


def _summary(view: EstateView, group: Group, target: Mapping[str, float]) -> str:
    on = [m for m in group.members if m.role != "migrate"]
    others = Counter(name for m in group.members if m.role == "migrate"
                     for name in sorted({view.name("Product", u.product) if u.product else "bespoke software"
                                         for u in m.uses if u.product != group.product}))
    rest = ", ".join(f"{name} ({n})" for name, n in sorted(others.items()))
    return (f"{_caps(view, group.capabilities)}: {len(on)} of {len(group.members)} organisations in this group "
            f"run {view.name('Product', group.product)} ({target['population_share']:.0%} of the group's "
            f"population)" + (f"; the others run {rest}" if rest else "") + ".")


def _lead(view: EstateView, group: Group, cost: MemberCost, steps: Sequence[Step]) -> str:
    lead = group.members[0]
    use = lead.uses[0]
    pop = view.organisations[group.lead].population
    others = [o for o in group.options if o != group.lead and any(m.organisation == o for m in group.members)]
    text = (f"Lead: {_org(view, group.lead)}" + (f", population {pop:,}" if pop else "")
            + f", runs {view.name('Product', group.product)} on its own system {use.system} "
            f"(lifecycle {use.lifecycle or 'not recorded'})" + (
                f": one of {len(others) + 1} organisations in this group on their own instance of it, each the lead "
                f"of a suggestion of its own (the others: {', '.join(others)}); at most one of them can be followed."
                if others else ": the only organisation in this group on its own instance of it."))
    last = max(s.go_live for s in steps)
    if cost.contract_end is not None:
        text += f" Its contract {', '.join(sorted({c.contract for c in cost.covers}))} ends {cost.contract_end}"
        text += (f": renew or extend it past the last go-live ({last})." if cost.contract_end < last else ".")
    return text


def _contract_text(view: EstateView, cost: MemberCost, as_of: dt.date) -> str:
    if not cost.covers:
        return "no contract recorded for these capabilities"
    latest = [c for c in cost.covers if c.end == cost.contract_end][0]
    ids = ", ".join(sorted({c.contract for c in cost.covers}))
    suppliers = ", ".join(sorted({view.name("Vendor", c.supplier) for c in cost.covers}))
    text = f"contract {ids} with {suppliers} ends {cost.contract_end}"
    if latest.max_end and latest.max_end > latest.end:
        text += f" (extendable to {latest.max_end})"
    if cost.contract_end and cost.contract_end < as_of:
        text += f", before {as_of}: check whether it was extended"
    elif latest.notice_months and cost.contract_end:
        decide = add_months(cost.contract_end, -latest.notice_months)
        text += f", notice {latest.notice_months} months: " + (
            f"decide by {decide}" if decide >= as_of else f"the notice date {decide} has passed")
    return text


def _bridge(cost: MemberCost, step: Step) -> str:
    """What keeps the service running between a contract's end and a later go-live."""
    if cost.contract_end is None or step.break_cost or step.go_live <= cost.contract_end + dt.timedelta(days=1):
        return ""
    need = step.go_live - dt.timedelta(days=1)
    latest = [c for c in cost.covers if c.end == cost.contract_end][0]
    if latest.max_end is None:
        return f"; it must run on to {need} (no extension option recorded)"
    return f"; it must run on to {need}" + (" (within its extension options)" if latest.max_end >= need
                                              else f" (beyond its last extension date, {latest.max_end})")


def _step(view: EstateView, group: Group, member: Member, cost: MemberCost, step: Step, near: str,
          as_of: dt.date, currency: str) -> str:
    now = sorted({view.name("Product", u.product) if u.product else "bespoke software" for u in member.uses})
    systems = sorted({u.system for u in member.uses})
    lacks = [c for c in group.capabilities if c not in member.capabilities]
    offered = f" (offered {_caps(view, member.capabilities)} only: it has no {_caps(view, lacks)})" if lacks else ""
    text = (f"{_org(view, member.organisation)}, {near}: {' and '.join(now)} on {', '.join(systems)}{offered}; "
            f"{_contract_text(view, cost, as_of)}{_bridge(cost, step)}; {member.role} in wave {step.wave}, "
            f"go-live {step.go_live}")
    return text + (f" with a break cost of {money(step.break_cost, currency)}." if step.break_cost else ".")


def _waves(steps: Sequence[Step], window: int) -> list[str]:
    lines = []
    for wave in sorted({s.wave for s in steps}):
        members = [s for s in steps if s.wave == wave]
        first, last = members[0].go_live, members[-1].go_live
        span = months_between(first, last)
        lines.append(f"Wave {wave}: {', '.join(s.organisation for s in members)} "
                     + ("goes live " if len(members) == 1 else "go live ")
                     + (f"on {first}." if first == last else
                        f"from {first} to {last} ({span:.0f} months apart, within the {window}-month window)."))
    return lines


def _money_lines(view: EstateView, group: Group, costs: Mapping[str, MemberCost], total: Part,
                 model: SavingsModel) -> list[str]:
    c, r, m = group.currency, model.saving_rate, model.migration_multiple
    base = sum(costs[x.organisation].annual_value or 0.0 for x in group.members if x.role != "hosted-by-lead")
    s, k, n = total.annual_saving, total.one_off_cost, total.npv
    lines = [f"Saving {money(s.low, c)} to {money(s.high, c)} a year (central {money(s.central, c)}): "
             f"{r.low:.0%} / {r.central:.0%} / {r.high:.0%} of the {money(base, c)} a year the lead and the "
             f"joiners pay for these capabilities.",
             f"One-off cost {money(k.low, c)} to {money(k.high, c)} (central {money(k.central, c)}): "
             f"{m.low:g} to {m.high:g} times each joiner's annual value, times {1 + model.optimism_bias:g} for "
             f"optimism bias" + (f", times {model.same_product_factor:g} for a join onto the same product"
                                 if any(x.role == "join-hosted" for x in group.members) else "") + ".",
             f"Net present value over {model.horizon_years} years at {model.discount_rate:.1%}: "
             f"{money(n.low, c)} to {money(n.high, c)} (central {money(n.central, c)})."]
    if n.central < 0:
        lines.append("The central case does not repay the one-off cost within the horizon.")
    unknown = [x.organisation for x in group.members if costs[x.organisation].annual_value is None
               and x.role != "hosted-by-lead"]
    if unknown:
        lines.append(f"No contract value or system cost is recorded for {', '.join(unknown)}: "
                     "their saving and migration cost count as nothing.")
    return lines


def _target(view: EstateView, group: Group, target: Mapping[str, float]) -> str:
    vendor = view.vendors.get(group.product, "")
    return (f"Target {view.name('Product', group.product)}: score {target['score']:.2f} from population share "
            f"{target['population_share']:.2f}, fit {target['fit']:.2f} and lifecycle {target['lifecycle']:.2f} "
            f"(TIME dispositions of its instances here), and {view.name('Vendor', vendor)} holding "
            f"{target['vendor_concentration']:.0%} of the estate's organisations for these capabilities.")


def _plans(view: EstateView, group: Group) -> list[str]:
    plans = {p.plan: p for m in group.members for c in m.capabilities for p in view.plans.get((m.organisation, c), ())}
    lines = []
    for plan_id, p in sorted(plans.items()):
        caps = sorted({c for m in group.members for c in m.capabilities
                       for q in view.plans.get((m.organisation, c), ()) if q.plan == plan_id})
        lines.append(f"{_org(view, p.organisation)} plans a procurement ({plan_id}) for {_caps(view, caps)} "
                     f"expected {p.expected}" + (", open to partners." if p.open_to_partners else "."))
    return lines


def _bridges(view: EstateView, group: Group, steps: Sequence[Step], parts: Sequence[Part]) -> list[str]:
    """Why a joiner that does not pay back is kept: the members it alone links to the lead."""
    npv = {s.organisation: p.npv.central for s, p in zip(steps, parts)}
    present = {m.organisation for m in group.members}
    lines = []
    for org in group.bridges:
        cut = sorted(present - {org} - set(distances(group.links, group.lead, present - {org})))
        lines.append(f"{_org(view, org)} is kept although its own part would not repay its one-off cost (central "
                     f"net present value {money(npv[org], group.currency)}): it is the only link to the lead for "
                     f"{', '.join(_org(view, o) for o in cut)}, further along.")
    return lines


def rationale(view: EstateView, group: Group, costs: Mapping[str, MemberCost], steps: Sequence[Step],
              parts: Sequence[Part], total: Part, target: Mapping[str, float], as_of: dt.date,
              model: SavingsModel) -> list[str]:
    """The rationale lines of one suggestion, in reading order."""
    by_org = {m.organisation: m for m in group.members}
    lines = [_summary(view, group, target), _lead(view, group, costs[group.lead], steps)]
    lines += [f"{_org(view, m.organisation)} is already on {view.name('Organisation', group.lead)}'s system "
              f"({m.reason})." for m in group.members if m.role == "hosted-by-lead"]
    lines += [_step(view, group, by_org[s.organisation], costs[s.organisation], s, by_org[s.organisation].reason,
                    as_of, group.currency) for s in steps]
    lines += _bridges(view, group, steps, parts)
    lines += _waves(steps, model.schedule.window_months)
    lines += _money_lines(view, group, costs, total, model)
    lines.append(_target(view, group, target))
    lines += _plans(view, group)
    lines += [f"Left out: {_org(view, org)}, {why}." for org, why in group.excluded]
    return lines

