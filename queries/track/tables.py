"""Tracking for a person: a summary and one row per move, those that moved first."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictgraph.queries.suggest.rationale import money

__all__ = ["TRACK_COLUMNS", "track_summary", "track_table"]

TRACK_COLUMNS = ("move", "kind", "lead", "status", "done", "forecast", "realised", "vs_forecast", "slip_months")
ORDER = {"overtaken": 0, "partly done": 1, "done": 2, "due": 3, "not yet due": 4}


def _slippage(move: Mapping[str, Any]) -> float | str:
    values = [s["slippage_months"] for s in move["steps"] if s.get("slippage_months") is not None]
    return max(values) if values else ""


def track_table(result: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per move: overtaken, partly done and done first, then due, then not yet due; ``move``
    numbers the moves in the order of the JSON's ``moves``; ``done`` counts its steps done;
    ``forecast`` is the central annual saving; ``slip_months`` the move's latest step's
    slippage (with snapshots)."""
    names = result.get("organisation_names", {})
    rows = []
    for number, move in enumerate(result["moves"], 1):
        done = sum(1 for s in move["steps"] if s["status"] == "done")
        rows.append([number, move["kind"], names.get(move["lead"], move["lead"] or ""), move["status"],
                     f"{done}/{len(move['steps'])}", move["forecast_annual_saving"]["central"],
                     move["realised_annual_saving"], move["against_forecast"], _slippage(move)])
    rows.sort(key=lambda r: (ORDER.get(r[3], 9), r[0]))
    return list(TRACK_COLUMNS), rows


def track_summary(result: Mapping[str, Any]) -> str:
    """A few lines: realised against forecast, overall and by year; the moves by status."""
    c, r = result["currency"] or "GBP", result["realisation"]
    share = "" if r["ratio"] is None else f" ({r['ratio']:.0%})"
    lines = [f"Programme of {result['programme_as_of']} tracked on {result['as_of']}: realised "
             f"{money(r['realised'], c)} a year of {money(r['forecast_central'], c)} forecast{share}.",
             "Moves: " + ", ".join(f"{n} {k}" for k, n in r["moves"].items()) + "."]
    for y in r["by_year"]:
        ratio = "" if y["ratio"] is None else f" ({y['ratio']:.0%})"
        lines.append(f"  {y['year']}: forecast {money(y['forecast_central'], c)}, realised {money(y['realised'], c)}{ratio}")
    if any(r.get("service", {}).values()):
        lines.append("Service on the moves' capabilities (member and measure): "
                     + ", ".join(f"{n} {k}" for k, n in r["service"].items()) + ".")
    if r["due_not_done"]:
        lines.append(f"Due and not done: {len(r['due_not_done'])} move(s).")
    return "\n".join(lines) + "\n\n"
