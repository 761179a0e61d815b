"""Format v1.1's measures and service levels (issue 15 item 0): validation, the key
``ORG/MEASURE/PERIOD``, duplicates, the version rule and the graph. The same estate on the
Neo4j path is in tests/test_format_service_levels_neo4j.py."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ictgraph.graph_loader import check_files, load_schema, rows_from_files
from ictgraph.graph_loader.exports.admin_csv import admin_csv_files
from ictgraph.graph_loader.exports.archimate import NS, XSI, archimate_tree
from ictgraph.graph_loader.exports.graphml import graphml_graph
from ictgraph.graph_loader.exports.jsonschema import inventory_json_schema
from ictgraph.graph_loader.schema import schema_from_mapping
from tests.estates import CATALOGUE, files, graph_of

V11 = "format: ictgraph/v1.1\n"
MEASURES = (V11 + "catalogue:\n  measures:\n"
            "    - {id: tax-collected, name: Council tax collected in year, capability: council-tax, unit: percent,"
            " better: higher, aliases: [CTAX1]}\n"
            "    - {id: days-to-process, name: Days to process a claim, capability: revenues, better: lower}\n")
ORG = "organisation: {id: A1, name: A, type: district, nation: England, population: 90000}\n"


def levels(*entries: str, version: str = V11) -> str:
    """An inventory of A1 reporting ``entries`` (each the inside of one flow mapping)."""
    return version + ORG + "service_levels:\n" + "".join(f"  - {{{e}}}\n" for e in entries)


def estate(*entries: str, version: str = V11) -> list[tuple[str, bytes]]:
    return files(c=CATALOGUE, m=MEASURES, a=levels(*entries, version=version))


def only_error(found: list[tuple[str, bytes]]) -> tuple[str, int, str, str | None]:
    errors = check_files(found).errors
    assert len(errors) == 1, [e.render() for e in errors]
    error = errors[0]
    return error.location.file, error.location.line, error.message, error.hint


GOOD = ("measure: tax-collected, financial_year: 2022-23, value: 96.4",
        "measure: CTAX1, date: 2024-03-31, value: 96.9",
        "measure: Days to process a claim, financial_year: 2023-24, value: -2",
        "measure: days-to-process, financial_year: 1999-00, value: 12")


def test_measures_and_service_levels_become_nodes_keyed_org_measure_period() -> None:
    nodes, _ = rows_from_files(estate(*GOOD))
    found = {n.key: n.props() for n in nodes if n.label == "ServiceLevel"}
    assert sorted(found) == ["A1/days-to-process/1999-00", "A1/days-to-process/2023-24",
                             "A1/tax-collected/2022-23", "A1/tax-collected/2024-03-31"]
    assert found["A1/tax-collected/2022-23"] == {
        "id": "A1/tax-collected/2022-23", "local_id": "tax-collected/2022-23", "organisation": "A1",
        "financial_year": "2022-23", "period": "2022-23", "value": 96.4, "source": "a.yaml:4"}
    on_a_day = found["A1/tax-collected/2024-03-31"]
    assert (on_a_day["date"], on_a_day["period"], on_a_day["value"]) == (dt.date(2024, 3, 31), "2024-03-31", 96.9)
    assert found["A1/days-to-process/2023-24"]["value"] == -2           # a number may be negative
    measures = {n.key: n.props() for n in nodes if n.label == "Measure"}
    assert measures["tax-collected"] == {"id": "tax-collected", "name": "Council tax collected in year",
                                         "unit": "percent", "better": "higher", "aliases": ("CTAX1",),
                                         "source": "m.yaml:4"}
    assert "unit" not in measures["days-to-process"]


def test_service_levels_link_organisation_level_measure_and_capability() -> None:
    graph = graph_of(c=CATALOGUE, m=MEASURES, a=levels(*GOOD))
    level = ("ServiceLevel", "A1/tax-collected/2024-03-31")
    assert list(graph.in_edges(level, keys=True)) == [(("Organisation", "A1"), level, "REPORTS")]
    assert list(graph.out_edges(level, keys=True)) == [(level, ("Measure", "tax-collected"), "OF")]
    assert list(graph.out_edges(("Measure", "tax-collected"), keys=True)) == [
        (("Measure", "tax-collected"), ("Capability", "council-tax"), "OF")]
    assert graph.nodes[level]["labels"] == ["ServiceLevel"]
    assert sum(1 for _, _, k in graph.edges(keys=True) if k == "REPORTS") == 4


def test_the_measure_part_of_the_key_is_the_canonical_id_whatever_name_was_written() -> None:
    for written in ("tax-collected", "CTAX1", "council tax collected in year", "Tax_Collected"):
        nodes, _ = rows_from_files(estate(f"measure: {written}, financial_year: 2022-23, value: 1"))
        assert [n.key for n in nodes if n.label == "ServiceLevel"] == ["A1/tax-collected/2022-23"], written


@pytest.mark.parametrize(("entries", "line", "message", "hint"), [
    (["measure: tax-collected, financial_year: 2022-24, value: 1"], 4,
     "`financial_year`: '2022-24' is not a financial year: 24 does not follow 2022",
     "write the financial year as YYYY-YY, April to March, for example 2022-23; the year starting in 2022 is 2022-23"),
    (["measure: tax-collected, financial_year: 2022/23, value: 1"], 4,
     "`financial_year`: expected a financial year, got '2022/23'", None),
    (["measure: tax-collected, financial_year: 2022-04-01, value: 1"], 4,
     "`financial_year`: expected a financial year, got 2022-04-01",
     "write the financial year as YYYY-YY, April to March, for example 2022-23; a day is written as `date:`"),
    (["measure: tax-collected, financial_year: 2022-23, date: 2023-03-31, value: 1"], 4,
     "ServiceLevel 'tax-collected/2022-23' must have exactly one of `financial_year`, `date`, "
     "but gives `financial_year`, `date`",
     "give the period as `financial_year: 2022-23` or as `date: 2024-03-31`, not both"),
    (["measure: tax-collected, value: 1"], 4,
     "the entry must have exactly one of `financial_year`, `date`, but gives none", None),
    (["measure: tax collection, financial_year: 2022-23, value: 1"], 4,
     "`measure`: unknown measure 'tax collection'", "closest known: tax-collected"),
    (["measure: tax-collected, financial_year: 2022-23"], 4, "ServiceLevel 'tax-collected/2022-23' has no `value`",
     "`value` is required in `service_levels`"),
    (["measure: tax-collected, financial_year: 2022-23, value: '96%'"], 4,
     "`value`: expected a number, got '96%'", None),
    (["measure: tax-collected, financial_year: 2022-23, value: 96.4",
      "measure: CTAX1, financial_year: 2022-23, value: 96.5"], 5,
     "ServiceLevel 'A1/tax-collected/2022-23' is given twice with different content: here and at a.yaml:4",
     "an organisation reports one entry per measure and period; keep one, or make them identical"),
    (["id: x1, measure: tax-collected, financial_year: 2022-23, value: 1"], 4,
     "unknown key 'id' in ServiceLevel 'tax-collected/2022-23'", None),
], ids=["bad-financial-year", "financial-year-with-slash", "financial-year-a-day", "both-periods", "no-period",
        "unknown-measure", "no-value", "value-not-a-number", "duplicate-different", "an-id"])
def test_each_service_level_rule_gives_one_error_with_its_place(entries: list[str], line: int, message: str,
                                                                hint: str | None) -> None:
    file, found_line, found, found_hint = only_error(estate(*entries))
    assert (file, found_line, found) == ("a.yaml", line, message)
    assert hint is None or found_hint == hint


def test_a_duplicate_in_another_file_names_both_files() -> None:
    more = "format: ictgraph/v1.1\norganisation: {id: A1}\nservice_levels:\n" \
           "  - {measure: tax-collected, financial_year: 2022-23, value: 90}\n"
    found = files(c=CATALOGUE, m=MEASURES, a=levels("measure: tax-collected, financial_year: 2022-23, value: 96.4"),
                  b=more)
    assert only_error(found)[:3] == ("b.yaml", 4, "ServiceLevel 'A1/tax-collected/2022-23' is given twice with "
                                                  "different content: here and at a.yaml:4")


def test_an_identical_duplicate_counts_once() -> None:
    found = estate("measure: tax-collected, financial_year: 2022-23, value: 96.4",
                   "measure: CTAX1, financial_year: 2022-23, value: 96.4")
    assert check_files(found).problems == []
    nodes, edges = rows_from_files(found)
    assert [(n.key, n.props()["source"]) for n in nodes if n.label == "ServiceLevel"] == [
        ("A1/tax-collected/2022-23", "a.yaml:4")]
    assert sum(1 for e in edges if e.type == "REPORTS") == 1


def test_the_same_measure_in_two_periods_or_two_organisations_is_no_duplicate() -> None:
    other = V11 + "organisation: {id: B1, name: B}\nservice_levels:\n" \
                  "  - {measure: tax-collected, financial_year: 2022-23, value: 80}\n"
    found = files(c=CATALOGUE, m=MEASURES, b=other,
                  a=levels("measure: tax-collected, financial_year: 2022-23, value: 96.4",
                           "measure: tax-collected, financial_year: 2023-24, value: 96.4"))
    assert check_files(found).errors == []


@pytest.mark.parametrize(("catalogue_entry", "message"), [
    ("{id: tax-collected, name: T, capability: council-tax, better: up}",
     "`better`: 'up' is not one of the allowed values"),
    ("{id: tax-collected, name: T, better: higher}", "Measure 'tax-collected' has no `capability`"),
    ("{id: tax-collected, name: T, capability: council-tax}", "Measure 'tax-collected' has no `better`"),
    ("{id: tax-collected, name: T, capability: counciltax, better: higher}",
     "`capability`: unknown capability 'counciltax'"),
    ("{id: Tax Collected, name: T, capability: council-tax, better: higher}",
     "`id`: 'Tax Collected' is not a valid slug"),
], ids=["bad-better", "no-capability", "no-better", "unknown-capability", "id-not-a-slug"])
def test_each_measure_rule_gives_one_error(catalogue_entry: str, message: str) -> None:
    measures = V11 + "catalogue:\n  measures:\n    - " + catalogue_entry + "\n"
    errors = check_files(files(c=CATALOGUE, m=measures)).errors
    assert [(e.location.file, e.location.line, e.message) for e in errors] == [("m.yaml", 4, message)]


def test_a_measure_name_that_is_another_measures_alias_is_a_clash() -> None:
    measures = MEASURES + "    - {id: ctax1, name: Other, capability: council-tax, better: none}\n"
    [error] = check_files(files(c=CATALOGUE, m=measures)).errors
    assert error.message == "measure 'ctax1': 'ctax1' is also a name of 'tax-collected'"


def test_a_v1_document_may_give_neither_measures_nor_service_levels() -> None:
    v1_catalogue = MEASURES.replace("ictgraph/v1.1", "ictgraph/v1")
    v1_levels = levels("measure: tax-collected, financial_year: 2022-23, value: 1", version="format: ictgraph/v1\n")
    errors = check_files(files(c=CATALOGUE, m=v1_catalogue, a=v1_levels)).errors
    assert [(e.location.file, e.location.line, e.message, e.hint) for e in errors] == [
        ("a.yaml", 3, "unknown key 'service_levels' in an inventory document: format ictgraph/v1 does not have it, "
                      "ictgraph/v1.1 does", "write `format: ictgraph/v1.1` at the top of the document to use it"),
        ("m.yaml", 3, "unknown key 'measures' in the catalogue: format ictgraph/v1 does not have it, "
                      "ictgraph/v1.1 does", "write `format: ictgraph/v1.1` at the top of the document to use it")]


def test_a_v1_inventory_may_report_against_a_v1_1_catalogue_only_in_v1_1() -> None:
    """The estate may mix versions: the v1 catalogue of tests.estates beside v1.1 measures."""
    assert check_files(estate(*GOOD)).errors == []


def _edited_schema(edit: Any) -> None:
    raw = yaml.safe_load(Path(load_schema().source_path).read_text(encoding="utf-8"))
    edit(raw["sections"]["service_levels"])
    schema_from_mapping(raw, Path("schema.yaml"))


@pytest.mark.parametrize(("edit", "message"), [
    (lambda s: s.update(key=["measure", "year"]), "key or derived part 'year' is not one of its fields"),
    (lambda s: s.update(derived={"period": {"first_of": ["financial_year", "day"]}}),
     "key or derived part 'day' is not one of its fields"),
    (lambda s: s["fields"].update(id={"type": "id", "pattern": "local_id"}),
     "only an owned section without `id` may declare a key"),
], ids=["unknown-key-part", "unknown-derived-part", "key-beside-id"])
def test_the_schema_refuses_a_key_it_cannot_build(edit: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _edited_schema(edit)


def test_the_exports_carry_measures_and_service_levels() -> None:
    nodes, edges = rows_from_files(estate(*GOOD))
    graphml = graphml_graph(nodes, edges)
    assert graphml.nodes["ServiceLevel:A1/tax-collected/2022-23"]["period"] == "2022-23"
    assert ("ServiceLevel:A1/tax-collected/2022-23", "Measure:tax-collected") in {
        (u, v) for u, v, d in graphml.edges(data=True) if d["type"] == "OF"}
    csv = admin_csv_files(nodes, edges)
    assert {"nodes_Measure.csv", "nodes_ServiceLevel.csv", "relationships_OF_Measure_Capability.csv",
            "relationships_OF_ServiceLevel_Measure.csv", "relationships_REPORTS_Organisation_ServiceLevel.csv"} <= set(csv)
    assert "A1,A1/tax-collected/2022-23,REPORTS" in csv["relationships_REPORTS_Organisation_ServiceLevel.csv"].splitlines()
    q = f"{{{NS}}}"
    kinds = {e.findtext(f"{q}name"): e.get(f"{{{XSI}}}type")
             for e in archimate_tree(nodes, edges).getroot().findall(f"{q}elements/{q}element")}
    assert kinds["Council tax collected in year"] == "Driver"
    assert kinds["A1/tax-collected/2022-23"] == "Assessment"


@pytest.mark.parametrize(("version", "level", "valid"), [
    ("v1.1", {"measure": "m", "financial_year": "2022-23", "value": -1.5}, True),
    ("v1.1", {"measure": "m", "financial_year": "1999-00", "value": 1}, True),
    ("v1.1", {"measure": "m", "date": "2024-03-31", "value": 1}, True),
    ("v1.1", {"measure": "m", "financial_year": "2022-24", "value": 1}, False),
    ("v1.1", {"measure": "m", "financial_year": "2022-23", "date": "2023-03-31", "value": 1}, False),
    ("v1.1", {"measure": "m", "value": 1}, False),
    ("v1.1", {"measure": "m", "financial_year": "2022-23"}, False),
    ("v1", {"measure": "m", "financial_year": "2022-23", "value": 1}, False),
], ids=["signed", "century", "date", "bad-year", "both", "neither", "no-value", "in-v1"])
def test_the_json_schema_knows_service_levels(version: str, level: dict[str, Any], valid: bool) -> None:
    validator = jsonschema.Draft7Validator(inventory_json_schema())
    document = {"format": f"ictgraph/{version}", "organisation": {"id": "A1"}, "service_levels": [level]}
    assert validator.is_valid(document) is valid


def test_the_json_schema_knows_measures() -> None:
    validator = jsonschema.Draft7Validator(inventory_json_schema())
    measure = {"id": "m", "name": "M", "capability": "c", "better": "lower", "unit": "days"}
    assert validator.is_valid({"format": "ictgraph/v1.1", "catalogue": {"measures": [measure]}})
    assert not validator.is_valid({"format": "ictgraph/v1", "catalogue": {"measures": [measure]}})
    assert not validator.is_valid({"format": "ictgraph/v1.1", "catalogue": {"measures": [{**measure, "better": "up"}]}})
