"""The suggestion engine: candidates of every kind of sharing, their paths, money and rank.

One module per kind (:mod:`.shared_platform`, :mod:`.datacentres`, :mod:`.networks`,
:mod:`.skills`, :mod:`.management`, :mod:`.policies`, :mod:`.joint_procurement`) beside
what they share: :mod:`.candidates` (the estate read once, nearness, groups), :mod:`.paths`
(wave schedules), :mod:`.savings` and :mod:`.savings_file` (the savings model),
:mod:`.ranking` and :mod:`.rationale`. :mod:`.engine` runs the kinds and ranks the result;
its public names are re-exported here, so ``from ictgraph.queries.suggest import suggest`` is the
entry point.
"""
from __future__ import annotations

from ictgraph.queries.suggest.engine import (KINDS, METHODS, load_savings_model, step_table, suggest, suggestion_people_table,
                                    suggestion_table)

__all__ = ["KINDS", "METHODS", "load_savings_model", "step_table", "suggest", "suggestion_people_table",
           "suggestion_table"]
