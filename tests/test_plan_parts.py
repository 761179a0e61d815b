"""The programme's parts (queries/plan/parts.py): every suggestion of the sample estate cut
into parts that, all taken, are worth exactly the suggestion; financial years."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.queries.plan.parts import financial_year, options_from_suggestions
from ictgraph.queries.suggest import load_savings_model, suggest

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample_suggestions() -> list[dict]:
    return suggest(load_graph([ROOT / "fixtures" / "sample"]), as_of=AS_OF)["suggestions"]


def test_all_parts_of_a_suggestion_are_worth_the_suggestion(sample_suggestions: list[dict]) -> None:
    options, parts = options_from_suggestions(sample_suggestions, AS_OF, load_savings_model())
    assert len(options) == len(sample_suggestions) > 100
    priced = 0
    for option in options:
        s = option.suggestion
        taken = [parts[option.base], *(parts[i] for i in option.steps)]
        if option.starts:   # the lead's saving from the first go-live, as the suggestion counts it
            taken.append(min((parts[z] for z in option.starts), key=lambda p: (p.go_live, p.index)))
        for bound in ("low", "central", "high"):
            assert sum(getattr(p.npv, bound) for p in taken) == s["npv"][bound], (s["id"], bound)
        assert round(sum(p.one_off.central for p in taken)) == s["one_off_cost"], s["id"]
        assert sum(p.saving.central for p in taken) == pytest.approx(s["annual_saving"]["central"], abs=1), s["id"]
        priced += s["npv"]["central"] != 0
    assert priced > 100


def test_parts_hold_the_claims_of_their_suggestion(sample_suggestions: list[dict]) -> None:
    options, parts = options_from_suggestions(sample_suggestions, AS_OF, load_savings_model())
    for option in options:
        held = {c for i in (option.base, *option.steps) for c in parts[i].claims}
        assert held == set(option.suggestion.get("claims", ())), option.suggestion["id"]


@pytest.mark.parametrize(("day", "year"), [(dt.date(2027, 3, 31), "2026-27"), (dt.date(2027, 4, 1), "2027-28"),
                                           (dt.date(1999, 12, 31), "1999-00"), (dt.date(2030, 1, 1), "2029-30")])
def test_financial_years_run_april_to_march(day: dt.date, year: str) -> None:
    assert financial_year(day) == year
