"""The programme from an estate's graph: ``suggest``'s candidates, then the optimiser."""
from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from ictgraph.queries.estate import display_names
from ictgraph.queries.plan.baseline import add_baselines
from ictgraph.queries.plan.parts import options_from_suggestions
from ictgraph.queries.plan.programme import programme
from ictgraph.queries.plan.model import Constraints
from ictgraph.queries.plan.solve import solve
from ictgraph.queries.suggest import load_savings_model, suggest
from ictgraph.queries.suggest.candidates import EstateView
from ictgraph.queries.suggest.savings import SavingsModel

__all__ = ["plan", "suggest_in_plan"]


def plan(graph: nx.MultiDiGraph, *, as_of: dt.date, model: SavingsModel | None = None, objective: str = "central",
         limits: Constraints = Constraints(), time_limit: float | None = None, samples: int = 2000,
         seed: int = 0) -> dict[str, Any]:
    """The optimised consolidation programme for the estate in ``graph``.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The estate's graph.
    as_of : date
        The planning date (as for ``suggest``).
    model : SavingsModel, optional
        The savings model; the defaults when None.
    objective : {"central", "low"}
        Maximise the total central NPV, or the pessimistic (low) one.
    limits : Constraints
        The board's limits: one-off budget per financial year, joins per lead per year.
    time_limit : float, optional
        Wall-clock seconds the whole solve may take; none by default, so that the answer does
        not depend on the machine (the solver's node budget bounds its work). The result says
        whether it proved optimality.
    samples, seed : int
        The Monte Carlo's draws and its seed.

    Returns
    -------
    dict
        JSON-ready; see :mod:`queries.plan`.
    """
    model = model or load_savings_model()
    ranked = suggest(graph, as_of=as_of, model=model)
    result = programme(ranked, as_of, model, objective=objective, limits=limits, time_limit=time_limit,
                       samples=samples, seed=seed, names=display_names(graph, "Organisation"))
    return add_baselines(result, graph)


def suggest_in_plan(graph: nx.MultiDiGraph | EstateView, *, as_of: dt.date, model: SavingsModel | None = None,
                    time_limit: float | None = None) -> dict[str, Any]:
    """``suggest``'s ranked list, each suggestion marked ``in_plan``: whether the programme
    (default objective, no limits) takes it, wholly or in part."""
    model = model or load_savings_model()
    ranked = suggest(graph, as_of=as_of, model=model)
    options, parts = options_from_suggestions(ranked["suggestions"], as_of, model)
    chosen = solve(options, parts, time_limit=time_limit).chosen
    for option in options:
        option.suggestion["in_plan"] = option.base in chosen
    return ranked
