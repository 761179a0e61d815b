"""A long-format table of official measures, as the Office for Local Government (Oflog)
publishes them: one row per (financial year, authority, measure), with the value and the
direction in which the measure is better. Pure apart from :func:`read_measure_rows`.

Columns (Oflog's names): ``Financial year`` (``2022-23``), ``Local authority code`` (GSS),
``Local authority name``, ``Measure`` (its name), ``Code`` (``ASC1``), ``Value`` (blank where
not published) and ``rank_order`` (``desc``/``DESC``: higher is better; ``asc``/``ASC``: lower
is better; ``None`` or blank: no direction). Other columns (Oflog's medians and ranks) are
read past."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.values import Invalid, financial_year

__all__ = ["COLUMNS", "MeasureRow", "RowProblem", "better_of", "parse_rows", "read_measure_rows"]

COLUMNS = {"year": "Financial year", "code": "Local authority code", "name": "Local authority name",
           "measure": "Measure", "measure_code": "Code", "value": "Value", "direction": "rank_order"}
DIRECTIONS = {"desc": "higher", "asc": "lower", "none": "none", "": "none"}


@dataclass(frozen=True)
class MeasureRow:
    """One row with a value: ``line`` is its line in the file (the header is line 1)."""

    line: int
    year: str
    authority_code: str
    authority_name: str
    measure: str
    measure_code: str
    value: float
    better: str


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported, and why."""

    line: int
    message: str


def better_of(direction: str) -> str | None:
    """The format's ``better`` for a table's direction, or None for a word it does not know."""
    return DIRECTIONS.get(direction.strip().casefold())


def _value(text: str) -> float | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _row(line: int, raw: dict[str, str]) -> MeasureRow | RowProblem | None:
    """A row with a value, a problem, or None for a blank value (left out, counted)."""
    get = {key: " ".join((raw.get(column) or "").split()) for key, column in COLUMNS.items()}
    if not get["value"]:
        return None
    year = financial_year(get["year"])
    if isinstance(year, Invalid):
        return RowProblem(line, f"{COLUMNS['year']} {get['year']!r}: {year.message} ({year.hint})")
    value, better = _value(get["value"]), better_of(get["direction"])
    if value is None:
        return RowProblem(line, f"{COLUMNS['value']} {get['value']!r} is not a number")
    if better is None:
        return RowProblem(line, f"{COLUMNS['direction']} {get['direction']!r} is not a direction "
                                "(desc: higher is better, asc: lower is better, None or blank: neither)")
    if not get["code"] or not (get["measure_code"] or get["measure"]):
        return RowProblem(line, f"the row has no {COLUMNS['code'] if not get['code'] else COLUMNS['measure_code']}")
    return MeasureRow(line, year, get["code"], get["name"], get["measure"] or get["measure_code"],
                      get["measure_code"] or get["measure"], value, better)


def parse_rows(rows: list[dict[str, str]]) -> tuple[list[MeasureRow], list[RowProblem], int]:
    """The rows with values, the problems, and how many rows had a blank value."""
    found, problems, blanks = [], [], 0
    for number, raw in enumerate(rows, start=2):
        row = _row(number, raw)
        if row is None:
            blanks += 1
        elif isinstance(row, RowProblem):
            problems.append(row)
        else:
            found.append(row)
    return found, problems, blanks


def read_measure_rows(path: Path) -> list[dict[str, str]]:
    """The table's rows as dictionaries; :class:`UsageError` if it cannot be read or lacks a column."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS.values() if c not in (reader.fieldnames or [])]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f'cannot read the table of measures "{path}": {exc}') from exc
    if missing:
        raise UsageError(f'"{path}" is not a table of measures: no column {", ".join(repr(c) for c in missing)}',
                         "give Oflog's long-format CSV, with the columns " + ", ".join(COLUMNS.values()))
    return rows
