"""The report at national size (queries/report/data.py and the caps in the pictures): tables
show their first 20 rows and link every row as CSV in ``report-data/`` beside the page; the
CSV is RFC 4180 with a header row and the same bytes for the same estate; and on a generated
estate the page stays small and short in headless Chromium (the load time is measured by
``bench/report.py``, not asserted here)."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.report import build_report
from ictgraph.queries.report.data import DATA_DIR, SHOWN_ROWS, DataTable, capped_table, csv_bytes, csv_value
from tests.chromium import open_page
from tests.synthetic_estate import shuffle_estate
from tests.test_report import AS_OF, hostile_estate

MAX_BYTES = 5_000_000
MAX_HEIGHT = 40_000          # 40 screens of 1,000 pixels
LINK = re.compile(r'<a href="(report-data/[a-z-]+\.csv)">')
MORE = re.compile(r'and ([\d,]+) more: all ([\d,]+) rows in <a href="(report-data/[a-z-]+\.csv)">')


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("a, \"b\"", "a, \"b\""), (3, 3), (True, "true"), (0.1 + 0.2, "0.3"), (-0.0, "0"),
    (1234.5, "1234.5"), (2.0, "2"), (1 / 3, "0.333333"), (["x", None, 1.50], "x; ; 1.5"),
    (dt.date(2027, 3, 31), "2027-03-31"),
])
def test_a_cell_is_plain_text(value: Any, text: str | int) -> None:
    assert csv_value(value) == text


def test_the_csv_has_a_header_row_and_rfc_4180_quoting() -> None:
    rows = [["plain", 1, None], ['comma, and "quotes"', 2.5, ["a", "b"]], ["line\nbreak", -3, "é"]]
    data = csv_bytes(DataTable("t", ["name", "n", "list"], rows))
    assert data.startswith(b"name,n,list\r\n") and data.endswith(b"\r\n")
    assert b'"comma, and ""quotes"""' in data and b'"line\nbreak"' in data
    assert list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) == [
        ["name", "n", "list"], ["plain", "1", ""], ['comma, and "quotes"', "2.5", "a; b"], ["line\nbreak", "-3", "é"]]


@pytest.mark.parametrize("count", [0, SHOWN_ROWS, SHOWN_ROWS + 7])
def test_a_capped_table_shows_its_first_rows_and_links_the_rest(count: int) -> None:
    data = DataTable("things", ["thing"], [[f"t{i}"] for i in range(count)])
    text = capped_table(data, data.rows[:SHOWN_ROWS])
    assert text.count("<tr><td>") == min(count, SHOWN_ROWS)
    assert f'<a href="{DATA_DIR}/things.csv">' in text
    assert ("and 7 more: all 27 rows in" in text) == (count > SHOWN_ROWS)


def tables_of(files: list[tuple[str, bytes]]) -> tuple[str, dict[str, bytes]]:
    page, tables = build_report(build_graph(*rows_from_files(files)), as_of=dt.date.fromisoformat(AS_OF))
    return page, {t.name: csv_bytes(t) for t in tables}


def test_every_link_names_a_table_and_the_bytes_do_not_depend_on_order() -> None:
    files = hostile_estate()
    page, tables = tables_of(files)
    assert {Path(href).stem for href in LINK.findall(page)} == set(tables)
    assert tables_of(shuffle_estate(files, seed=5)) == (page, tables)
    assert b"<script>" in tables["windows"]  # plain text, not HTML


@pytest.fixture(scope="module")
def generated_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated-report")
    runner = CliRunner()
    made = runner.invoke(app, ["generate", "--organisations", "60", "--systems-per-org", "100", "--seed", "7",
                               str(root / "estate")])
    assert made.exit_code == 0, made.output
    page = root / "out" / "report.html"
    page.parent.mkdir()
    result = runner.invoke(app, ["report", str(root / "estate"), "--as-of", AS_OF, "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert f"full tables as CSV in {page.parent / DATA_DIR}\n" in result.stderr
    return page


def test_a_generated_estates_page_is_small_and_short_in_chromium(generated_report: Path) -> None:
    assert generated_report.stat().st_size < MAX_BYTES
    page = open_page(generated_report, width=1280, height=1000)
    assert page.problems == [], page.problems
    assert 5_000 < page.height <= MAX_HEIGHT, page.height
    print(f"{generated_report.stat().st_size:,} bytes, {page.height:,} px, loaded in {page.load_seconds:.2f} s")


def test_every_linked_csv_exists_parses_and_holds_every_row(generated_report: Path) -> None:
    text = generated_report.read_text(encoding="utf-8")
    links = set(LINK.findall(text))
    assert len(links) >= 8
    counts = {}
    for href in links:
        with (generated_report.parent / href).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows and all(rows[0]) and all(len(row) == len(rows[0]) for row in rows), href
        counts[href] = len(rows) - 1
    cut = MORE.findall(html.unescape(text))
    assert cut, "a table of the generated estate is cut at 20 rows"
    for rest, total, href in cut:
        shown = int(total.replace(",", "")) - int(rest.replace(",", ""))  # 20, or fewer (suggestions: 10)
        assert counts[href] == int(total.replace(",", "")) and 0 < shown <= SHOWN_ROWS, href
