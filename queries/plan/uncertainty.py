"""How sure the programme is: a seeded Monte Carlo over the savings model's ranges.

Each uncertain parameter of the savings model (:data:`PARAMETERS`) is drawn from a
triangular distribution with its low, central and high values as minimum, mode and maximum.
One draw of a parameter applies to every part that uses it, in every move: the model's own
error moves the whole programme together and is not averaged away across moves.

A part's saving (and one-off cost) is linear in its parameter, so at a draw the part's
saving is its low / central / high range read at the same place as the parameter's draw:
piecewise-linear through (low, central, high). Its NPV at the draw is then
``saving × A − cost × D − break``, where ``A`` is the present value of one unit a year from
its go-live to the horizon and ``D`` that of one unit paid at its cost date, as in
:func:`queries.suggest.savings.part_npv`. Each part's sampled NPV is rounded to whole units
and kept within its stated low–high range, so a move whose low NPV is positive is positive in
every draw (probability 1).

The data-centre saving combines the share of a site's cost saved with the host's marginal
cost; the model pairs their bounds (low saving with high host cost), and the draw keeps that
pairing: one draw, ``datacentre.saving``, read on the closure-saving range's shape.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ictgraph.queries.plan.parts import Option, Part
from ictgraph.queries.suggest.savings import Range, SavingsModel, discounted, stream_value, years_between

__all__ = ["DISTRIBUTION", "PARAMETERS", "Draws", "draw", "part_samples"]

DISTRIBUTION = "triangular (minimum low, mode central, maximum high)"
# kind → (the parameter its savings scale with, the parameter its one-off costs scale with)
PARAMETERS: Mapping[str, tuple[str, str]] = {
    "shared-platform": ("saving_rate", "migration_multiple"),
    "joint-procurement": ("joint_procurement.saving_rate", "joint_procurement.coordination_multiple"),
    "network": ("network.saving_rate", "network.procurement_multiple"),
    "datacentre": ("datacentre.saving", "datacentre.move_multiple"),
}


def parameter_ranges(model: SavingsModel) -> dict[str, Range]:
    """Each uncertain parameter's low / central / high, by name."""
    s = model.sharing
    return {"saving_rate": model.saving_rate, "migration_multiple": model.migration_multiple,
            "joint_procurement.saving_rate": s.joint_procurement.saving_rate,
            "joint_procurement.coordination_multiple": s.joint_procurement.coordination_multiple,
            "network.saving_rate": s.network.saving_rate,
            "network.procurement_multiple": s.network.procurement_multiple,
            "datacentre.saving": s.datacentre.closure_saving, "datacentre.move_multiple": s.datacentre.move_multiple}


@dataclass(frozen=True)
class Draws:
    """``position[name]``: where each draw of a parameter falls, −1 at low, 0 at central, +1 at high."""

    samples: int
    seed: int
    position: Mapping[str, np.ndarray]


def _position(values: np.ndarray, r: Range) -> np.ndarray:
    below = (values - r.central) / (r.central - r.low) if r.central > r.low else np.zeros_like(values)
    above = (values - r.central) / (r.high - r.central) if r.high > r.central else np.zeros_like(values)
    return np.where(values < r.central, below, above)


def draw(model: SavingsModel, samples: int, seed: int) -> Draws:
    """``samples`` joint draws of every parameter, in name order, from one seeded generator."""
    rng = np.random.default_rng(seed)
    position = {}
    for name, r in sorted(parameter_ranges(model).items()):
        values = rng.triangular(r.low, r.central, r.high, samples) if r.high > r.low else np.full(samples, r.central)
        position[name] = _position(values, r)
    return Draws(samples, seed, position)


def _read(r: Range, at: np.ndarray) -> np.ndarray:
    return np.where(at < 0, r.central + at * (r.central - r.low), r.central + at * (r.high - r.central))


def part_samples(part: Part, kind: str, draws: Draws, as_of: dt.date, model: SavingsModel) -> np.ndarray:
    """The part's NPV at every draw (whole units, within its low–high range)."""
    if part.go_live is None or kind not in PARAMETERS:
        return np.full(draws.samples, float(part.npv.central))
    saving_name, cost_name = PARAMETERS[kind]
    r, h = model.discount_rate, model.horizon_years
    per_year = stream_value(1.0, years_between(as_of, part.go_live), h, r)
    per_cost = discounted(1.0, years_between(as_of, part.cost_at or as_of), r)
    paid = discounted(part.break_cost, years_between(as_of, part.go_live), r)
    cost = part.one_off.central - part.break_cost
    cost_range = Range(part.one_off.low - part.break_cost, cost, part.one_off.high - part.break_cost)
    npv = _read(part.saving, draws.position[saving_name]) * per_year \
        - _read(cost_range, draws.position[cost_name]) * per_cost - paid
    return np.clip(np.rint(npv), part.npv.low, part.npv.high)


def move_samples(option: Option, parts: Sequence[Part], chosen: frozenset[int], draws: Draws, as_of: dt.date,
                 model: SavingsModel) -> np.ndarray:
    """The move's NPV at every draw: the sum over its chosen parts."""
    total = np.zeros(draws.samples)
    for i in (option.base, *option.steps, *option.starts):
        if i in chosen:
            total += part_samples(parts[i], option.uncertain, draws, as_of, model)
    return total


def probability_positive(samples: np.ndarray) -> float:
    """The share of draws with a positive NPV, to four decimals."""
    return round(float(np.count_nonzero(samples > 0)) / max(1, samples.size), 4)


def percentiles(samples: np.ndarray) -> dict[str, int]:
    """P10, P50 and P90 of the draws, each one of the drawn values (whole units)."""
    if samples.size == 0:
        return {"p10": 0, "p50": 0, "p90": 0}
    q = np.quantile(samples, [0.1, 0.5, 0.9], method="inverted_cdf")
    return {"p10": int(q[0]), "p50": int(q[1]), "p90": int(q[2])}
