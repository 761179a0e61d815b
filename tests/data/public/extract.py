"""Writes the small extracts in this directory from the full public data sets.

    ICTGRAPH_PUBLIC_DATA=/path/to/data python tests/data/public/extract.py

Only the rows the tests read are kept (see each folder's SOURCE.md); nothing in a row is
changed. The full sets are read by the tests marked ``public_data``.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGISTER = "mysociety_uk_local_authorities/uk_local_authorities_current.csv"
# GSS codes the tests name: buyers of the OCDS extract, the names tests resolve, abolished
# councils with their successors, a district with its county, and the odd types.
AUTHORITIES = [
    "E06000031", "E08000017", "E08000028", "W06000018",             # OCDS extract buyers
    "E10000023", "E06000065",                                       # North Yorkshire: county, then unitary
    "E10000006", "E06000063", "E06000064",                          # Cumbria and its two successors
    "E06000066", "E09000015", "W06000016", "W06000008", "E10000015", "E10000029", "W06000011",
    "E10000017", "E07000121", "W06000001", "E09000001", "S12000049", "E07000223",
    "E10000021", "E06000061", "E06000062",                          # Northamptonshire and its successors
    "E06000028", "E06000029", "E06000058",                          # Bournemouth, Poole, then BCP
    "E06000005", "E06000053",                                       # Darlington; the Isles of Scilly (blanks)
]
OCDS = "apa999_uk_ocds_portal_samples"
# Releases by OCID: an award whose dates differ from the tender's estimate, an implausibly
# small award, two awards for the window test, a notice outside the ICT CPV codes, a buyer
# that is not a local authority, and a tender-only notice.
RELEASES = {
    "contracts_finder_england_2025.json": [
        "ocds-b5fd17-e3b5adb7-f928-49f1-9648-634093dc8489",   # Doncaster, ICT Skill Training Licence
        "ocds-b5fd17-11cf6cde-0e0a-4550-9796-ef30b68e58e8",   # Sandwell, UPS units (GBP 98)
        "ocds-b5fd17-70d8c1aa-0dd0-4d0f-a42d-1468e14cce00",   # Peterborough, FinOps
        "ocds-b5fd17-92b3f797-6cf1-4acf-bf68-efcb8c78590d",   # Doncaster, Cloud Connect for Webex Calling
        "ocds-b5fd17-6de1440b-85d0-40f1-9c76-5aad5ca0ab5e",   # Doncaster, surface dressing (CPV 44)
        "ocds-b5fd17-4d0cd937-f839-4dec-ae20-444e141c5dfa",   # Cabinet Office, PSN DNS connection
    ],
    "sell2wales_2025.json": ["ocds-kuma6s-147801"],           # Caerphilly, tender only
}

OFLOG = "oflog_adult_social_care/adult_social_care_measures.csv"
# Rows by (financial year, authority code, measure codes; empty: all): a whole year of one
# authority (every measure and direction), codes of abolished authorities with their
# successors', and the Isles of Scilly's blanks.
OFLOG_ROWS = [
    ("2016-17", "E06000005", ()), ("2022-23", "E10000017", ()),     # Darlington, Lancashire
    ("2020-21", "E10000021", ()), ("2021-22", "E06000061", ("ASC1", "ASC5")),   # Northamptonshire, North Northants
    ("2018-19", "E06000028", ("ASC1",)), ("2018-19", "E06000029", ("ASC1",)), ("2019-20", "E06000058", ()),
    ("2022-23", "E10000006", ()),                                   # Cumbria in its last year
    ("2016-17", "E06000053", ()), ("2019-20", "E06000053", ("ASC2",)),
]


def _wanted(row: dict[str, str]) -> bool:
    return any(row["Financial year"] == year and row["Local authority code"] == code and (not codes or row["Code"] in codes)
               for year, code, codes in OFLOG_ROWS)


def extract_oflog(data: Path) -> None:
    with (data / OFLOG).open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if _wanted(row)]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (HERE / OFLOG).parent.mkdir(exist_ok=True)
    (HERE / OFLOG).write_text(out.getvalue(), encoding="utf-8")


def extract_register(data: Path) -> None:
    with (data / REGISTER).open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if row["gss-code"] in AUTHORITIES]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert len(rows) == len(AUTHORITIES), "an authority the tests need is missing"
    (HERE / REGISTER).write_text(out.getvalue(), encoding="utf-8")


def extract_ocds(data: Path) -> None:
    for name, ocids in RELEASES.items():
        package = json.loads((data / OCDS / name).read_text(encoding="utf-8"))
        package["releases"] = [r for r in package["releases"] if r["ocid"] in ocids]
        assert {r["ocid"] for r in package["releases"]} == set(ocids)
        (HERE / OCDS / name).write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    full = Path(os.environ["ICTGRAPH_PUBLIC_DATA"])
    extract_register(full)
    extract_ocds(full)
    extract_oflog(full)
