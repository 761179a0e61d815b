"""The shipped fixtures: every invalid case fails for its reason, the sample estate is
valid and its planted opportunities are found."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ictgraph.graph_loader import check_paths, load_graph
from ictgraph.queries.clusters import clusters_document, find_clusters
from ictgraph.queries.windows import find_windows
from tests.estates import ROOT

FIXTURES = ROOT / "fixtures"
PLANTED = json.loads((FIXTURES / "planted.json").read_text(encoding="utf-8"))
INVALID = {
    "alias_bomb.yaml": (7, "too many alias expansions (a YAML alias bomb?)"),
    "bad_date.yaml": (37, "`end`: '31/03/2026' is not an ISO 8601 date"),
    "bad_id_pattern.yaml": (9, "`id`: 'civica-openrevenues' is not a valid product id"),
    "bespoke_and_product.yaml": (28, "System 'revs' must have exactly one of `product`, `bespoke`, `host`, but gives `product`, `bespoke`"),
    "catalogue_alias_clash.yaml": (14, "product 'nec/revenues-benefits': 'revenues-and-benefits' is also a name of 'capita/one-revenues-benefits'"),
    "conflicting_organisation_field.yaml": (37, "organisation 'E07000117' gives `name` twice with different values"),
    "contract_covers_foreign_system.yaml": (35, "`covers` names 'E07000122/revs', a system of 'E07000122'"),
    "contract_capabilities_in_v1.yaml": (36, "unknown key 'capabilities' in Contract 'c-revs': format ictgraph/v1 "
                                             "does not have it, ictgraph/v1.1 does"),
    "contract_capability_not_covered.yaml": (37, "`capabilities` names 'finance', which is not in the `capabilities` "
                                                 "of its `covers` (E07000117/revs)"),
    "contract_without_covers_or_capabilities.yaml": (34, "Contract 'c-revs' gives neither `covers` nor `capabilities`"),
    "dangling_reference.yaml": (27, "`product`: unknown product 'civica/openrevenue'"),
    "datacentre_without_on_premise.yaml": (30, "`datacentre` is only given with `hosting: on-premise`"),
    "duplicate_id.yaml": (32, "System 'E07000117/revs' is defined twice with different content"),
    "duplicate_id_across_files": (6, "Contract 'E07000117/c-revs' is defined twice with different content"),
    "empty_file.yaml": (1, "the file is empty"),
    "end_before_start.yaml": (37, "`end` (2021-03-31) is before `start` (2022-04-01)"),
    "max_end_before_end.yaml": (38, "`max_end` (2026-03-31) is before `end` (2027-03-31)"),
    "missing_format.yaml": (17, "missing `format:`"),
    "missing_required.yaml": (33, "Contract 'c-revs' has no `end`"),
    "negative_money.yaml": (38, "`annual_value`: an amount of money must not be negative, got -110000"),
    "non_utf8.yaml": (20, "the file is not valid UTF-8 (byte 0xf4)"),
    "not_a_mapping.yaml": (2, "a document must be a mapping, not a list"),
    "racks_used_over_racks.yaml": (44, "`racks_used` (6) is more than `racks` (4)"),
    "unknown_enum.yaml": (29, "`hosting`: 'cloud' is not one of the allowed values"),
    "unknown_format_version.yaml": (17, "unknown format 'ictgraph/v9'"),
    "unknown_key.yaml": (31, "unknown key 'anual_cost' in System 'revs'"),
    "unknown_top_level_key.yaml": (39, "unknown key 'suppliers' in an inventory document"),
    "wrong_type.yaml": (30, "`users`: expected a whole number, got 'many'"),
    "yaml_syntax.yaml": (29, "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"),
}


def test_every_invalid_fixture_is_listed_here() -> None:
    shipped = {p.name for p in (FIXTURES / "invalid").iterdir() if p.name != "README.md"}
    assert shipped == set(INVALID)


@pytest.mark.parametrize("case", sorted(INVALID))
def test_each_invalid_fixture_fails_for_its_reason_only(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    errors = check_paths([Path("fixtures/invalid") / case]).errors
    assert [(e.location.line, e.message) for e in errors] == [INVALID[case]]
    assert errors[0].location.file.startswith(f"fixtures/invalid/{case}")


@pytest.mark.parametrize("estate", ["sample", "valid/minimal.yaml", "valid/identical_duplicate"])
def test_valid_fixtures_have_no_problem(estate: str) -> None:
    assert check_paths([FIXTURES / estate]).problems == []


@pytest.fixture(scope="module")
def sample_graph():  # type: ignore[no-untyped-def]
    return load_graph([FIXTURES / "sample"])


def test_the_sample_has_the_planted_counts(sample_graph) -> None:  # type: ignore[no-untyped-def]
    counts = PLANTED["counts"]
    labels = [n[0] for n in sample_graph.nodes]
    for label, key in [("System", "systems"), ("Contract", "contracts"), ("DataCentre", "datacentres"),
                       ("Product", "products"), ("Vendor", "vendors"), ("Capability", "capabilities")]:
        assert labels.count(label) == counts[key], label


def test_planted_same_product_groups_are_recovered_exactly(sample_graph) -> None:  # type: ignore[no-untyped-def]
    found = {(c["capability"], c["product"]): c["organisations"]
             for c in clusters_document(find_clusters(sample_graph))["clusters"] if c["kind"] == "same-product"}
    for group in PLANTED["same_product_groups"]:
        assert found[(group["capability"], group["product"])] == group["organisations"]


def test_planted_similar_estates_each_fall_in_one_community(sample_graph) -> None:  # type: ignore[no-untyped-def]
    communities = [set(c["organisations"]) for c in clusters_document(find_clusters(sample_graph))["clusters"]
                   if c["kind"] == "similar-estate"]
    homes = []
    for planted in PLANTED["similar_estate_clusters"]:
        members = set(planted["organisations"])
        home = [i for i, community in enumerate(communities) if members <= community]
        assert len(home) == 1, planted["id"]
        homes.append(home[0])
    assert len(set(homes)) == len(homes)


def test_planted_procurement_windows_are_found(sample_graph) -> None:  # type: ignore[no-untyped-def]
    result = find_windows(sample_graph, as_of=dt.date.fromisoformat(PLANTED["as_of"]), months=12)
    for planted in PLANTED["procurement_windows"]:
        windows = [w for w in result["windows"] if w["capability"] == planted["capability"]
                   and set(planted["organisations"]) <= set(w["organisations"])]
        assert len(windows) == 1, planted["id"]
        assert windows[0]["organisations"] == sorted(planted["organisations"])
