"""A programme saved in Neo4j (``plan --neo4j --save NAME``), read back for ``ictgraph track``.

:func:`programme_from_rows` (pure) turns the rows of the named query
``programme/programme_for_tracking`` into the parts of a plan's JSON that tracking reads;
:func:`read_saved_programme` runs the query. The baselines come back as they were saved, so
a programme tracks the same from Neo4j as from its JSON (``tests/test_track_neo4j.py``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ictgraph.graph_loader.connect import Neo4jSettings, open_driver
from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.catalog import find_query
from ictgraph.queries.runner import run_read_only
from ictgraph.queries.track.programme_file import check_programme

__all__ = ["programme_from_rows", "read_saved_programme"]

BASELINE = ("annual_spend", "currency", "scope", "contracts", "uses", "hosts", "products", "racks_used")
LISTS = ("scope", "contracts", "uses", "hosts", "products")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _entry(props: Mapping[str, Any]) -> dict[str, Any]:
    """A step or already_there entry: its own properties and its baseline, nested again."""
    entry = {k: _iso(v) for k, v in props.items() if not k.startswith("baseline_")}
    baseline = {k: props.get(f"baseline_{k}") for k in BASELINE}
    baseline.update({k: list(baseline[k] or []) for k in LISTS})
    levels = zip(props.get("baseline_service_measures") or [], props.get("baseline_service_periods") or [],
                 props.get("baseline_service_values") or [])
    baseline["service"] = {m: [p, v] for m, p, v in levels}
    if "baseline_annual_spend" in props:
        entry["baseline"] = baseline
    return entry


def _money(props: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {k: props.get(f"{prefix}_{k}") for k in ("low", "central", "high")}


def _move(row: Mapping[str, Any]) -> dict[str, Any]:
    m = row["move"]
    return {"id": m["id"], "kind": m["kind"], "lead": row["lead"], "target_product": m.get("target_product"),
            "datacentre": m.get("datacentre"), "capabilities": list(m.get("capabilities") or []),
            "organisations": list(m.get("organisations") or []), "annual_saving": _money(m, "annual_saving"),
            "steps": [_entry(s) for s in row["steps"]], "already_there": [_entry(a) for a in row["already_there"]]}


def programme_from_rows(name: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The programme ``name`` from the query's rows (one per move, by rank)."""
    if not rows:
        raise UsageError(f'no programme named "{name}" in the database',
                         "list them with `ictgraph query programmes`; save one with `ictgraph plan --neo4j --save NAME`")
    p = rows[0]["programme"]
    years = [{"year": y, "annual_saving": {"central": c}}
             for y, c in zip(p.get("years") or [], p.get("years_annual_saving_central") or [])]
    names = {pair[0]: pair[1] for row in rows for pair in row["names"]}
    return check_programme({"as_of": _iso(p["as_of"]), "currency": p.get("currency"), "name": name,
                            "totals": {"annual_saving": _money(p, "annual_saving")}, "years": years,
                            "moves": [_move(r) for r in rows], "organisation_names": dict(sorted(names.items()))},
                           f'programme "{name}" in Neo4j')


def read_saved_programme(settings: Neo4jSettings, name: str) -> dict[str, Any]:
    """The programme saved in Neo4j as ``name``."""
    query = find_query("programme_for_tracking")
    with open_driver(settings) as driver:
        result = run_read_only(driver, query.text, {"programme": name}, database=settings.database)
    return programme_from_rows(name, [dict(zip(result.columns, row)) for row in result.rows])
