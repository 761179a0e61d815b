"""Format v1.1's contracts by capability (issue 13 item 4): validation, the version rule, the
graph, the analyses that compare contracts by capability, the JSON Schema and the exports.
The same estate on the Neo4j path is in tests/test_format_v1_1_neo4j.py."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ictgraph.graph_loader import check_files, load_schema, rows_from_files
from ictgraph.graph_loader.exports.admin_csv import admin_csv_files
from ictgraph.graph_loader.exports.archimate import NS, archimate_tree
from ictgraph.graph_loader.exports.graphml import graphml_graph
from ictgraph.graph_loader.exports.jsonschema import inventory_json_schema
from ictgraph.graph_loader.schema import schema_from_mapping
from ictgraph.queries.allocation import allocated_costs
from ictgraph.queries.clusters import find_clusters
from ictgraph.queries.estate import iter_contract_covers, iter_usage
from ictgraph.queries.suggest import joint_procurement
from ictgraph.queries.suggest.candidates import read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from ictgraph.queries.windows import find_windows
from tests.estates import CATALOGUE, files, graph_of, spec_examples
from tests.test_json_schema import EditorLoader

V11 = "format: ictgraph/v1.1\n"
ORG = "organisation: {id: A1, name: A, type: district, nation: England, population: 90000}\n"
REVS = ("systems:\n  - {id: revs, name: Revs, product: civica/openrevenues, hosting: saas,"
        " capabilities: [council-tax, business-rates]}\n")


def contract(**fields: str) -> str:
    """One contract line: supplier civica, 2024-01-01 to 2028-03-31, and ``fields``."""
    given = {"id": "k1", "supplier": "civica", **fields, "start": "2024-01-01", "end": "2028-03-31"}
    return "contracts:\n  - {" + ", ".join(f"{k}: {v}" for k, v in given.items()) + "}\n"


def only_error(document: str) -> tuple[int, str, str | None]:
    errors = check_files(files(c=CATALOGUE, a=document)).errors
    assert len(errors) == 1, [e.render() for e in errors]
    return errors[0].location.line, errors[0].message, errors[0].hint


@pytest.mark.parametrize(("document", "line", "message", "hint"), [
    (V11 + ORG + REVS + contract(), 6, "Contract 'k1' gives neither `covers` nor `capabilities`",
     "name the systems it pays for in `covers`, or the capabilities it pays for in `capabilities`"),
    (V11 + ORG + REVS + contract(covers="[revs]", capabilities="[council-tax, revenues]"), 6,
     "`capabilities` names 'revenues', which is not in the `capabilities` of its `covers` (A1/revs)",
     "name only capabilities that its `covers` give (business-rates, council-tax), or leave `capabilities` out"),
    ("format: ictgraph/v1\n" + ORG + contract(capabilities="[council-tax]"), 4,
     "unknown key 'capabilities' in Contract 'k1': format ictgraph/v1 does not have it, ictgraph/v1.1 does",
     "write `format: ictgraph/v1.1` at the top of the document to use it"),
    ("format: ictgraph/v1\n" + ORG + REVS + contract(), 6, "Contract 'k1' has no `covers`",
     "`covers` is required in format ictgraph/v1; a later version allows `capabilities` (ictgraph/v1.1) instead"),
    (V11 + ORG + contract(capabilities="[council tax billing]"), 4,
     "`capabilities`: unknown capability 'council tax billing'", None),
    (V11 + ORG + contract(capabilities="[]"), 4, "`capabilities` needs at least 1 entry", None),
], ids=["neither", "not-a-covered-capability", "in-v1", "v1-without-covers", "unknown-capability", "empty"])
def test_each_contract_rule_gives_one_error_with_its_place_and_hint(document: str, line: int, message: str,
                                                                     hint: str | None) -> None:
    found = only_error(document)
    assert found[:2] == (line, message)
    assert hint is None or found[2] == hint


@pytest.mark.parametrize("fields", [{"capabilities": "[council-tax, business-rates]"},
                                    {"covers": "[revs]", "capabilities": "[council-tax]"},
                                    {"covers": "[revs]"}])
def test_a_v1_1_contract_with_capabilities_covers_or_both_is_valid(fields: dict[str, str]) -> None:
    assert check_files(files(c=CATALOGUE, a=V11 + ORG + REVS + contract(**fields))).errors == []


def test_a_contract_by_capability_becomes_for_relationships_and_no_covers() -> None:
    nodes, edges = rows_from_files(files(c=CATALOGUE, a=V11 + ORG + contract(capabilities="[council-tax, business-rates]")))
    mine = sorted((e.type, e.end.label, e.end.key) for e in edges if e.start.key == "A1/k1")
    assert mine == [("FOR", "Capability", "business-rates"), ("FOR", "Capability", "council-tax"),
                    ("WITH", "Vendor", "civica")]
    contract_node = next(n for n in nodes if n.key == "A1/k1")
    assert "capabilities" not in contract_node.props()


def _version_schema(raw_edit: Any) -> Any:
    raw = yaml.safe_load(Path(load_schema().source_path).read_text(encoding="utf-8"))
    raw_edit(raw)
    return schema_from_mapping(raw, Path("schema.yaml"))


def test_a_section_marked_since_a_version_is_refused_in_an_older_document() -> None:
    """The version rule is the schema's: marking a section ``since`` is all it takes."""
    schema = _version_schema(lambda raw: raw["sections"]["policies"].update(since="ictgraph/v1.1"))
    policies = "policies:\n  - {id: infosec, name: Information security}\n"
    older = check_files(files(c=CATALOGUE, a="format: ictgraph/v1\n" + ORG + policies), schema).errors
    assert [(e.location.line, e.message, e.hint) for e in older] == [
        (3, "unknown key 'policies' in an inventory document: format ictgraph/v1 does not have it, ictgraph/v1.1 does",
         "write `format: ictgraph/v1.1` at the top of the document to use it")]
    assert check_files(files(c=CATALOGUE, a=V11 + ORG + policies), schema).errors == []


def test_a_catalogue_section_marked_since_a_version_is_refused_in_an_older_catalogue() -> None:
    schema = _version_schema(lambda raw: raw["sections"]["skills"].update(since="ictgraph/v1.1"))
    errors = check_files(files(c=CATALOGUE), schema).errors
    assert [(e.location.line, e.message) for e in errors] == [
        (13, "unknown key 'skills' in the catalogue: format ictgraph/v1 does not have it, ictgraph/v1.1 does")]
    assert check_files(files(c=CATALOGUE.replace("ictgraph/v1", "ictgraph/v1.1")), schema).errors == []


def test_a_since_naming_no_listed_version_is_refused() -> None:
    with pytest.raises(ValueError, match="contracts.capabilities: since 'ictgraph/v2'"):
        _version_schema(lambda raw: raw["sections"]["contracts"]["fields"]["capabilities"].update(since="ictgraph/v2"))


# A small estate: A pays for council tax and business rates by a contract that names them
# (no system known); B covers its own system; C plans a procurement; D covers a system for
# council tax alone.
ESTATE = {
    "catalogue": CATALOGUE,
    "a": V11 + ORG + REVS + "contracts:\n"
         "  - {id: k1, supplier: civica, capabilities: [council-tax, business-rates], start: 2024-04-01,"
         " end: 2027-06-30, notice_months: 6, annual_value: 1000}\n",
    "b": "format: ictgraph/v1\norganisation: {id: B1, name: B, type: district, nation: Wales, population: 50000}\n"
         + REVS + "contracts:\n  - {id: k2, supplier: civica, covers: [revs], start: 2022-04-01, end: 2027-09-30,"
                  " annual_value: 400}\n",
    "c": V11 + "organisation: {id: C1, name: C, type: district, nation: England, population: 70000}\n"
         "procurement_plans:\n  - {id: p1, capabilities: [council-tax], expected: 2027-05, estimated_value: 5000,"
         " open_to_partners: true}\n",
    "d": V11 + "organisation: {id: D1, name: D, type: district, nation: England, population: 60000}\n" + REVS
         + "contracts:\n  - {id: k4, supplier: civica, covers: [revs], capabilities: [council-tax], start: 2023-01-01,"
           " end: 2031-01-01, annual_value: 300}\n",
}
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def estate() -> Any:
    return graph_of(**ESTATE)


def test_the_covers_of_each_kind_of_contract(estate: Any) -> None:
    found = [(c.organisation, c.capability, c.contract, c.system, c.allocated_value) for c in iter_contract_covers(estate)]
    assert found == [("A1", "business-rates", "A1/k1", "", 500.0), ("A1", "council-tax", "A1/k1", "", 500.0),
                     ("B1", "business-rates", "B1/k2", "B1/revs", 200.0), ("B1", "council-tax", "B1/k2", "B1/revs", 200.0),
                     ("D1", "council-tax", "D1/k4", "D1/revs", 300.0)]


def test_a_contract_by_capability_never_counts_as_running_a_product(estate: Any) -> None:
    assert {u.organisation for u in iter_usage(estate)} == {"A1", "B1", "D1"}     # systems only
    nothing = graph_of(catalogue=CATALOGUE, a=V11 + ORG + contract(capabilities="[council-tax]"),
                       b=V11 + ORG.replace("A1", "B1") + contract(capabilities="[council-tax]"))
    assert list(iter_usage(nothing)) == [] and find_clusters(nothing) == []


def test_windows_count_a_contract_by_capability(estate: Any) -> None:
    windows = {w["capability"]: w for w in find_windows(estate, as_of=AS_OF, months=12)["windows"]}
    assert set(windows) == {"business-rates", "council-tax"}
    tax = windows["council-tax"]
    assert tax["organisations"] == ["A1", "B1"] and tax["combined_annual_value"] == {"GBP": 700.0}
    mine = next(c for c in tax["contracts"] if c["contract"] == "A1/k1")
    assert (mine["systems"], mine["holder"], mine["decision_date"]) == ([], "A1", "2026-12-30")


def test_joint_procurement_counts_a_contract_by_capability(estate: Any) -> None:
    view = read_estate(estate)
    matches = joint_procurement.plan_matches(view, AS_OF, default_savings_model())
    assert ("C1/p1", "council-tax", "contract", "A1/k1") in matches
    [s] = joint_procurement.suggest_joint_procurement(view, AS_OF, default_savings_model())
    assert s["organisations"] == ["A1", "B1", "C1"]
    assert {c["contract"]: c["annual_value"] for c in s["contracts"]} == {"A1/k1": 500.0, "B1/k2": 200.0}


def test_benchmarks_by_spend_count_a_contract_by_capability(estate: Any) -> None:
    lines = [(x.organisation, x.capability, x.system, x.contract, x.annual_cost) for x in allocated_costs(estate)]
    assert ("A1", "council-tax", "", "A1/k1", 500.0) in lines and ("A1", "business-rates", "", "A1/k1", 500.0) in lines
    assert [x for x in lines if x[0] == "D1"] == [("D1", "council-tax", "D1/revs", "D1/k4", 300.0)]


def test_the_json_schema_knows_the_version_of_contracts_by_capability() -> None:
    validator = jsonschema.Draft7Validator(inventory_json_schema())
    for version, fields, valid in [("v1.1", {"capabilities": ["x"]}, True), ("v1", {"capabilities": ["x"]}, False),
                                   ("v1.1", {}, False), ("v1", {"covers": ["s"]}, True),
                                   ("v1.1", {"covers": ["s"], "capabilities": ["x"]}, True)]:
        document = {"format": f"ictgraph/{version}", "organisation": {"id": "A1"},
                    "contracts": [{"id": "k", "supplier": "v", "start": "2024-01-01", "end": "2025-01-01", **fields}]}
        assert validator.is_valid(document) is valid, (version, fields)


def test_the_json_schema_accepts_the_pages_contract_by_capability() -> None:
    validator = jsonschema.Draft7Validator(inventory_json_schema())
    [(_, data)] = [f for f in spec_examples("v1.1") if f[0] == "spec-example-3.yaml"]
    document = yaml.load(data, Loader=EditorLoader)
    assert [e.message for e in validator.iter_errors(document)] == []
    v1 = yaml.load(data.replace(b"ictgraph/v1.1", b"ictgraph/v1"), Loader=EditorLoader)
    assert [list(e.absolute_path) for e in validator.iter_errors(v1)] == [["contracts", 0, "capabilities"]]


def test_the_exports_carry_the_for_relationship() -> None:
    nodes, edges = rows_from_files(files(**ESTATE))
    graphml = graphml_graph(nodes, edges)
    assert ("Contract:A1/k1", "Capability:council-tax") in {(u, v) for u, v, d in graphml.edges(data=True)
                                                          if d["type"] == "FOR"}
    csv_text = admin_csv_files(nodes, edges)["relationships_FOR_Contract_Capability.csv"]
    assert "A1/k1,council-tax,FOR" in csv_text.splitlines() and "D1/k4,council-tax,FOR" in csv_text.splitlines()
    q = f"{{{NS}}}"
    names = [r.findtext(f"{q}name") for r in archimate_tree(nodes, edges).getroot().findall(f"{q}relationships/{q}relationship")]
    assert names.count("FOR") == 4       # three of contracts, one of the plan


def test_the_v1_1_fixture_loads_with_its_for_relationships() -> None:
    path = Path(__file__).resolve().parent.parent / "fixtures" / "valid" / "contract_by_capability.yaml"
    nodes, edges = rows_from_files([(path.name, path.read_bytes())])
    assert sorted((e.start.key, e.end.key) for e in edges if e.type == "FOR") == [
        ("E07000117/c-software", "business-rates"), ("E07000117/c-software", "council-tax"),
        ("E07000117/c-support", "council-tax")]
    assert textwrap.dedent(path.read_text(encoding="utf-8")).count("format: ictgraph/v1.1") == 1


def test_the_schema_command_says_which_version_has_each_field() -> None:
    from typer.testing import CliRunner

    from ictgraph.cli import app
    result = CliRunner().invoke(app, ["schema", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "section,field,type,required,since"
    assert "contracts,capabilities,list,false,ictgraph/v1.1" in lines and "contracts,covers,list,false,ictgraph/v1" in lines
