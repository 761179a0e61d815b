"""The wave schedule (queries/suggest/paths.py): examples, and the invariants of analytics.md §3A as
hypothesis properties."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.queries.suggest.paths import Joiner, Step, add_months, schedule_waves

AS_OF = dt.date(2026, 11, 27)
D = dt.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 11, 27), 6, D(2027, 5, 27)),
    (D(2026, 11, 27), 14, D(2028, 1, 27)),
    (D(2027, 3, 31), -6, D(2026, 9, 30)),
    (D(2026, 5, 15), 0, D(2026, 5, 15)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def _path(steps: list[Step]) -> list[tuple[str, int, str, str, int]]:
    return [(s.organisation, s.wave, s.not_before.isoformat(), s.go_live.isoformat(), s.break_cost) for s in steps]


@pytest.mark.parametrize(("joiners", "kwargs", "expected"), [
    # staggered: each goes live the day after its contract ends; the third opens a wave
    ([Joiner("B", D(2027, 3, 31)), Joiner("A", D(2027, 9, 30)), Joiner("C", D(2029, 3, 31))], {},
     [("B", 1, "2027-03-31", "2027-05-27", 0), ("A", 1, "2027-09-30", "2027-10-01", 0),
      ("C", 2, "2029-03-31", "2029-04-01", 0)]),
    # no contract: ready at as-of, live after the lead time; not_before is as-of
    ([Joiner("A", None)], {}, [("A", 1, "2026-11-27", "2027-05-27", 0)]),
    # a contract that already ended waits for the lead time, with no break cost
    ([Joiner("A", D(2025, 3, 31), 1000.0)], {}, [("A", 1, "2025-03-31", "2027-05-27", 0)]),
    # a wave window of 3 months splits joiners 6 months apart
    ([Joiner("A", D(2028, 3, 31)), Joiner("B", D(2028, 9, 30))], {"window_months": 3},
     [("A", 1, "2028-03-31", "2028-04-01", 0), ("B", 2, "2028-09-30", "2028-10-01", 0)]),
    # break_early: B leaves 183 days early: 183 × 12 / 365.25 months × 120000/12 × 0.5 = 30062
    ([Joiner("A", D(2028, 3, 31), 100.0), Joiner("B", D(2028, 10, 1), 120000.0)],
     {"break_early": True, "break_ratio": 0.5},
     [("A", 1, "2028-03-31", "2028-04-01", 0), ("B", 1, "2028-10-01", "2028-04-01", 30062)]),
    # break_early with no recorded value: it waits for its contract end instead
    ([Joiner("A", D(2028, 3, 31), 100.0), Joiner("B", D(2028, 9, 30), 0.0)],
     {"break_early": True, "break_ratio": 0.5},
     [("A", 1, "2028-03-31", "2028-04-01", 0), ("B", 1, "2028-09-30", "2028-10-01", 0)]),
])
def test_schedule_examples(joiners: list[Joiner], kwargs: dict[str, Any], expected: list[tuple[str, int, str, str, int]]) -> None:
    assert _path(schedule_waves(joiners, as_of=AS_OF, **kwargs)) == expected


def test_prep_start_never_before_as_of() -> None:
    [step] = schedule_waves([Joiner("A", None)], as_of=D(2026, 8, 31), lead_time_months=6)
    assert step.go_live == D(2027, 2, 28) and step.prep_start == D(2026, 8, 31)


# --- properties ---------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2034, 12, 31))
joiner_lists = st.lists(
    st.builds(lambda org, end, value: (org, end, value),
              st.sampled_from([f"E0700{i:04d}" for i in range(40)]),
              st.none() | dates, st.floats(min_value=0, max_value=2e6, allow_nan=False)),
    max_size=12, unique_by=lambda t: t[0]).map(lambda rows: [Joiner(*row) for row in rows])
options = st.fixed_dictionaries({
    "as_of": st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31)),
    "window_months": st.integers(1, 36), "lead_time_months": st.integers(0, 18),
    "break_early": st.booleans(), "break_ratio": st.sampled_from([0.0, 0.25, 0.5, 1.0])})


@settings(max_examples=300, deadline=None)
@given(joiner_lists, options)
def test_schedule_invariants(joiners: list[Joiner], kwargs: dict[str, Any]) -> None:
    steps = schedule_waves(joiners, **kwargs)
    as_of, window, lead = kwargs["as_of"], kwargs["window_months"], kwargs["lead_time_months"]
    by_org = {j.organisation: j for j in joiners}
    # each joiner exactly once
    assert sorted(s.organisation for s in steps) == sorted(by_org)
    # sorted by (go_live, id); waves numbered 1, 2, ... in that order
    assert [(s.go_live, s.organisation) for s in steps] == sorted((s.go_live, s.organisation) for s in steps)
    waves = [s.wave for s in steps]
    assert waves == sorted(waves) and (not waves or set(waves) == set(range(1, max(waves) + 1)))
    for step in steps:
        joiner = by_org[step.organisation]
        assert step.not_before == (joiner.contract_end or as_of)
        # never before the contract ends, unless the step pays to leave early
        if step.break_cost == 0:
            assert joiner.contract_end is None or step.go_live > joiner.contract_end
        else:
            assert kwargs["break_early"] and step.break_cost > 0
            assert joiner.contract_end is not None and step.go_live <= joiner.contract_end
        assert step.go_live >= add_months(as_of, lead)
        assert as_of <= step.prep_start <= step.go_live
    # each wave spans at most W months
    for wave in set(waves):
        lives = [s.go_live for s in steps if s.wave == wave]
        assert max(lives) <= add_months(min(lives), window)


@settings(max_examples=100, deadline=None)
@given(joiner_lists, options, st.randoms(use_true_random=False))
def test_schedule_ignores_input_order(joiners: list[Joiner], kwargs: dict[str, Any], rng: random.Random) -> None:
    shuffled = list(joiners)
    rng.shuffle(shuffled)
    assert schedule_waves(shuffled, **kwargs) == schedule_waves(joiners, **kwargs)


@settings(max_examples=100, deadline=None)
@given(joiner_lists, options)
def test_staggered_schedule_never_breaks(joiners: list[Joiner], kwargs: dict[str, Any]) -> None:
    kwargs = {**kwargs, "break_early": False}
    earliest = add_months(kwargs["as_of"], kwargs["lead_time_months"])
    for step, joiner in ((s, next(j for j in joiners if j.organisation == s.organisation))
                         for s in schedule_waves(joiners, **kwargs)):
        ready = kwargs["as_of"] if joiner.contract_end is None else joiner.contract_end + dt.timedelta(days=1)
        assert step.break_cost == 0 and step.go_live == max(ready, earliest)
