"""Plain-text renderings of analysis and query results: JSON, CSV and aligned tables.

Results reach here as plain data (dicts, lists, strings, numbers, dates); the same data
always renders to the same bytes."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

Row = Sequence[Any]


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """Indented JSON with dates as ISO strings, keys in the order the result gives them."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n"


def cell(value: Any) -> str:
    """One value as table or CSV text: lists joined with '; ', dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) or abs(value) >= 1e15 else f"{int(value)}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_default, sort_keys=True)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Row]) -> str:
    """RFC 4180 CSV with a header row; line endings are \\n for stable bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def to_table(columns: Sequence[str], rows: Sequence[Row], max_width: int = 60) -> str:
    """An aligned plain-text table; long cells are cut with '…' to keep rows on one line."""
    texts = [[_clip(cell(v), max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in texts]
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
