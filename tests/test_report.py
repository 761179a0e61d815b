"""``ictgraph report`` (queries/report/): one self-contained HTML page with every section and
plot, estate text escaped, the same bytes for the same estate (and on the Neo4j path), and a
page that headless Chromium renders without an error (its screenshot is kept)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.report import render_report
from ictgraph.queries.report.sections import FIGURES, OPTIONAL_SECTION_IDS, SECTION_IDS
from tests.chromium import open_page
from tests.neo4j_helpers import SAMPLE
from tests.synthetic_estate import shuffle_estate

AS_OF = "2026-11-27"
HOSTILE = """<script>alert("x")</script> & 'Sons' $1$ </svg>"""


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "--as-of", AS_OF, "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"ictgraph: wrote {path} ({path.stat().st_size:,} bytes)\n")
    return path


def sections_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', page, re.S))


def test_every_section_has_its_figures(sample_report: Path) -> None:
    found = sections_of(sample_report.read_text(encoding="utf-8"))
    assert [s for s in found if s not in OPTIONAL_SECTION_IDS] == list(SECTION_IDS)
    for section, names in FIGURES.items():
        for name in names:
            plot = re.search(rf'<figure class="plot" id="figure-{name}">\s*<svg (.*?)</svg>', found[section], re.S)
            assert plot and "<text" in plot.group(1) and 'role="img"' in plot.group(1), (section, name)
    assert "Shared Resource Service (SRS)" in found["objectives"] and "on track" in found["objectives"]
    assert found["paths"].count('<article class="suggestion"') == 10


def test_the_page_is_self_contained(sample_report: Path) -> None:
    page = sample_report.read_text(encoding="utf-8")
    assert "<script" not in page and "@import" not in page and "<metadata>" not in page
    # Every link stays in the page, but for the full tables written beside it (tests/test_report_data.py).
    assert not re.search(r'(?:src|href)\s*=\s*"(?!#|data:image/png;base64,|report-data/[a-z-]+\.csv")', page)
    assert not re.search(r"url\((?!#)", page)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids are unique across the inline SVGs"
    assert 100_000 < len(page.encode()) < 3_000_000


def hostile_estate() -> list[tuple[str, bytes]]:
    catalogue = {"format": "ictgraph/v1", "catalogue": {
        "vendors": [{"id": "v", "name": f"Vendor {HOSTILE}"}], "products": [{"id": "v/p", "name": "P", "vendor": "v"}],
        "capabilities": [{"id": "gis", "name": "GIS"}],
        "partnerships": [{"id": "club", "name": f"Club {HOSTILE}", "members": ["A", "B"], "status": "active",
                          "started": dt.date(2023, 1, 1), "objectives": [
            {"id": "o", "description": f"Objective {HOSTILE}", "baseline": 1, "target": 2, "due": dt.date(2027, 1, 1),
             "measured": [{"date": dt.date(2025, 1, 1), "value": 1.5},
                          {"date": dt.date(2026, 1, 1), "value": 1.8}]}]}]}}
    docs: list[dict[str, Any]] = [catalogue]
    for i, oid in enumerate("ABCDEF"):
        docs.append({"format": "ictgraph/v1", "organisation": {
            "id": oid, "name": f"{oid} {HOSTILE}", "type": "district", "population": 50_000 + 10_000 * i,
            "neighbours": [o for o in "ABCDEF" if o != oid][:2]},
            "systems": [{"id": "gis", "name": "GIS", "product": "v/p", "capabilities": ["gis"], "hosting": "saas",
                         "users": 10}],
            "contracts": [{"id": "c", "supplier": "v", "covers": ["gis"], "start": dt.date(2022, 1, 1),
                           "end": dt.date(2027, 3, 31) + dt.timedelta(days=40 * i), "annual_value": 10_000 * (i + 1)}]})
    return [(f"{i}.yaml", yaml.safe_dump(d, sort_keys=False).encode()) for i, d in enumerate(docs)]


def render(files: list[tuple[str, bytes]]) -> str:
    return render_report(build_graph(*rows_from_files(files)), as_of=dt.date.fromisoformat(AS_OF))


def test_estate_text_is_escaped_and_the_bytes_do_not_depend_on_order() -> None:
    files = hostile_estate()
    page = render(files)
    assert "<script" not in page and "alert(&quot;x&quot;)" in page and "&amp; &#x27;Sons&#x27;" in page
    assert page.count("</svg>") == sum(len(names) for names in FIGURES.values())
    assert list(sections_of(page)) == list(SECTION_IDS)
    assert render(shuffle_estate(files, seed=3)) == page


def test_an_estate_with_little_to_show_still_has_every_section() -> None:
    from ictgraph.graph_loader import load_graph
    page = render_report(load_graph([SAMPLE.parent / "valid" / "minimal.yaml"]),
                         as_of=dt.date.fromisoformat(AS_OF))
    assert list(sections_of(page)) == list(SECTION_IDS)
    assert page.count("</svg>") == sum(len(names) for names in FIGURES.values())


def test_an_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.html"
    files = hostile_estate()
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(app, ["report", *(str(tmp_path / n) for n, _ in files), "--as-of", AS_OF,
                                      "-o", str(target), "--quiet"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'Error: cannot write the report to "{target}"') and "Hint: " in result.stderr


def test_chromium_renders_every_section_and_plot_without_an_error(sample_report: Path, tmp_path: Path) -> None:
    page = open_page(sample_report, width=1280, height=2400)
    shot = tmp_path / "report.png"
    shot.write_bytes(page.png)
    assert page.problems == [], page.problems
    for section in SECTION_IDS:
        assert f'<section id="{section}">' in page.dom, section
    for names in FIGURES.values():
        for name in names:
            assert re.search(rf'<figure class="plot" id="figure-{name}">\s*<svg ', page.dom), name
    assert page.png.startswith(b"\x89PNG\r\n\x1a\n") and len(page.png) > 50_000
    print(f"screenshot: {shot}")


@pytest.mark.neo4j
def test_the_report_is_the_same_from_neo4j(sample_report: Path, neo4j_uri: str, clean_neo4j_module: None,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(SAMPLE), "--quiet"]).exit_code == 0
    stored = tmp_path / "stored.html"
    result = runner.invoke(app, ["report", "--neo4j", "--as-of", AS_OF, "-o", str(stored), "--quiet"])
    assert result.exit_code == 0, result.output
    assert stored.read_bytes() == sample_report.read_bytes()


# The programme (queries/report/programme.py): the report opens with `ictgraph plan`'s programme.

def plan_of_sample() -> dict[str, Any]:
    import json
    result = CliRunner().invoke(app, ["plan", str(SAMPLE), "--as-of", AS_OF, "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cells(html_table: str) -> list[list[str]]:
    import html
    rows = re.findall(r"<tr>(.*?)</tr>", html_table, re.S)
    found = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    return [row for row in found if row]


def test_the_report_opens_with_the_programme(sample_report: Path) -> None:
    page = sample_report.read_text(encoding="utf-8")
    assert SECTION_IDS[0] == "programme" and list(sections_of(page))[0] == "programme"
    assert page.index('<section id="programme">') < page.index('<section id="suggestions">')
    assert re.search(r'<nav aria-label="Sections"><ol><li><a href="#programme">The programme</a>', page)


def test_the_programme_section_shows_the_plans_totals_and_years(sample_report: Path) -> None:
    from ictgraph.queries.report.page import money
    plan = plan_of_sample()
    section = sections_of(sample_report.read_text(encoding="utf-8"))["programme"]
    cur, totals = plan["currency"], plan["totals"]
    shown = re.search(r'<div class="figures" id="programme-totals">(.*?)</div>', section, re.S)
    assert shown
    for amount in (totals["npv"]["central"], totals["npv"]["p10"], totals["npv"]["p90"], totals["npv"]["p50"],
                   totals["annual_saving"]["low"], totals["annual_saving"]["central"],
                   totals["annual_saving"]["high"], totals["one_off_cost"]):
        assert money(amount, cur) in shown.group(1), amount
    years = section.split("One-off costs and savings per financial year</caption>")[1].split("</table>")[0]
    expected = [[y["year"], money(y["one_off_cost"], cur), money(y["annual_saving"]["central"], cur),
                 f'{money(y["annual_saving"]["low"], cur)} to {money(y["annual_saving"]["high"], cur)}',
                 money(y["run_rate"]["central"], cur), str(y["go_lives"])] for y in plan["years"]]
    assert cells(years) == expected and expected
    assert f"{len(plan['moves'])} moves chosen from {len(plan['moves']) + len(plan['not_chosen'])} candidates" in section


def many_moves(count: int) -> dict[str, Any]:
    moves = [{"id": f"m{i:03d}", "kind": ("shared-platform", "datacentre")[i % 2], "capabilities": ["gis"],
              "target_product": "v/p", "lead": "A", "organisations": ["A", "B"], "one_off_cost": 100 * i,
              "annual_saving": {"low": i, "central": 2 * i, "high": 3 * i}, "npv": {"low": i, "central": 10 * i, "high": 20 * i},
              "probability_positive_npv": 1.0,
              "steps": [{"organisation": "B", "go_live": (dt.date(2027, 5, 1) + dt.timedelta(days=7 * i)).isoformat()}]}
             for i in range(1, count + 1)]
    years = [{"year": "2027-28", "one_off_cost": 1, "annual_saving": {"low": 1, "central": 2, "high": 3},
              "run_rate": {"low": 1, "central": 2, "high": 3}, "go_lives": count}]
    return {"currency": "GBP", "objective": "central", "moves": moves, "not_chosen": [], "years": years,
            "solver": {"name": "HiGHS", "status": "Optimal", "gap": 0.0},
            "totals": {"npv": {k: 1 for k in ("low", "central", "high", "p10", "p50", "p90")},
                       "annual_saving": {"low": 1, "central": 2, "high": 3}, "one_off_cost": 1}}


@pytest.mark.parametrize("count", [0, 3, 150])
def test_the_timeline_stays_readable_for_many_moves(count: int) -> None:
    from ictgraph.queries.report.programme import TABLE_MOVES, TOP_MOVES, programme_section
    section = programme_section(many_moves(count), {"A": "Alpha Borough Council"}, dt.date.fromisoformat(AS_OF)).html()
    timeline = re.search(r'<figure class="plot" id="figure-programme-timeline">(.*?)</figure>', section, re.S)
    assert timeline and "<text" in timeline.group(1)
    rest = count - TOP_MOVES
    assert (f"{rest} more moves in the plan" in timeline.group(1)) == (rest > 0)
    assert timeline.group(1).count("gis on p · Alpha") == min(count, TOP_MOVES)
    assert section.count("<tr><td") == len(many_moves(count)["years"]) + min(count, TABLE_MOVES)
    if count:
        assert "m150" not in section and "led by Alpha" in section
