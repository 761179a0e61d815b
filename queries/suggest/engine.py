"""``ictgraph suggest``: ranked consolidation suggestions for an estate.

Public entry points (what the CLI calls)::

    from ictgraph.queries.suggest import suggest, load_savings_model, suggestion_table, step_table

    model = load_savings_model(path_or_None)        # --savings-model FILE; UsageError if bad
    result = suggest(graph, as_of=date(2026, 11, 27), model=model)   # JSON-ready dict
    to_json(result)                                  # queries.render: --format json
    columns, rows = suggestion_table(result)         # one row per suggestion (table / CSV)
    columns, rows = step_table(result)               # one row per step of every path

``result`` is ``{"as_of", "currency", "assumptions", "suggestions": [...]}``; each suggestion
is ``{"id", "kind", "capabilities", "organisations", "target_product", "lead", "currency",
"steps": [{"organisation", "system", "action", "not_before", "go_live", "break_cost", "wave",
"prep_start", "capabilities", "current_product", "contracts", "annual_value", "annual_saving",
"one_off_cost", "one_off_cost_range", "npv", "via", "claims"}], "already_there": [...], "annual_saving":
{"low", "central", "high"}, "one_off_cost", "one_off_cost_range", "npv", "score",
"score_parts", "rationale": [...], "claims": [...], <kind-specific fields>, "alternatives": [...]}``;
``claims`` are the resources the suggestion consumes (:mod:`queries.suggest.sharing`: every
step and ``already_there`` entry has its own ``claims`` too, and a shared-platform one its
``via``); ``alternatives`` are the ids of the other suggestions (in rank order) whose claims
intersect its own: two suggestions conflict exactly then. A shared-platform step whose
capabilities have measures with a level for the member or the lead also has ``service``
(:mod:`queries.suggest.service`: the member's latest levels beside the lead's; a "Flag:" line
in the rationale when the lead's is worse); without measures the key is absent.
Money is in whole units of the suggestion's currency; dates are ISO strings. Suggestions are
ranked by (−score, id).

Kinds
    ``KINDS`` maps a kind name to a function ``(EstateView, as_of, SavingsModel) → list of
    suggestion dicts``, and ``METHODS`` to its method text (printed in the assumptions). A new
    kind is a new module with ``KIND``, ``METHOD`` and that function, added to both here.
Currency
    Amounts in different currencies are never added: each suggestion is within one currency
    (its lead's). The top-level ``currency`` is the estate's, or null when the estate mixes
    currencies; then ``assumptions.currencies`` lists them and a note says suggestions are
    formed per currency.
Determinism
    The estate is read through sorted records; every collection is sorted; money is rounded
    per part before it is summed; the JSON is byte-identical for the same estate whatever the
    order of files, documents and list items, and whatever ``PYTHONHASHSEED``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from ictgraph.queries.suggest import datacentres, joint_procurement, management, networks, policies, shared_platform, skills
from ictgraph.queries.suggest.candidates import EstateView, read_estate
from ictgraph.queries.suggest.savings import SavingsModel
from ictgraph.queries.suggest.savings_file import load_savings_model

__all__ = ["KINDS", "METHODS", "estate_currency", "load_savings_model", "step_table", "suggest", "suggestion_table"]

DEFAULT_CURRENCY = "GBP"
Kind = Callable[[EstateView, dt.date, SavingsModel], list[dict[str, Any]]]
KINDS: Mapping[str, Kind] = {
    shared_platform.KIND: shared_platform.suggest_shared_platforms,
    datacentres.KIND: datacentres.suggest_datacentres,
    networks.KIND: networks.suggest_networks,
    skills.KIND: skills.suggest_skills,
    management.KIND: management.suggest_management,
    policies.KIND: policies.suggest_policies,
    joint_procurement.KIND: joint_procurement.suggest_joint_procurement,
}
METHODS: Mapping[str, Mapping[str, str]] = {
    shared_platform.KIND: shared_platform.METHOD,
    datacentres.KIND: datacentres.METHOD,
    networks.KIND: networks.METHOD,
    skills.KIND: skills.METHOD,
    management.KIND: management.METHOD,
    policies.KIND: policies.METHOD,
    joint_procurement.KIND: joint_procurement.METHOD,
}


def _assumptions(view: EstateView, model: SavingsModel, kinds: Mapping[str, Kind]) -> dict[str, Any]:
    block = model.assumptions()
    block["methods"] = {kind: dict(METHODS.get(kind, {})) for kind in sorted(kinds)}
    if len(view.currencies) > 1:
        block["currencies"] = list(view.currencies)
        block["notes"] = [f"the estate mixes currencies ({', '.join(view.currencies)}): each suggestion is "
                          "formed within one currency and amounts are never added across currencies"]
    return block


def suggest(graph: nx.MultiDiGraph | EstateView, *, as_of: dt.date, model: SavingsModel | None = None,
            kinds: Mapping[str, Kind] | None = None, limit: int | None = None) -> dict[str, Any]:
    """Ranked consolidation suggestions for the estate in ``graph``.

    Parameters
    ----------
    graph : nx.MultiDiGraph or EstateView
        The estate's graph (``graph_loader.load_graph`` or ``build_graph``), or the records
        :func:`read_estate` read from it: a caller that keeps only those can free the graph,
        which is most of the memory, before the suggestions are formed.
    as_of : date
        The planning date: nothing is prepared before it, NPV is discounted to it.
    model : SavingsModel, optional
        The savings model; the defaults of ``queries/suggest/savings_model.yaml`` when None.
    kinds : mapping, optional
        The suggestion kinds to run; all of ``KINDS`` when None.
    limit : int, optional
        Keep only the first ``limit`` suggestions of the ranking (alternatives still name
        the full ranking's ids and ranks).

    Returns
    -------
    dict
        ``{"as_of", "currency", "assumptions", "suggestions"}``, JSON-ready.

    Notes
    -----
    For n organisations, the shared-platform kind costs about O(B·P·L·m·d) for B capability
    bundles, P products, L lead options per product, m members reached from each and d near
    organisations each (:mod:`queries.suggest.components`); never all pairs of the country.
    """
    model = model or load_savings_model()
    kinds = KINDS if kinds is None else kinds
    view = graph if isinstance(graph, EstateView) else read_estate(graph)
    suggestions = [s for kind in sorted(kinds) for s in kinds[kind](view, as_of, model)]
    suggestions.sort(key=lambda s: (-s["score"], s["id"]))
    _link_alternatives(suggestions)
    currency = estate_currency(view)
    return {"as_of": as_of.isoformat(), "currency": currency,
            "assumptions": _assumptions(view, model, kinds), "suggestions": suggestions[:limit]}


def estate_currency(view: EstateView) -> str | None:
    """The result's currency: the estate's one currency, None when it mixes several, the
    default when it records none."""
    return view.currencies[0] if len(view.currencies) == 1 else None if view.currencies else DEFAULT_CURRENCY


def _link_alternatives(suggestions: list[dict[str, Any]]) -> None:
    """Add ``alternatives`` to each suggestion: the others (in rank order) whose claims
    intersect its own, so that at most one of them can be followed; and say so."""
    holders: dict[str, list[int]] = {}
    for rank, s in enumerate(suggestions):
        for claim in s["claims"]:
            holders.setdefault(claim, []).append(rank)
    for rank, s in enumerate(suggestions):
        others = sorted({r for claim in s["claims"] for r in holders[claim]} - {rank})
        s["alternatives"] = [suggestions[r]["id"] for r in others]
        if others:
            s["rationale"].append("Alternatives for some of these organisations (their claims overlap): " + ", ".join(
                f"{suggestions[r]['id']} (rank {r + 1})" for r in others) + ".")


SUGGESTION_COLUMNS = ("rank", "kind", "capabilities", "target_product", "lead", "joining", "already_there", "path",
                      "currency", "saving_low", "saving_central", "saving_high", "one_off_cost", "npv_central",
                      "score", "id")


def suggestion_table(result: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per suggestion, in rank order; ``path`` lists ``ORG go-live`` per step; the id
    comes last, as it repeats the capabilities, product and lead."""
    rows = []
    for rank, s in enumerate(result["suggestions"], 1):
        path = [f"{step['organisation']} {step['go_live']}" for step in s["steps"]]
        rows.append([rank, s["kind"], s["capabilities"], s["target_product"], s["lead"], len(s["steps"]),
                     len(s["already_there"]), path, s["currency"], s["annual_saving"]["low"],
                     s["annual_saving"]["central"], s["annual_saving"]["high"], s["one_off_cost"],
                     s["npv"]["central"], s["score"], s["id"]])
    return list(SUGGESTION_COLUMNS), rows


PEOPLE_COLUMNS = ("rank", "kind", "capabilities", "lead", "joining", "saving_central", "npv_central", "in_plan")


def suggestion_people_table(result: Mapping[str, Any],
                            names: Mapping[str, str]) -> tuple[list[str], list[list[Any]]]:
    """The suggestions for a person at a terminal: organisations by name, the money in one
    figure each, and whether the programme takes it (``in_plan``, when marked)."""
    rows = [[rank, s["kind"], s["capabilities"] or s.get("skill") or "", names.get(s["lead"], s["lead"]),
             [names.get(st["organisation"], st["organisation"]) for st in s["steps"]],
             s["annual_saving"]["central"], s["npv"]["central"], s.get("in_plan")]
            for rank, s in enumerate(result["suggestions"], 1)]
    return list(PEOPLE_COLUMNS), rows


STEP_COLUMNS = ("rank", "suggestion", "wave", "organisation", "action", "system", "current_product",
                "not_before", "prep_start", "go_live", "break_cost", "annual_value", "saving_central",
                "one_off_cost", "currency")


def step_table(result: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per step of every suggestion's path (rank order, then path order)."""
    rows = []
    for rank, s in enumerate(result["suggestions"], 1):
        for st in s["steps"]:
            rows.append([rank, s["id"], st["wave"], st["organisation"], st["action"], st["system"],
                         st["current_product"], st["not_before"], st["prep_start"], st["go_live"],
                         st["break_cost"], st["annual_value"], st["annual_saving"]["central"],
                         st["one_off_cost"], s["currency"]])
    return list(STEP_COLUMNS), rows
