"""The programme's optimiser (queries/plan/solve.py): on small random instances its choice is
worth exactly what an exhaustive search over every subset of parts finds, and every rule of
the model holds in what it chooses."""
from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictgraph.queries.plan.parts import Option, Part
from ictgraph.queries.plan.model import Constraints, model_rows, value
from ictgraph.queries.plan.solve import NODE_LIMIT, _highs, solve
from ictgraph.queries.suggest.savings import ZERO, Range

CLAIMS = ["A/revs", "B/revs", "C/revs", "D/revs", "A/erp", "dc-1"]
YEARS = [dt.date(2027, 5, 1), dt.date(2028, 5, 1)]
exercised: Counter[str] = Counter()


def _part(index: int, option: int, role: str, npv: int, **fields: object) -> Part:
    defaults = dict(organisation=None, claims=(), saving=ZERO, one_off=ZERO, go_live=None, cost_at=None)
    defaults.update(fields)
    return Part(index=index, option=option, role=role, npv=Range(npv - 10, npv, npv + 10), **defaults)  # type: ignore[arg-type]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Option], list[Part]]:
    """1–4 move options of 0–3 steps each (at most 12 parts), random claims, links, money and years."""
    options, parts = [], []
    for o in range(draw(st.integers(1, 4))):
        base = len(parts)
        n_steps = draw(st.integers(0, 3))
        lead = f"L{o % 2}"
        parts.append(_part(base, o, "base", 0 if n_steps else draw(st.integers(-20, 60)), organisation=lead,
                           claims=tuple(sorted(set(draw(st.lists(st.sampled_from(CLAIMS), max_size=2))))), lead=lead))
        joint = draw(st.booleans())   # a joint procurement: the lead has a step of its own
        steps = []
        for k in range(n_steps):
            via = tuple(draw(st.lists(st.sampled_from(steps), max_size=2, unique=True))) if steps else ()
            steps.append(len(parts))
            parts.append(_part(len(parts), o, "step", draw(st.integers(-40, 100)), step=k, via=tuple(sorted(via)),
                               organisation=lead if joint and k == 0 else f"M{o}.{k}",
                               claims=tuple(sorted(set(draw(st.lists(st.sampled_from(CLAIMS), max_size=2))))),
                               one_off=Range(5, draw(st.integers(0, 50)), 80), go_live=draw(st.sampled_from(YEARS)),
                               lead=f"L{o % 2}"))
        starts, worth = [], draw(st.integers(0, 30))
        if steps and draw(st.booleans()):
            for day in YEARS:   # the lead's saving is worth less the later it starts
                after = tuple(s for s in steps if parts[s].go_live == day)
                if after:
                    starts.append(len(parts))
                    parts.append(_part(len(parts), o, "start", worth, after=after, go_live=day))
                worth = draw(st.integers(0, worth))
        options.append(Option(o, {"id": f"m{o}"}, base, tuple(steps), tuple(starts), "shared-platform"))
    return options, parts


def feasible(options: Sequence[Option], parts: Sequence[Part], chosen: set[int], limits: Constraints) -> bool:
    """Every rule of the model, checked directly (not through the solver's rows)."""
    held = Counter(c for i in chosen for c in parts[i].claims)
    if any(n > 1 for n in held.values()):
        return False
    for o in options:
        mine = {i for i in (o.base, *o.steps, *o.starts) if i in chosen}
        if mine and o.base not in mine or (o.base in mine and o.steps and not mine & set(o.steps)):
            return False
        own = {s for s in o.steps if parts[o.base].organisation and parts[s].organisation == parts[o.base].organisation}
        if o.base in mine and own and not (mine & own and mine & (set(o.steps) - own)):
            return False   # a joint move keeps its lead and one other member
        if any(parts[s].via and not set(parts[s].via) & chosen for s in o.steps if s in chosen):
            return False
        starts = [z for z in o.starts if z in chosen]
        if o.base in mine and o.starts and len(starts) != 1:
            return False
        if any(not set(parts[z].after) & chosen for z in starts):
            return False
    spend, joins = defaultdict(float), Counter()
    for i in chosen:
        p = parts[i]
        if p.role == "step" and p.year:
            spend[p.year] += p.one_off.central
            joins[(p.lead, p.year)] += 1
    if limits.max_one_off_per_year is not None and any(v > limits.max_one_off_per_year for v in spend.values()):
        return False
    return limits.max_joins_per_lead_per_year is None or all(v <= limits.max_joins_per_lead_per_year
                                                             for v in joins.values())


def exhaustive(options: Sequence[Option], parts: Sequence[Part], limits: Constraints, objective: str) -> float:
    best = 0.0
    for size in range(len(parts) + 1):
        for subset in itertools.combinations(range(len(parts)), size):
            chosen = set(subset)
            if feasible(options, parts, chosen, limits):
                best = max(best, sum(value(parts[i], objective) for i in chosen))
    return best


LIMITS = st.builds(Constraints, st.one_of(st.none(), st.integers(0, 60).map(float)), st.one_of(st.none(), st.integers(1, 2)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), LIMITS, st.sampled_from(["central", "low"]))
def test_the_choice_equals_an_exhaustive_search(instance: tuple[list[Option], list[Part]], limits: Constraints,
                                                objective: str) -> None:
    options, parts = instance
    solution = solve(options, parts, objective=objective, limits=limits, time_limit=10)
    assert solution.status == "Optimal"
    assert feasible(options, parts, set(solution.chosen), limits)
    best = exhaustive(options, parts, limits, objective)
    assert solution.objective == pytest.approx(best)
    assert solution.objective == pytest.approx(sum(value(parts[i], objective) for i in solution.chosen))
    exercised["chosen" if solution.chosen else "empty"] += 1
    exercised["conflict"] += any(r[3].startswith("claim") for r in model_rows(options, parts, limits))
    exercised["budget"] += limits != Constraints()


def test_the_property_exercised_choices_and_conflicts() -> None:
    """Run after the property above (same module, file order): it saw real choices."""
    assert min(exercised["chosen"], exercised["conflict"], exercised["budget"]) >= 15, exercised


def test_nothing_worth_nothing_is_chosen() -> None:
    parts = [_part(0, 0, "base", 0, claims=("A/x",)), _part(1, 1, "base", 0),
             _part(2, 1, "step", 0, step=0, go_live=YEARS[0], claims=("B/x",))]
    options = [Option(0, {"id": "a"}, 0, (), (), "skills"), Option(1, {"id": "b"}, 1, (2,), (), "shared-platform")]
    assert solve(options, parts).chosen == frozenset()


def test_a_link_worth_less_than_nothing_is_taken_for_what_lies_beyond_it() -> None:
    parts = [_part(0, 0, "base", 0), _part(1, 0, "step", -30, step=0, go_live=YEARS[0]),
             _part(2, 0, "step", 100, step=1, go_live=YEARS[0], via=(1,))]
    solution = solve([Option(0, {"id": "chain"}, 0, (1, 2), (), "shared-platform")], parts)
    assert solution.chosen == frozenset({0, 1, 2}) and solution.objective == 70


def test_the_lead_saving_starts_at_the_earliest_chosen_go_live() -> None:
    parts = [_part(0, 0, "base", 0), _part(1, 0, "step", 10, step=0, go_live=YEARS[1]),
             _part(2, 0, "step", 10, step=1, go_live=YEARS[0]),
             _part(3, 0, "start", 40, after=(1,), go_live=YEARS[1]), _part(4, 0, "start", 50, after=(2,), go_live=YEARS[0])]
    solution = solve([Option(0, {"id": "m"}, 0, (1, 2), (3, 4), "shared-platform")], parts)
    assert solution.chosen == frozenset({0, 1, 2, 4}) and solution.objective == 70


def test_a_joint_move_never_keeps_its_lead_alone() -> None:
    """A joint procurement whose other member is taken by a better move is not bought alone."""
    parts = [_part(0, 0, "base", 0, organisation="A"),
             _part(1, 0, "step", 50, step=0, go_live=YEARS[0], organisation="A", claims=("A/erp",)),
             _part(2, 0, "step", 30, step=1, go_live=YEARS[0], organisation="B", claims=("B/erp",)),
             _part(3, 1, "base", 0, organisation="C", claims=("C/erp",)),
             _part(4, 1, "step", 100, step=0, go_live=YEARS[0], organisation="B", claims=("B/erp",))]
    options = [Option(0, {"id": "joint"}, 0, (1, 2), (), "joint-procurement"),
               Option(1, {"id": "platform"}, 3, (4,), (), "shared-platform")]
    solution = solve(options, parts)
    assert solution.chosen == frozenset({3, 4}) and solution.objective == 100


def test_a_solve_stopped_by_its_time_limit_still_states_a_finite_bound() -> None:
    """Many blocks and almost no time: whatever is found, the bound and gap stay numbers."""
    parts, options = [], []
    for o in range(40):
        base = len(parts)
        parts += [_part(base, o, "base", 0, claims=(f"X{o % 7}/c",)),
                  _part(base + 1, o, "step", 10 + o, step=0, go_live=YEARS[0], claims=(f"Y{o % 5}/c",))]
        options.append(Option(o, {"id": f"m{o}"}, base, (base + 1,), (), "shared-platform"))
    solution = solve(options, parts, time_limit=1e-6)
    assert solution.status == "Time limit reached"
    assert math.isfinite(solution.bound) and solution.bound > solution.objective and 0 < solution.gap <= 1


@pytest.mark.parametrize(("time_limit", "node_limit", "seconds"), [(None, 7, math.inf), (5.0, NODE_LIMIT, 5.0)])
def test_the_solver_is_bounded_by_nodes_and_by_the_clock_only_when_asked(time_limit: float | None, node_limit: int,
                                                                         seconds: float) -> None:
    """Without a time limit nothing in the solve depends on the machine's speed: the node budget
    is the bound on HiGHS's work."""
    h = _highs(time_limit, node_limit)
    assert h.getOptionValue("mip_max_nodes")[1] == node_limit
    assert h.getOptionValue("time_limit")[1] == seconds
    assert h.getOptionValue("threads")[1] == 1
