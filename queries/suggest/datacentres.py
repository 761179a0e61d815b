"""Suggestion kind ``datacentre``: an organisation closes its data centre, or shrinks it, by
moving its on-premise systems into a near organisation's data centre with spare racks; money
decides, not the size of the site.

Sites (:func:`sites`)
    Every data centre is a *site* that could close or shrink when its operator has an
    inventory and it records ``racks``, ``racks_used`` (> 0) and ``annual_cost`` and hosts
    systems of its operator only. A *host* is a data centre whose operator has an inventory
    and that records both rack figures with a spare rack. A data centre can be both; within
    one suggestion it is only ever one of them.
Pairs (:func:`site_pairs`, the Cypher form ``datacentre_spare_capacity``)
    a site and a host of another organisation near the site's operator
    (:func:`queries.suggest.sharing.near_organisations`), in the same currency.
Packing (:func:`pack_host`)
    For each host, the sites paired with it, by (−central NPV of closing, id), close into it
    while their racks fit its spare racks; then the others, in the same order, shrink into
    what is left: their systems in id order, as many as fit, each counted as
    ``racks_used / systems`` racks (rounded up). A move is kept only when its own central NPV
    is positive. Capacity is hard: ``racks_used`` plus the racks moving in never exceeds
    ``racks``. Each host packs on its own, so a site may move in several suggestions, one
    per host; their claims (the site's id) overlap, so at most one of them can be followed.
Money (in the site's currency; :mod:`queries.suggest.sharing_params`)
    saving = ``closure_saving`` × the site's annual cost (a closure), or ``shrink_saving`` ×
    its cost × moved racks / used racks (a shrink), less ``host_marginal_cost`` × the host's
    annual cost per used rack × moved racks (the mover's when the host's cost is unknown);
    low pairs the low saving with the high host cost. One-off cost = ``move_multiple`` × the
    moved racks' annual cost × (1 + optimism bias). No data-centre contract is recorded in
    the format and moving servers does not end the systems' software contracts, so every
    move can go live at ``as_of + schedule.lead_time_months`` without a break cost.

One suggestion per host data centre with at least one move::

    {..common fields.., "datacentre": HOST_DC, "racks": {"total", "used", "moving_in", "after"},
     "steps": [{..step fields.., "action": "close-site" | "shrink-site", "system": SITE,
                "datacentre": SITE, "systems": [SYSTEM, ...], "racks": N, "claims": [SITE]}],
     "claims": [HOST_DC, SITE, ...], "left_out": [{"datacentre", "why"}]}

Id: ``datacentre:HOST_DC``. ``left_out`` names the sites paired with this host that found no
room or would not pay back.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
import statistics
from dataclasses import dataclass
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.suggest.paths import add_months
from ictgraph.queries.suggest.rationale import money
from ictgraph.queries.resources import DataCentre
from ictgraph.queries.suggest.savings import Range, SavingsModel
from ictgraph.queries.suggest.sharing import label, money_lines, near_organisations, npv_of, score, step, suggestion, total

__all__ = ["KIND", "METHOD", "Move", "Pair", "pack_host", "site_pairs", "sites", "suggest_datacentres"]

KIND = "datacentre"
METHOD = {
    "candidates": "every data centre that records racks, racks used (> 0) and annual cost and hosts only its "
                  "operator's systems could close or shrink into a data centre with spare racks of an organisation "
                  "near its operator (partnership 1.0, neighbour 0.8, same county area 0.6), same currency; no "
                  "size or cost threshold: a move is kept when its own central NPV is positive",
    "path": "per host: sites by central NPV of closing close while their racks fit, the rest shrink into what is "
            "left (systems in id order, as many as fit); racks_used + moves <= racks; go-live at as_of + lead time "
            "(no data-centre contract is recorded; software contracts continue)",
    "annual_saving": "closure_saving x site cost (or shrink_saving x moved share) less host_marginal_cost x "
                     "host cost per used rack x racks moved",
    "one_off_cost": "move_multiple x moved racks' annual cost x (1 + optimism_bias)",
    "score": "value of the central NPV; alignment 1 (nothing to wait for); proximity of the movers; "
             "target: the host's share of racks still free after the moves",
}


@dataclass(frozen=True)
class Site:
    """A data centre that could close or shrink, with its cost per used rack and that cost over
    the estate's median (None when no median is known)."""

    dc: DataCentre
    per_rack: float
    ratio: float | None = None


@dataclass(frozen=True, order=True)
class Pair:
    site: str
    host: str
    proximity: float
    reason: str


@dataclass(frozen=True)
class Move:
    site: Site
    host: DataCentre
    systems: tuple[str, ...]
    racks: int
    action: str
    pair: Pair


def _per_rack(dc: DataCentre) -> float | None:
    return dc.annual_cost / dc.racks_used if dc.annual_cost is not None and dc.racks_used else None


def median_cost_per_rack(view: EstateView) -> float | None:
    """The median annual cost per used rack over the sites that record cost and racks used."""
    costs = [c for dc in view.resources.datacentres.values() if (c := _per_rack(dc)) is not None]
    return float(statistics.median(costs)) if costs else None


def sites(view: EstateView) -> tuple[list[Site], list[DataCentre]]:
    """The sites (that could close or shrink) and the hosts (with spare racks) of the estate, by id."""
    leaving, hosts, median = [], [], median_cost_per_rack(view)
    for dc in view.resources.datacentres.values():
        per_rack = _per_rack(dc)
        own = bool(dc.systems) and all(view.resources.details[s].organisation == dc.organisation for s in dc.systems)
        known = dc.organisation in view.organisations and view.organisations[dc.organisation].has_inventory
        if known and own and per_rack is not None and dc.racks is not None:
            leaving.append(Site(dc, per_rack, per_rack / median if median else None))
        if known and dc.spare is not None and dc.spare > 0:
            hosts.append(dc)
    return leaving, hosts


def site_pairs(view: EstateView, model: SavingsModel) -> list[Pair]:
    """Every (site, host) of two organisations near each other, in one currency; sorted."""
    leaving, hosts = sites(view)
    near = {o: near_organisations(view, o, model.grouping)
            for o in sorted({dc.organisation for dc in (*(s.dc for s in leaving), *hosts)})}
    return sorted(Pair(site.dc.id, h.id, *near[h.organisation][site.dc.organisation])
                  for site in leaving for h in hosts
                  if h.organisation in near[site.dc.organisation] and site.dc.organisation in near[h.organisation]
                  and h.currency == site.dc.currency)


def _fit(site: Site, host: DataCentre, spare: int, pair: Pair, shrink: bool) -> Move | None:
    """The site closing into ``spare`` racks, or with ``shrink`` as many of its systems as fit."""
    used, systems = site.dc.racks_used or 0, sorted(site.dc.systems)
    if not shrink:
        return Move(site, host, tuple(systems), used, "close-site", pair) if used <= spare else None
    k = max((k for k in range(1, len(systems)) if math.ceil(k * used / len(systems)) <= spare), default=0)
    return Move(site, host, tuple(systems[:k]), math.ceil(k * used / len(systems)), "shrink-site", pair) if k else None


def _npv(move: Move, as_of: dt.date, model: SavingsModel) -> float:
    """The move's own central net present value."""
    saving, cost = _money(move, model)
    return npv_of(saving, add_months(as_of, model.schedule.lead_time_months), cost, as_of, as_of, model).central


def pack_host(host: DataCentre, pairs: list[Pair], by_site: Mapping[str, Site], as_of: dt.date,
              model: SavingsModel) -> tuple[list[Move], dict[str, str]]:
    """The moves into ``host`` of the sites in ``pairs`` (all paired with it), and why the
    others do not move (see the module docstring)."""
    def closing(pair: Pair) -> float:
        site = by_site[pair.site]
        return _npv(Move(site, host, site.dc.systems, site.dc.racks_used or 0, "close-site", pair), as_of, model)

    order = sorted(pairs, key=lambda p: (-closing(p), p.site))
    spare, moves, left = host.spare or 0, [], {}
    for shrink in (False, True):
        for pair in (p for p in order if p.site not in {m.site.dc.id for m in moves}):
            move = _fit(by_site[pair.site], host, spare, pair, shrink)
            if move is not None and _npv(move, as_of, model) > 0:
                spare -= move.racks
                moves.append(move)
                left.pop(pair.site, None)
            elif move is not None:
                left[pair.site] = (f"{'shrinking' if shrink else 'closing'} it into {host.name} ({host.id}) would not "
                                   "pay back (the host's marginal cost outweighs the saving, or the one-off cost is "
                                   "not repaid within the horizon)")
            elif pair.site not in left:
                left[pair.site] = f"it needs {by_site[pair.site].dc.racks_used} racks; {host.id} has {spare} spare"
    return sorted(moves, key=lambda m: m.site.dc.id), left


def _money(move: Move, model: SavingsModel) -> tuple[Range, Range]:
    """The move's net annual saving and one-off cost."""
    p, dc = model.sharing.datacentre, move.site.dc
    share = move.racks / (dc.racks_used or 1)
    cost = dc.annual_cost or 0.0
    gross = p.closure_saving.scaled(cost) if move.action == "close-site" else p.shrink_saving.scaled(cost * share)
    host_rack = _per_rack(move.host) or move.site.per_rack
    extra = p.host_marginal_cost.scaled(host_rack * move.racks)
    saving = Range(gross.low - extra.high, gross.central - extra.central, gross.high - extra.low).rounded()
    return saving, p.move_multiple.scaled(cost * share * (1 + model.optimism_bias)).rounded()


def _step(view: EstateView, move: Move, as_of: dt.date, model: SavingsModel) -> tuple[dict[str, Any], Range, Range, Range]:
    saving, cost = _money(move, model)
    go_live = add_months(as_of, model.schedule.lead_time_months)
    npv = npv_of(saving, go_live, cost, as_of, as_of, model)
    value = (move.site.dc.annual_cost or 0.0) * move.racks / (move.site.dc.racks_used or 1)
    return (step(move.site.dc.organisation, move.site.dc.id, move.action, not_before=as_of, go_live=go_live,
                 prep_start=as_of, annual_value=value, saving=saving, cost=cost, npv=npv,
                 datacentre=move.site.dc.id, systems=list(move.systems), racks=move.racks,
                 claims=[move.site.dc.id]), saving, cost, npv)


def _move_text(view: EstateView, move: Move, go_live: str) -> str:
    dc, c = move.site.dc, move.site.dc.currency
    what = "closes the site" if move.action == "close-site" else \
        f"shrinks it to {(dc.racks_used or 0) - move.racks} racks"
    ratio = f", {move.site.ratio:.2f} times the estate's median" if move.site.ratio is not None else ""
    return (f"{label(view, dc.organisation)}, {move.pair.reason}: {dc.name} ({dc.id}) has {dc.racks} racks, "
            f"{dc.racks_used} used, and costs {money(dc.annual_cost or 0, c)} a year "
            f"({money(move.site.per_rack, c)} per used rack{ratio}), hosting {len(dc.systems)} systems. Moving "
            f"{', '.join(move.systems)} ({move.racks} racks) {what}; go-live {go_live}. No data-centre contract is "
            f"recorded, and moving servers does not end the software contracts of the systems that move.")


def _suggestion(view: EstateView, host: DataCentre, moves: list[Move], left: dict[str, str], as_of: dt.date,
                model: SavingsModel) -> dict[str, Any]:
    built = [_step(view, m, as_of, model) for m in moves]
    saving, cost, npv = total([b[1] for b in built]), total([b[2] for b in built]), total([b[3] for b in built])
    moving = sum(m.racks for m in moves)
    after = (host.racks_used or 0) + moving
    headroom = max(0.0, 1 - after / host.racks) if host.racks else 0.0
    p, c = model.sharing.datacentre, host.currency
    host_rack = _per_rack(host)
    lines = [f"Host: {label(view, host.organisation)} runs {host.name} ({host.id}): {host.racks} racks, "
             f"{host.racks_used} used, {host.spare} spare; after these moves {after} of {host.racks} are used."]
    lines += [_move_text(view, m, b[0]["go_live"]) for m, b in zip(moves, built)]
    lines += money_lines(saving, cost, npv, c, model,
                         f"{p.closure_saving.low:.0%} / {p.closure_saving.central:.0%} / {p.closure_saving.high:.0%} of "
                         "a closed site's annual cost" + (f" ({p.shrink_saving.low:.0%} / {p.shrink_saving.central:.0%} / "
                                                          f"{p.shrink_saving.high:.0%} of the moved share when it shrinks)"
                                                          if any(m.action == "shrink-site" for m in moves) else "")
                         + f", less the host's marginal {p.host_marginal_cost.low:.0%} to "
                         f"{p.host_marginal_cost.high:.0%} of " + (f"{money(host_rack, c)} per used rack"
                                                                   if host_rack else "the mover's cost per rack "
                                                                   "(the host's cost is not recorded)")
                         + " for each rack moved in",
                         f"{p.move_multiple.low:g} to {p.move_multiple.high:g} times the moved racks' annual cost")
    lines += [f"Left out: {view.resources.datacentres[s].name} ({s}), {why}." for s, why in sorted(left.items())]
    return suggestion(
        sid=f"{KIND}:{host.id}", kind=KIND, organisations=[host.organisation, *(m.site.dc.organisation for m in moves)],
        lead=host.organisation, currency=c, steps=[b[0] for b in built],
        already_there=[{"organisation": host.organisation, "system": host.id, "action": "already-there",
                        "role": "host", "capabilities": [], "contracts": [], "annual_value": None,
                        "annual_saving": {"low": 0, "central": 0, "high": 0},
                        "npv": {"low": 0, "central": 0, "high": 0}, "claims": []}],
        saving=saving, cost=cost, npv=npv, claims=[host.id],
        score_and_parts=score(model, npv.central, 1.0, sum(m.pair.proximity for m in moves) / len(moves), headroom),
        rationale=lines, datacentre=host.id,
        racks={"total": host.racks, "used": host.racks_used, "moving_in": moving, "after": after},
        left_out=[{"datacentre": s, "why": why} for s, why in sorted(left.items())])


def suggest_datacentres(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every data-centre suggestion of the estate, one per host with a move, by id."""
    leaving, hosts = sites(view)
    by_site = {s.dc.id: s for s in leaving}
    pairs: dict[str, list[Pair]] = defaultdict(list)
    for pair in site_pairs(view, model):
        pairs[pair.host].append(pair)
    result = []
    for host in hosts:
        moves, left = pack_host(host, pairs.get(host.id, []), by_site, as_of, model)
        if moves:
            result.append(_suggestion(view, host, moves, left, as_of, model))
    return result
