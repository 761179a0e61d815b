"""The programme's Monte Carlo (queries/plan/uncertainty.py)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ictgraph.queries.plan.parts import Part
from ictgraph.queries.plan.uncertainty import PARAMETERS, draw, parameter_ranges, part_samples, percentiles, probability_positive
from ictgraph.queries.suggest import load_savings_model
from ictgraph.queries.suggest.savings import Range

AS_OF = dt.date(2026, 11, 27)
MODEL = load_savings_model()


def _step(saving: Range, cost: Range, npv: Range) -> Part:
    return Part(index=0, option=0, role="step", organisation="A", claims=(), npv=npv, saving=saving, one_off=cost,
                go_live=dt.date(2027, 6, 1), cost_at=AS_OF)


def test_every_kind_names_parameters_the_model_has() -> None:
    names = set(parameter_ranges(MODEL))
    assert {n for pair in PARAMETERS.values() for n in pair} <= names


def test_the_same_seed_draws_the_same_and_another_seed_does_not() -> None:
    a, b, c = draw(MODEL, 500, 7), draw(MODEL, 500, 7), draw(MODEL, 500, 8)
    assert all(np.array_equal(a.position[k], b.position[k]) for k in a.position)
    assert not np.array_equal(a.position["saving_rate"], c.position["saving_rate"])


def test_draws_fall_between_low_and_high_around_the_central_mode() -> None:
    positions = draw(MODEL, 4000, 1).position["saving_rate"]
    assert positions.min() >= -1 and positions.max() <= 1
    r = MODEL.saving_rate   # triangular: the median lies on the side of the longer tail
    values = np.where(positions < 0, r.central + positions * (r.central - r.low), r.central + positions * (r.high - r.central))
    assert abs(np.mean(values) - (r.low + r.central + r.high) / 3) < 0.005


@pytest.mark.parametrize(("saving", "cost"), [(Range(100, 200, 250), Range(50, 60, 70)),
                                              (Range(10, 20, 25), Range(300, 400, 500))])
def test_sampled_npv_stays_within_the_parts_range(saving: Range, cost: Range) -> None:
    from ictgraph.queries.plan.parts import part_money
    npv = part_money(saving, cost, 0, dt.date(2027, 6, 1), AS_OF, AS_OF, MODEL)
    samples = part_samples(_step(saving, cost, npv), "shared-platform", draw(MODEL, 2000, 3), AS_OF, MODEL)
    assert samples.min() >= npv.low and samples.max() <= npv.high
    assert npv.low < np.median(samples) < npv.high
    if npv.low > 0:
        assert probability_positive(samples) == 1.0
    else:
        assert 0 <= probability_positive(samples) < 1


def test_one_draw_applies_to_every_move() -> None:
    """Two moves priced on the same parameters rise and fall together: perfectly correlated."""
    from ictgraph.queries.plan.parts import part_money
    draws = draw(MODEL, 1000, 5)
    a = part_samples(_step(Range(10, 20, 25), Range(5, 6, 7), part_money(Range(10, 20, 25), Range(5, 6, 7), 0,
                                                                             dt.date(2027, 6, 1), AS_OF, AS_OF, MODEL)),
                     "shared-platform", draws, AS_OF, MODEL)
    b = part_samples(_step(Range(100, 200, 250), Range(50, 60, 70), part_money(Range(100, 200, 250), Range(50, 60, 70), 0,
                                                                                 dt.date(2027, 6, 1), AS_OF, AS_OF, MODEL)),
                     "shared-platform", draws, AS_OF, MODEL)
    assert np.corrcoef(a, b)[0, 1] > 0.99


def test_percentiles_are_ordered_drawn_values() -> None:
    samples = np.array([5.0, -3.0, 10.0, 7.0, 1.0])
    p = percentiles(samples)
    assert p["p10"] <= p["p50"] <= p["p90"] and {p["p10"], p["p50"], p["p90"]} <= set(samples.astype(int))
