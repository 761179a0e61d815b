"""The programme a board acts on: the chosen moves, their years, totals and uncertainty,
and for every candidate left out, why.

:func:`programme` turns ``suggest``'s ranked list into the optimised programme; see
:mod:`queries.plan` for the JSON it returns. Totals are sums over the chosen moves, each
move's money the sum of its chosen parts: nothing is counted twice.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ictgraph.queries.plan.parts import Option, Part, options_from_suggestions
from ictgraph.queries.plan.model import Constraints
from ictgraph.queries.plan.solve import NODE_LIMIT, Solution, solve
from ictgraph.queries.plan.why import Reasons, left_out_steps, not_chosen
from ictgraph.queries.plan.uncertainty import DISTRIBUTION, PARAMETERS, draw, move_samples, percentiles, probability_positive
from ictgraph.queries.suggest.savings import ZERO, Range, SavingsModel
from ictgraph.queries.suggest.service import drop_flags
from ictgraph.queries.suggest.sharing import as_money

__all__ = ["SOLVER", "programme"]

SOLVER = "HiGHS"


def _sum(parts: Sequence[Part], attribute: str) -> Range:
    total = ZERO
    for p in parts:
        total = total.plus(getattr(p, attribute))
    return total


def _chosen_parts(option: Option, parts: Sequence[Part], chosen: frozenset[int]) -> list[Part]:
    return [parts[i] for i in (option.base, *option.steps, *option.starts) if i in chosen]


def _move(option: Option, parts: Sequence[Part], chosen: frozenset[int], probability: float,
          left_out: list[dict[str, str]]) -> dict[str, Any]:
    s = option.suggestion
    mine = _chosen_parts(option, parts, chosen)
    steps = [s["steps"][p.step] for p in mine if p.role == "step"]
    started = any(p.role == "start" for p in mine) or not option.starts
    there = list(s["already_there"]) if started else []
    claims = sorted({c for p in mine for c in p.claims})
    organisations = sorted({s["lead"], *(st["organisation"] for st in steps), *(a["organisation"] for a in there)})
    move = {k: v for k, v in s.items() if k != "alternatives"}
    move.update(organisations=organisations, steps=steps, already_there=there,
                annual_saving=as_money(_sum(mine, "saving")), one_off_cost=int(round(_sum(mine, "one_off").central)),
                one_off_cost_range=as_money(_sum(mine, "one_off")), npv=as_money(_sum(mine, "npv")), claims=claims)
    if left_out:
        move["rationale"] = [*drop_flags(s["rationale"], [x["organisation"] for x in left_out]),
                             "In the programme without " + "; ".join(
            f"{x['organisation']} ({x['why']})" for x in left_out) + "."]
    move["left_out"] = left_out
    move["probability_positive_npv"] = probability
    return move


def _first_go_live(move: Mapping[str, Any]) -> str:
    return min((st["go_live"] for st in move["steps"] if st.get("go_live")), default="9999-12-31")


def _years(moves_parts: Sequence[Part]) -> list[dict[str, Any]]:
    by_year: dict[str, list[Part]] = defaultdict(list)
    for p in moves_parts:
        if p.year:
            by_year[p.year].append(p)
    rows, run_rate = [], ZERO
    for year in sorted(by_year):
        parts = by_year[year]
        saving = _sum(parts, "saving")
        run_rate = run_rate.plus(saving)
        rows.append({"year": year, "one_off_cost": int(round(_sum(parts, "one_off").central)),
                     "annual_saving": as_money(saving), "run_rate": as_money(run_rate),
                     "go_lives": sum(1 for p in parts if p.role == "step")})
    return rows


def _solver_block(solution: Solution) -> dict[str, Any]:
    return {"name": SOLVER, "status": solution.status, "objective": int(round(solution.objective)),
            "bound": int(round(solution.bound)), "gap": round(solution.gap, 6), "seconds": round(solution.seconds, 3)}


def programme(ranked: Mapping[str, Any], as_of: dt.date, model: SavingsModel, *, objective: str = "central",
              limits: Constraints = Constraints(), time_limit: float | None = None, samples: int = 2000,
              seed: int = 0, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The optimised programme for ``suggest``'s result ``ranked``."""
    suggestions = ranked["suggestions"]
    options, parts = options_from_suggestions(suggestions, as_of, model)
    solution = solve(options, parts, objective=objective, limits=limits, time_limit=time_limit)
    draws = draw(model, samples, seed)
    reasons = Reasons(options, parts, solution)
    moves, programme_samples, chosen_parts = [], np.zeros(samples), []
    for o in options:
        if o.base not in solution.chosen:
            continue
        sampled = move_samples(o, parts, solution.chosen, draws, as_of, model)
        programme_samples += sampled
        chosen_parts += _chosen_parts(o, parts, solution.chosen)
        moves.append(_move(o, parts, solution.chosen, probability_positive(sampled),
                           left_out_steps(o, parts, reasons, objective)))
    moves.sort(key=lambda m: (_first_go_live(m), m["id"]))
    npv = _sum(chosen_parts, "npv")
    totals = {"annual_saving": as_money(_sum(chosen_parts, "saving")),
              "one_off_cost": int(round(_sum(chosen_parts, "one_off").central)),
              "npv": {**as_money(npv), **percentiles(programme_samples if moves else np.zeros(0))}}
    return {"as_of": ranked["as_of"], "currency": ranked["currency"],
            "assumptions": {**ranked["assumptions"], "programme": _assumptions(objective, limits, time_limit,
                                                                                samples, seed)},
            "objective": objective, "solver": _solver_block(solution), "totals": totals,
            "years": _years(chosen_parts), "moves": moves,
            "not_chosen": not_chosen(options, parts, reasons, objective),
            "organisation_names": {o: (names or {}).get(o, o)
                                   for o in sorted({o for m in moves for o in m["organisations"]})}}


def _assumptions(objective: str, limits: Constraints, time_limit: float | None, samples: int, seed: int) -> dict[str, Any]:
    return {"objective": f"maximise the total {objective} NPV of moves whose claims are pairwise disjoint",
            "max_one_off_per_year": limits.max_one_off_per_year,
            "max_joins_per_lead_per_year": limits.max_joins_per_lead_per_year,
            "years": "financial years, April to March; a step's one-off cost falls in the year of its go-live",
            "time_limit_seconds": time_limit, "node_limit_per_block": NODE_LIMIT,
            "samples": samples, "seed": seed, "distribution": DISTRIBUTION,
            "uncertain_parameters": {kind: list(names) for kind, names in sorted(PARAMETERS.items())},
            "correlation": "one draw of a parameter applies to every move that uses it"}
