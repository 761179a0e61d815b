"""Whether one step of a programme has happened in a later estate, with the evidence.

:func:`step_status` ``(new, move, step, as_of)`` → ``(status, evidence, state)``: the status of
``step`` (``done``, ``due``, ``not yet due``, ``overtaken``), a sentence naming what was found
and the member's figures in the later estate (:func:`queries.plan.baseline.member_state`).

Rules (``docs/programme.md``, "Tracking"):

shared platform
    ``done`` when every system of the member serving the step's capabilities runs the target
    product and is the lead's or hosted by it; ``overtaken`` when, instead, one runs a product
    that is neither the target nor the one it ran, is hosted by an organisation that is neither
    the lead nor its old host, or the member records no system for them any more.
data centre
    ``done`` when the site is gone or empty (a closure) or uses no more than its racks less the
    racks moved (a shrink); ``overtaken`` when it was, but none of the moved systems went to the
    host's site and some went somewhere else (another site, the cloud).
joint procurement, network
    ``done`` when a contract now paying for the member's scope has as parties (holder, listed
    parties, or organisations whose covered systems it pays for) the member and another
    organisation of the move; ``overtaken`` when its contracts there are all new and none is joint.
otherwise
    ``due`` when the go-live is on or before the as-of date, else ``not yet due``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ictgraph.queries.estate import sources, targets
from ictgraph.queries.plan.baseline import Estate, member_state

__all__ = ["DONE", "DUE", "NOT_YET_DUE", "OVERTAKEN", "PARTLY_DONE", "step_status"]

DONE, PARTLY_DONE, DUE, NOT_YET_DUE, OVERTAKEN = "done", "partly done", "due", "not yet due", "overtaken"

Step = Mapping[str, Any]
Found = tuple[str | None, str]


def _listed(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def _platform(new: Estate, move: Step, step: Step, state: Mapping[str, Any]) -> Found:
    target, lead, org = move.get("target_product"), move.get("lead"), step["organisation"]
    uses = [u for u in new.usage.get(org, []) if u.capability in set(step["baseline"]["scope"])]
    if not uses:
        return "overtaken", f"{org} records no system for {_listed(step['baseline']['scope'])} any more"
    where = "; ".join(sorted({f"{u.system} on {u.product or 'no product'}"
                              + (f" hosted by {u.host_system}" if u.host_system else " (own instance)") for u in uses}))
    if all(u.product == target and (u.host_organisation == lead or org == lead) for u in uses):
        return "done", f"{org} now runs {where}"
    before = set(step["baseline"]["products"]) | {step.get("current_product"), target}
    hosts = set(step["baseline"]["hosts"]) | {lead, None, org}
    if any(u.product not in before or u.host_organisation not in hosts for u in uses):
        return "overtaken", f"{org} runs {where} instead of {target} hosted by {lead}"
    return None, f"{org} still runs {where}"


def _datacentre_of(new: Estate, system: str) -> str:
    node = ("System", system)
    if node not in new.graph:
        return "gone"
    site = next(iter(targets(new.graph, node, "HOSTED_IN")), None)
    return site[1] if site else str(new.graph.nodes[node].get("hosting") or "no data centre")


def _site(new: Estate, move: Step, step: Step, state: Mapping[str, Any]) -> Found:
    site, before = step["baseline"]["scope"][0], step["baseline"]["racks_used"] or 0
    used = state["racks_used"] or 0
    closing = step["action"] == "close-site"
    achieved = used == 0 if closing else used <= before - int(step.get("racks") or 0)
    found = {s: _datacentre_of(new, s) for s in step.get("systems") or []}
    text = f"{site} uses {used} of its racks (was {before}); moved systems: " + _listed(
        [f"{s} in {where}" for s, where in sorted(found.items())])
    if not achieved:
        return None, text
    host = move.get("datacentre")
    elsewhere = [s for s, where in found.items() if where not in (site, host, "gone")]
    if elsewhere and host not in found.values():
        return "overtaken", text
    return "done", text


def _parties(new: Estate, contract: str) -> set[str]:
    node = ("Contract", contract)
    graph = new.graph
    found = {graph.nodes[node].get("organisation"), *(o[1] for o in sources(graph, node, "PARTY_TO"))}
    found |= {graph.nodes[s].get("organisation") for s in targets(graph, node, "COVERS", "System")}
    return {o for o in found if o}


def _contract(new: Estate, move: Step, step: Step, state: Mapping[str, Any]) -> Found:
    org, others = step["organisation"], set(move["organisations"]) - {step["organisation"]}
    now = state["contracts"]
    joint = [c for c in now if org in (p := _parties(new, c)) and p & others]
    if joint:
        return "done", f"{org} is a party to joint contract {_listed(joint)} with " + _listed(
            sorted(set.union(*(_parties(new, c) for c in joint)) - {org}))
    if now and not set(now) & set(step["baseline"]["contracts"]):
        return "overtaken", f"{org} re-procured alone: {_listed(now)} (was {_listed(step['baseline']['contracts'])})"
    return None, f"{org} still pays through {_listed(now)}"


CHECKS = {"shared-platform": _platform, "datacentre": _site, "joint-procurement": _contract, "network": _contract}


def step_status(new: Estate, move: Step, step: Step, as_of: dt.date) -> tuple[str, str, dict[str, Any]]:
    """``step``'s status in the estate ``new`` on ``as_of``, the evidence, and the member's figures."""
    baseline = step["baseline"]
    state = member_state(new, move["kind"], step["organisation"], baseline["scope"], baseline["uses"])
    check = CHECKS.get(move["kind"])
    status, evidence = check(new, move, step, state) if check else (None, f"no rule tracks a {move['kind']} move")
    if status is None:
        go_live = dt.date.fromisoformat(step["go_live"]) if step.get("go_live") else None
        status = DUE if go_live is not None and go_live <= as_of else NOT_YET_DUE
    return status, evidence, state
