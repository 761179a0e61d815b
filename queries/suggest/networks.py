"""Suggestion kind ``network``: organisations in one area buying the same kind of connection
(PSN, WAN) separately procure it once, together, timed by their network contracts.

Network contracts
    The inventory format links contracts to systems only, and a network has no dates. So
    ictgraph takes as a network's contracts those with the network's ``provider`` that its
    organisation holds or that cover one of its systems, ending after the as-of date; their latest end times the
    network and their annual value is its cost. To record one, describe the network service
    as a system (for instance ``bespoke: true``, capability ``ict-infrastructure``) covered by
    the contract with the provider. A network with no such contract is *undated*: it is named
    as able to join (``could_join``) but never scheduled or priced. A provider that also sells
    the organisation something else makes its contracts count too: the rationale names every
    contract so that this can be checked.
Areas
    Organisations with an inventory buying the kind, joined through neighbour borders
    within one nation and one region (the region as the inventories spell it).
Windows (:func:`network_entries`, the Cypher form ``joint_network_candidates``)
    In an area, dated networks sorted by (end, organisation); a window opens at the first end
    and takes every network ending within ``schedule.window_months`` of it; with two or more
    organisations it is a suggestion, otherwise the opening network is dropped and the next
    opens one.
Path and money
    every member joins the joint contract the day after its own ends (not before as-of +
    lead time: :func:`queries.suggest.paths.schedule_waves`), so no contract is broken;
    saving = ``network.saving_rate`` × its contracts' annual value from its go-live;
    one-off = ``network.procurement_multiple`` × that value × (1 + optimism bias) at its prep
    start. The lead (who runs the procurement) is the member with the largest population.

Suggestion fields beyond the common ones::

    "network_kind", "area": {"nation", "region"}, "window": {"start", "end"}, "providers",
    "could_join": [{"organisation", "network", "why"}]; steps: {"network", "provider", ...,
    "claims": ["ORG/network:KIND"]}: an organisation buys one joint contract of a kind at a time.

Id: ``network:KIND:LEAD:WINDOW_START``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.suggest.paths import Joiner, add_months, schedule_waves
from ictgraph.queries.suggest.ranking import alignment
from ictgraph.queries.suggest.rationale import money
from ictgraph.queries.resources import Network
from ictgraph.queries.suggest.savings import Range, SavingsModel
from ictgraph.queries.suggest.sharing import label, money_lines, near_organisations, npv_of, score, step, suggestion, total

__all__ = ["JOINT_KINDS", "KIND", "METHOD", "NetworkEntry", "areas", "network_entries", "suggest_networks"]

KIND = "network"
JOINT_KINDS = ("psn", "wan")
METHOD = {
    "candidates": "PSN and WAN connections bought separately by organisations of one area (neighbours "
                  "joined within one nation and region); a network's contracts are those its organisation "
                  "holds with the network's provider (the format links contracts to systems only)",
    "path": "networks ending within schedule.window_months of the first form one joint procurement; each "
            "organisation joins the day after its own contract ends (never earlier, so no break cost); "
            "networks with no recorded contract are listed as could_join, unscheduled and unpriced",
    "annual_saving": "network.saving_rate x each member's network contract value",
    "one_off_cost": "network.procurement_multiple x that value x (1 + optimism_bias)",
    "score": "value of the central NPV; alignment of the go-lives within the window; proximity of the members "
             "to the lead (0.4 when only the area joins them); target: share of the area's buyers in the window",
}


@dataclass(frozen=True, order=True)
class NetworkEntry:
    """A network of a joint kind with its contracts: ``end`` None when undated."""

    organisation: str
    network: str
    kind: str
    provider: str | None
    contracts: tuple[str, ...]
    end: dt.date | None
    annual_value: float | None
    currency: str | None


def _contracts(view: EstateView, net: Network, as_of: dt.date) -> NetworkEntry:
    supplied = view.covers_by_supplier.get(net.provider, ()) if net.provider is not None else ()
    found = {c.contract: c for c in supplied if c.end > as_of and net.organisation in (c.holder, c.organisation)}
    values = [c.annual_value for c in found.values() if c.annual_value is not None]
    return NetworkEntry(net.organisation, net.id, net.kind, net.provider, tuple(sorted(found)),
                        max((c.end for c in found.values()), default=None),
                        float(sum(values)) if values else None,
                        next((c.currency for c in sorted(found.values())), None))


def network_entries(view: EstateView, as_of: dt.date) -> list[NetworkEntry]:
    """Every network of a joint kind of an organisation with an inventory, with its contracts."""
    return sorted(_contracts(view, n, as_of) for n in view.resources.networks
                  if n.kind in JOINT_KINDS and view.organisations[n.organisation].has_inventory)


def areas(view: EstateView, organisations: Sequence[str]) -> list[tuple[str, ...]]:
    """``organisations`` joined by neighbour borders within one nation and region, each sorted."""
    todo, found = sorted(set(organisations)), []
    place = {o: (view.organisations[o].nation, view.organisations[o].region) for o in todo}
    while todo:
        area, queue = {todo[0]}, [todo[0]]
        while queue:
            for other in view.organisations[queue.pop()].neighbours:
                if other in place and other not in area and place[other] == place[todo[0]]:
                    area.add(other)
                    queue.append(other)
        found.append(tuple(sorted(area)))
        todo = [o for o in todo if o not in area]
    return found


def _windows(dated: list[NetworkEntry], months: int) -> list[list[NetworkEntry]]:
    ordered = sorted(dated, key=lambda e: (e.end, e.organisation))
    windows, first = [], 0
    while first < len(ordered):
        limit = add_months(ordered[first].end, months)  # type: ignore[arg-type]
        last = first
        while last < len(ordered) and ordered[last].end <= limit:  # type: ignore[operator]
            last += 1
        if len({e.organisation for e in ordered[first:last]}) >= 2:
            windows.append(ordered[first:last])
            first = last
        else:
            first += 1
    return windows


def _step(entry: NetworkEntry, go_live: dt.date, prep: dt.date, as_of: dt.date,
          model: SavingsModel) -> dict[str, Any]:
    value = entry.annual_value or 0.0
    saving = model.sharing.network.saving_rate.scaled(value).rounded()
    cost = model.sharing.network.procurement_multiple.scaled(value * (1 + model.optimism_bias)).rounded()
    return step(entry.organisation, entry.network, "join-joint-contract", not_before=entry.end or as_of,
                go_live=go_live, prep_start=prep, annual_value=entry.annual_value, saving=saving, cost=cost,
                npv=npv_of(saving, go_live, cost, prep, as_of, model), contracts=entry.contracts,
                network=entry.network, provider=entry.provider,
                claims=[f"{entry.organisation}/network:{entry.kind}"])


def _suggestion(view: EstateView, window: list[NetworkEntry], undated: list[NetworkEntry], as_of: dt.date,
                model: SavingsModel) -> dict[str, Any]:
    by_org = {e.organisation: e for e in reversed(window)}   # one network per organisation: its first to end
    window = sorted(by_org.values(), key=lambda e: (e.end, e.organisation))
    lead = min(by_org, key=lambda o: (-(view.organisations[o].population or 0), o))
    plan = schedule_waves([Joiner(e.organisation, e.end, e.annual_value or 0.0) for e in window], as_of=as_of,
                          window_months=model.schedule.window_months,
                          lead_time_months=model.schedule.lead_time_months)
    steps = [_step(by_org[s.organisation], s.go_live, s.prep_start, as_of, model) for s in plan]
    saving, cost, npv = (total([_range(s[k]) for s in steps]) for k in ("annual_saving", "one_off_cost_range", "npv"))
    near = near_organisations(view, lead, model.grouping)
    others = [o for o in by_org if o != lead]
    proximity = sum(near.get(o, (0.4, ""))[0] for o in others) / len(others)
    buyers = {e.organisation for e in window} | {e.organisation for e in undated}
    currency = next((e.currency for e in window if e.currency), "GBP") or "GBP"
    kind = window[0].kind
    return suggestion(
        sid=f"{KIND}:{kind}:{lead}:{window[0].end}", kind=KIND, organisations=list(by_org), lead=lead,
        currency=currency, steps=steps, already_there=[], saving=saving, cost=cost, npv=npv,
        score_and_parts=score(model, npv.central, alignment([s.go_live for s in plan], model.schedule.window_months),
                              proximity, len(by_org) / max(len(buyers), 1)),
        rationale=_rationale(view, window, lead, plan, undated, saving, cost, npv, currency, model, as_of, near),
        network_kind=kind, area={"nation": view.organisations[lead].nation, "region": view.organisations[lead].region},
        window={"start": window[0].end.isoformat(), "end": window[-1].end.isoformat()},  # type: ignore[union-attr]
        providers=sorted({e.provider for e in window if e.provider}),
        could_join=[{"organisation": e.organisation, "network": e.network,
                     "why": "no contract with its provider is recorded" if e.end is None else
                     f"its contract ends {e.end}, outside this window"} for e in undated])


def _range(d: dict[str, int]) -> Range:
    return Range(d["low"], d["central"], d["high"])


def _rationale(view: EstateView, window: list[NetworkEntry], lead: str, plan: Sequence[Any],
               undated: list[NetworkEntry], saving: Any, cost: Any, npv: Any, currency: str,
               model: SavingsModel, as_of: dt.date, near: dict[str, tuple[float, str]]) -> list[str]:
    kind = window[0].kind.upper()
    lines = [f"{len(window)} organisations in {view.organisations[lead].region or 'one area'} "
             f"({view.organisations[lead].nation}) buy a {kind} connection separately and their network contracts "
             f"end between {window[0].end} and {window[-1].end}, within {model.schedule.window_months} months: "
             f"one joint procurement, led by {label(view, lead)}, the largest."]
    go = {s.organisation: s.go_live for s in plan}
    for e in window:
        rel = "" if e.organisation == lead else f", {near[e.organisation][1]}" if e.organisation in near else \
            ", in the same area"
        value = money(e.annual_value, currency) + " a year" if e.annual_value is not None else "value not recorded"
        lines.append(f"{label(view, e.organisation)}{rel}: {e.network} from "
                     f"{view.name('Vendor', e.provider or '') if e.provider else 'an unrecorded provider'}; "
                     f"contract {', '.join(e.contracts)} ({value}) ends {e.end}; joins on {go[e.organisation]}.")
    lines += money_lines(saving, cost, npv, currency, model,
                         f"{model.sharing.network.saving_rate.low:.0%} / {model.sharing.network.saving_rate.central:.0%}"
                         f" / {model.sharing.network.saving_rate.high:.0%} of each member's network contract value",
                         f"{model.sharing.network.procurement_multiple.low:g} to "
                         f"{model.sharing.network.procurement_multiple.high:g} times each member's annual value")
    lines += [f"Could join: {label(view, e.organisation)} ({e.network}), "
              + ("no contract with its provider is recorded, so its timing is unknown." if e.end is None
                 else f"but its contract ends {e.end}, outside this window.") for e in undated]
    return lines


def suggest_networks(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every network suggestion of the estate, by id (``suggest`` ranks them)."""
    entries = network_entries(view, as_of)
    result = []
    for kind in JOINT_KINDS:
        mine = [e for e in entries if e.kind == kind]
        for area in areas(view, [e.organisation for e in mine]):
            here = [e for e in mine if e.organisation in area]
            for window in _windows([e for e in here if e.end is not None], model.schedule.window_months):
                others = [e for e in here if e not in window]
                result.append(_suggestion(view, window, others, as_of, model))
    return sorted(result, key=lambda s: s["id"])
