"""Did the programme deliver? Each move's status, realised saving and slippage, and the
programme's realisation, from a saved programme and a later estate.

:func:`track` ``(programme, new, as_of=..., snapshots=())`` → JSON-ready dict (see
:mod:`queries.track`). Pure: the caller reads the programme and builds the estates' graphs.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx

from ictgraph.queries.plan.baseline import Estate, estate_of, member_state
from ictgraph.queries.plan.parts import financial_year
from ictgraph.queries.service_levels import latest_levels
from ictgraph.queries.track.service import move_service, service_counts
from ictgraph.queries.track.status import DONE, DUE, NOT_YET_DUE, OVERTAKEN, PARTLY_DONE, step_status

__all__ = ["RULES", "track"]

DAYS_PER_MONTH = 365.25 / 12

RULES = {
    "status": "done: the step's change is in the later estate; partly done (a move): some steps done; due: its "
              "go-live is on or before the as-of date and it is not done; not yet due; overtaken: the member "
              "moved to another product, host or contract instead",
    "realised_annual_saving": "the member's annual spend on the step's scope in the programme's baseline less "
                              "that in the later estate, by the benchmark's allocation rule (a data centre: "
                              "its annual cost)",
    "against_forecast": "below low, within, or above high of the move's forecast annual saving",
    "slippage_months": "months from the planned go-live to the first dated snapshot showing the step done "
                       "(negative: early)",
    "service": "each member's latest level of each measure of the move's capabilities on or before the "
               "programme's date against the latest in the later estate: better, same or worse by the measure's "
               "direction",
    "years": "a step's saving falls in the financial year of its planned go-live; the lead's and the host's in "
             "the year of the move's first go-live",
}


def _against(value: float, forecast: Mapping[str, float]) -> str:
    if value < forecast["low"]:
        return "below low"
    return "above high" if value > forecast["high"] else "within"


def _first_done(snapshots: Sequence[tuple[dt.date, Estate]], move: Mapping[str, Any],
                step: Mapping[str, Any]) -> dt.date | None:
    return next((day for day, estate in snapshots if step_status(estate, move, step, day)[0] == DONE), None)


def _slippage(go_live: str | None, first: dt.date | None) -> float | None:
    if go_live is None or first is None:
        return None
    return round((first - dt.date.fromisoformat(go_live)).days / DAYS_PER_MONTH, 1)


def _step(new: Estate, move: Mapping[str, Any], step: Mapping[str, Any], as_of: dt.date,
          snapshots: Sequence[tuple[dt.date, Estate]], role: str) -> dict[str, Any]:
    status, evidence, state = step_status(new, move, step, as_of) if role == "step" else (
        None, "", _state_of(new, move, step))
    before = step["baseline"]["annual_spend"]
    row = {"organisation": step["organisation"], "action": step["action"], "go_live": step.get("go_live"),
           "status": status, "evidence": evidence, "baseline_annual_spend": before,
           "annual_spend_now": state["annual_spend"], "realised_annual_saving": round(before - state["annual_spend"], 2)}
    if role == "step" and snapshots:
        first = _first_done(snapshots, move, step) if status == DONE else None
        row.update(first_done=None if first is None else first.isoformat(),
                   slippage_months=_slippage(step.get("go_live"), first))
    return row


def _state_of(new: Estate, move: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    baseline = entry["baseline"]
    return member_state(new, move["kind"], entry["organisation"], baseline["scope"], baseline["uses"])


def _move_status(statuses: Sequence[str]) -> str:
    if statuses and all(s == DONE for s in statuses):
        return DONE
    if DONE in statuses:
        return PARTLY_DONE
    if statuses and all(s == OVERTAKEN for s in statuses):
        return OVERTAKEN
    return DUE if DUE in statuses else (OVERTAKEN if OVERTAKEN in statuses and NOT_YET_DUE not in statuses
                                        else NOT_YET_DUE)


def _move(new: Estate, move: Mapping[str, Any], as_of: dt.date,
          snapshots: Sequence[tuple[dt.date, Estate]], history: Estate) -> dict[str, Any]:
    steps = [_step(new, move, s, as_of, snapshots, "step") for s in move["steps"]]
    there = [_step(new, move, s, as_of, snapshots, "already_there") for s in move.get("already_there") or []]
    realised = round(math.fsum(r["realised_annual_saving"] for r in steps + there), 2)
    status = _move_status([s["status"] for s in steps])
    counts = {k: sum(1 for s in steps if s["status"] == k) for k in (DONE, DUE, NOT_YET_DUE, OVERTAKEN)}
    evidence = ", ".join(f"{n} {k}" for k, n in counts.items() if n) + f" of {len(steps)} step(s)"
    return {"id": move["id"], "kind": move["kind"], "lead": move.get("lead"),
            "target_product": move.get("target_product"), "capabilities": list(move.get("capabilities") or []),
            "datacentre": move.get("datacentre"), "status": status, "evidence": evidence,
            "forecast_annual_saving": dict(move["annual_saving"]), "realised_annual_saving": realised,
            "against_forecast": _against(realised, move["annual_saving"]), "steps": steps, "already_there": there,
            "service": move_service(move, new, history)}


def _by_year(programme: Mapping[str, Any], moves: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    realised: dict[str, list[float]] = defaultdict(list)
    for move in moves:
        first = min((s["go_live"] for s in move["steps"] if s["go_live"]), default=None)
        for row in move["steps"] + move["already_there"]:
            day = row["go_live"] or first
            if day:
                realised[financial_year(dt.date.fromisoformat(day))].append(row["realised_annual_saving"])
    forecast = {y["year"]: y["annual_saving"]["central"] for y in programme.get("years") or []}
    return [{"year": year, "forecast_central": forecast.get(year, 0),
             "realised": round(math.fsum(realised.get(year, [])), 2),
             "ratio": _ratio(math.fsum(realised.get(year, [])), forecast.get(year, 0))}
            for year in sorted(set(forecast) | set(realised))]


def _ratio(realised: float, forecast: float) -> float | None:
    return round(realised / forecast, 4) if forecast else None


def _realisation(programme: Mapping[str, Any], moves: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    forecast = programme["totals"]["annual_saving"]["central"]
    realised = round(math.fsum(m["realised_annual_saving"] for m in moves), 2)
    statuses = {k: sum(1 for m in moves if m["status"] == k) for k in (DONE, PARTLY_DONE, DUE, NOT_YET_DUE, OVERTAKEN)}
    return {"forecast_central": forecast, "realised": realised, "ratio": _ratio(realised, forecast),
            "moves": statuses, "by_year": _by_year(programme, moves), "service": service_counts(list(moves)),
            "due_not_done": [m["id"] for m in moves if any(s["status"] == DUE for s in m["steps"])]}


def track(programme: Mapping[str, Any], new: nx.MultiDiGraph, *, as_of: dt.date,
          snapshots: Sequence[tuple[dt.date, nx.MultiDiGraph]] = ()) -> dict[str, Any]:
    """Track ``programme`` (a plan with baselines) against the later estate ``new`` on ``as_of``.

    ``snapshots``: dated estates (any order) in which to find when each done step first appears;
    the later estate counts as the one dated ``as_of``."""
    currency = programme.get("currency") or "GBP"
    later = estate_of(new, currency)
    history = replace(later, levels=latest_levels(new, dt.date.fromisoformat(str(programme["as_of"]))))
    dated = sorted([(day, estate_of(graph, currency)) for day, graph in snapshots], key=lambda p: p[0])
    if dated:
        dated.append((as_of, later))
    moves = [_move(later, m, as_of, dated, history) for m in programme["moves"]]
    return {"programme_as_of": programme["as_of"], "as_of": as_of.isoformat(), "currency": currency,
            "rules": dict(RULES), "snapshots": [day.isoformat() for day, _ in dated],
            "realisation": _realisation(programme, moves), "moves": moves,
            "organisation_names": dict(programme.get("organisation_names") or {})}
