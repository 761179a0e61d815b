"""``ictgraph suggest`` (queries/suggest/engine.py and the modules it uses): small inline estates,
the path rules as hypothesis properties over random estates, determinism, and the sample."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.render import to_json
from ictgraph.queries.suggest.savings_file import default_savings_model, savings_model_from_mapping
from ictgraph.queries.suggest import step_table, suggest, suggestion_table

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
REVS = "shared-platform:business-rates+council-tax:capita/revenues:D1"

CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors:
    - {id: capita, name: Capita}
    - {id: nec, name: NEC Software Solutions}
    - {id: system-c, name: System C}
    - {id: olm, name: OLM Systems}
  products:
    - {id: capita/revenues, name: One Revenues & Benefits, vendor: capita}
    - {id: nec/revenues, name: NEC Revenues & Benefits, vendor: nec}
    - {id: system-c/las, name: Liquidlogic Adults, vendor: system-c}
    - {id: olm/eclipse, name: Eclipse, vendor: olm}
  capabilities:
    - {id: revenues-and-benefits, name: Revenues and benefits}
    - {id: council-tax, name: Council tax, parent: revenues-and-benefits}
    - {id: business-rates, name: Business rates, parent: revenues-and-benefits}
    - {id: adult-social-care, name: Adult social care}
  partnerships:
    - {id: east-revs, name: East Revenues Partnership, members: [D1, D2], capabilities: [council-tax],
       status: proposed}
"""


def _org(oid: str, otype: str, pop: int, neighbours: list[str], nation: str = "England") -> str:
    return (f"format: ictgraph/v1\norganisation: {{id: {oid}, name: Council {oid}, type: {otype}, nation: {nation}, "
            f"region: East, population: {pop}, neighbours: [{', '.join(neighbours)}]}}\n")


def _revs(product: str, end: str, value: int, caps: str = "council-tax, business-rates", extra: str = "") -> str:
    return (f"systems:\n  - {{id: revs, name: Revenues, product: {product}, capabilities: [{caps}], "
            f"hosting: on-premise{extra}}}\ncontracts:\n  - {{id: c-revs, supplier: {product.split('/')[0]}, "
            f"covers: [revs], start: 2020-04-01, end: {end}, annual_value: {value}}}\n")


def small_estate(*, d3_end: str = "2027-12-31", euro: bool = False, wales: bool = True) -> list[tuple[str, bytes]]:
    """Nine councils: a county with districts, a unitary, partner-hosted and bespoke systems."""
    docs = {
        "catalogue.yaml": CATALOGUE,
        "c1.yaml": _org("C1", "county", 600000, ["D1", "D2", "D3", "D4", "U1"])
        + "systems:\n  - {id: asc, name: Adults, product: system-c/las, capabilities: [adult-social-care], hosting: saas}\n"
        + "contracts:\n  - {id: c-asc, supplier: system-c, covers: [asc], start: 2022-04-01, end: 2029-03-31, annual_value: 500000}\n",
        "u1.yaml": _org("U1", "unitary", 250000, ["C1", "D4"])
        + "systems:\n  - {id: revs, name: Revenues, product: capita/revenues, capabilities: [council-tax, business-rates], hosting: saas, lifecycle: invest}\n"
        + "  - {id: asc, name: Adults, product: olm/eclipse, capabilities: [adult-social-care], hosting: saas}\n"
        + "contracts:\n  - {id: c-revs, supplier: capita, covers: [revs], start: 2020-04-01, end: 2027-06-30, annual_value: 200000}\n"
        + "  - {id: c-asc, supplier: olm, covers: [asc], start: 2020-04-01, end: 2027-09-30, annual_value: 400000}\n",
        "d1.yaml": _org("D1", "district", 120000, ["D2", "D4", "D5"] + (["W1"] if wales else []))
        + _revs("capita/revenues", "2027-03-31", 150000, extra=", lifecycle: invest"),
        "d2.yaml": _org("D2", "district", 100000, []) + _revs("capita/revenues", "2027-09-30", 140000),
        "d3.yaml": _org("D3", "district", 90000, ["D2"]) + _revs("nec/revenues", d3_end, 130000),
        "d4.yaml": _org("D4", "district", 80000, [])
        + "systems:\n  - {id: ctax, name: Council tax, bespoke: true, capabilities: [council-tax, business-rates], hosting: on-premise, annual_cost: 60000}\n",
        "d5.yaml": _org("D5", "district", 60000, ["D1"])
        + "systems:\n  - {id: ctax, name: Council tax on D1, capabilities: [council-tax], hosting: hosted-by-partner, host: D1/revs}\n",
    }
    if wales:
        docs["w1.yaml"] = _org("W1", "welsh-principal", 70000, [], nation="Wales") + _revs("nec/revenues", "2027-06-30", 90000)
    if euro:
        docs["e1.yaml"] = "currency: EUR\n" + _org("E1", "unitary", 50000, ["D2"]) + _revs("capita/revenues", "2027-05-31", 100000)
    return [(name, text.encode()) for name, text in sorted(docs.items())]


def graph_of(files: list[tuple[str, bytes]]) -> nx.MultiDiGraph:
    return build_graph(*rows_from_files(files))


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in result["suggestions"]}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return suggest(graph_of(small_estate()), as_of=AS_OF)


# --- the shape and the small estate -------------------------------------------------------------

def test_json_has_the_required_shape(result: dict[str, Any]) -> None:
    assert list(result) == ["as_of", "currency", "assumptions", "suggestions"]
    assert result["as_of"] == "2026-11-27" and result["currency"] == "GBP"
    s = by_id(result)[REVS]
    assert {"id", "kind", "capabilities", "organisations", "target_product", "lead", "steps", "annual_saving",
            "one_off_cost", "score", "rationale"} <= set(s)
    assert s["kind"] == "shared-platform"
    assert {"organisation", "system", "action", "not_before", "go_live", "break_cost"} <= set(s["steps"][0])
    assert list(s["annual_saving"]) == ["low", "central", "high"]
    assert json.loads(to_json(result)) == result


def test_revenues_group_is_the_connected_neighbourhood(result: dict[str, Any]) -> None:
    s = by_id(result)[REVS]
    assert s["capabilities"] == ["business-rates", "council-tax"]          # siblings on one system merge
    assert (s["lead"], s["target_product"]) == ("D1", "capita/revenues")
    # U1 is no neighbour of D1 but borders D4, which borders D1: it joins through D4
    assert [(t["organisation"], t["action"], t["not_before"], t["go_live"], t["via"]) for t in s["steps"]] == [
        ("D4", "migrate", "2026-11-27", "2027-05-27", []), ("U1", "join-hosted", "2027-06-30", "2027-07-01", ["D4"]),
        ("D2", "join-hosted", "2027-09-30", "2027-10-01", []), ("D3", "migrate", "2027-12-31", "2028-01-01", [])]
    assert [(t["organisation"], t["role"], t["via"]) for t in s["already_there"]] == [
        ("D1", "lead", []), ("D5", "hosted-by-lead", [])]
    assert s["organisations"] == ["D1", "D2", "D3", "D4", "D5", "U1"]
    text = "\n".join(s["rationale"])
    assert "partner of the lead in East Revenues Partnership (proposed)" in text
    assert "Council U1 (U1), neighbour of Council D4, which links it to the lead" in text
    assert "Left out: Council W1 (W1), in Wales, the lead in England." in text


def test_every_lead_option_leads_its_own_suggestion_and_bespoke_systems_migrate(result: dict[str, Any]) -> None:
    revs = [s for s in result["suggestions"] if s["target_product"] == "capita/revenues"]
    assert sorted(s["lead"] for s in revs) == ["D1", "D2", "U1"]           # every organisation on its own instance
    assert {tuple(s["organisations"]) for s in revs} == {("D1", "D2", "D3", "D4", "D5", "U1")}
    for s in revs:
        assert {s2["id"] for s2 in revs} - {s["id"]} <= set(s["alternatives"])   # at most one can be followed
        lead_line = [line for line in s["rationale"] if line.startswith("Lead: ")][0]
        assert "one of 3 organisations in this group on their own instance of it" in lead_line
    step = [t for t in by_id(result)["shared-platform:business-rates+council-tax:capita/revenues:U1"]["steps"]
            if t["organisation"] == "D4"][0]
    assert (step["action"], step["current_product"]) == ("migrate", None)
    assert step["annual_value"] == 60000 and step["not_before"] == "2026-11-27"   # system cost, no contract


def test_a_district_is_never_offered_social_care(result: dict[str, Any]) -> None:
    social = [s for s in result["suggestions"] if "adult-social-care" in s["capabilities"]]
    assert [s["id"] for s in social] == ["shared-platform:adult-social-care:system-c/las:C1"]
    assert social[0]["organisations"] == ["C1", "U1"]


def test_an_organisation_is_offered_only_what_it_has(result: dict[str, Any]) -> None:
    s = by_id(result)[REVS]
    assert [t for t in s["already_there"] if t["organisation"] == "D5"][0]["capabilities"] == ["council-tax"]


def test_savings_are_sums_of_parts_with_the_printed_assumptions(result: dict[str, Any]) -> None:
    s = by_id(result)[REVS]
    parts = s["steps"] + s["already_there"]
    for key in ("low", "central", "high"):
        assert s["annual_saving"][key] == sum(p["annual_saving"][key] for p in parts)
        assert s["npv"][key] == sum(p["npv"][key] for p in parts)
        assert s["one_off_cost_range"][key] == sum(p["one_off_cost_range"][key] for p in s["steps"])
    # 20 % of the lead's and the joiners' annual value: D1 150000 + D2 140000 + D3 130000 + U1 200000 + D4 60000
    assert s["annual_saving"]["central"] == 136000
    assert result["assumptions"]["saving_rate"] == {"low": 0.1, "central": 0.2, "high": 0.25}
    assert "methods" in result["assumptions"]


@pytest.mark.parametrize(("options", "currency", "currencies"), [
    ({}, "GBP", None), ({"euro": True}, None, ["EUR", "GBP"]),
])
def test_currencies_are_never_mixed(options: dict[str, Any], currency: str | None, currencies: list[str] | None) -> None:
    result = suggest(graph_of(small_estate(**options)), as_of=AS_OF)
    assert result["currency"] == currency
    assert result["assumptions"].get("currencies") == currencies
    for s in result["suggestions"]:
        assert "E1" not in s["organisations"] or s["currency"] == "EUR"


def test_a_joiner_that_would_not_pay_back_is_left_out() -> None:
    s = by_id(suggest(graph_of(small_estate(d3_end="2034-03-31")), as_of=AS_OF))[REVS]
    assert [t["organisation"] for t in s["steps"]] == ["D4", "U1", "D2"]
    assert any(line.startswith("Left out: Council D3 (D3), would not repay its one-off cost") for line in s["rationale"])


@pytest.mark.parametrize(("far_value", "kept"), [(200000, True), (20000, False)])
def test_a_losing_joiner_that_alone_links_others_is_kept_only_when_they_pay_for_it(far_value: int, kept: bool) -> None:
    """L - X - G: X (another product, its contract ending in 2034) would not repay its move; it is
    kept as the only link to G when G's gain covers X's loss, and otherwise both are left out."""
    files = [("catalogue.yaml", CATALOGUE.encode()),
             ("l.yaml", (_org("L", "district", 100000, ["X"]) + _revs("capita/revenues", "2027-06-30", 150000)).encode()),
             ("x.yaml", (_org("X", "district", 90000, ["G"]) + _revs("nec/revenues", "2034-03-31", 130000)).encode()),
             ("g.yaml", (_org("G", "district", 80000, []) + _revs("capita/revenues", "2027-09-30", far_value)).encode())]
    found = by_id(suggest(graph_of(files), as_of=AS_OF))
    sid = "shared-platform:business-rates+council-tax:capita/revenues:L"
    if not kept:
        assert sid not in found
        return
    s = found[sid]
    steps = {t["organisation"]: t for t in s["steps"]}
    assert steps["X"]["npv"]["central"] < 0 < steps["X"]["npv"]["central"] + steps["G"]["npv"]["central"]
    assert (steps["X"]["via"], steps["G"]["via"]) == ([], ["X"])
    assert any(line.startswith("Council X (X) is kept although its own part would not repay its one-off cost")
               and "the only link to the lead for Council G (G)" in line for line in s["rationale"])


def test_a_replaced_model_changes_the_numbers_and_says_so() -> None:
    model = savings_model_from_mapping({"saving_rate": {"low": 0.2, "central": 0.3, "high": 0.4},
                                        "schedule": {"break_early": True}}, "ours.yaml", default_savings_model())
    result = suggest(graph_of(small_estate()), as_of=AS_OF, model=model)
    s = by_id(result)[REVS]
    assert result["assumptions"]["model"] == "ours.yaml"
    assert s["annual_saving"]["central"] == 204000
    d3 = [t for t in s["steps"] if t["organisation"] == "D3"][0]
    assert d3["go_live"] == "2027-05-27" and d3["break_cost"] > 0 and d3["go_live"] < d3["not_before"]
    assert any("break cost of £" in line for line in s["rationale"])


def test_tables_have_one_row_per_suggestion_and_per_step(result: dict[str, Any]) -> None:
    columns, rows = suggestion_table(result)
    assert len(rows) == len(result["suggestions"]) and len(columns) == len(rows[0])
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    columns, rows = step_table(result)
    assert len(rows) == sum(len(s["steps"]) for s in result["suggestions"])


def test_ids_are_stable_and_ranked_by_score(result: dict[str, Any]) -> None:
    scores = [(-s["score"], s["id"]) for s in result["suggestions"]]
    assert scores == sorted(scores)
    assert len({s["id"] for s in result["suggestions"]}) == len(scores)


# --- determinism ------------------------------------------------------------------------------

def _shuffled(files: list[tuple[str, bytes]], rng: random.Random) -> list[tuple[str, bytes]]:
    """The same estate with files, documents and list items in another order."""
    def shuffle(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: shuffle(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [shuffle(v) for v in value]
            rng.shuffle(items)
            return items
        return value
    docs = [shuffle(yaml.safe_load(data)) for _, data in files]
    rng.shuffle(docs)
    half = len(docs) // 2
    texts = [yaml.safe_dump_all(docs[:half], sort_keys=False), yaml.safe_dump_all(docs[half:], sort_keys=False)]
    return [(name, text.encode()) for name, text in zip(["b.yaml", "a.yaml"], texts)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_estate_gives_identical_bytes(seed: int) -> None:
    files = small_estate(euro=True)
    expected = to_json(suggest(graph_of(files), as_of=AS_OF))
    assert to_json(suggest(graph_of(_shuffled(files, random.Random(seed))), as_of=AS_OF)) == expected


def test_identical_bytes_under_another_hash_seed(tmp_path: Path) -> None:
    for name, data in small_estate(euro=True):
        (tmp_path / name).write_bytes(data)
    script = ("import datetime, sys; from pathlib import Path; from ictgraph.graph_loader import load_graph; "
              "from ictgraph.queries.suggest import suggest; from ictgraph.queries.render import to_json; "
              "sys.stdout.write(to_json(suggest(load_graph([Path(sys.argv[1])]), as_of=datetime.date(2026, 11, 27))))")
    outputs = {subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, check=True, capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}).stdout
               for seed in ("0", "4242")}
    assert outputs == {to_json(suggest(graph_of(small_estate(euro=True)), as_of=AS_OF))}


# --- the sample estate -------------------------------------------------------------------------

SAMPLE = ROOT / "fixtures" / "sample"


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, Any], dict[str, Any]]:
    from ictgraph.graph_loader import load_graph
    planted = json.loads((ROOT / "fixtures" / "planted.json").read_text(encoding="utf-8"))
    return suggest(load_graph([SAMPLE]), as_of=dt.date.fromisoformat(planted["as_of"])), planted


def test_planted_consolidation_comes_out_on_top(sample: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, planted = sample
    for truth in planted["consolidation"]:
        ranked = [(rank, s) for rank, s in enumerate(result["suggestions"], 1)
                  if truth["capability"] in s["capabilities"] and s["target_product"] == truth["product"]
                  and s["lead"] == truth["host"]]
        assert ranked, truth
        rank, s = ranked[0]
        assert rank <= 3 and s["organisations"] == sorted(truth["organisations"])


def test_sample_tier_exclusions_hold(sample: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, planted = sample
    for rule in planted["near_misses"]["tier_exclusions"]:
        for s in result["suggestions"]:
            if set(rule["capabilities"]) & set(s["capabilities"]):
                assert not set(rule["never_candidates"]) & set(s["organisations"]), s["id"]
