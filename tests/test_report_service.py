"""The report's "Cost and service" section (queries/report/service.py): present with a scatter per
measured capability and a table of standings; absent without measures; the same bytes."""
from __future__ import annotations

import datetime as dt
import re

from ictgraph.queries.report import render_report
from ictgraph.queries.report.service import service_section
from ictgraph.queries.service_benchmark import service_benchmark
from tests.service_estates import small_estate, with_service
from tests.test_report import sections_of
from tests.test_service_benchmark import _graph

AS_OF = dt.date(2026, 11, 27)


def test_the_section_follows_the_benchmark_with_a_scatter_per_capability() -> None:
    page = render_report(_graph(), as_of=AS_OF)
    found = sections_of(page)
    assert list(found).index("service") == list(found).index("benchmark") + 1
    section = found["service"]
    plot = re.search(r'<figure class="plot" id="figure-service-council-tax">\s*<svg (.*?)</svg>', section, re.S)
    assert plot and 'role="img"' in plot.group(1) and "<text" in plot.group(1)
    assert "Days to process a change (lower is better)" in plot.group(1)
    assert 'id="figure-service-revenues"' in section              # a measure of the parent capability
    assert "<h2>Cost and service</h2>" in page and 'href="#service"' in page


def test_the_table_counts_the_standings() -> None:
    section = service_section(service_benchmark(_graph()))
    assert section is not None
    row = re.search(r"<tr><td>Council tax collected</td>(.*?)</tr>", section.html()).group(1)  # type: ignore[union-attr]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["higher", "5", "5", "1", "2", "2", "0"]    # cheap and good 1, cheap and poor 2, dear and good 2


def test_no_measures_no_section() -> None:
    assert service_section(service_benchmark(small_estate({"D1": 1.0}))) is None
    page = render_report(small_estate({"D1": 1.0, "D2": 2.0}), as_of=AS_OF)
    assert '<section id="service">' not in page and "figure-service-" not in page


def test_measures_without_levels_say_so() -> None:
    graph = with_service(small_estate({"D1": 1.0}), [("m", "M", "council-tax", "higher")], [])
    section = service_section(service_benchmark(graph))
    assert section is not None and "No organisation reports a level" in section.html()


def test_the_same_estate_gives_the_same_bytes() -> None:
    assert render_report(_graph(), as_of=AS_OF) == render_report(_graph(), as_of=AS_OF)
