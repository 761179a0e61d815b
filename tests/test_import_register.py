"""``import register``: an application register (CSV or Excel) to one organisation's inventory."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import check_files, check_paths
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.catalogues import read_catalogues
from ictgraph.graph_loader.imports.register import build_register_estate
from ictgraph.graph_loader.imports.register_read import Table, read_table
from tests.estates import ROOT

SAMPLE_CATALOGUE = ROOT / "fixtures" / "sample" / "catalogue.yaml"
HEADERS = ["Application", "Supplier", "Product", "Service Area", "Hosting", "Contract Start", "Contract End Date",
           "Annual Cost (£)", "No of users", "Cost centre"]
ROWS = [
    ["Revenues and Benefits", "Civica UK Ltd", "OpenRevenues", "Council tax; Benefits", "On-Premise",
     "01/04/2021", "31/03/2026", "£210,000", "180", "RB01"],
    ["Planning", "Idox", "Uniform", "Planning", "Cloud", "", "30/09/2027", "85k", "c. 60", "PL01"],
    ["Intranet", "In-house", "", "Corporate", "Azure", "", "", "", "400", "IT01"],
    ["Waste", "Bartec", "", "Waste collection", "SaaS", "", "", "", "30", "WS01"],
    ["", "", "", "", "", "", "", "", "", ""],
    ["Finance", "Unit4", "ERP", "Finance", "Private Cloud", "2020-04-01", "2027-03-31", "£150000", "220", "FN01"],
]


def table() -> Table:
    return Table("apps.csv", HEADERS, [(n, r) for n, r in enumerate(ROWS, start=2) if any(r)])


def build(**kwargs: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    files, report = build_register_estate(table(), "E06000047", **kwargs)
    inventory = next(f.text for f in files if f.path.startswith("E06000047"))
    return yaml.safe_load(inventory), report, inventory


def systems(inventory: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in inventory.get("systems", [])}


def test_columns_are_guessed_from_headers() -> None:
    _, report, _ = build()
    assert report["columns"] == {"name": "Application", "supplier": "Supplier", "product": "Product",
                                 "service_area": "Service Area", "hosting": "Hosting", "contract_start": "Contract Start",
                                 "contract_end": "Contract End Date", "annual_cost": "Annual Cost (£)", "users": "No of users"}
    assert report["unmapped_columns"] == ["Cost centre"]


def test_complete_rows_become_systems_and_contracts() -> None:
    inventory, _, _ = build()
    found = systems(inventory)
    assert set(found) == {"revenues-and-benefits", "intranet", "finance"}
    revs = found["revenues-and-benefits"]
    assert {k: revs[k] for k in ("product", "capabilities", "hosting", "users", "annual_cost")} == {
        "product": "civica-uk/openrevenues", "capabilities": ["council-tax", "benefits"], "hosting": "on-premise",
        "users": 180, "annual_cost": 210000}
    assert found["intranet"]["bespoke"] is True and found["intranet"]["hosting"] == "public-cloud"
    contract = next(c for c in inventory["contracts"] if c["covers"] == ["revenues-and-benefits"])
    assert (contract["start"], contract["end"], contract["supplier"]) == (dt.date(2021, 4, 1), dt.date(2026, 3, 31), "civica-uk")


def test_incomplete_rows_are_kept_as_comments_that_say_what_is_missing() -> None:
    _, report, text = build()
    assert report["incomplete"] == [
        "row 3, 'Planning': needs `hosting` (the register says 'Cloud')",
        "row 3, contract: needs `start` (the register gives only the end)",
        "row 5, 'Waste': needs `product` (the register names the supplier 'Bartec' but no product) or `bespoke: true`"]
    assert "# row 5, 'Waste': needs `product`" in text and "# - id: waste\n" in text
    assert {"row": 3, "field": "users", "value": "c. 60", "why": "not a plain number"} in report["unread_values"]


def test_a_contract_for_an_incomplete_system_names_its_service_areas_instead() -> None:
    """Format v1.1: the row's contract is written, paying for the capabilities the register
    gives, not for a system the file cannot hold yet; nothing is invented to cover."""
    rows = [["Waste", "Bartec", "", "Waste collection", "SaaS", "01/04/2022", "31/03/2027", "", "30", ""],
            ["Web", "", "", "", "SaaS", "01/04/2022", "31/03/2027", "", "", ""]]
    files, report = build_register_estate(Table("apps.csv", HEADERS, list(enumerate(rows, start=2))), "E06000047")
    inventory = yaml.safe_load(files[0].text)
    assert files[0].text.split("\nformat: ", 1)[1].startswith("ictgraph/v1.1\n") and "systems" not in inventory
    [contract] = inventory["contracts"]
    assert contract["capabilities"] == ["waste-collection"] and "covers" not in contract
    assert "It pays for 'Waste', commented out until complete: then give `covers: [waste]`." in contract["notes"]
    assert "row 3, contract: needs `supplier`; its system 'web' to be completed first, or a service area" \
        in report["incomplete"]
    assert check_files([(f.path, f.text.encode()) for f in files]).errors == []


def test_the_output_validates() -> None:
    files, _ = build_register_estate(table(), "E06000047")
    assert check_files([(f.path, f.text.encode()) for f in files]).errors == []


def test_names_resolve_to_an_existing_catalogue() -> None:
    documents, raw = read_catalogues([SAMPLE_CATALOGUE])
    files, _ = build_register_estate(table(), "E06000047", catalogue_documents=documents)
    inventory = yaml.safe_load(files[0].text)
    revs = systems(inventory)["revenues-and-benefits"]
    assert revs["product"] == "civica/openrevenues" and revs["capabilities"] == ["council-tax", "benefits"]
    assert systems(inventory)["finance"]["capabilities"] == ["finance"]
    assert inventory["contracts"][0]["supplier"] == "civica"
    assert check_files([(f.path, f.text.encode()) for f in files] + raw).errors == []


def test_explicit_columns_and_hosting_words() -> None:
    inventory, report, _ = build(columns={"service_area": "Cost centre"}, hosting={"Cloud": "saas"})
    assert report["columns"]["service_area"] == "Cost centre"
    assert systems(inventory)["planning"]["hosting"] == "saas"
    assert systems(inventory)["planning"]["capabilities"] == ["pl01"]


@pytest.mark.parametrize(("columns", "message"), [
    ({"colour": "Supplier"}, "unknown register field 'colour'"),
    ({"name": "App title"}, 'the register has no column "App title" (for name)'),
])
def test_bad_column_mappings_are_usage_errors(columns: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build(columns=columns)
    assert caught.value.message == message


def test_an_excel_register(tmp_path: Path) -> None:
    import openpyxl  # the `test` extra installs it: a missing one fails, never skips
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(["Register of applications"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(["Finance", "Unit4", "ERP", "Finance", "SaaS", dt.datetime(2020, 4, 1), dt.datetime(2027, 3, 31), 150000.0, 220, ""])
    book.save(tmp_path / "apps.xlsx")
    files, report = build_register_estate(read_table(tmp_path / "apps.xlsx"), "E06000047")
    assert report["columns"]["name"] == "Application"       # the title row above the header is skipped
    contract = yaml.safe_load(files[0].text)["contracts"][0]
    assert (contract["start"], contract["end"]) == (dt.date(2020, 4, 1), dt.date(2027, 3, 31))


def test_the_command(tmp_path: Path, runner: CliRunner) -> None:
    register = tmp_path / "apps.csv"
    register.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in [HEADERS, *ROWS]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "register", str(register), "--organisation", "E06000047", "-o", str(out),
                                 "--hosting", "Cloud=saas", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"]["systems"] == 4
    assert not check_paths([out]).errors


@pytest.mark.parametrize(("args", "message"), [
    (["--organisation", "not an id"], 'Error: "not an id" is not an organisation id'),
    (["--organisation", "E06000047", "--column", "name"], "Error: --column 'name' is not KEY=VALUE"),
])
def test_bad_arguments(tmp_path: Path, runner: CliRunner, args: list[str], message: str) -> None:
    register = tmp_path / "apps.csv"
    register.write_text("Application\nX\n")
    result = runner.invoke(app, ["import", "register", str(register), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2 and result.stderr.startswith(message)
