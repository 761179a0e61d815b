"""The report's "Programme tracking" section (``report NEW --programme PROGRAMME``)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.queries.plan import plan
from ictgraph.queries.report.tracking import TRACKING_FIGURES
from ictgraph.queries.source import open_estate_graph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE, LATER = ROOT / "fixtures" / "sample", ROOT / "fixtures" / "sample-later"


def test_the_report_tracks_a_programme(tmp_path: Path) -> None:
    programme = plan(open_estate_graph([SAMPLE], None, None), as_of=dt.date(2026, 11, 27), samples=20)
    (tmp_path / "p.json").write_text(json.dumps(programme, default=str))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(LATER), "--as-of", "2028-06-30", "--programme",
                                      str(tmp_path / "p.json"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    section = re.search(r'<section id="tracking">(.*?)</section>', html, re.S)
    assert section is not None and html.index('id="programme"') < html.index('id="tracking"')
    body = section.group(1)
    assert all(f'id="figure-{name}"' in body for name in TRACKING_FIGURES)
    assert "realised <b>£97,000</b> a year" in body
    statuses = re.findall(r"<tr><td>[^<]*</td><td>([a-z ]+)</td>", body)
    assert statuses[:4] == ["overtaken", "partly done", "done", "due"]
    assert "2027-28" in body and '<a href="#tracking">Programme tracking</a>' in html
