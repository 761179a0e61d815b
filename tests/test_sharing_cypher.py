"""The Cypher forms of the sharing kinds (queries/cypher/sharing) give the same rows as their
Python analyses on the sample estate: Cypher on the real Neo4j server with the sample loaded,
Python on the embedded graph of the same files."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import load_graph
from ictgraph.queries.suggest import datacentres, joint_procurement, management, networks, policies, skills
from ictgraph.queries.suggest.candidates import EstateView, read_estate
from ictgraph.queries.catalog import bind_params, find_query
from ictgraph.queries.runner import run_read_only
from ictgraph.queries.suggest.savings import SavingsModel
from ictgraph.queries.suggest.savings_file import default_savings_model
from ictgraph.queries.suggest import suggest
from tests.neo4j_helpers import SAMPLE, sample_files, stored_graph, write_files

pytestmark = pytest.mark.neo4j
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def loaded(neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> neo4j.Driver:
    write_files(neo4j_driver, sample_files())
    return neo4j_driver


@pytest.fixture(scope="module")
def view() -> EstateView:
    return read_estate(load_graph([SAMPLE]))


def _rows(driver: neo4j.Driver, name: str, **params: str) -> list[dict[str, Any]]:
    query = find_query(name)
    result = run_read_only(driver, query.text, bind_params(query, params))
    return [dict(zip(result.columns, row)) for row in result.rows]


def _datacentres(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    return [(p.site, p.host, p.proximity) for p in datacentres.site_pairs(view, model)]


def _networks(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    return [(e.organisation, e.network, e.kind, e.provider, list(e.contracts), e.end, e.annual_value)
            for e in networks.network_entries(view, AS_OF)]


def _skills(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in skills.skill_partners(view, model)]


def _management(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    found = management.management_candidates(view, model)
    return [(o, management.head_fte(view, o),
             sorted(n for n in view.organisations[o].neighbours if n in found
                    and (view.organisations[n].nation or "") == (view.organisations[o].nation or "")))
            for o in found]


def _policies(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in policies.policy_gaps(view, model)]


def _plans(view: EstateView, model: SavingsModel) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in joint_procurement.plan_matches(view, AS_OF, model)]


CASES: list[tuple[str, dict[str, str], Callable[[dict[str, Any]], tuple[Any, ...]], Any]] = [
    ("datacentre_spare_capacity", {},
     lambda r: (r["site"], r["host"], r["proximity"]), _datacentres),
    ("joint_network_candidates", {"kinds": "psn,wan", "as_of": "2026-11-27"},
     lambda r: (r["organisation"], r["network"], r["kind"], r["provider"], r["contracts"],
                r["end_date"], r["annual_value"]), _networks),
    ("thin_skills", {"thin_fte": "1.0"}, lambda r: (r["organisation"], r["skill"], r["product"], r["partner"]),
     _skills),
    ("shared_management_candidates", {"small_population": "150000"},
     lambda r: (r["organisation"], r["head_fte"], r["candidate_neighbours"]), _management),
    ("policy_gaps", {}, lambda r: (r["organisation"], r["standard"], r["adopter"]), _policies),
    ("plan_matches", {"months": "12", "as_of": "2026-11-27"},
     lambda r: (r["plan"], r["capability"], r["kind"], r["matched"]), _plans),
]


@pytest.mark.parametrize(("name", "params", "row", "python"), CASES, ids=[c[0] for c in CASES])
def test_each_cypher_form_equals_its_python_analysis(loaded: neo4j.Driver, view: EstateView, name: str,
                                                     params: dict[str, str], row: Any, python: Any) -> None:
    model = default_savings_model()
    cypher = sorted(row(r) for r in _rows(loaded, name, **params))
    assert cypher, f"{name} found nothing on the sample"
    assert cypher == sorted(python(view, model))


def test_the_data_centre_near_miss_has_no_host_with_room(loaded: neo4j.Driver) -> None:
    rows = _rows(loaded, "datacentre_spare_capacity")
    wyre = [r for r in rows if r["site"] == "E07000128/dc"]
    assert wyre and all(r["spare"] < r["racks_used"] for r in wyre)


def test_the_network_near_miss_contracts_end_years_apart(loaded: neo4j.Driver) -> None:
    rows = {r["organisation"]: r for r in _rows(loaded, "joint_network_candidates", kinds="wan", as_of="2026-11-27")}
    ends = [rows[o]["end_date"] for o in ("E07000117", "E07000122")]
    assert (max(ends) - min(ends)).days > 366


PLANTED = json.loads((SAMPLE.parent.parent / "fixtures" / "planted.json").read_text(encoding="utf-8"))["sharing"]


def test_planted_sharing_cases_come_out_of_the_stored_graph(loaded: neo4j.Driver) -> None:
    result = {s["id"]: s for s in suggest(stored_graph(loaded), as_of=AS_OF)["suggestions"]}
    for kind in ("datacentre", "network", "skills", "management", "policy", "joint_procurement"):
        for planted in PLANTED[kind]["planted"]:
            s = result[planted["id"]]
            assert "organisations" not in planted or s["organisations"] == planted["organisations"], planted["id"]
    steps = {t.get("datacentre") for s in result.values() if s["kind"] == "datacentre" for t in s["steps"]}
    assert not steps & {m["site"] for m in PLANTED["datacentre"]["near_misses"]}
    assert not any(s["kind"] == "management" and "E06000008" in s["organisations"] for s in result.values())


@pytest.mark.parametrize("system", ["E07000117/revs", "E10000017/social-care", "E06000001/psn-service"])
def test_explain_gives_identical_bytes_on_both_paths(loaded: neo4j.Driver, neo4j_uri: str, system: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    runner = CliRunner()
    for fmt in ("json", "table"):
        embedded = runner.invoke(app, ["explain", system, str(SAMPLE), "--as-of", "2026-11-27", "-f", fmt, "-q"])
        stored = runner.invoke(app, ["explain", system, "--neo4j", "--as-of", "2026-11-27", "-f", fmt, "-q"])
        assert embedded.exit_code == 0 and stored.exit_code == 0, embedded.output + stored.output
        assert stored.stdout == embedded.stdout
