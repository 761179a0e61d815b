"""Plain-text renderings of analysis and query results: JSON, CSV and aligned tables.

Results reach here as plain data (dicts, lists, strings, numbers, dates); the same data
always renders to the same bytes."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from itertools import repeat
from json.encoder import encode_basestring as _quote  # the C escaping json.dumps uses
from collections.abc import Iterable, Iterator, Sequence
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
    return "".join(iter_json(data))


def iter_json(data: Any, chunk: int = 1 << 16) -> Iterator[str]:
    """:func:`to_json`'s text in pieces of about ``chunk`` items, so that a large result
    is written out without one string holding all of it.

    The bytes are exactly ``json.dumps(data, indent=2, ensure_ascii=False, default=...)``
    and a newline. With an indent, the standard library encodes in Python generators nested
    as deep as the data, which cost a national ``suggest`` a fifth of its time; this writes
    into one list instead, using the library's own C string escaping."""
    out: list[str] = []
    for _ in _JsonWriter(out, chunk).value(data, "\n"):
        yield "".join(out)
        out.clear()
    out.append("\n")
    yield "".join(out)


_FLOAT_SPECIAL = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _scalar(value: Any) -> str | None:
    """The JSON text of a scalar as ``json`` writes it; None for containers and others."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return "NaN" if value != value else _FLOAT_SPECIAL.get(value) or float.__repr__(value)
    return None


def _key(key: Any) -> str:
    """A dict key as ``json`` writes it (strings, and scalars turned into strings)."""
    if isinstance(key, str):
        return _quote(key)
    text = _scalar(key)
    if text is None:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return '"' + text + '"'


class _JsonWriter:
    """Appends JSON text to ``out``; :meth:`value` yields whenever ``out`` holds ``chunk`` pieces."""

    def __init__(self, out: list[str], chunk: int) -> None:
        self.out, self.chunk = out, chunk
        self.keys: dict[str, str] = {}          # a key's text with its ": ", as keys repeat

    def value(self, value: Any, newline: str) -> Iterator[None]:
        text = _scalar(value)
        if text is not None:
            self.out.append(text)
        elif isinstance(value, (list, tuple, dict)):
            if not value:
                self.out.append("{}" if isinstance(value, dict) else "[]")
            elif isinstance(value, dict):
                yield from self._container(value.items(), "{}", newline)
            else:
                yield from self._container(zip(repeat(None), value), "[]", newline)
        else:
            yield from self.value(_default(value), newline)
        if len(self.out) >= self.chunk:
            yield None

    def _container(self, entries: Iterable[tuple[Any, Any]], brackets: str, newline: str) -> Iterator[None]:
        """A non-empty list (keys None) or dict, one entry a line, indented one step."""
        inner, out, keys = newline + "  ", self.out, self.keys
        separator = brackets[0] + inner
        for key, item in entries:
            out.append(separator)
            separator = "," + inner
            if brackets == "{}":
                prefix = keys.get(key) if type(key) is str else None
                if prefix is None:
                    prefix = _key(key) + ": "
                    if type(key) is str:
                        keys[key] = prefix
                out.append(prefix)
            text = _quote(item) if type(item) is str else _scalar(item)
            if text is None:
                yield from self.value(item, inner)
            else:
                out.append(text)
        out.append(newline + brackets[1])


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


TERMINAL_WIDTH = 120
TERMINAL_ROWS = 20


def to_table(columns: Sequence[str], rows: Sequence[Row], max_width: int = 60, width: int | None = None,
             limit: int | None = None) -> str:
    """An aligned plain-text table; long cells are cut with '…' to keep rows on one line.

    Each cell is at most ``max_width`` characters; with ``width``, the widest columns are
    narrowed until a row fits in ``width`` (:func:`_fit`). With ``limit``, only the first ``limit``
    rows are shown and a last line says how many more there are and how to see them.
    """
    shown = rows if limit is None else rows[:limit]
    texts = [[cell(v).replace("\n", " ") for v in row] for row in shown]
    widths = [min(max_width, max([len(c)] + [len(r[i]) for r in texts])) for i, c in enumerate(columns)]
    if width is not None:
        widths = _fit(widths, width)
    texts = [[_clip(v, w) for v, w in zip(r, widths)] for r in texts]
    lines = ["  ".join(_clip(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in texts]
    if len(shown) < len(rows):
        lines.append(f"… and {len(rows) - len(shown)} more rows: --all shows them all; "
                     "--format json or csv gives everything.")
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], width: int, floor: int = 8) -> list[int]:
    """Column widths that fit a row in ``width``: columns narrower than a fair share keep their
    width, the others share what is left equally (water-filling), none below ``floor``."""
    available = width - 2 * (len(widths) - 1)
    if sum(widths) <= available:
        return list(widths)
    wide = set(range(len(widths)))
    while True:
        share = (available - sum(widths[i] for i in range(len(widths)) if i not in wide)) // max(1, len(wide))
        narrow = {i for i in wide if widths[i] <= share}
        if not narrow:
            break
        wide -= narrow
    share = max(floor, share)
    return [min(w, share) if i in wide else w for i, w in enumerate(widths)]


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
