"""Scores of a consolidation suggestion: the target product, expiry alignment, proximity, value.

Every part is a pure function returning a number in [0, 1]; the ranking score is their
weighted sum (weights in the savings model's ``score`` section), rounded to 4 places:

``score = w_value·value + w_alignment·alignment + w_proximity·proximity + w_target·target``

value
    ``n / (n + value_scale)`` for the central net present value ``n > 0``, else 0: more money
    ranks higher, with diminishing returns, and never depends on the other suggestions.
alignment (analytics.md §2 "Expiry alignment")
    over the dates each joiner goes live and the lead's own renewal (the moment it can buy
    capacity for partners: its contract end + 1 day, not before as-of + lead time): the mean
    over all pairs of ``max(0, 1 − months apart / W)``, the wave score ``1 − span/W`` of each
    pair. 1 when all fall on one date; 0 when no two are within W months (a lone joiner
    whose contract ends years from the lead's has nothing to align with). Pairwise rather
    than per wave, so that where the schedule happens to cut its waves does not matter.
proximity (analytics.md §2 "Proximity")
    the mean proximity of the joining organisations (1.0 partnership, 0.8 neighbour,
    0.6 same county area, 0.5 two hops in the region), times a dominance penalty
    ``1 − 0.5 · max(0, d − 0.5) / 0.5`` where ``d`` is the lead's share of the group's
    population: one council dominating a group made the 2013 Aylesbury Vale–Dacorum
    arrangement a supplier–customer relationship.
target (analytics.md §2 "Target")
    ``0.4·population share on the product + 0.3·fit + 0.2·lifecycle + 0.1·(1 − vendor
    concentration)``. The inventory records no fit scores, so fit and lifecycle come from
    the TIME disposition (``lifecycle``) of the product's own instances in the group:
    fit invest 1, tolerate 0.5, migrate 0.5, eliminate 0; lifecycle invest 1, tolerate 0.5,
    migrate 0, eliminate 0; unrecorded 0.5 for both. Vendor concentration is the vendor's
    share of the organisations in the estate running a product for the capabilities.

A population that is not recorded counts as the median of the recorded populations in
the group (1 when none is recorded), so that it neither vanishes nor dominates.
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ictgraph.queries.suggest.candidates import EstateView, Group
from ictgraph.queries.suggest.paths import Step
from ictgraph.queries.suggest.savings import ScoreWeights, months_between

__all__ = ["FIT", "OUTLOOK", "ScoreParts", "alignment", "group_populations", "proximity_score", "target_parts",
           "value_part", "vendor_concentration"]

FIT = {"invest": 1.0, "tolerate": 0.5, "migrate": 0.5, "eliminate": 0.0}
OUTLOOK = {"invest": 1.0, "tolerate": 0.5, "migrate": 0.0, "eliminate": 0.0}
UNRECORDED = 0.5


@dataclass(frozen=True)
class ScoreParts:
    value: float
    alignment: float
    proximity: float
    target: float

    def total(self, weights: ScoreWeights) -> float:
        return round(weights.value * self.value + weights.alignment * self.alignment
                     + weights.proximity * self.proximity + weights.target * self.target, 4)

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in vars(self).items()}


def group_populations(view: EstateView, group: Group) -> dict[str, float]:
    """Each member's population, unrecorded ones as the group's median (1 when none)."""
    known = [p for m in group.members if (p := view.organisations[m.organisation].population)]
    fallback = float(statistics.median(known)) if known else 1.0
    return {m.organisation: float(view.organisations[m.organisation].population or fallback)
            for m in group.members}


def vendor_concentration(view: EstateView, capabilities: Sequence[str], vendor: str) -> float:
    """Share of the organisations running a product for ``capabilities`` that use ``vendor``."""
    users = [view.vendor_users.get(c, {}) for c in capabilities]
    everyone = set().union(*(orgs for by in users for orgs in by.values()))
    theirs = set().union(*(by.get(vendor, frozenset()) for by in users))
    return len(theirs) / len(everyone) if everyone else 0.0


def target_parts(view: EstateView, group: Group) -> dict[str, float]:
    """The target product's score and its parts (analytics.md §2)."""
    pops = group_populations(view, group)
    on = sum(pops[m.organisation] for m in group.members if m.role != "migrate")
    instances = [u for m in group.members if m.role in ("lead", "join-hosted")
                 for u in m.uses if u.product == group.product and u.host_system is None]
    fit = statistics.fmean(FIT.get(u.lifecycle or "", UNRECORDED) for u in instances)
    outlook = statistics.fmean(OUTLOOK.get(u.lifecycle or "", UNRECORDED) for u in instances)
    concentration = vendor_concentration(view, group.capabilities, view.vendors.get(group.product, ""))
    share = on / sum(pops.values())
    score = 0.4 * share + 0.3 * fit + 0.2 * outlook + 0.1 * (1 - concentration)
    return {"population_share": share, "fit": fit, "lifecycle": outlook,
            "vendor_concentration": concentration, "score": score}


def alignment(dates: Sequence[dt.date], window_months: int) -> float:
    """Expiry alignment: the mean over pairs of dates of ``max(0, 1 − months apart / W)``.

    0 with fewer than two dates; 1 when all fall on one day.

    >>> alignment([dt.date(2027, 4, 1), dt.date(2027, 4, 1), dt.date(2031, 4, 1)], 12)
    0.3333333333333333
    """
    ordered = sorted(dates)
    pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]
    return statistics.fmean(max(0.0, 1 - months_between(a, b) / window_months) for a, b in pairs) if pairs else 0.0


def proximity_score(view: EstateView, group: Group) -> float:
    """Mean proximity of the joiners, less the dominance penalty of a lead that outweighs them."""
    joining = group.joining
    if not joining:
        return 0.0
    pops = group_populations(view, group)
    dominance = pops[group.lead] / sum(pops.values())
    penalty = 1 - 0.5 * max(0.0, dominance - 0.5) / 0.5
    return statistics.fmean(m.proximity for m in joining) * penalty


def value_part(npv_central: float, scale: float) -> float:
    """``n / (n + scale)`` for a positive central net present value ``n``, else 0."""
    return npv_central / (npv_central + scale) if npv_central > 0 else 0.0


def score_parts(view: EstateView, group: Group, steps: Sequence[Step], lead_renewal: dt.date,
                npv_central: float, weights: ScoreWeights,
                window_months: int) -> tuple[ScoreParts, Mapping[str, float]]:
    """The four parts of the ranking score, and the target's own parts for the rationale."""
    target = target_parts(view, group)
    dates = [s.go_live for s in steps] + [lead_renewal]
    parts = ScoreParts(value_part(npv_central, weights.value_scale), alignment(dates, window_months),
                       proximity_score(view, group), target["score"])
    return parts, target
