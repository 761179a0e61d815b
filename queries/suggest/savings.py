"""The savings model of ``ictgraph suggest``: its assumptions, and the money arithmetic.

Public entry points:

* :class:`SavingsModel`, loaded by :func:`queries.suggest.savings_file.load_savings_model` from the
  defaults of ``queries/suggest/savings_model.yaml`` (evidence cited there) and a replacement file;
* :meth:`SavingsModel.assumptions` → the JSON-ready block printed with every suggestion list;
* pure money functions: :func:`annual_saving`, :func:`migration_cost`, :func:`break_cost`,
  :func:`part_npv` (and the discounting helpers they use).

Formulas (``shared/notes/analytics.md`` §2):

* annual saving = ``saving_rate × annual value`` (low / central / high);
* one-off migration cost = ``migration_multiple × annual value × (1 + optimism_bias)``,
  times ``same_product_factor`` when the organisation already runs the target product;
* break cost = ``remaining months × monthly value × break_ratio`` (months of 365.25/12 days);
* net present value over ``horizon_years`` from the as-of date at ``discount_rate``, with
  continuous discounting: a saving of ``S`` a year from ``t0`` is worth
  ``S · (v^t0 − v^H) / ln(1 + r)`` with ``v = 1/(1 + r)``; a one-off cost at ``t`` is worth
  ``C · v^t``. The low NPV pairs the low saving with the high cost, the high NPV the reverse,
  so ``low ≤ central ≤ high`` always holds.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ictgraph.queries.suggest.sharing_params import SharingParams

__all__ = [
    "Grouping", "Range", "SavingsModel", "Schedule", "ScoreWeights", "annual_saving", "break_cost", "discounted",
    "migration_cost", "months_between", "part_npv", "stream_value", "whole", "years_between",
]

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, slots=True)     # slots: a national estate holds millions of ranges
class Range:
    """A low / central / high estimate."""

    low: float
    central: float
    high: float

    def scaled(self, factor: float) -> Range:
        """Every bound times ``factor`` (``factor ≥ 0`` keeps the order)."""
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def plus(self, other: Range) -> Range:
        """The bound-by-bound sum."""
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def rounded(self) -> Range:
        """Every bound rounded to whole units of money."""
        return Range(whole(self.low), whole(self.central), whole(self.high))

    def as_dict(self) -> dict[str, float]:
        return {"low": self.low, "central": self.central, "high": self.high}


ZERO = Range(0, 0, 0)


@dataclass(frozen=True)
class Schedule:
    window_months: int
    lead_time_months: int
    break_early: bool


@dataclass(frozen=True)
class Grouping:
    max_hops: int
    same_nation: bool


@dataclass(frozen=True)
class ScoreWeights:
    value: float
    alignment: float
    proximity: float
    target: float
    value_scale: float


@dataclass(frozen=True)
class SavingsModel:
    """Every assumption ``suggest`` uses; ``origin`` says where the values came from."""

    saving_rate: Range
    migration_multiple: Range
    same_product_factor: float
    optimism_bias: float
    break_ratio: float
    discount_rate: float
    horizon_years: int
    schedule: Schedule
    grouping: Grouping
    score: ScoreWeights
    sources: tuple[tuple[str, str], ...]
    origin: str
    sharing: SharingParams      # the sharing kinds beyond applications (queries/suggest/sharing_params.py)

    def assumptions(self) -> dict[str, Any]:
        """The JSON-ready assumptions block: every value, where it came from, and why."""
        return {"model": self.origin, "saving_rate": self.saving_rate.as_dict(),
                "migration_multiple": self.migration_multiple.as_dict(),
                "same_product_factor": self.same_product_factor, "optimism_bias": self.optimism_bias,
                "break_ratio": self.break_ratio, "discount_rate": self.discount_rate,
                "horizon_years": self.horizon_years, "schedule": vars(self.schedule).copy(),
                "grouping": vars(self.grouping).copy(), "score": vars(self.score).copy(),
                **self.sharing.assumptions(), "sources": dict(self.sources)}


# --- the money arithmetic -------------------------------------------------------------

def whole(amount: float) -> int:
    """Money rounded to whole units (round half to even: monotone, so order is kept)."""
    return int(round(amount))


def annual_saving(value: float, model: SavingsModel) -> Range:
    """The yearly saving on ``value`` a year of spend: ``saving_rate × value``."""
    return model.saving_rate.scaled(value)


def migration_cost(value: float, model: SavingsModel, *, same_product: bool = False) -> Range:
    """One-off cost of moving an organisation whose annual value is ``value``.

    ``migration_multiple × value × (1 + optimism_bias)``, times ``same_product_factor``
    when it moves onto a partner's instance of the product it already runs."""
    factor = (1 + model.optimism_bias) * (model.same_product_factor if same_product else 1.0)
    return model.migration_multiple.scaled(value * factor)


def months_between(start: dt.date, end: dt.date) -> float:
    """Months (of 365.25/12 days) from ``start`` to ``end``; 0 when ``end`` is not later."""
    return max(0, (end - start).days) * 12 / DAYS_PER_YEAR


def break_cost(annual_value: float, go_live: dt.date, contract_end: dt.date, ratio: float) -> float:
    """Cost of leaving a contract at ``go_live`` instead of its end: 0 unless it is earlier.

    ``remaining months × monthly value × ratio``."""
    return months_between(go_live, contract_end) * annual_value / 12 * ratio


def years_between(as_of: dt.date, day: dt.date) -> float:
    """Years from ``as_of`` to ``day`` (negative before it)."""
    return (day - as_of).days / DAYS_PER_YEAR


def discounted(amount: float, at_years: float, rate: float) -> float:
    """Present value of ``amount`` paid ``at_years`` from now (no discount for the past)."""
    return float(amount / (1 + rate) ** max(0.0, at_years))


def stream_value(per_year: float, start_years: float, horizon_years: float, rate: float) -> float:
    """Present value of ``per_year`` a year, flowing continuously from ``start_years`` to the horizon."""
    start = max(0.0, start_years)
    if start >= horizon_years:
        return 0.0
    # log1p and expm1 keep tiny rates exact; a rate too small to register is no discounting.
    force = math.log1p(rate)
    if force == 0.0:
        return per_year * (horizon_years - start)
    return float(per_year * math.exp(-start * force) * -math.expm1(-(horizon_years - start) * force) / force)


def part_npv(saving: Range, saving_from: dt.date, cost: Range, cost_at: dt.date, as_of: dt.date,
             model: SavingsModel) -> Range:
    """Net present value of one organisation's part: its saving stream less its one-off cost.

    The low bound pairs the low saving with the high cost; the high bound the reverse."""
    start, paid = years_between(as_of, saving_from), years_between(as_of, cost_at)
    r, h = model.discount_rate, model.horizon_years

    def net(s: float, c: float) -> float:
        return stream_value(s, start, h, r) - discounted(c, paid, r)

    return Range(net(saving.low, cost.high), net(saving.central, cost.central), net(saving.high, cost.low))
