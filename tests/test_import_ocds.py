"""``import ocds`` on real releases of the UK portals (seven in the repository's extract; the
whole samples of three portals when ICTGRAPH_PUBLIC_DATA is set), and on small made-up
releases for the rules the samples do not show."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import build_graph, check_files, check_paths, load_graph, rows_from_files
from ictgraph.graph_loader.imports.authorities import Authority, read_register
from ictgraph.graph_loader.imports.ocds import build_ocds_estate
from ictgraph.graph_loader.imports.ocds_read import read_notice, read_release_files
from ictgraph.graph_loader.imports.vendors import KnownVendor, VendorBook
from ictgraph.graph_loader.imports.writer import OutputFile
from ictgraph.queries.windows import find_windows
from tests.estates import ROOT
from tests.public_data import SOURCES, ocds_files, register

SANDWELL, DONCASTER, PETERBOROUGH, CAERPHILLY = "E08000028", "E08000017", "E06000031", "W06000018"


@pytest.fixture(scope="module")
def authorities() -> list[Authority]:
    """The repository's extract of the register: it holds every buyer the tests resolve."""
    return read_register(register())


@pytest.fixture(scope="module", params=SOURCES)
def source(request: pytest.FixtureRequest) -> str:
    """The releases: the repository's extract, and the whole samples when ICTGRAPH_PUBLIC_DATA is set."""
    return str(request.param)


@pytest.fixture(scope="module")
def sample(source: str) -> tuple[list[OutputFile], dict[str, Any]]:
    notices, _ = read_release_files(ocds_files(source))
    return build_ocds_estate(notices, read_register(register(source)))


def documents(files: list[OutputFile]) -> dict[str, Any]:
    """Each file's document, by organisation id (or "catalogue")."""
    found = {}
    for file in files:
        document = yaml.safe_load(file.text)
        found[document["organisation"]["id"] if "organisation" in document else "catalogue"] = document
    return found


def release(**changes: Any) -> dict[str, Any]:
    """A made-up Contracts Finder award release by North Yorkshire Council; ``changes`` replace keys."""
    base = {
        "ocid": "ocds-b5fd17-test-1", "id": "rel-1", "date": "2025-03-01T10:00:00Z", "tag": ["award"],
        "buyer": {"id": "b", "name": "The North Yorkshire Council"},
        "parties": [{"id": "s1", "name": "Civica UK Ltd", "identifier": {"scheme": "GB-COH", "id": "1628868"},
                     "roles": ["supplier"]}],
        "tender": {"title": "Revenues system support", "classification": {"scheme": "CPV", "id": "48000000"},
                   "contractPeriod": {"startDate": "2025-01-01T00:00:00Z", "endDate": "2025-12-31T23:59:59Z"}},
        "awards": [{"id": "ocds-b5fd17-test-1-1", "status": "active", "suppliers": [{"id": "s1", "name": "Civica UK Ltd"}],
                    "value": {"amount": 120000, "currency": "GBP"},
                    "contractPeriod": {"startDate": "2025-04-01T00:00:00+01:00", "endDate": "2028-03-31T23:59:59+01:00"}}],
    }
    return {**base, **changes}


CIVICA = b"format: ictgraph/v1\ncatalogue:\n  vendors:\n    - {id: civica, name: Civica, aliases: [Civica UK Ltd]}\n"


def graph_of_files(files: list[OutputFile]) -> nx.MultiDiGraph:
    return build_graph(*rows_from_files([(f.path, f.text.encode()) for f in files]))


def estate_of(releases: list[dict[str, Any]], authorities: list[Authority], extra: tuple[tuple[str, bytes], ...] = (),
              **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the estate of made-up releases; it must validate (with ``extra`` files beside it)."""
    notices = [n for r in releases if (n := read_notice(r, "test.json")) is not None]
    files, report = build_ocds_estate(notices, authorities, **kwargs)
    assert not check_files([(f.path, f.text.encode()) for f in files] + list(extra)).errors
    return documents(files), report


@pytest.mark.public_data
def test_the_samples_import_as_a_valid_estate() -> None:
    notices, _ = read_release_files(ocds_files("full"))
    files, report = build_ocds_estate(notices, read_register(register("full")))
    checked = check_files([(f.path, f.text.encode()) for f in files])
    assert checked.errors == []
    assert report["releases"] == {"distinct": 380, "duplicates_counted_once": 0, "without_ocid_or_date": 0}
    assert report["processes"] == {"total": 370, "outside the CPV selection": 317, "buyer not resolved": 37,
                                   "imported": 16}
    assert {k: report["written"][k] for k in ("organisations", "contracts", "procurement_plans")} \
        == {"organisations": 13, "contracts": 7, "procurement_plans": 9}
    assert "Cabinet Office" in {b["name"] for b in report["buyers"]["unresolved"]}


def test_the_extract_imports_as_a_valid_estate() -> None:
    notices, _ = read_release_files(ocds_files())
    files, report = build_ocds_estate(notices, read_register(register()))
    assert check_files([(f.path, f.text.encode()) for f in files]).errors == []
    assert report["releases"] == {"distinct": 7, "duplicates_counted_once": 0, "without_ocid_or_date": 0}
    assert report["processes"] == {"total": 7, "outside the CPV selection": 1, "buyer not resolved": 1, "imported": 5}
    assert {k: report["written"][k] for k in ("organisations", "contracts", "procurement_plans")} \
        == {"organisations": 4, "contracts": 4, "procurement_plans": 1}
    assert "Cabinet Office" in {b["name"] for b in report["buyers"]["unresolved"]}


def test_award_dates_win_over_the_tender_estimate(sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    doncaster = documents(sample[0])[DONCASTER]
    skills = next(c for c in doncaster["contracts"] if c["title"] == "ICT Skill Training Licence")
    # tender.contractPeriod says 2025-02-02..2025-02-03; the award says 2025-04-01..2026-03-31
    assert (skills["start"], skills["end"]) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert "Dates from awards[].contractPeriod." in skills["notes"]


def test_suspicious_values_are_kept_and_flagged(sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    files, report = sample
    sandwell = documents(files)[SANDWELL]["contracts"][0]
    assert "GBP 98 for the whole contract" in sandwell["notes"] and "implausibly small" in sandwell["notes"]
    checks = {f["check"] for f in report["flagged"]}
    assert any("GBP 98 is implausibly small" in c for c in checks)
    assert any("'ICT Skill Training Licence' equals the notice's title" in c for c in checks)
    vendors = {v["id"] for v in documents(files)["catalogue"]["catalogue"]["vendors"]}
    assert "ict-skill-training-licence" in vendors            # kept, not dropped or replaced


def test_nothing_is_made_up(sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    """Format v1.1 and no invention: no system, product, `bespoke` or hosting the notices do not
    give; each contract names what its notice bought (its CPV division) instead of systems."""
    files, _ = sample
    found = documents(files)
    contracts = [c for d in found.values() for c in d.get("contracts", [])]
    assert contracts and all(f.text.split("\nformat: ", 1)[1].startswith("ictgraph/v1.1\n") for f in files)
    assert not [d for d in found.values() if "systems" in d] and "products" not in found["catalogue"]["catalogue"]
    assert all("bespoke" not in f.text and "hosting" not in f.text for f in files)
    assert all("covers" not in c and c["capabilities"] == [c["capabilities"][0]] and c["capabilities"][0].startswith("cpv-")
               for c in contracts)
    assert all("annual_value" not in c for c in contracts)        # notices give totals, not annual values
    assert all(c["capabilities"][0].startswith("cpv-") for d in found.values() for c in d.get("procurement_plans", []))
    caerphilly = found[CAERPHILLY]
    assert "contracts" not in caerphilly and "estimated_value" not in caerphilly["procurement_plans"][0]


def test_the_contracts_are_in_the_graph_for_what_was_bought(sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    graph = graph_of_files(sample[0])
    contracts = [n for n in graph if n[0] == "Contract"]
    assert contracts and not [n for n in graph if n[0] == "System"]
    assert all([v[0] for v in graph.successors(k) if "FOR" in graph[k][v]] == ["Capability"] for k in contracts)


def test_tender_only_notices_become_procurement_plans(sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    plan = documents(sample[0])[CAERPHILLY]["procurement_plans"][0]
    assert plan["id"] == "ocds-kuma6s-147801" and plan["expected"] == dt.date(2025, 3, 5)
    assert "`expected` is tender.awardPeriod.startDate" in plan["notes"]


def test_the_same_notice_seen_twice_is_counted_once(source: str, sample: tuple[list[OutputFile], dict[str, Any]]) -> None:
    notices, _ = read_release_files(ocds_files(source) * 2)
    files, report = build_ocds_estate(notices, read_register(register(source)))
    assert report["releases"]["duplicates_counted_once"] == sample[1]["releases"]["distinct"] > 0
    assert [f.text for f in files] == [f.text for f in sample[0]]


def test_councils_and_ocds_make_a_valid_estate_with_windows(source: str, tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(app, ["import", "councils", str(register(source)), "-o", str(tmp_path / "councils"),
                               "--as-of", "2026-11-27"]).exit_code == 0
    result = runner.invoke(app, ["import", "ocds", *map(str, ocds_files(source)), "--register", str(register(source)),
                                 "-o", str(tmp_path / "ocds"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == []
    assert not check_paths([tmp_path]).errors
    windows = find_windows(load_graph([tmp_path]), as_of=dt.date(2026, 11, 27))["windows"]
    assert [(w["capability"], w["organisations"]) for w in windows] == [("cpv-72", [PETERBOROUGH, DONCASTER, SANDWELL])]
    report = json.loads((tmp_path / "ocds" / "import-report.json").read_text())
    assert report["written"]["contracts"] == {"extract": 4, "full": 7}[source]


def test_the_new_unitary_not_the_old_county(authorities: list[Authority]) -> None:
    found, report = estate_of([release()], authorities)
    assert "E06000065" in found and report["buyers"]["resolved"][0]["as"] == "North Yorkshire Council"


def test_dates_with_offsets_become_the_written_day(authorities: list[Authority]) -> None:
    contract = estate_of([release()], authorities)[0]["E06000065"]["contracts"][0]
    assert (contract["start"], contract["end"]) == (dt.date(2025, 4, 1), dt.date(2028, 3, 31))


def test_contract_period_wins_over_the_award_period(authorities: list[Authority]) -> None:
    contracts = [{"awardID": "ocds-b5fd17-test-1-1", "period": {"startDate": "2025-05-01T00:00:00Z",
                  "endDate": "2029-04-30T00:00:00Z", "maxExtentDate": "2031-04-30T00:00:00Z"}}]
    contract = estate_of([release(contracts=contracts)], authorities)[0]["E06000065"]["contracts"][0]
    assert (contract["start"], contract["end"], contract["max_end"]) == (dt.date(2025, 5, 1), dt.date(2029, 4, 30), dt.date(2031, 4, 30))


def test_a_later_award_update_replaces_the_award(authorities: list[Authority]) -> None:
    update = release(id="rel-2", date="2025-03-02T10:00:00Z", tag=["awardUpdate"])
    update["awards"] = copy.deepcopy(update["awards"])
    update["awards"][0]["value"]["amount"] = 12000
    found, report = estate_of([release(), update], authorities)
    contracts = found["E06000065"]["contracts"]
    assert len(contracts) == 1 and "GBP 12,000 for the whole contract" in contracts[0]["notes"]
    assert report["releases"]["distinct"] == 2


def test_several_suppliers_in_one_field_become_one_contract_each(authorities: list[Authority]) -> None:
    award = {**release()["awards"][0], "suppliers": [{"name": "Alpha Ltd, Beta Limited"}]}
    found, _ = estate_of([release(awards=[award], parties=[])], authorities)
    contracts = found["E06000065"]["contracts"]
    assert [c["supplier"] for c in contracts] == ["alpha", "beta"]
    assert [c["capabilities"] for c in contracts] == [["cpv-48"], ["cpv-48"]]
    assert all("One of 2 suppliers on this award: Alpha Ltd, Beta Limited." in c["notes"] for c in contracts)


def test_suppliers_resolve_to_a_given_catalogue(authorities: list[Authority]) -> None:
    vendors = VendorBook([KnownVendor("civica", ("Civica", "Civica UK Ltd"))])
    found, _ = estate_of([release()], authorities, [("civica.yaml", CIVICA)], vendors=vendors)
    assert found["E06000065"]["contracts"][0]["supplier"] == "civica"
    assert "vendors" not in found["catalogue"]["catalogue"]


def test_an_award_without_dates_is_reported_not_invented(authorities: list[Authority]) -> None:
    award = {k: v for k, v in release()["awards"][0].items() if k != "contractPeriod"}
    tender = {k: v for k, v in release()["tender"].items() if k != "contractPeriod"}
    found, report = estate_of([release(awards=[award], tender=tender)], authorities)
    assert "E06000065" not in found
    assert report["not_imported"][0]["why"].startswith("the notice gives no contract start or end")


def test_notices_outside_the_cpv_selection_are_left_out(authorities: list[Authority]) -> None:
    flooring = release(tender={**release()["tender"], "classification": {"scheme": "CPV", "id": "44112200"}})
    assert estate_of([flooring], authorities)[1]["processes"]["outside the CPV selection"] == 1
    assert "E06000065" in estate_of([flooring], authorities, prefixes=())[0]


def test_a_non_empty_output_directory_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "keep.yaml").write_text("# mine\n")
    result = runner.invoke(app, ["import", "ocds", str(ocds_files()[0]), "--register", str(register()), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'Error: "{tmp_path}" is not empty\nHint: ')


def test_an_unreadable_ocds_file_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(app, ["import", "ocds", str(bad), "--register", str(register()), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "cannot read OCDS file" in result.stderr


def test_the_samples_are_not_copied_into_the_repo() -> None:
    """Only the extract: a handful of releases, never a whole sample."""
    copies = list(ROOT.glob("**/contracts_finder_england_2025.json"))
    assert copies == [p for p in ocds_files() if p.name == "contracts_finder_england_2025.json"]
    assert len(json.loads(copies[0].read_text(encoding="utf-8"))["releases"]) == 6
