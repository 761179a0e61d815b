"""``ictgraph explain ORG/SYSTEM``: why is this system not shared?

Public entry points: :func:`explain` ``(graph, system, *, as_of, model=None)`` → plain data,
and :func:`explain_text` ``(result)`` → readable plain text.

For one system the result says, all read through :mod:`queries.suggest.candidates` and
:mod:`queries.resources` (so the embedded and the ``--neo4j`` paths agree byte for byte)::

    {"as_of", "system": {"id", "name", "organisation", "organisation_name", "product", "bespoke",
     "hosting", "host_system", "datacentre", "lifecycle", "criticality", "capabilities",
     "integrations"}, "contracts": [{"contract", "supplier", "start", "end", "max_end",
     "annual_value", "currency"}], "same_capability": [{"capability", "organisations", "same_product"}],
     "same_product": [{"organisation", "system", "near", "nation"}], "contracts_ending_near":
     [{"organisation", "contract", "end", "months_apart"}], "already_shared": [text],
     "obstacles": [{"kind", "detail"}], "suggestions": [id]}

Obstacles (``kind``): ``recently-renewed`` (a contract for it started within
``RECENT_MONTHS`` of as-of), ``invest`` (lifecycle ``invest``: the organisation means to keep
it), ``bespoke`` (no product to share), ``integrations`` (``MANY_INTEGRATIONS`` or more),
``nation`` (others on its product are in another nation only), ``tier`` (organisations of
another type bordering it or in its region have none of its capabilities: another tier of
local government), ``no-partner`` (nobody else runs it).
"""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

import networkx as nx

from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.suggest.candidates import EstateView, read_estate
from ictgraph.queries.estate import ContractCover
from ictgraph.queries.suggest.paths import add_months
from ictgraph.queries.suggest.rationale import money
from ictgraph.queries.suggest.savings import SavingsModel, months_between
from ictgraph.queries.suggest.savings_file import load_savings_model
from ictgraph.queries.suggest.sharing import label, near_organisations

__all__ = ["MANY_INTEGRATIONS", "RECENT_MONTHS", "explain", "explain_in", "explain_text"]

RECENT_MONTHS = 12
MANY_INTEGRATIONS = 3


def _find(view: EstateView, system: str) -> str:
    if system in view.systems:
        return system
    close = difflib.get_close_matches(system, sorted(view.systems), n=3, cutoff=0.5)
    raise UsageError(f'no system "{system}" in the estate',
                     f"did you mean {', '.join(close)}?" if close else "give it as ORG/SYSTEM, e.g. E07000117/revs")


def _covers(view: EstateView, system: str) -> list[ContractCover]:
    return sorted({c for caps in view.systems[system].capabilities for c in view.covers.get((system, caps), ())})


def _system(view: EstateView, system: str) -> dict[str, Any]:
    s, d = view.systems[system], view.resources.details[system]
    uses = [u for c in s.capabilities for u in view.usage.get((s.organisation, c), ()) if u.system == system]
    return {"id": system, "name": s.name, "organisation": s.organisation,
            "organisation_name": view.name("Organisation", s.organisation),
            "product": uses[0].product if uses else None, "bespoke": d.bespoke, "hosting": d.hosting,
            "host_system": uses[0].host_system if uses else None, "datacentre": d.datacentre,
            "lifecycle": d.lifecycle, "criticality": d.criticality, "capabilities": list(s.capabilities),
            "integrations": list(d.integrations)}


def _contracts(covers: list[ContractCover]) -> list[dict[str, Any]]:
    seen: dict[str, ContractCover] = {c.contract: c for c in covers}
    return [{"contract": k, "supplier": c.supplier, "start": c.start.isoformat(), "end": c.end.isoformat(),
             "max_end": c.max_end.isoformat() if c.max_end else None, "annual_value": c.annual_value,
             "currency": c.currency}
            for k, c in sorted(seen.items())]


def _same_capability(view: EstateView, me: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for cap in me["capabilities"]:
        others = sorted({o for o, c in view.usage if c == cap and o != me["organisation"]})
        same = sorted({u.organisation for o in others for u in view.usage[(o, cap)]
                       if me["product"] and u.product == me["product"]})
        rows.append({"capability": cap, "organisations": others, "same_product": same})
    return rows


def _same_product(view: EstateView, me: dict[str, Any], model: SavingsModel) -> list[dict[str, Any]]:
    if not me["product"]:
        return []
    near = near_organisations(view, me["organisation"], model.grouping)
    found = sorted({(u.organisation, u.system) for uses in view.usage.values() for u in uses
                    if u.product == me["product"] and u.organisation != me["organisation"]})
    return [{"organisation": o, "system": s, "near": near[o][1] if o in near else None,
             "nation": view.organisations[o].nation} for o, s in found]


def _ending_near(view: EstateView, me: dict[str, Any], covers: list[ContractCover], as_of: dt.date,
                 months: int) -> list[dict[str, Any]]:
    ends = [c.end for c in covers if c.end > as_of]
    if not ends:
        return []
    mine, rows = max(ends), set()
    for cap in me["capabilities"]:
        for (system, c), found in view.covers.items():
            for k in found:
                if c == cap and k.organisation != me["organisation"] and k.end > as_of \
                        and add_months(mine, -months) <= k.end <= add_months(mine, months):
                    rows.add((k.organisation, k.contract, k.end))
    return [{"organisation": o, "contract": k, "end": e.isoformat(),
             "months_apart": round(months_between(min(e, mine), max(e, mine)), 1)} for o, k, e in sorted(rows)]


def _already(view: EstateView, me: dict[str, Any], covers: list[ContractCover]) -> list[str]:
    lines = []
    if me["host_system"]:
        lines.append(f"It runs on {me['host_system']}, hosted by {label(view, me['host_system'].split('/')[0])}.")
    if view.tenants.get(me["id"]):
        lines.append("It already hosts " + ", ".join(label(view, o) for o in view.tenants[me["id"]]) + ".")
    for c in covers:
        if c.holder != me["organisation"] or c.organisation != me["organisation"]:
            lines.append(f"Contract {c.contract} is held by {label(view, c.holder)} jointly.")
    wanted = set(me["capabilities"]) | {view.parents.get(c) for c in me["capabilities"]}
    for p in view.partnerships:
        if me["organisation"] in p.members and (not p.capabilities or wanted & set(p.capabilities)):
            lines.append(f"{label(view, me['organisation'])} is in {p.name} ({p.status}), which covers "
                         + (", ".join(view.name("Capability", c) for c in p.capabilities) or "everything") + ".")
    dc = view.resources.datacentres.get(me["datacentre"] or "")
    if dc and dc.organisation != me["organisation"]:
        lines.append(f"Its servers are in {dc.name} ({dc.id}), run by {label(view, dc.organisation)}.")
    return sorted(set(lines), key=lines.index)


def _obstacles(view: EstateView, me: dict[str, Any], covers: list[ContractCover], same: list[dict[str, Any]],
               as_of: dt.date) -> list[dict[str, str]]:
    found = [{"kind": "recently-renewed", "detail": f"contract {c.contract} started {c.start} and runs to {c.end}"}
             for c in {c.contract: c for c in covers}.values()
             if add_months(as_of, -RECENT_MONTHS) <= c.start and c.end > as_of]
    if me["lifecycle"] == "invest":
        found.append({"kind": "invest", "detail": "its lifecycle is 'invest': the organisation means to keep it"})
    if me["bespoke"]:
        found.append({"kind": "bespoke", "detail": "bespoke software: no product that another organisation runs"})
    if len(me["integrations"]) >= MANY_INTEGRATIONS:
        found.append({"kind": "integrations", "detail": f"{len(me['integrations'])} integrations: "
                                                        + ", ".join(me["integrations"])})
    nation = view.organisations[me["organisation"]].nation
    if same and nation and all(s["nation"] and s["nation"] != nation for s in same):
        found.append({"kind": "nation", "detail": "everyone else on its product is outside " + nation})
    if me["product"] and not same and not me["bespoke"]:
        found.append({"kind": "no-partner", "detail": "no other organisation in the estate runs its product"})
    found += _tier(view, me)
    return found


def _tier(view: EstateView, me: dict[str, Any]) -> list[dict[str, str]]:
    """Organisations of another type, bordering it or in its region, with none of its capabilities."""
    org = view.organisations[me["organisation"]]
    around = [o for o in view.organisations.values() if o.id != org.id and o.has_inventory and o.type != org.type
              and (o.id in org.neighbours or (org.region and (o.nation, o.region) == (org.nation, org.region)))
              and not any((o.id, c) in view.usage for c in me["capabilities"])]
    if not around:
        return []
    by_type: dict[str, list[str]] = {}
    for o in around:
        by_type.setdefault(o.type or "other", []).append(o.id)
    return [{"kind": "tier", "detail": "organisations of another tier nearby have none of its capabilities: "
             + "; ".join(f"{len(ids)} {kind} ({', '.join(ids)})" for kind, ids in sorted(by_type.items()))}]


def _suggestions(graph: nx.MultiDiGraph, system: str, as_of: dt.date, model: SavingsModel) -> list[str]:
    from ictgraph.queries.suggest import suggest  # late: suggest imports the kinds, which import sharing helpers
    found = []
    for s in suggest(graph, as_of=as_of, model=model)["suggestions"]:
        parts = s["steps"] + s["already_there"]
        if any(p.get("system") == system or system in p.get("systems", ()) for p in parts):
            found.append(s["id"])
    return found


def explain(graph: nx.MultiDiGraph, system: str, *, as_of: dt.date, model: SavingsModel | None = None,
            with_suggestions: bool = True) -> dict[str, Any]:
    """Who else could share ``system`` (``ORG/LOCAL``), what already does, and what stands in the way.

    ``with_suggestions=False`` leaves ``suggestions`` empty and saves running ``suggest``.

    Raises
    ------
    UsageError
        When the estate has no such system; the hint names the closest ids."""
    model = model or load_savings_model()
    result = explain_in(read_estate(graph), system, as_of=as_of, model=model)
    if with_suggestions:
        result["suggestions"] = _suggestions(graph, result["system"]["id"], as_of, model)
    return result


def explain_in(view: EstateView, system: str, *, as_of: dt.date, model: SavingsModel) -> dict[str, Any]:
    """:func:`explain` on an estate already read (``suggestions`` left empty)."""
    system = _find(view, system)
    me, covers = _system(view, system), _covers(view, system)
    same = _same_product(view, me, model)
    return {"as_of": as_of.isoformat(), "system": me, "contracts": _contracts(covers),
            "same_capability": _same_capability(view, me), "same_product": same,
            "contracts_ending_near": _ending_near(view, me, covers, as_of, model.schedule.window_months),
            "already_shared": _already(view, me, covers), "obstacles": _obstacles(view, me, covers, same, as_of),
            "suggestions": []}


def explain_text(result: dict[str, Any]) -> str:
    """The result as readable plain text, one section per question."""
    me = result["system"]
    head = (f"{me['id']}: {me['name']} ({me['organisation_name']}), "
            + ("bespoke" if me["bespoke"] else me["product"] or "no product") + f", {me['hosting']}"
            + (f" in {me['datacentre']}" if me["datacentre"] else "") + f", lifecycle {me['lifecycle'] or 'not recorded'}")
    lines = [head, f"Capabilities: {', '.join(me['capabilities'])}", ""]
    lines += ["Contracts:"] + [f"  {c['contract']} with {c['supplier']}, {c['start']} to {c['end']}"
                               + (f" (extendable to {c['max_end']})" if c["max_end"] else "")
                               + (f", {money(c['annual_value'], c['currency'])} a year" if c["annual_value"] is not None
                                  else "") for c in result["contracts"]] + (["  none recorded"] if not result["contracts"] else [])
    lines += ["", "Who else has the capability:"] + [
        f"  {r['capability']}: {len(r['organisations'])} other organisations, {len(r['same_product'])} on the same product"
        for r in result["same_capability"]]
    lines += ["", "Who runs the same product:"] + ([
        f"  {r['organisation']} {r['system']}" + (f" ({r['near']})" if r["near"] else "") for r in result["same_product"]]
        or ["  nobody else"])
    lines += ["", "Contracts for the capability ending within the window of its own:"] + ([
        f"  {r['organisation']} {r['contract']} ends {r['end']} ({r['months_apart']:g} months apart)"
        for r in result["contracts_ending_near"]] or ["  none"])
    lines += ["", "Already shared:"] + ([f"  {t}" for t in result["already_shared"]] or ["  nothing recorded"])
    lines += ["", "What stands in the way:"] + ([f"  {o['kind']}: {o['detail']}" for o in result["obstacles"]]
                                                 or ["  nothing recorded"])
    lines += ["", "Suggestions that include it:"] + ([f"  {s}" for s in result["suggestions"]] or ["  none"])
    return "\n".join(lines) + "\n"
