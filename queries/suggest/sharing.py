"""What the sharing kinds beyond applications have in common: nearness, money, the JSON shape.

The kinds (:mod:`queries.suggest.datacentres`, :mod:`queries.suggest.networks`, :mod:`queries.suggest.skills`,
:mod:`queries.suggest.management`, :mod:`queries.suggest.policies`, :mod:`queries.suggest.joint_procurement`) return
suggestions with the common fields of ``suggest`` in this order::

    id, kind, capabilities, organisations, target_product, lead, currency, steps,
    already_there, annual_saving, one_off_cost, one_off_cost_range, npv, score,
    score_parts, rationale, claims, <kind-specific fields>

``capabilities`` are the business capabilities the suggestion touches (``[]`` for data
centres, networks, skills, management and policies: infrastructure and people serve every
capability, so no tier rule applies); ``target_product`` is null; a step has every field of
a shared-platform step (:func:`step`). Money is in whole units of the suggestion's currency.

Nearness (:func:`near_organisations`) is the proximity of ``shared/notes/analytics.md`` §2,
as :func:`queries.suggest.candidates.neighbourhood` computes it (neighbours 0.8, the same county
area 0.6, two hops in the region 0.5 when ``grouping.max_hops`` is 2), except that any
partnership that has not ended counts (1.0), whatever capabilities it names: sharing
infrastructure or people is what partnerships do first.

Claims (:func:`claims_of`): the resources a suggestion consumes, as sorted strings. Every
step and every ``already_there`` entry has its own ``claims`` (its last key); the
suggestion's ``claims`` are the sorted union of theirs and its own move-level claims.
Formats: ``ORG/CAPABILITY`` (shared platforms, joint procurements), a data centre's id (each
closed or shrunk, on its step; the host filled, on the suggestion), ``ORG/skill:SKILL``,
``ORG/management``, ``ORG/policy:STANDARD``, ``ORG/network:KIND``. Two suggestions conflict
exactly when their claims intersect: at most one of them can be followed.

The score is the weighted sum of ``suggest``'s four parts (weights in the savings model's
``score`` section): ``value`` (central NPV n as n / (n + value_scale)), ``alignment`` (how
well the timing lines up), ``proximity`` and ``target`` (how well the lead or resource
fits); each kind says what alignment and target mean for it in its ``METHOD``.
"""
from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ictgraph.queries.suggest.candidates import EstateView, neighbourhood
from ictgraph.queries.suggest.ranking import ScoreParts, value_part
from ictgraph.queries.suggest.rationale import money
from ictgraph.queries.suggest.savings import ZERO, Grouping, Range, SavingsModel, part_npv

__all__ = ["NO_MONEY_TEXT", "Near", "as_money", "capability_claims", "claims_of", "iso", "label", "money_lines",
           "near_organisations", "npv_of", "score", "step", "suggestion", "total", "zero_money"]

Near = Mapping[str, tuple[float, str]]
NO_MONEY_TEXT = ("No money is estimated: the inventory format records no staff costs, so the saving is "
                 "resilience, not cash (0 / 0 / 0).")


def label(view: EstateView, organisation: str) -> str:
    """``Name (ID)``."""
    return f"{view.name('Organisation', organisation)} ({organisation})"


def near_organisations(view: EstateView, organisation: str, grouping: Grouping) -> dict[str, tuple[float, str]]:
    """The organisations near ``organisation``: id → (proximity, reason), strongest reason first."""
    me = view.name("Organisation", organisation)
    near = {o: (w, r.replace("the lead", me)) for o, (w, r) in neighbourhood(view, organisation, (), grouping).items()}
    for p in view.partnerships:
        if p.status != "ended" and organisation in p.members:
            for other in p.members:
                if other != organisation and other in view.organisations and near.get(other, (0.0, ""))[0] < 1.0:
                    near[other] = (1.0, f"partner in {p.name} ({p.status})")
    if grouping.same_nation:
        nation = view.organisations[organisation].nation
        near = {o: v for o, v in near.items() if not (nation and view.organisations[o].nation
                                                      and view.organisations[o].nation != nation)}
    return dict(sorted(near.items()))


def capability_claims(organisation: str, capabilities: Iterable[str]) -> list[str]:
    """``ORG/CAPABILITY`` for each capability, sorted.

    >>> capability_claims("E07000117", ["council-tax", "business-rates"])
    ['E07000117/business-rates', 'E07000117/council-tax']
    """
    # interned: the same member's claims recur in every group it is offered (memory, issue 14)
    return sorted({sys.intern(f"{organisation}/{c}") for c in capabilities})


@functools.lru_cache(maxsize=None)
def iso(day: dt.date) -> str:
    """``day.isoformat()``, one string per date: a national estate's steps repeat a few
    thousand dates hundreds of thousands of times, and every string is kept until output."""
    return day.isoformat()


def claims_of(*parts: Iterable[Mapping[str, Any]], own: Iterable[str] = ()) -> list[str]:
    """The sorted union of the ``claims`` of every step or entry in ``parts`` and ``own``.

    >>> claims_of([{"claims": ["B/x"]}], [{"claims": ["A/x", "B/x"]}], own=["dc1"])
    ['A/x', 'B/x', 'dc1']
    """
    return sorted({c for entries in parts for entry in entries for c in entry["claims"]} | set(own))


def as_money(amount: Range) -> dict[str, int]:
    return {"low": int(round(amount.low)), "central": int(round(amount.central)), "high": int(round(amount.high))}


def zero_money() -> dict[str, int]:
    return as_money(ZERO)


def total(ranges: Sequence[Range]) -> Range:
    result = ZERO
    for r in ranges:
        result = result.plus(r)
    return result


def npv_of(saving: Range, go_live: dt.date, cost: Range, cost_at: dt.date, as_of: dt.date,
           model: SavingsModel) -> Range:
    """One part's net present value, rounded (see :func:`queries.suggest.savings.part_npv`)."""
    return part_npv(saving, go_live, cost, cost_at, as_of, model).rounded()


def step(organisation: str, system: str | None, action: str, *, not_before: dt.date, go_live: dt.date | None,
         prep_start: dt.date | None, wave: int | None = 1, annual_value: float | None = None,
         saving: Range = ZERO, cost: Range = ZERO, npv: Range = ZERO,
         contracts: Sequence[str] = (), claims: Iterable[str] = (), **extra: Any) -> dict[str, Any]:
    """A step with every field ``suggest``'s step table reads, then the kind's own fields,
    then ``claims`` (sorted, no repeats)."""
    return {"organisation": organisation, "system": system, "action": action,
            "not_before": iso(not_before), "go_live": iso(go_live) if go_live else None,
            "break_cost": 0, "wave": wave, "prep_start": iso(prep_start) if prep_start else None,
            "capabilities": [], "current_product": None, "contracts": sorted(contracts),
            "annual_value": None if annual_value is None else int(round(annual_value)),
            "annual_saving": as_money(saving), "one_off_cost": int(round(cost.central)),
            "one_off_cost_range": as_money(cost), "npv": as_money(npv), **extra, "claims": sorted(set(claims))}


def score(model: SavingsModel, npv_central: float, alignment: float, proximity: float,
          target: float) -> tuple[float, dict[str, float]]:
    """The ranking score and its parts (see the module docstring)."""
    parts = ScoreParts(value_part(npv_central, model.score.value_scale), alignment, proximity, target)
    return parts.total(model.score), parts.as_dict()


def suggestion(*, sid: str, kind: str, organisations: Sequence[str], lead: str, currency: str,
               steps: Sequence[dict[str, Any]], already_there: Sequence[dict[str, Any]], saving: Range,
               cost: Range, npv: Range, score_and_parts: tuple[float, dict[str, float]],
               rationale: Sequence[str], capabilities: Sequence[str] = (), claims: Iterable[str] = (),
               **extra: Any) -> dict[str, Any]:
    """A JSON-ready suggestion with the common fields first, then the kind's own.

    ``claims`` are the move-level claims (a host data centre filled, or the claims of a kind
    without steps); the suggestion's ``claims`` add those of its steps and entries."""
    return {"id": sid, "kind": kind, "capabilities": sorted(capabilities), "organisations": sorted(set(organisations)),
            "target_product": None, "lead": lead, "currency": currency, "steps": list(steps),
            "already_there": list(already_there), "annual_saving": as_money(saving),
            "one_off_cost": int(round(cost.central)), "one_off_cost_range": as_money(cost), "npv": as_money(npv),
            "score": score_and_parts[0], "score_parts": score_and_parts[1], "rationale": list(rationale),
            "claims": claims_of(steps, already_there, own=claims), **extra}


def money_lines(saving: Range, cost: Range, npv: Range, currency: str, model: SavingsModel,
                saving_basis: str, cost_basis: str) -> list[str]:
    """The three money sentences every priced suggestion ends with."""
    c = currency
    lines = [f"Saving {money(saving.low, c)} to {money(saving.high, c)} a year (central {money(saving.central, c)}): "
             f"{saving_basis}.",
             f"One-off cost {money(cost.low, c)} to {money(cost.high, c)} (central {money(cost.central, c)}): "
             f"{cost_basis}, times {1 + model.optimism_bias:g} for optimism bias.",
             f"Net present value over {model.horizon_years} years at {model.discount_rate:.1%}: "
             f"{money(npv.low, c)} to {money(npv.high, c)} (central {money(npv.central, c)})."]
    return lines
