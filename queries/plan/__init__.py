"""``ictgraph plan``: one optimised, conflict-free consolidation programme.

Public entry points (what the CLI calls)::

    from ictgraph.queries.plan import Constraints, plan, plan_table, suggest_in_plan

    result = plan(graph, as_of=date(2026, 11, 27))      # JSON-ready dict
    columns, rows = plan_table(result)                    # moves by year (table / CSV)
    ranked = suggest_in_plan(graph, as_of=...)            # suggest's list, each with in_plan

From every candidate of every kind (``queries.suggest``), the programme takes the set of moves
whose claims are pairwise disjoint that maximises the total NPV (:mod:`.solve`, HiGHS), with
a board's optional limits (one-off budget per financial year, joins per lead per year); a
move may take some of its suggestion's members and leave others (:mod:`.parts`). A seeded
Monte Carlo over the savings model's ranges (:mod:`.uncertainty`) gives each move its
probability of a positive NPV and the programme its P10 / P50 / P90.

``result``::

    {"as_of", "currency", "assumptions", "objective",
     "solver": {"name", "status", "objective", "bound", "gap", "seconds"},
     "totals": {"annual_saving": {"low", "central", "high"}, "one_off_cost",
                "npv": {"low", "central", "high", "p10", "p50", "p90"}},
     "years": [{"year": "2027-28", "one_off_cost", "annual_saving", "run_rate", "go_lives"}],
     "moves": [{...the suggestion's fields for the chosen members..., "claims", "left_out",
                "probability_positive_npv"}],
     "not_chosen": [{"id", "kind", "npv_central", "why"}],
     "organisation_names": {id: name}}

Every byte is the same for the same estate and options, whatever the file order and
``PYTHONHASHSEED``, except ``solver.seconds`` (the wall-clock time of the solve) and, when
the time limit stops the solver, the moves it had found by then.
"""
from __future__ import annotations

from ictgraph.queries.plan.engine import PlanEstate, plan, plan_estate, suggest_in_plan
from ictgraph.queries.plan.model import Constraints
from ictgraph.queries.plan.tables import plan_table

__all__ = ["Constraints", "PlanEstate", "plan", "plan_estate", "plan_table", "suggest_in_plan"]
