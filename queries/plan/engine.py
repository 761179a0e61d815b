"""The programme from an estate's graph: ``suggest``'s candidates, then the optimiser."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ictgraph.queries.plan.baseline import Estate, add_baselines, estate_of, without_graph
from ictgraph.queries.plan.parts import options_from_suggestions
from ictgraph.queries.plan.programme import programme
from ictgraph.queries.plan.model import Constraints
from ictgraph.queries.plan.solve import solve
from ictgraph.queries.suggest import load_savings_model, suggest
from ictgraph.queries.suggest.candidates import EstateView, read_estate
from ictgraph.queries.suggest.engine import DEFAULT_CURRENCY, estate_currency
from ictgraph.queries.suggest.savings import SavingsModel

__all__ = ["PlanEstate", "plan", "plan_estate", "suggest_in_plan"]


@dataclass(frozen=True)
class PlanEstate:
    """What ``plan`` reads of an estate: ``suggest``'s records and the baselines' indexes.

    Read from the graph before anything is planned, so that a caller can free the graph
    (most of the memory) before the solve, as ``suggest`` does with :class:`EstateView`."""

    view: EstateView
    baselines: Estate


def plan_estate(graph: nx.MultiDiGraph, as_of: dt.date) -> PlanEstate:
    """The records ``plan`` needs of ``graph``, in the currency its programme will be in."""
    view = read_estate(graph)
    # the baselines' currency is the programme's, as add_baselines reads it from the result
    currency = estate_currency(view) or DEFAULT_CURRENCY
    return PlanEstate(view, without_graph(estate_of(graph, currency, as_of)))


def plan(graph: nx.MultiDiGraph | PlanEstate, *, as_of: dt.date, model: SavingsModel | None = None, objective: str = "central",
         limits: Constraints = Constraints(), time_limit: float | None = None, samples: int = 2000,
         seed: int = 0) -> dict[str, Any]:
    """The optimised consolidation programme for the estate in ``graph``.

    Parameters
    ----------
    graph : nx.MultiDiGraph or PlanEstate
        The estate's graph, or what :func:`plan_estate` read of it (read with the same
        ``as_of``), so that the caller can free the graph first. A caller that keeps no
        reference of its own lets the records go before the solve too.
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
    estate = graph if isinstance(graph, PlanEstate) else plan_estate(graph, as_of)
    ranked = suggest(estate.view, as_of=as_of, model=model)
    names, baselines = dict(estate.view.names.get("Organisation", {})), estate.baselines
    del graph, estate    # the records are freed before the solve when the caller handed them over
    result = programme(ranked, as_of, model, objective=objective, limits=limits, time_limit=time_limit,
                       samples=samples, seed=seed, names=names)
    return add_baselines(result, baselines)


def suggest_in_plan(graph: nx.MultiDiGraph | EstateView, *, as_of: dt.date, model: SavingsModel | None = None,
                    time_limit: float | None = None) -> dict[str, Any]:
    """``suggest``'s ranked list, each suggestion marked ``in_plan``: whether the programme
    (default objective, no limits) takes it, wholly or in part."""
    model = model or load_savings_model()
    ranked = suggest(graph, as_of=as_of, model=model)
    del graph    # the records are freed before the solve when the caller handed them over
    options, parts = options_from_suggestions(ranked["suggestions"], as_of, model)
    chosen = solve(options, parts, time_limit=time_limit).chosen
    for option in options:
        option.suggestion["in_plan"] = option.base in chosen
    return ranked
