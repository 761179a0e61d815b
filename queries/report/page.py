"""HTML building blocks of the report: escaping, tables, definition lists, figures, the page.

Every piece of estate text passes through :func:`esc`; numbers and money through
:func:`number` and :func:`money`. The page is one file: the stylesheet (``report.css``) and
the figures (SVG) are inline, and nothing is fetched (no script, no external URL).
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Section", "definitions", "esc", "figure", "money", "number", "page", "table"]

CSS_PATH = Path(__file__).with_name("report.css")


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute: ``& < > " '`` escaped; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


def number(value: float | int | None, digits: int = 0) -> str:
    """A number with thousands separators (``–`` when unknown)."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def money(value: float | int | None, currency: str | None, digits: int = 0) -> str:
    """An amount with its currency: ``£12,345`` for pounds, ``EUR 12,345`` otherwise."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    amount = number(abs(value), digits)
    return f"{sign}£{amount}" if currency == "GBP" else f"{sign}{esc(currency or '')} {amount}".strip()


class RawHtml(str):
    """Markup already escaped, placed in a table cell as it is."""


def _cell(value: Any) -> str:
    if isinstance(value, RawHtml):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(esc(v) for v in value)
    return esc(value)


def _td(index: int, value: Any, numeric: Sequence[int], nowrap: Sequence[int]) -> str:
    kind = " class=num" if index in numeric else " class=nowrap" if index in nowrap else ""
    return f"<td{kind}>{_cell(value)}</td>"


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = (),
          caption: str | None = None, nowrap: Sequence[int] = ()) -> str:
    """An HTML table; cells are escaped unless :class:`RawHtml`; ``numeric`` columns align right,
    ``nowrap`` columns (dates) do not wrap."""
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{esc(c)}</th>' for i, c in enumerate(columns))
    body = "".join("<tr>" + "".join(_td(i, v, numeric, nowrap) for i, v in enumerate(row)) + "</tr>\n"
                   for row in rows)
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"


def definitions(data: Mapping[str, Any]) -> str:
    """A nested mapping as definition lists (lists joined, mappings nested)."""
    items = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            shown = definitions(value)
        elif isinstance(value, (list, tuple)):
            shown = esc(", ".join(str(v) for v in value))
        else:
            shown = esc(value)
        items.append(f"<dt>{esc(key)}</dt><dd>{shown}</dd>")
    return "<dl>" + "".join(items) + "</dl>\n"


def figure(name: str, svg: str, caption: str) -> str:
    """A figure holding an inline SVG, with an accessible name and a caption."""
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{esc(caption)}" ', 1)
    return (f'<figure class="plot" id="figure-{esc(name)}">\n{labelled}'
            f"<figcaption>{esc(caption)}</figcaption>\n</figure>\n")


class Section:
    """A report section: an id, a title, its HTML body, and the full tables it links as CSV
    (:class:`queries.report.data.DataTable`, written beside the page)."""

    def __init__(self, ident: str, title: str, body: str, data: Sequence[Any] = ()) -> None:
        self.ident, self.title, self.body, self.data = ident, title, body, tuple(data)

    def html(self) -> str:
        return f'<section id="{esc(self.ident)}">\n<h2>{esc(self.title)}</h2>\n{self.body}</section>\n'


def page(title: str, summary: str, sections: Sequence[Section]) -> str:
    """The whole self-contained HTML document."""
    toc = "".join(f'<li><a href="#{esc(s.ident)}">{esc(s.title)}</a></li>' for s in sections)
    css = CSS_PATH.read_text(encoding="utf-8")
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"ictgraph\">\n<title>{esc(title)}</title>\n"
            f"<style>\n{css}</style>\n</head>\n<body>\n<header>\n<h1>{esc(title)}</h1>\n{summary}"
            f"<nav aria-label=\"Sections\"><ol>{toc}</ol></nav>\n</header>\n<main>\n"
            + "".join(s.html() for s in sections) + "</main>\n</body>\n</html>\n")
