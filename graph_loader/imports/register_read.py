"""Read an application register (CSV or Excel) into headers and rows; map its columns.

The only file-system step of ``ictgraph import register``. Excel needs the optional
``openpyxl`` package (``pip install 'ictgraph[xlsx]'``)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.register_values import FIELDS, cell_text, guess_columns

__all__ = ["Table", "find_header", "map_columns", "read_table"]


@dataclass(frozen=True)
class Table:
    """A register's header row and its data rows, each with its row number in the file."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def _table(name: str, raw_rows: list[list[Any]]) -> Table:
    numbered = [(n, row) for n, row in enumerate(raw_rows, start=1) if any(cell_text(c) for c in row)]
    if not numbered:
        raise UsageError(f'"{name}" has no rows', "give the register with a header row first")
    (_, header), rows = numbered[0], numbered[1:]
    return Table(name, [cell_text(h) for h in header], rows)


def _read_csv(path: Path) -> list[list[Any]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(text.splitlines(), dialect)]


def _read_xlsx(path: Path, sheet: str | None) -> list[list[Any]]:
    try:
        import openpyxl  # type: ignore[import-untyped]  # optional: the `xlsx` extra
    except ImportError as exc:
        raise UsageError("reading .xlsx needs the openpyxl package", "pip install 'ictgraph[xlsx]', or save the sheet as CSV") from exc
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UsageError(f'"{path}" has no sheet "{sheet}"', f"its sheets: {', '.join(book.sheetnames)}")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The register in ``path`` (.csv, .tsv, .txt or .xlsx); :class:`UsageError` otherwise."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _table(path.name, _read_xlsx(path, sheet))
        if suffix in (".csv", ".tsv", ".txt"):
            return _table(path.name, _read_csv(path))
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise UsageError(f'cannot read the register "{path}": {exc}') from exc
    raise UsageError(f'"{path}" is neither CSV nor .xlsx', "save the register as .csv or .xlsx")


def find_header(table: Table, given: dict[str, str], look: int = 10) -> Table:
    """The table with its header row found: of the first ``look`` rows, the one naming the most
    fields (a title row above the header is common in spreadsheets)."""
    candidates = [table.headers] + [[cell_text(c) for c in cells] for _, cells in table.rows[: look - 1]]
    wanted = {h.strip().casefold() for h in given.values()}

    def score(index: int) -> tuple[int, int]:
        headers = candidates[index]
        return len(guess_columns(headers)) + sum(1 for h in headers if h.casefold() in wanted), -index
    best = max(range(len(candidates)), key=score)
    return table if best == 0 else Table(table.name, candidates[best], table.rows[best:])


def map_columns(headers: list[str], given: dict[str, str]) -> dict[str, int]:
    """Field → column: the ``given`` FIELD=HEADER pairs, the rest guessed from the headers."""
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise UsageError(f"unknown register field {', '.join(repr(u) for u in unknown)}",
                         f"fields: {', '.join(FIELDS)}")
    columns: dict[str, int] = {}
    for field, header in given.items():
        matches = [i for i, h in enumerate(headers) if h.casefold() == header.strip().casefold()]
        if not matches:
            raise UsageError(f'the register has no column "{header}" (for {field})',
                             f"its columns: {', '.join(h for h in headers if h)}")
        columns[field] = matches[0]
    free = [h if i not in columns.values() else "" for i, h in enumerate(headers)]
    guessed = {f: i for f, i in guess_columns(free).items() if f not in columns}
    return dict(sorted({**columns, **guessed}.items(), key=lambda kv: kv[1]))
