"""The programme in the graph: ``ictgraph plan --neo4j --save NAME``.

:func:`programme_rows` turns a plan (:func:`queries.plan.plan`'s result) into the parameters of
the named write statements in ``queries/cypher/programme/`` (pure); :func:`save_programme`
runs them in one transaction: the programme of that name and its moves are deleted, then
created again, linked to the estate by its keys. The estate's own nodes and relationships
are never written; nothing of the programme is part of the estate (schema.yaml,
``programme:``), so loads neither count nor remove it.

What is saved::

    (:Programme {name, as_of, objective, currency, solver, solver_status, solver_objective,
                 solver_bound, solver_gap, moves, one_off_cost, annual_saving_low|central|high,
                 npv_low|central|high|p10|p50|p90, years, years_one_off_cost,
                 years_annual_saving_central, years_go_lives})
      -[:HAS_MOVE {rank}]->
    (:Move {programme, id, kind, title, lead, target_product, capabilities, organisations,
            claims, first_go_live, last_go_live, one_off_cost, annual_saving_low|central|high,
            npv_low|central|high, probability_positive_npv})
    (:Move)-[:MOVE_LED_BY]->(:Organisation)
    (:Move)-[:MOVES {action, go_live, npv_central, annual_saving_central, one_off_cost, system, wave,
                     current_product, datacentre, racks, systems, order, baseline_*}]->(:Organisation)
    (:Move)-[:ALREADY_THERE {action, role, system, order, baseline_*}]->(:Organisation)

``order``: the step's place in the move's list.

``baseline_*``: the step's baseline for ``ictgraph track`` (:mod:`queries.plan.baseline`) as
flat properties: ``baseline_annual_spend``, ``baseline_currency``, ``baseline_scope``,
``baseline_contracts``, ``baseline_uses``, ``baseline_hosts``, ``baseline_products``,
``baseline_racks_used`` and the levels of service as ``baseline_service_measures``,
``baseline_service_periods``, ``baseline_service_values`` (parallel lists); ``queries/cypher/programme/programme_for_tracking.cypher`` reads them back.
    (:Move)-[:CONCERNS {role}]->(:System|Product|DataCentre|Contract|Capability|Network|ProcurementPlan)

No timestamp is stored (``solver.seconds`` neither): the same plan saves the same graph.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


from ictgraph.graph_loader import load_schema
from ictgraph.graph_loader.connect import Neo4jSettings, open_driver
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.write import ensure_constraints
from ictgraph.queries.runner import run_named_writes

__all__ = ["ProgrammeRows", "SavedProgramme", "check_save", "programme_rows", "save_programme", "store_programme"]

Move = Mapping[str, Any]


@dataclass(frozen=True)
class ProgrammeRows:
    """The parameters of the programme's write statements."""

    name: str
    props: dict[str, Any]
    moves: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    there: list[dict[str, Any]]
    concerns: list[dict[str, Any]]


@dataclass(frozen=True)
class SavedProgramme:
    """What a save wrote, and the links whose estate item the database does not hold."""

    name: str
    moves: int
    links: int
    missing: int
    replaced: bool
    seconds: float

    def __str__(self) -> str:
        verb = "replaced" if self.replaced else "saved"
        gone = f"; {self.missing} item(s) not in the database, not linked" if self.missing else ""
        return (f'{verb} programme "{self.name}": {self.moves} moves, {self.links} links to the estate'
                f"{gone} ({self.seconds:.2f} s)")


def check_save(name: str | None, from_neo4j: bool) -> None:
    """Refuse a save that would not describe the database's estate (before any work)."""
    if name is None:
        return
    if not name.strip():
        raise UsageError("--save needs a programme name", "write --save 2027-programme")
    if not from_neo4j:
        raise UsageError("--save needs --neo4j: a saved programme links to the estate in the database",
                         "load the estate with `ictgraph load PATH...`, then run `ictgraph plan --neo4j --save NAME`")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _range(prefix: str, values: Mapping[str, Any], keys: tuple[str, ...] = ("low", "central", "high")) -> dict[str, Any]:
    return {f"{prefix}_{k}": values[k] for k in keys if k in values}


def _programme_props(result: Mapping[str, Any]) -> dict[str, Any]:
    solver, totals, years = result["solver"], result["totals"], result["years"]
    return {"as_of": _date(result["as_of"]), "objective": result["objective"], "currency": result["currency"],
            "solver": solver["name"], "solver_status": solver["status"], "solver_objective": solver["objective"],
            "solver_bound": solver["bound"], "solver_gap": solver["gap"], "moves": len(result["moves"]),
            "one_off_cost": totals["one_off_cost"], **_range("annual_saving", totals["annual_saving"]),
            **_range("npv", totals["npv"], ("low", "central", "high", "p10", "p50", "p90")),
            "years": [y["year"] for y in years], "years_one_off_cost": [y["one_off_cost"] for y in years],
            "years_annual_saving_central": [y["annual_saving"]["central"] for y in years],
            "years_go_lives": [y["go_lives"] for y in years]}


def move_title(move: Move) -> str:
    """``kind: capabilities on product`` — what the Browser shows on a move."""
    text = move["kind"] + (f': {" + ".join(move["capabilities"])}' if move.get("capabilities") else "")
    text += f' on {move["target_product"]}' if move.get("target_product") else ""
    return text + (f' into {move["datacentre"]}' if move.get("datacentre") else "")


def _move_props(move: Move) -> dict[str, Any]:
    go_lives = sorted(s["go_live"] for s in move["steps"] if s.get("go_live"))
    return {"id": move["id"], "kind": move["kind"], "title": move_title(move), "lead": move.get("lead"),
            "target_product": move.get("target_product"), "datacentre": move.get("datacentre"),
            "capabilities": list(move.get("capabilities") or []),
            "organisations": list(move["organisations"]), "claims": list(move.get("claims") or []),
            "first_go_live": _date(go_lives[0]) if go_lives else None,
            "last_go_live": _date(go_lives[-1]) if go_lives else None, "one_off_cost": move["one_off_cost"],
            **_range("annual_saving", move["annual_saving"]), **_range("npv", move["npv"]),
            "probability_positive_npv": move.get("probability_positive_npv")}


def _baseline_props(step: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline as flat properties; its ``service`` as three parallel lists."""
    baseline = dict(step.get("baseline") or {})
    service = sorted((baseline.pop("service", None) or {}).items())
    return {**{f"baseline_{k}": v for k, v in baseline.items()},
            "baseline_service_measures": [m for m, _ in service], "baseline_service_periods": [p for _, (p, _) in service],
            "baseline_service_values": [float(v) for _, (_, v) in service]}


def _step_props(step: Mapping[str, Any]) -> dict[str, Any]:
    return {"action": step.get("action"), "go_live": _date(step.get("go_live")),
            "npv_central": (step.get("npv") or {}).get("central"),
            "annual_saving_central": (step.get("annual_saving") or {}).get("central"),
            "one_off_cost": step.get("one_off_cost"), "system": step.get("system"), "wave": step.get("wave"),
            "current_product": step.get("current_product"), "datacentre": step.get("datacentre"),
            "racks": step.get("racks"), "systems": step.get("systems"), **_baseline_props(step)}


def _there_props(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {"action": entry.get("action"), "role": entry.get("role"), "system": entry.get("system"),
            **_baseline_props(entry)}


def _item_label(move: Move, step: Mapping[str, Any], item: str) -> str:
    """A step's ``system`` is a system, or the data centre or network the step moves."""
    if item in (step.get("datacentre"), move.get("datacentre")):
        return "DataCentre"
    return "Network" if item == step.get("network") else "System"


def _concerns(move: Move) -> Iterator[tuple[str, str, str]]:
    """(label, id, role) of every estate item a move concerns."""
    if move.get("target_product"):
        yield "Product", move["target_product"], "target"
    if move.get("datacentre"):
        yield "DataCentre", move["datacentre"], "host"
    for capability in move.get("capabilities") or []:
        yield "Capability", capability, "capability"
    for step, role in [(s, "moves") for s in move["steps"]] + [(s, "host") for s in move.get("already_there") or []]:
        if step.get("system"):
            yield _item_label(move, step, step["system"]), step["system"], role
        for key, label in (("datacentre", "DataCentre"), ("network", "Network")):
            if step.get(key) and step[key] != step.get("system"):
                yield label, step[key], role
        yield from (("System", system, "moves-with-site") for system in step.get("systems") or [])
        yield from (("Contract", contract, "contract") for contract in step.get("contracts") or [])
        yield from (("ProcurementPlan", plan, "plan") for plan in step.get("plans") or [])


def programme_rows(name: str, result: Mapping[str, Any]) -> ProgrammeRows:
    """The rows that save ``result`` (a plan) as the programme ``name``."""
    moves = result["moves"]
    return ProgrammeRows(
        name=name, props=_programme_props(result),
        moves=[{"rank": rank, "props": _move_props(m)} for rank, m in enumerate(moves, 1)],
        leads=[{"move": m["id"], "organisation": m["lead"]} for m in moves if m.get("lead")],
        steps=[{"move": m["id"], "organisation": s["organisation"], "props": {**_step_props(s), "order": n}}
               for m in moves for n, s in enumerate(m["steps"])],
        there=[{"move": m["id"], "organisation": a["organisation"], "props": {**_there_props(a), "order": n}}
               for m in moves for n, a in enumerate(m.get("already_there") or [])],
        concerns=[{"move": m["id"], "label": label, "id": item, "role": role}
                  for m in moves for label, item, role in sorted(set(_concerns(m)))])


def save_programme(driver: Any, name: str, result: Mapping[str, Any], *, database: str = "neo4j") -> SavedProgramme:
    """Save ``result`` (a plan) as the programme ``name``, replacing one of that name, in one
    transaction; the estate is untouched. ``driver`` is a ``neo4j.Driver``.

    Raises
    ------
    DatabaseError
        When the database refuses the write (nothing is written)."""
    started = time.perf_counter()
    rows = programme_rows(name, result)
    ensure_constraints(driver, load_schema(), database)
    done = run_named_writes(driver, [
        ("delete_programme", {"programme": name}),
        ("create_programme", {"programme": name, "props": rows.props, "moves": rows.moves}),
        ("link_move_organisations", {"programme": name, "leads": rows.leads, "steps": rows.steps,
                                     "there": rows.there}),
        ("link_move_concerns", {"programme": name, "rows": rows.concerns}),
    ], database=database)
    deleted, _, organisations, concerns = (step.rows[0] for step in done)
    linked = organisations["leads"] + organisations["steps"] + organisations["there"] + concerns["links"]
    wanted = len(rows.leads) + len(rows.steps) + len(rows.there) + len(rows.concerns)
    return SavedProgramme(name, len(rows.moves), linked, wanted - linked, bool(deleted["programmes"]),
                          time.perf_counter() - started)


def store_programme(settings: Neo4jSettings, name: str, result: Mapping[str, Any]) -> SavedProgramme:
    """:func:`save_programme` into the database ``settings`` name."""
    with open_driver(settings) as driver:
        return save_programme(driver, name, result, database=settings.database)
