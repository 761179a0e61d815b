"""Name folding, buyer resolution through the register, and supplier-to-vendor resolution."""
from __future__ import annotations

import datetime as dt
import doctest
import importlib
from pathlib import Path

import pytest

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.authorities import AuthorityIndex, read_register
from ictgraph.graph_loader.imports.names import fold_supplier, split_suppliers
from ictgraph.graph_loader.imports.vendors import KnownVendor, VendorBook
from ictgraph.graph_loader.index import fold
from tests.public_data import SOURCES, register

MODULES = ["names", "authorities", "cpv", "ocds_read", "ocds_map", "writer", "register_values"]


@pytest.fixture(scope="module", params=SOURCES)
def index(request: pytest.FixtureRequest) -> AuthorityIndex:
    """The repository's extract of the register, and the whole register when ICTGRAPH_PUBLIC_DATA is set."""
    return AuthorityIndex(read_register(register(request.param)))


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"ictgraph.graph_loader.imports.{module}"))
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(("name", "day", "gss"), [
    ("The North Yorkshire Council", dt.date(2025, 3, 11), "E06000065"),   # the new unitary, not the county
    ("North Yorkshire", dt.date(2025, 3, 11), "E06000065"),
    ("North Yorkshire", dt.date(2020, 6, 1), "E10000023"),                # before 2023 it was the county
    ("North Yorkshire County Council", dt.date(2025, 3, 11), "E06000065"),  # abolished name: its successor
    ("SOMERSET COUNCIL", dt.date(2025, 1, 1), "E06000066"),
    ("Harrow Council", dt.date(2025, 1, 1), "E09000015"),
    ("Rhondda Cynon Taf CBC", dt.date(2025, 1, 1), "W06000016"),
    ("Cyngor Sir Ceredigion County Council", dt.date(2025, 1, 1), "W06000008"),
    ("Hertfordshire County Council - Children's Services", dt.date(2025, 1, 1), "E10000015"),
    ("Suffolk County Council Passenger Transport", dt.date(2025, 1, 1), "E10000029"),
    ("Legal, Democratic and Business Intelligence, Swansea Council,", dt.date(2025, 1, 1), "W06000011"),
])
def test_buyer_names_resolve_on_the_notice_date(index: AuthorityIndex, name: str, day: dt.date, gss: str) -> None:
    match = index.resolve(name, day)
    assert match.authority is not None and match.authority.gss == gss, match


@pytest.mark.parametrize(("name", "why"), [
    ("Cumbria County Council", "successors are several"),     # split between two unitaries in 2023
    ("Lancashire Constabulary", "no authority of that name"),
    ("University of Glasgow", "no authority of that name"),
    ("Lancing Parish Council", "no authority of that name"),
])
def test_unresolvable_buyers_are_not_guessed(index: AuthorityIndex, name: str, why: str) -> None:
    match = index.resolve(name, dt.date(2025, 1, 1))
    assert match.authority is None and why in match.how


def test_the_register_must_be_the_register(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UsageError, match="not a register of local authorities"):
        read_register(path)


@pytest.mark.parametrize(("spellings", "same"), [
    (["Civica UK Ltd", "CIVICA UK LIMITED", "Civica Uk Ltd."], True),
    (["Proactis Tenders     Limited", "Proactis Tenders Ltd"], True),
    (["Capita Business Services Ltd", "Capita plc"], False),
])
def test_supplier_folding(spellings: list[str], same: bool) -> None:
    assert (len({fold_supplier(s) for s in spellings}) == 1) is same


def test_a_companies_house_number_wins_over_the_name() -> None:
    book = VendorBook()
    first = book.resolve("Trustmarque", "01234567")
    assert book.resolve("TRUSTMARQUE SOLUTIONS LIMITED", "01234567") == first
    assert book.resolve("Acme Ltd", "00000001") != book.resolve("ACME LIMITED", "00000002")
    entries = {e["id"]: e for e in book.new_vendors()}
    entry = entries[first]
    answers_to = {fold(n) for n in [entry["id"], entry["name"], *entry.get("aliases", [])]}
    assert {fold("Trustmarque"), fold("TRUSTMARQUE SOLUTIONS LIMITED")} <= answers_to
    assert "01234567" in entries[first]["notes"]


def test_suppliers_resolve_to_an_existing_catalogue() -> None:
    book = VendorBook([KnownVendor("civica", ("Civica", "Civica UK Ltd"))])
    assert book.resolve("Civica Uk Ltd.") == "civica"
    assert book.new_vendors() == []


@pytest.mark.parametrize(("field", "names"), [
    ("Lea Hough,Sanderson Weatherall", ["Lea Hough", "Sanderson Weatherall"]),
    ("Alpha Ltd, Beta Limited; Gamma plc", ["Alpha Ltd", "Beta Limited", "Gamma plc"]),
    ("Ernst & Young LLP", ["Ernst & Young LLP"]),
    ("BAKER, LOMAX &amp; SHACKLEY LIMITED", ["BAKER, LOMAX & SHACKLEY LIMITED"]),
    ("FISHER SCIENTIFIC U.K., LIMITED", ["FISHER SCIENTIFIC U.K., LIMITED"]),
    ("John Wade Groundworks Ltd, T/a Wade Group", ["John Wade Groundworks Ltd, T/a Wade Group"]),
    ("Lot 1 - SUEZ Recycling Limited,Lot 2 - Boden Limited", ["SUEZ Recycling Limited", "Boden Limited"]),
])
def test_several_suppliers_in_one_field_are_split(field: str, names: list[str]) -> None:
    assert split_suppliers(field) == names
