"""``import service-levels``: Oflog's long-format table of adult social care measures to
measures and service levels, authorities resolved through mySociety's register by date. The
extract in tests/data/public always; the whole file when ICTGRAPH_PUBLIC_DATA is set."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import check_paths, load_graph
from tests.public_data import SOURCES, oflog_measures, register

SAMPLE_CATALOGUE = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / "catalogue.yaml"
# The extract: 37 rows, 6 of them blank (the Isles of Scilly in 2016-17), of 9 authorities.
COUNTS = {"extract": (37, 31, 6, 9), "full": (6376, 6078, 298, 157)}


def run(runner: CliRunner, table: Path, out: Path, *more: str) -> Any:
    return runner.invoke(app, ["import", "service-levels", str(table), "--register", str(register()),
                               "-o", str(out), "--format", "json", *more])


def valued_rows(table: Path) -> list[dict[str, str]]:
    with table.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Value"].strip()]


@pytest.fixture(scope="module", params=SOURCES)
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Any]:
    """An import of the extract (and of the whole file with ICTGRAPH_PUBLIC_DATA), through the CLI."""
    source = str(request.param)
    out = tmp_path_factory.mktemp(f"service-levels-{source}")
    result = CliRunner().invoke(app, ["import", "service-levels", str(oflog_measures(source)),
                                      "--register", str(register(source)), "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return source, out, result


@pytest.fixture(scope="module")
def graph(imported: tuple[str, Path, Any]) -> nx.MultiDiGraph:
    return load_graph([imported[1]])


def test_the_table_imports_with_a_summary_line_and_validates(imported: tuple[str, Path, Any]) -> None:
    source, out, result = imported
    rows, written, blanks, authorities = COUNTS[source]
    assert f"ictgraph: {rows} rows read, {written} service levels written, {blanks} blanks left out, " \
           f"{authorities} authorities\n" in result.stderr
    report = json.loads(result.stdout)
    assert (report["rows_read"], report["service_levels_written"], report["blanks_left_out"],
            report["authorities"], report["problems"]) == (rows, written, blanks, authorities, [])
    assert check_paths([out]).errors == []
    assert len(list(out.glob("E*-service-levels.yaml"))) == authorities


def test_every_value_round_trips(imported: tuple[str, Path, Any], graph: nx.MultiDiGraph) -> None:
    source, _, _ = imported
    rows = valued_rows(oflog_measures(source))
    levels = {k: d for k, d in graph.nodes(data=True) if k[0] == "ServiceLevel"}
    assert len(levels) == len(rows) == COUNTS[source][1]
    for row in rows:
        key = f"{row['Local authority code']}/{row['Code'].lower()}/{row['Financial year']}"
        level = levels[("ServiceLevel", key)]
        assert (level["value"], level["period"], level["financial_year"]) == \
            (float(row["Value"]), row["Financial year"], row["Financial year"]), key


@pytest.mark.parametrize(("key", "value"), [
    ("E06000005/asc1/2016-17", 7.6), ("E06000005/asc6/2016-17", 2105.212506165265), ("E06000053/asc5/2016-17", 0.0),
    ("E06000053/asc2/2019-20", 0.0), ("E10000021/asc7/2020-21", 37.19768127), ("E06000028/asc1/2018-19", 7.1),
    ("E06000029/asc1/2018-19", 7.9), ("E06000058/asc6/2019-20", 1756.004503377533),
    ("E10000006/asc3/2022-23", 71.3),
])
def test_spot_values_against_the_file(graph: nx.MultiDiGraph, key: str, value: float) -> None:
    assert graph.nodes[("ServiceLevel", key)]["value"] == value


def test_blanks_stay_blank(graph: nx.MultiDiGraph) -> None:
    scilly = sorted(k[1] for k in graph.nodes if k[0] == "ServiceLevel" and k[1].startswith("E06000053/")
                    and k[1].endswith("/2016-17"))
    assert scilly == ["E06000053/asc5/2016-17"]      # six of its seven measures were not published that year


@pytest.mark.parametrize(("measure", "better", "unit"), [
    ("asc1", "higher", "score (0 to 12)"), ("asc2", "higher", "score (0 to 1)"), ("asc3", "higher", "percent"),
    ("asc5", "higher", "percent"), ("asc6", "none", "per 100,000 adults"), ("asc7", "none", "percent"),
])
def test_directions_become_better(graph: nx.MultiDiGraph, measure: str, better: str, unit: str) -> None:
    node = graph.nodes[("Measure", measure)]
    assert (node["better"], node["unit"]) == (better, unit)
    assert list(graph.successors(("Measure", measure))) == [("Capability", "adult-social-care")]


@pytest.mark.parametrize(("key", "organisation"), [
    ("E10000021/asc5/2020-21", "E10000021"),     # Northamptonshire, abolished 2021
    ("E06000061/asc5/2021-22", "E06000061"),     # North Northamptonshire after it
    ("E06000028/asc1/2018-19", "E06000028"),     # Bournemouth, merged 2019
    ("E10000006/asc5/2022-23", "E10000006"),     # Cumbria, abolished 2023
])
def test_an_abolished_authority_resolves_by_date(graph: nx.MultiDiGraph, key: str, organisation: str) -> None:
    assert (("Organisation", organisation), ("ServiceLevel", key), "REPORTS") in set(graph.in_edges(("ServiceLevel", key), keys=True))


def test_the_output_is_deterministic(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run(runner, oflog_measures(), tmp_path / name).exit_code == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()} and len(first) == 11      # 9 authorities, the catalogue, the report


def test_an_authority_file_reads_like_a_hand_written_one(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, oflog_measures(), tmp_path).exit_code == 0
    text = (tmp_path / "E06000028-bournemouth-service-levels.yaml").read_text(encoding="utf-8")
    assert text == ("# Bournemouth Borough Council (E06000028): 1 service level from adult_social_care_measures.csv, "
                    "imported by `ictgraph import service-levels`.\n"
                    "format: ictgraph/v1.1\norganisation:\n  id: E06000028\nservice_levels:\n"
                    "  - measure: asc1\n    financial_year: 2018-19\n    value: 7.1\n")


def test_a_given_catalogue_keeps_its_measures(runner: CliRunner, tmp_path: Path) -> None:
    """The sample's catalogue has Oflog's seven measures (ids asc1 to asc7) and the capability."""
    result = run(runner, oflog_measures(), tmp_path, "--catalogue", str(SAMPLE_CATALOGUE))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "measures.yaml").exists()
    assert check_paths([tmp_path, SAMPLE_CATALOGUE]).errors == []


def test_a_given_catalogues_capability_is_used_by_name(runner: CliRunner, tmp_path: Path) -> None:
    given = tmp_path / "given.yaml"
    given.write_text("format: ictgraph/v1\ncatalogue:\n  capabilities:\n    - {id: care, name: Adult social care}\n")
    result = run(runner, oflog_measures(), tmp_path / "out", "--catalogue", str(given), "--capability", "Adult social care")
    assert result.exit_code == 0, result.output
    catalogue = yaml.safe_load((tmp_path / "out" / "measures.yaml").read_text(encoding="utf-8"))["catalogue"]
    assert "capabilities" not in catalogue and {m["capability"] for m in catalogue["measures"]} == {"care"}


def test_another_capability_is_added_to_the_catalogue(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, oflog_measures(), tmp_path, "--capability", "social-care").exit_code == 0
    catalogue = yaml.safe_load((tmp_path / "measures.yaml").read_text(encoding="utf-8"))["catalogue"]
    assert catalogue["capabilities"] == [{"id": "social-care", "name": "Social care"}]


HEADER = ("Financial year,Local authority code,Local authority name,Grouping,Entity_Name,Region,Measure,Code,Value,"
          "MEDIAN,MADs_from_median,rank_order\n")


@pytest.mark.parametrize(("row", "message"), [
    ("2022-24,E06000005,Darlington,LA_Raw,UA,North East,Quality,ASC1,7.6,7.6,0,desc",
     "table.csv:3: Financial year '2022-24': '2022-24' is not a financial year: 24 does not follow 2022"),
    ("2022-23,E06000099,Nowhere,LA_Raw,UA,North East,Quality,ASC1,7.6,7.6,0,desc",
     "table.csv:3: code E06000099 (Nowhere) is not in the register"),
    ("2021-22,E10000021,Northamptonshire,LA_Raw,Counties,East Midlands,Quality,ASC1,7.6,7.6,0,desc",
     "table.csv:3: code E10000021 (Northamptonshire) was not in office on 2022-03-31 "
     "(Northamptonshire County Council, until 2021-04-01)"),
    ("2016-17,E06000005,Darlington,LA_Raw,UA,North East,Quality,ASC1,7.7,7.6,0,desc",
     "table.csv:3: E06000005 has two values for asc1 in 2016-17: 7.7 here and 7.6 on line 2; the first is kept"),
    ("2016-17,E06000028,Bournemouth,LA_Raw,UA,South West,Quality,ASC1,seven,7.6,0,desc",
     "table.csv:3: Value 'seven' is not a number"),
    ("2016-17,E06000028,Bournemouth,LA_Raw,UA,South West,Quality,ASC1,7.1,7.6,0,up",
     "table.csv:3: rank_order 'up' is not a direction"),
], ids=["bad-year", "unknown-authority", "not-in-office", "duplicate-different", "value-not-a-number", "bad-direction"])
def test_a_bad_row_is_reported_with_its_line_and_exit_1(runner: CliRunner, tmp_path: Path, row: str, message: str) -> None:
    table = tmp_path / "table.csv"
    table.write_text(HEADER + "2016-17,E06000005,Darlington,LA_Raw,UA,North East,Quality,ASC1,7.6,7.6,0,desc\n" + row + "\n")
    result = _in(tmp_path, runner, table)
    assert result.exit_code == 1, result.output
    [problem] = json.loads(result.stdout)["problems"]
    assert problem.startswith(message), problem


def _in(directory: Path, runner: CliRunner, table: Path) -> Any:
    """The import run from ``directory`` with a relative table path, as the messages name it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(directory)
        return run(runner, Path(table.name), directory / "out")


def test_a_table_without_a_column_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("Financial year,Local authority code,Measure,Code,Value\n2016-17,E06000005,Q,ASC1,7.6\n")
    result = run(runner, table, tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: \"{table}\" is not a table of measures: no column "
                                    "'Local authority name', 'rank_order'\nHint: give Oflog's long-format CSV")
    assert not (tmp_path / "out").exists()


def test_a_capability_that_is_no_id_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, oflog_measures(), tmp_path / "out", "--capability", "Adult Social Care!")
    assert result.exit_code == 2
    assert "--capability 'Adult Social Care!' is neither a capability of the given catalogue nor a valid id" in result.stderr


@pytest.mark.public_data
def test_the_sample_service_levels_are_oflogs_values() -> None:
    """fixtures/sample's 166 service levels: every one Oflog's 2021-22 or 2022-23 value."""
    sample = load_graph([SAMPLE_CATALOGUE.parent])
    levels = {tuple(k[1].split("/")): d["value"] for k, d in sample.nodes(data=True) if k[0] == "ServiceLevel"}
    organisations = {org for org, _, _ in levels}
    published = {(r["Local authority code"], r["Code"].lower(), r["Financial year"]): float(r["Value"])
                 for r in valued_rows(oflog_measures("full"))
                 if r["Local authority code"] in organisations and r["Financial year"] in ("2021-22", "2022-23")}
    assert levels == published and len(levels) == 166 and len(organisations) == 14
