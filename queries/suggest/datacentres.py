"""Suggestion kind ``datacentre``: organisations in small or costly data centres move their
on-premise systems into a near organisation's data centre with spare racks.

Sites (:func:`sites`)
    A *leaving* site is operated by an organisation with an inventory, records ``racks``,
    ``racks_used`` (> 0) and ``annual_cost``, hosts systems of its operator only, and is
    *small* (``racks ≤ datacentre.small_racks``) or *costly and full* (annual cost per used
    rack ≥ ``datacentre.costly_ratio`` × the median over the estate's sites that record
    both, and no spare rack). A *host* site records both rack figures, has a spare rack and
    is not leaving.
Pairs (:func:`site_pairs`, the Cypher form ``datacentre_spare_capacity``)
    a leaving site and a host site of another organisation near its operator
    (:func:`queries.suggest.sharing.near_organisations`), in the same currency.
Placement (:func:`place_sites`)
    Leaving sites, most constrained first (fewest host pairs, then most racks used, then id),
    each take the first host by (−proximity, −racks still spare, id) whose spare racks hold
    the whole site: the site *closes*. A costly site that no host holds whole *shrinks*
    instead into the host with most spare racks: its systems in id order, as many as fit,
    each counted as ``racks_used / systems`` racks (rounded up). A small site is never
    shrunk (a half-empty server room saves nothing). ``racks_used`` plus what moves in never
    exceeds ``racks``. A move whose central saving or NPV is not positive is left out.
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
                "datacentre": SITE, "systems": [SYSTEM, ...], "racks": N}], "left_out": [...]}

Id: ``datacentre:HOST_DC``. ``left_out`` names leaving sites near this host that found no room.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from typing import Any

from queries.suggest.candidates import EstateView
from queries.suggest.paths import add_months
from queries.suggest.rationale import money
from queries.resources import DataCentre
from queries.suggest.savings import Range, SavingsModel
from queries.suggest.sharing import label, money_lines, near_organisations, npv_of, score, step, suggestion, total

__all__ = ["KIND", "METHOD", "Move", "Pair", "place_sites", "site_pairs", "sites", "suggest_datacentres"]

KIND = "datacentre"
METHOD = {
    "candidates": "sites that are small (racks <= datacentre.small_racks) or costly (cost per used rack >= "
                  "costly_ratio x the estate median) and full, hosting only their operator's systems; hosts: "
                  "sites with spare racks of an organisation near the operator (partnership 1.0, neighbour 0.8, "
                  "same county area 0.6)",
    "path": "most constrained site first; the nearest host whose spare racks hold the whole site (close); a "
            "costly site no host holds shrinks into the host with most spare; racks_used + moves <= racks; "
            "go-live at as_of + lead time (no data-centre contract is recorded; software contracts continue)",
    "annual_saving": "closure_saving x site cost (or shrink_saving x moved share) less host_marginal_cost x "
                     "host cost per used rack x racks moved",
    "one_off_cost": "move_multiple x moved racks' annual cost x (1 + optimism_bias)",
    "score": "value of the central NPV; alignment 1 (nothing to wait for); proximity of the movers; "
             "target: the host's share of racks still free after the moves",
}


@dataclass(frozen=True)
class Site:
    """A leaving site and why: ``small`` or ``costly`` (with its cost per used rack)."""

    dc: DataCentre
    reason: str
    per_rack: float


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


def sites(view: EstateView, model: SavingsModel) -> tuple[list[Site], list[DataCentre]]:
    """The leaving sites and the host sites of the estate, by id."""
    params, median = model.sharing.datacentre, median_cost_per_rack(view)
    leaving, hosts = [], []
    for dc in view.resources.datacentres.values():
        per_rack = _per_rack(dc)
        own = bool(dc.systems) and all(view.resources.details[s].organisation == dc.organisation for s in dc.systems)
        known = dc.organisation in view.organisations and view.organisations[dc.organisation].has_inventory
        if known and own and per_rack is not None and dc.racks is not None:
            if dc.racks <= params.small_racks:
                leaving.append(Site(dc, f"small ({dc.racks} racks)", per_rack))
                continue
            if median and per_rack >= params.costly_ratio * median and dc.spare == 0:
                leaving.append(Site(dc, f"costly ({per_rack / median:.2f} times the estate's median cost per "
                                        f"used rack) and full", per_rack))
                continue
        if known and dc.spare is not None and dc.spare > 0:
            hosts.append(dc)
    return leaving, hosts


def site_pairs(view: EstateView, model: SavingsModel) -> list[Pair]:
    """Every (leaving site, host site) whose operators are near each other, sorted."""
    leaving, hosts = sites(view, model)
    near = {o: near_organisations(view, o, model.grouping)
            for o in sorted({dc.organisation for dc in (*(s.dc for s in leaving), *hosts)})}
    return sorted(Pair(site.dc.id, h.id, *near[h.organisation][site.dc.organisation])
                  for site in leaving for h in hosts
                  if h.organisation in near[site.dc.organisation] and site.dc.organisation in near[h.organisation]
                  and h.currency == site.dc.currency)


def _fit(site: Site, host: DataCentre, spare: int, pair: Pair, shrink: bool) -> Move | None:
    used, systems = site.dc.racks_used or 0, sorted(site.dc.systems)
    if used <= spare:
        return Move(site, host, tuple(systems), used, "close-site", pair)
    if not shrink:
        return None
    k = max((k for k in range(1, len(systems)) if math.ceil(k * used / len(systems)) <= spare), default=0)
    return Move(site, host, tuple(systems[:k]), math.ceil(k * used / len(systems)), "shrink-site", pair) if k else None


def _pays(move: Move, as_of: dt.date, model: SavingsModel) -> bool:
    """Whether the move saves money and repays its one-off cost within the horizon (central)."""
    saving, cost = _money(move, model)
    go_live = add_months(as_of, model.schedule.lead_time_months)
    return saving.central > 0 and npv_of(saving, go_live, cost, as_of, as_of, model).central >= 0


def place_sites(view: EstateView, as_of: dt.date, model: SavingsModel) -> tuple[list[Move], dict[str, str]]:
    """The moves, and each leaving site not moved with why (see the module docstring)."""
    leaving, hosts = sites(view, model)
    by_id = {h.id: h for h in hosts}
    spare = {h.id: h.spare or 0 for h in hosts}
    pairs = site_pairs(view, model)
    options = {s.dc.id: [p for p in pairs if p.site == s.dc.id] for s in leaving}
    moves, left = [], {}
    for site in sorted(leaving, key=lambda s: (len(options[s.dc.id]), -(s.dc.racks_used or 0), s.dc.id)):
        ranked = sorted(options[site.dc.id], key=lambda p: (-p.proximity, -spare[p.host], p.host))
        move = next((m for p in ranked if (m := _fit(site, by_id[p.host], spare[p.host], p, False))), None)
        if move is None and site.reason.startswith("costly") and ranked:
            best = min(ranked, key=lambda p: (-spare[p.host], -p.proximity, p.host))
            move = _fit(site, by_id[best.host], spare[best.host], best, True)
        if move is not None and _pays(move, as_of, model):
            spare[move.host.id] -= move.racks
            moves.append(move)
        else:
            left[site.dc.id] = _why_left(site, ranked, spare, by_id) if move is None else \
                f"moving it into {move.host.name} ({move.host.id}) would not pay back (the host's marginal cost " \
                "outweighs the saving, or the one-off cost is not repaid within the horizon)"
    return sorted(moves, key=lambda m: (m.host.id, m.site.dc.id)), left


def _why_left(site: Site, ranked: list[Pair], spare: dict[str, int], hosts: dict[str, DataCentre]) -> str:
    if not ranked:
        return "no organisation near its operator has a data centre with spare racks"
    room = ", ".join(f"{hosts[p.host].name} ({p.host}) {spare[p.host]}" for p in ranked)
    return f"it needs {site.dc.racks_used} racks; spare racks near it: {room}"


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
                 datacentre=move.site.dc.id, systems=list(move.systems), racks=move.racks), saving, cost, npv)


def _move_text(view: EstateView, move: Move, go_live: str) -> str:
    dc, c = move.site.dc, move.site.dc.currency
    what = "closes the site" if move.action == "close-site" else \
        f"shrinks it to {(dc.racks_used or 0) - move.racks} racks"
    return (f"{label(view, dc.organisation)}, {move.pair.reason}: {dc.name} ({dc.id}) is {move.site.reason}: "
            f"{dc.racks_used} racks used, {money(dc.annual_cost or 0, c)} a year "
            f"({money(move.site.per_rack, c)} per used rack), hosting {len(dc.systems)} systems. Moving "
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
                        "npv": {"low": 0, "central": 0, "high": 0}}],
        saving=saving, cost=cost, npv=npv,
        score_and_parts=score(model, npv.central, 1.0, sum(m.pair.proximity for m in moves) / len(moves), headroom),
        rationale=lines, datacentre=host.id,
        racks={"total": host.racks, "used": host.racks_used, "moving_in": moving, "after": after},
        left_out=[{"datacentre": s, "why": why} for s, why in sorted(left.items())])


def suggest_datacentres(view: EstateView, as_of: dt.date, model: SavingsModel) -> list[dict[str, Any]]:
    """Every data-centre suggestion of the estate, by id (``suggest`` ranks them)."""
    moves, left = place_sites(view, as_of, model)
    pairs = site_pairs(view, model)
    result = []
    for host_id in sorted({m.host.id for m in moves}):
        mine = [m for m in moves if m.host.id == host_id]
        near_left = {s: why for s, why in left.items() if any(p.site == s and p.host == host_id for p in pairs)}
        result.append(_suggestion(view, mine[0].host, mine, near_left, as_of, model))
    return result
