"""``ictgraph explain ORG/SYSTEM`` (queries/explain.py and the command): who else could share
a system, what already shares it, what stands in the way; for every system of the sample."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import load_graph
from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.explain import explain, explain_in, explain_text
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.estates import ROOT

AS_OF = dt.date(2026, 11, 27)
SAMPLE = ROOT / "fixtures" / "sample"


@pytest.fixture(scope="module")
def graph() -> Any:
    return load_graph([SAMPLE])


def test_the_planted_revenues_system_names_its_partners_and_suggestion(graph: Any) -> None:
    result = explain(graph, "E07000117/revs", as_of=AS_OF)
    assert [r["organisation"] for r in result["same_product"]] == ["E07000120", "E07000122", "E07000125"]
    assert {r["contract"] for r in result["contracts_ending_near"]} == {
        "E07000120/c-revs-2021", "E07000122/c-revs-2020", "E07000125/c-revs-2022"}
    assert any("East Lancashire Revenues" in line for line in result["already_shared"])
    revs = "shared-platform:business-rates+council-tax+housing-benefit:capita/one-revenues-benefits:"
    assert result["suggestions"][0] == revs + "E07000122"                 # the planted one ranks first
    assert {revs + o for o in ("E07000117", "E07000120", "E07000122", "E07000125")} <= set(result["suggestions"])
    assert json.loads(json.dumps(result)) == result


@pytest.mark.parametrize(("system", "kinds"), [
    ("E07000122/wan-service", {"recently-renewed", "bespoke", "tier"}),  # renewed 2026-04-01, a network service
    ("E10000017/social-care", {"tier"}),                               # Lancashire's districts have no social care
    ("E08000024/crm", {"bespoke"}),
    ("W06000016/social-care", set()),                                  # nothing stands in the way
])
def test_obstacles(graph: Any, system: str, kinds: set[str]) -> None:
    found = [o["kind"] for o in explain(graph, system, as_of=AS_OF)["obstacles"]]
    assert sorted(found) == sorted(kinds)


def test_every_system_of_the_sample_is_explained(graph: Any) -> None:
    view, model = read_estate(graph), default_savings_model()
    for system in sorted(view.systems):
        text = explain_text(explain_in(view, system, as_of=AS_OF, model=model))
        assert text.startswith(system + ": ") and "What stands in the way:" in text


def test_an_unknown_system_names_the_closest(graph: Any) -> None:
    with pytest.raises(UsageError) as raised:
        explain(graph, "E07000117/rev", as_of=AS_OF)
    assert raised.value.hint == "did you mean E07000117/revs, E07000127/revs, E07000121/revs?"


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_command(fmt: str) -> None:
    result = CliRunner().invoke(app, ["explain", "E07000124/revs", str(SAMPLE), "--as-of", "2026-11-27",
                                      "--format", fmt, "--quiet"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["system"]["id"] == "E07000124/revs"
    else:
        assert result.stdout.startswith("E07000124/revs: Revenues and benefits (Ribble Valley Borough Council)")


def test_the_command_refuses_csv_and_unknown_systems() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["explain", "E07000124/revs", str(SAMPLE), "--format", "csv", "--quiet"]).exit_code == 2
    unknown = runner.invoke(app, ["explain", "E07000124/nope", str(SAMPLE), "--quiet"])
    assert unknown.exit_code != 0 and 'no system "E07000124/nope"' in unknown.stderr


def test_help() -> None:
    result = CliRunner().invoke(app, ["explain", "--help"])
    assert result.exit_code == 0 and "Why is this system not shared?" in result.stdout
