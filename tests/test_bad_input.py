"""Bad input: the corpus under ``tests/bad_estates`` (manifest ``expected.json``) and the
valid-but-awkward estates under ``tests/awkward_estates``.

Every bad estate gets exactly its errors (file, line, message), from the library and from
``ictgraph validate`` (exit 1, ``FILE:LINE:COL: error: ...``, no traceback), and writes
nothing to Neo4j. Every awkward estate loads, and its names and other text reach the graph
exactly as YAML reads them."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import (
    EstateError,
    build_graph,
    check_files,
    load_into_neo4j,
    rows_from_files,
)
from ictgraph.graph_loader.connect import Neo4jSettings
from tests.estates import ROOT
from tests.test_conservation import estate_files, yaml_items

BAD = ROOT / "tests" / "bad_estates"
AWKWARD = ROOT / "tests" / "awkward_estates"
MANIFEST: dict[str, Any] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
CASES: dict[str, Any] = MANIFEST["cases"]
ERROR_LINE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): error: \S")
MEGABYTES_10 = 10 * 2**20


def _from_case(case: str, old: bytes, new: bytes) -> Callable[[], bytes]:
    return lambda: (BAD / case).read_bytes().replace(old, new)


# Cases too big to commit, built from a committed one; their errors are in the manifest too.
GENERATED: dict[str, Callable[[], bytes]] = {
    "deep_flow_nesting_100000.yaml": lambda: b"format: ictgraph/v1\nnotes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "huge_id_10mb.yaml": _from_case("system_id_with_slash.yaml", b"revs/2019", b"r" * MEGABYTES_10 + b"/2019"),
    "huge_reference_10mb.yaml": _from_case("unknown_product.yaml", b"civica/openrevenue\n", b"o" * MEGABYTES_10 + b"\n"),
    "huge_key_2000_characters.yaml": _from_case("unknown_field.yaml", b"anual_cost", b"k" * 2000),
}

# Each rule of docs/inventory-format.md, section by section, and cases that break it.
SPEC_RULES: dict[str, list[str]] = {
    "Files: a file holds YAML documents (not empty, not a scalar or list)": [
        "empty_file.yaml", "comment_only.yaml", "only_document_separators.yaml", "document_is_a_scalar.yaml",
        "document_is_a_list.yaml", "document_is_null.yaml"],
    "Files: every document starts with format: ictgraph/v1": [
        "missing_format.yaml", "unknown_format_version.yaml", "format_not_a_string.yaml"],
    "Files: a document is an inventory or a catalogue": [
        "neither_organisation_nor_catalogue.yaml", "both_organisation_and_catalogue.yaml",
        "organisation_not_a_mapping.yaml", "catalogue_not_a_mapping.yaml", "section_not_a_list.yaml",
        "entry_not_a_mapping.yaml", "objectives_not_a_list.yaml"],
    "Files: organisation fields given twice differently": [
        "organisation_field_given_twice_differently", "organisation_name_differs_across_files"],
    "Files: unknown top-level keys and fields are errors": [
        "unknown_top_level_key.yaml", "unknown_catalogue_section.yaml", "unknown_field.yaml",
        "unknown_organisation_field.yaml"],
    "Files: notes are free text": ["document_notes_not_text.yaml", "item_notes_not_text.yaml"],
    "Identifiers: organisation ids": [
        "organisation_id_with_space.yaml", "organisation_id_too_long.yaml", "organisation_id_with_slash.yaml",
        "organisation_id_a_number.yaml", "organisation_without_id.yaml", "neighbour_not_an_organisation_id.yaml",
        "party_empty_id.yaml", "partnership_lead_system_key.yaml"],
    "Identifiers: catalogue ids are slugs; products vendor/product": [
        "vendor_id_upper_case.yaml", "capability_id_underscore.yaml", "skill_id_leading_hyphen.yaml",
        "partnership_id_with_space.yaml", "product_id_without_slash.yaml", "product_id_two_slashes.yaml",
        "objective_id_upper_case.yaml", "standard_not_a_slug.yaml", "category_not_a_slug.yaml"],
    "Identifiers: local ids of an organisation's things": [
        "system_id_with_slash.yaml", "contract_id_leading_dot.yaml", "datacentre_id_empty.yaml",
        "network_id_missing.yaml", "policy_id_a_date.yaml", "procurement_plan_id_with_colon.yaml"],
    "Identifiers: a bare local id is the same organisation's; ORG/LOCAL another's": [
        "bare_local_id_of_other_organisation", "unknown_integrates_with_other_organisation",
        "datacentre_of_other_organisation_unknown"],
    "Identifiers: names and aliases fold; an unknown reference offers the closest ids": [
        "unknown_product_alias.yaml", "unknown_skill_alias.yaml", "unknown_supplier.yaml"],
    "Identifiers: catalogue entries of one kind never fold together": [
        "vendor_alias_clashes_with_other_vendor.yaml", "capability_name_clashes_with_other_id.yaml",
        "skill_alias_clashes_across_files", "product_alias_clash.yaml"],
    "Rules: every reference resolves (one case per reference field)": [
        "unknown_product.yaml", "unknown_product_vendor.yaml", "unknown_requires_skill.yaml",
        "unknown_capability_parent.yaml", "unknown_system_capability.yaml", "unknown_plan_capability.yaml",
        "unknown_partnership_capability.yaml", "unknown_supplier.yaml", "unknown_network_provider.yaml",
        "unknown_skill.yaml", "unknown_covers.yaml", "unknown_integrates_with.yaml", "unknown_datacentre.yaml",
        "unknown_host.yaml"],
    "Catalogue: capabilities form a tree; required fields; objectives": [
        "capability_parent_cycle.yaml", "capability_own_parent.yaml", "product_without_vendor.yaml",
        "aliases_not_a_list.yaml", "alias_not_text.yaml", "partnership_without_members.yaml",
        "partnership_status_unknown.yaml", "objective_without_description.yaml",
        "objective_measured_without_value.yaml", "objective_measured_not_a_number.yaml",
        "objective_measured_infinite.yaml", "objective_target_text.yaml", "duplicate_objective_id.yaml"],
    "Inventory: enumerations": [
        "organisation_type_unknown.yaml", "nation_unknown.yaml", "hosting_unknown.yaml", "lifecycle_unknown.yaml",
        "criticality_unknown.yaml", "network_kind_unknown.yaml", "role_unknown.yaml"],
    "Inventory: required fields, lists and booleans": [
        "hosting_missing.yaml", "date_missing.yaml", "expected_missing.yaml", "policy_without_name.yaml",
        "people_without_fte.yaml", "capabilities_empty.yaml", "capabilities_not_a_list.yaml", "covers_empty.yaml",
        "bespoke_not_boolean.yaml", "open_to_partners_text.yaml", "name_empty.yaml", "name_a_list.yaml",
        "version_unquoted_number.yaml", "integrates_with_entry_a_number.yaml"],
    "Values: dates are ISO 8601; expected may be YYYY-MM": [
        "date_day_first.yaml", "date_not_real.yaml", "date_quoted_not_real.yaml", "date_with_time.yaml",
        "date_a_number.yaml", "expected_month_13.yaml", "expected_free_text.yaml", "reviewed_month_first.yaml",
        "partnership_started_day_first.yaml", "objective_due_month_only.yaml"],
    "Values: money is a non-negative number; currency is ISO 4217": [
        "annual_cost_negative.yaml", "annual_value_with_pound_sign.yaml", "annual_value_infinite.yaml",
        "annual_value_not_a_number.yaml", "estimated_value_negative.yaml", "currency_not_iso.yaml",
        "currency_lower_case.yaml", "datacentre_annual_cost_huge_integer.yaml"],
    "Values: counts are non-negative integers; fte a non-negative number": [
        "population_negative.yaml", "population_fractional.yaml", "population_with_commas.yaml",
        "population_huge.yaml", "users_too_many_digits.yaml", "users_negative.yaml", "racks_text.yaml",
        "notice_months_fractional.yaml", "fte_negative.yaml", "fte_text.yaml", "fte_huge.yaml"],
    "Values: strings are UTF-8": [
        "non_utf8_latin1.yaml", "non_utf8_utf16.yaml", "non_utf8_cr_line_endings.yaml"],
    "Rules: the same id twice with different content names both places": [
        "duplicate_system_different_content.yaml", "duplicate_contract_across_files",
        "duplicate_vendor_across_catalogues", "duplicate_datacentre_in_two_documents.yaml"],
    "Rules: covers names systems of the organisation or its parties": [
        "covers_system_of_non_party", "parties_not_a_list.yaml"],
    "Rules: racks_used <= racks; end >= start; max_end >= end": [
        "racks_used_over_racks.yaml", "end_before_start.yaml", "max_end_before_end.yaml"],
    "Rules: exactly one of product, bespoke, host (hosted-by-partner, another organisation's)": [
        "product_and_bespoke.yaml", "product_and_host", "bespoke_and_host", "none_of_product_bespoke_host.yaml",
        "bespoke_false_and_nothing_else.yaml", "host_without_hosted_by_partner", "hosted_by_partner_without_host.yaml",
        "host_of_same_organisation.yaml", "host_of_same_organisation_as_org_local.yaml"],
    "Rules: datacentre only with on-premise": ["datacentre_with_saas.yaml"],
    "Rules: people entries are a skill or a role": ["people_skill_and_role.yaml", "people_neither_skill_nor_role.yaml"],
}


def case_files(case: str) -> list[tuple[str, bytes]]:
    """The case's files, named relative to ``tests/bad_estates`` (as the manifest names them)."""
    if case in GENERATED:
        return [(case, GENERATED[case]())]
    return [(f"{case}/{name}", data) for name, data in estate_files(BAD / case)] if (BAD / case).is_dir() \
        else [(case, (BAD / case).read_bytes())]


def expected_errors(case: str) -> list[list[Any]]:
    return (CASES.get(case) or MANIFEST["generated"][case])["errors"]


ALL_CASES = sorted(CASES) + sorted(GENERATED)


def test_the_manifest_lists_the_corpus_exactly() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("expected.json", "README.md", ".gitattributes")}
    assert on_disk == set(CASES)
    assert set(MANIFEST["generated"]) == set(GENERATED)
    assert len(ALL_CASES) >= 40 and all(case["errors"] for case in CASES.values())


def test_every_rule_of_the_spec_is_broken_at_least_once() -> None:
    missing = {rule: [c for c in cases if c not in CASES] for rule, cases in SPEC_RULES.items()}
    assert {rule: cases for rule, cases in missing.items() if cases} == {}


@pytest.mark.parametrize("case", ALL_CASES)
def test_each_bad_estate_gives_exactly_its_errors(case: str) -> None:
    errors = check_files(case_files(case)).errors
    got = [(e.location.file, e.location.line) for e in errors]
    assert got == [(file, line) for file, line, _ in expected_errors(case)], [e.render()[:300] for e in errors]
    for error, (_, _, message) in zip(errors, expected_errors(case)):
        assert message in error.message


@pytest.mark.parametrize("case", ALL_CASES)
def test_validate_exits_1_naming_file_and_line_without_a_traceback(
        case: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if case in GENERATED:
        (tmp_path / case).write_bytes(GENERATED[case]())
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(BAD)
    result = runner.invoke(app, ["validate", case])
    assert result.exit_code == 1, result.output[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    located = [ERROR_LINE.match(line) for line in result.stdout.splitlines() if ": error: " in line[:400]]
    assert all(located) and len(located) == len(expected_errors(case))
    assert [(m["file"], int(m["line"])) for m in located if m] == [(f, line) for f, line, _ in expected_errors(case)]


def test_the_whole_corpus_as_one_estate_fails_cleanly(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = runner.invoke(app, ["validate", "."])
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [line for line in result.stdout.splitlines() if re.match(r"^\S.*: (error|warning): ", line)]
    assert len(problems) > len(CASES)
    assert all(re.match(r"^[^\s:][^:]*:[1-9]\d*:[1-9]\d*: (error|warning): ", line) for line in problems)


# ---- Awkward but valid -------------------------------------------------------------------------

TEXT_FIELDS = ("name", "title", "description", "notes", "region", "version", "framework", "aliases")
AWKWARD_ESTATES = sorted(p.name for p in AWKWARD.iterdir() if not p.name.startswith("."))


def assert_text_round_trips(files: list[tuple[str, bytes]], graph: Any) -> int:
    """Every text field of every item is, character for character, the node's property."""
    checked = 0
    for item in yaml_items(files):
        if item.label == "Person":
            continue
        node = graph.nodes[(item.label, item.key)]
        for name in TEXT_FIELDS:
            if name in item.data:
                assert node[name] == item.data[name], (item.label, item.key, name)
                checked += 1
    return checked


@pytest.mark.parametrize("estate", AWKWARD_ESTATES)
def test_awkward_estates_load_and_their_text_round_trips(estate: str) -> None:
    files = estate_files(AWKWARD / estate)
    checked = check_files(files)
    assert checked.errors == []
    expected_warnings = 4 if estate == "bare_organisations" else 0
    assert len(checked.warnings) == expected_warnings
    assert assert_text_round_trips(files, build_graph(*rows_from_files(files))) > 0


def test_a_10_megabyte_name_loads_and_round_trips() -> None:
    name = "Ynys Môn “" + "x" * MEGABYTES_10 + "” $`{}"
    files = estate_files(AWKWARD / "bom_only.yaml")
    files = [(files[0][0], files[0][1].replace("name: Burnley — Bwrdeistref".encode(), f'name: "{name}"'.encode()))]
    graph = build_graph(*rows_from_files(files))
    assert graph.nodes[("Organisation", "E07000117")]["name"] == name


# ---- Neo4j: nothing written for a bad estate; awkward text survives the round trip ------------

NEO4J_CASES = ["yaml_python_object_tag.yaml", "duplicate_contract_across_files", "covers_system_of_non_party",
               "fte_huge.yaml", "population_huge.yaml", "yaml_duplicate_key_in_item.yaml", "non_utf8_latin1.yaml"]


@pytest.mark.neo4j
@pytest.mark.parametrize("case", NEO4J_CASES)
def test_a_bad_estate_writes_nothing_to_neo4j(case: str, clean_neo4j: neo4j.Driver, neo4j_uri: str) -> None:
    with pytest.raises(EstateError):
        load_into_neo4j([BAD / case], Neo4jSettings(uri=neo4j_uri))
    records, _, _ = clean_neo4j.execute_query("MATCH (n) RETURN count(n) AS nodes")
    assert records[0]["nodes"] == 0


@pytest.mark.neo4j
@pytest.mark.parametrize("estate", ["names_with_quotes_backticks_dollars.yaml", "non_latin_scripts_and_emoji.yaml",
                                    "names_with_newlines.yaml", "limits.yaml"])
def test_awkward_text_round_trips_through_neo4j(estate: str, clean_neo4j: neo4j.Driver, neo4j_uri: str) -> None:
    from tests.neo4j_helpers import stored_graph

    load_into_neo4j([AWKWARD / estate], Neo4jSettings(uri=neo4j_uri))
    assert assert_text_round_trips(estate_files(AWKWARD / estate), stored_graph(clean_neo4j)) > 0
