"""Step 2: every rule of the inventory format is enforced, with file, line and a hint."""
from __future__ import annotations

import pytest

from tests.estates import CATALOGUE, check, errors_of, spec_examples
from ictgraph.graph_loader import check_files

ORG = """\
format: ictgraph/v1
organisation: {id: E07000117, name: Burnley, type: district, nation: England, neighbours: [E07000122]}
"""
SYSTEM = "  - {id: revs, name: Revenues, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}\n"


def inventory(body: str) -> str:
    return ORG + body


def only_error(**named: str) -> tuple[int, str, str | None]:
    errors = errors_of(**named)
    assert len(errors) == 1, [e.render() for e in errors]
    return errors[0].location.line, errors[0].message, errors[0].hint


def test_the_spec_examples_are_valid() -> None:
    checked = check_files(spec_examples())
    assert checked.errors == []
    assert [w.message for w in checked.warnings] == [
        "organisation 'E06000057' has no inventory in this estate; it becomes a bare node"]


CASES = {
    "wrong_type": ("systems:\n  - {id: revs, name: R, product: civica/openrevenues, capabilities: [council-tax], hosting: saas, users: many}\n",
                   4, "`users`: expected a whole number, got 'many'", "whole number"),
    "missing_required": ("systems:\n  - {id: revs, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}\n",
                         4, "System 'revs' has no `name`", "required"),
    "unknown_key": ("systems:\n  - {id: revs, name: R, product: civica/openrevenues, capabilities: [council-tax], hosting: saas, anual_cost: 5}\n",
                    4, "unknown key 'anual_cost' in System 'revs'", "did you mean 'annual_cost'?"),
    "unknown_top_level_key": ("sytems: []\n", 3, "unknown key 'sytems' in an inventory document", "did you mean 'systems'?"),
    "dangling_reference": ("systems:\n  - {id: revs, name: R, product: civica/openrevenue, capabilities: [council-tax], hosting: saas}\n",
                           4, "`product`: unknown product 'civica/openrevenue'", "closest known: civica/openrevenues"),
    "unknown_enum": ("systems:\n  - {id: revs, name: R, product: civica/openrevenues, capabilities: [council-tax], hosting: cloud}\n",
                     4, "`hosting`: 'cloud' is not one of the allowed values", "on-premise, private-cloud"),
    "bad_date": ("systems:\n" + SYSTEM + "contracts:\n  - {id: c1, supplier: civica, covers: [revs], start: 2020-04-01, end: 31/03/2026}\n",
                 6, "`end`: '31/03/2026' is not an ISO 8601 date", "2026-03-31"),
    "negative_money": ("systems:\n" + SYSTEM + "contracts:\n  - {id: c1, supplier: civica, covers: [revs], start: 2020-04-01, end: 2026-03-31, annual_value: -5}\n",
                       6, "`annual_value`: an amount of money must not be negative, got -5", None),
    "end_before_start": ("systems:\n" + SYSTEM + "contracts:\n  - {id: c1, supplier: civica, covers: [revs], start: 2026-04-01, end: 2026-03-31}\n",
                         6, "`end` (2026-03-31) is before `start` (2026-04-01)", "on or after"),
    "max_end_before_end": ("systems:\n" + SYSTEM + "contracts:\n  - {id: c1, supplier: civica, covers: [revs], start: 2020-04-01, end: 2026-03-31, max_end: 2025-01-01}\n",
                           6, "`max_end` (2025-01-01) is before `end` (2026-03-31)", None),
    "racks_used_over_racks": ("datacentres:\n  - {id: dc1, name: D, racks: 4, racks_used: 9}\n",
                              4, "`racks_used` (9) is more than `racks` (4)", None),
    "bespoke_and_product": ("systems:\n  - {id: crm, name: C, bespoke: true, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}\n",
                            4, "System 'crm' must have exactly one of `product`, `bespoke`, `host`, but gives `product`, `bespoke`", "bespoke: true"),
    "no_product": ("systems:\n  - {id: crm, name: C, capabilities: [council-tax], hosting: saas}\n",
                   4, "System 'crm' must have exactly one of `product`, `bespoke`, `host`, but gives none", None),
    "datacentre_without_on_premise": ("datacentres: [{id: dc1, name: D}]\nsystems:\n  - {id: revs, name: R, product: civica/openrevenues, capabilities: [council-tax], hosting: saas, datacentre: dc1}\n",
                                      5, "`datacentre` is only given with `hosting: on-premise`", None),
    "host_of_own_organisation": ("systems:\n" + SYSTEM + "  - {id: r2, name: R2, capabilities: [council-tax], hosting: hosted-by-partner, host: revs}\n",
                                 5, "`host` 'E07000117/revs' is a system of the same organisation", None),
    "hosted_by_partner_without_host": ("systems:\n  - {id: r2, name: R2, product: civica/openrevenues, capabilities: [council-tax], hosting: hosted-by-partner}\n",
                                       4, "System 'r2' has `hosting: hosted-by-partner` but no `host`", None),
    "empty_capabilities": ("systems:\n  - {id: revs, name: R, product: civica/openrevenues, capabilities: [], hosting: saas}\n",
                           4, "`capabilities` needs at least 1 entry", None),
    "bad_local_id": ("systems:\n  - {id: 're/vs', name: R, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}\n",
                     4, "`id`: 're/vs' is not a valid local id", None),
    "conflicting_organisation_field": ("---\nformat: ictgraph/v1\norganisation: {id: E07000117, name: Burnley Borough}\n",
                                       5, "organisation 'E07000117' gives `name` twice with different values", "first given at"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rule_gives_one_error_at_its_line(name: str) -> None:
    body, line, message, hint = CASES[name]
    got_line, got_message, got_hint = only_error(catalogue=CATALOGUE, org=inventory(body))
    assert (got_line, got_message) == (line, message)
    if hint:
        assert got_hint and hint in got_hint


def test_every_problem_is_reported_at_once_sorted_by_line() -> None:
    body = ("systems:\n  - {id: a, name: A, product: nope, capabilities: [council-tax], hosting: saas}\n"
            "  - {id: b, name: B, product: civica/openrevenues, capabilities: [council-tax], hosting: cloud}\n")
    errors = errors_of(catalogue=CATALOGUE, org=inventory(body))
    assert [e.location.line for e in errors] == [4, 5]


def test_contract_covering_a_system_of_a_non_party_is_an_error() -> None:
    other = "format: ictgraph/v1\norganisation: {id: E07000122, name: Pendle}\nsystems:\n" + SYSTEM
    body = "contracts:\n  - {id: c1, supplier: civica, covers: [E07000122/revs], start: 2020-01-01, end: 2026-01-01}\n"
    line, message, hint = only_error(catalogue=CATALOGUE, org=inventory(body), other=other)
    assert (line, message) == (4, "`covers` names 'E07000122/revs', a system of 'E07000122'")
    assert hint and "add 'E07000122' to `parties`" in hint
    ok = body.replace("end: 2026-01-01}", "end: 2026-01-01, parties: [E07000122]}")
    assert errors_of(catalogue=CATALOGUE, org=inventory(ok), other=other) == []


def test_duplicate_ids_with_different_content_name_both_places() -> None:
    body = "systems:\n" + SYSTEM + SYSTEM.replace("Revenues", "Revs")
    line, message, hint = only_error(catalogue=CATALOGUE, org=inventory(body))
    assert (line, message) == (5, "System 'E07000117/revs' is defined twice with different content")
    assert hint and "first defined at org.yaml:4:5" in hint


def test_identical_duplicates_across_files_are_accepted_once() -> None:
    split = "format: ictgraph/v1\norganisation: {id: E07000117}\nsystems:\n" + SYSTEM
    checked = check(catalogue=CATALOGUE, org=inventory("systems:\n" + SYSTEM), more=split)
    assert checked.errors == []
    assert len([k for k in checked.index.items if k[0] == "System"]) == 1


def test_duplicate_across_files_with_different_content() -> None:
    split = "format: ictgraph/v1\norganisation: {id: E07000117}\nsystems:\n" + SYSTEM.replace("saas", "on-premise")
    errors = errors_of(catalogue=CATALOGUE, org=inventory("systems:\n" + SYSTEM), more=split)
    assert [(e.location.file, e.message) for e in errors] == [
        ("org.yaml", "System 'E07000117/revs' is defined twice with different content")]


@pytest.mark.parametrize("text,message", [
    ("organisation: {id: X}\n", "missing `format:`"),
    ("format: ictgraph/v9\norganisation: {id: X}\n", "unknown format 'ictgraph/v9'"),
    ("- format: ictgraph/v1\n", "a document must be a mapping, not a list"),
    ("format: ictgraph/v1\n", "the document has neither `organisation:` nor `catalogue:`"),
    ("format: ictgraph/v1\ncurrency: pounds\ncatalogue: {}\n", "currency 'pounds' is not an ISO 4217 code"),
])
def test_document_outline_errors(text: str, message: str) -> None:
    assert [e.message for e in errors_of(doc=text)] == [message]


def test_catalogue_names_that_fold_together_are_an_error() -> None:
    clash = CATALOGUE.replace("aliases: [Academy]", "aliases: [Civica_open-revenues]")
    errors = errors_of(catalogue=clash)
    assert [e.message for e in errors] == [
        "product 'capita/one-revenues': 'Civica_open-revenues' is also a name of 'civica/openrevenues'"]


@pytest.mark.parametrize("written", ["Civica Open Revenues", "civica  open-revenues", "OPENREVENUES", "civica/openrevenues"])
def test_product_references_fold_case_spaces_hyphens_underscores(written: str) -> None:
    body = "systems:\n" + SYSTEM.replace("product: civica/openrevenues", f"product: {written}")
    assert errors_of(catalogue=CATALOGUE, org=inventory(body)) == []


def test_unknown_neighbours_are_warnings_not_errors() -> None:
    checked = check(catalogue=CATALOGUE, org=inventory("systems:\n" + SYSTEM))
    assert checked.errors == []
    assert [(w.severity, w.location.line) for w in checked.warnings] == [("warning", 2)]


def test_capability_parent_cycles_are_errors() -> None:
    cyclic = CATALOGUE.replace("- {id: revenues, name: Revenues}", "- {id: revenues, name: Revenues, parent: council-tax}")
    assert any("makes a cycle" in e.message for e in errors_of(catalogue=cyclic))
