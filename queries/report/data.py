"""The report's full tables as CSV files beside the page, and the capped tables that link them.

The page shows the first :data:`SHOWN_ROWS` rows of each table (in the order the section sorts
them), then "and N more" with a link to ``report-data/NAME.csv``, which holds every row. A CSV
has a header row, RFC 4180 quoting and line ends (Python's :mod:`csv`), plain values (numbers
unformatted, lists joined by ``"; "``, None empty) and the same bytes for the same estate.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ictgraph.queries.report.page import esc, table

__all__ = ["DATA_DIR", "SHOWN_ROWS", "DataTable", "capped_table", "csv_bytes", "csv_value", "more_link"]

DATA_DIR = "report-data"   # beside the page
SHOWN_ROWS = 20


@dataclass(frozen=True)
class DataTable:
    """One table's every row, written as ``report-data/NAME.csv``."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]

    @property
    def href(self) -> str:
        return f"{DATA_DIR}/{self.name}.csv"


def csv_value(value: Any) -> str | int:
    """A cell as CSV text: None empty, lists joined by ``"; "``, floats to six decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value + 0.0:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(csv_value(v)) for v in value)
    return str(value)


def csv_bytes(data: DataTable) -> bytes:
    """The table as UTF-8 CSV: a header row, then every row; CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(data.columns)
    writer.writerows([csv_value(v) for v in row] for row in data.rows)
    return buffer.getvalue().encode("utf-8")


def more_link(data: DataTable, shown: int) -> str:
    """``and N more`` (or ``every row``) with a link to the table's CSV."""
    rest = len(data.rows) - shown
    link = f'<a href="{esc(data.href)}">{esc(data.href)}</a>'
    text = (f"and {rest:,} more: all {len(data.rows):,} rows in {link}" if rest > 0
            else f"These rows as CSV: {link}")
    return f'<p class="more">{text}</p>\n'


def capped_table(data: DataTable, html_rows: Sequence[Sequence[Any]], columns: Sequence[str] | None = None,
                 **options: Any) -> str:
    """An HTML table of ``html_rows`` (the first rows of ``data``, formatted for reading), then the
    link to every row as CSV; ``options`` go to :func:`queries.report.page.table`."""
    return table(columns or data.columns, html_rows, **options) + more_link(data, len(html_rows))
