"""The programme for a person: a summary and the moves by financial year."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ictgraph.queries.plan.parts import financial_year
from ictgraph.queries.suggest.rationale import money

__all__ = ["PLAN_COLUMNS", "plan_summary", "plan_table"]

PLAN_COLUMNS = ("year", "go_live", "move", "kind", "organisation", "action", "npv_central", "p_positive")


def _rows_of(number: int, move: Mapping[str, Any], names: Mapping[str, str]) -> list[list[Any]]:
    steps = move["steps"] or [{"organisation": move["lead"], "action": "lead", "go_live": None,
                               "npv": move["npv"]}]
    rows = []
    for st in steps:
        day = st.get("go_live")
        year = financial_year(dt.date.fromisoformat(day)) if day else ""
        rows.append([year, day or "", number, move["kind"], names.get(st["organisation"], st["organisation"]),
                     st["action"], st["npv"]["central"], move["probability_positive_npv"]])
    return rows


def plan_table(result: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per step of every move, by financial year and go-live; ``move`` numbers the
    moves in the order of the JSON's ``moves``."""
    names = result.get("organisation_names", {})
    rows = [row for n, move in enumerate(result["moves"], 1) for row in _rows_of(n, move, names)]
    rows.sort(key=lambda r: (r[0] or "9999", r[1] or "9999", r[2], r[4]))
    return list(PLAN_COLUMNS), rows


def plan_summary(result: Mapping[str, Any]) -> str:
    """A few lines: the solver's verdict, the totals with their range, and the years."""
    c = result["currency"] or "GBP"
    t, s = result["totals"], result["solver"]
    npv = t["npv"]
    lines = [f"Programme: {len(result['moves'])} moves, {sum(len(m['steps']) for m in result['moves'])} steps; "
             f"{len(result['not_chosen'])} candidates left out.",
             f"NPV {money(npv['central'], c)} central (P10 {money(npv['p10'], c)}, P50 {money(npv['p50'], c)}, "
             f"P90 {money(npv['p90'], c)}; range {money(npv['low'], c)} to {money(npv['high'], c)}).",
             f"Annual saving {money(t['annual_saving']['central'], c)} central "
             f"({money(t['annual_saving']['low'], c)} to {money(t['annual_saving']['high'], c)}); "
             f"one-off cost {money(t['one_off_cost'], c)}.",
             f"Solver {s['name']}: {s['status']}, objective {money(s['objective'], c)}, bound {money(s['bound'], c)}, "
             f"gap {s['gap']:.2%}."]
    for y in result["years"]:
        lines.append(f"  {y['year']}: {y['go_lives']} go-lives, one-off {money(y['one_off_cost'], c)}, "
                     f"saving from then {money(y['annual_saving']['central'], c)} a year")
    return "\n".join(lines) + "\n\n"
