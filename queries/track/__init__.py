"""``ictgraph track``: did the consolidation programme deliver?

Public entry points::

    from ictgraph.queries.track import read_programme, track, track_table

    programme = read_programme(Path("programme.json"))      # a plan saved with --format json
    result = track(programme, later_graph, as_of=date(2028, 6, 30), snapshots=[(date, graph), ...])
    columns, rows = track_table(result)

``result``::

    {"programme_as_of", "as_of", "currency", "rules", "snapshots": [date, ...],
     "realisation": {"forecast_central", "realised", "ratio",
                     "moves": {"done", "partly done", "due", "not yet due", "overtaken"},
                     "by_year": [{"year", "forecast_central", "realised", "ratio"}],
                     "service": {"better", "same", "worse"}, "due_not_done": [move id, ...]},
     "moves": [{"id", "kind", "lead", "target_product", "capabilities", "datacentre", "status",
                "evidence", "forecast_annual_saving": {"low", "central", "high"},
                "realised_annual_saving", "against_forecast": "below low"|"within"|"above high",
                "steps": [{"organisation", "action", "go_live", "status", "evidence",
                           "baseline_annual_spend", "annual_spend_now", "realised_annual_saving",
                           "first_done", "slippage_months"}],     # the last two with snapshots
                "already_there": [{... the same, status null ...}],
                "service": [{"organisation", "measure", "better", "before": {"period", "value"} | null,
                             "after": {...} | null, "change": "better"|"same"|"worse"|null}]}],
     "organisation_names": {id: name}}

Deterministic: moves in the programme's order, steps in the move's.
"""
from __future__ import annotations

from ictgraph.queries.track.programme_file import read_programme
from ictgraph.queries.track.tables import track_summary, track_table
from ictgraph.queries.track.track import track

__all__ = ["read_programme", "track", "track_summary", "track_table"]
