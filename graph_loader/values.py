"""Field values: check one value against its FieldSpec and turn it into its graph form.

Shared by validation (which wants the error) and normalisation (which wants the value), so
that the two can never disagree about what a value means. Pure."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from ictgraph.graph_loader.located import LocatedList, LocatedMap
from ictgraph.graph_loader.schema import FieldSpec, Schema

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
FINANCIAL_YEAR_HINT = "write the financial year as YYYY-YY, April to March, for example 2022-23"
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
DATE_HINT = "write dates as YYYY-MM-DD, for example 2026-03-31"
# The graph (Neo4j) stores whole numbers as signed 64-bit integers.
LARGEST_WHOLE_NUMBER = 2**63 - 1


@dataclass(frozen=True)
class Invalid:
    """Why a value does not fit its field."""

    message: str
    hint: str | None = None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, (dict, LocatedMap)):
        return "a mapping"
    if isinstance(value, (list, LocatedList)):
        return "a list"
    if value is None:
        return "an empty value"
    return repr(value)


def _date(value: Any) -> dt.date | Invalid:
    if isinstance(value, dt.datetime):
        return Invalid(f"{value.isoformat()} is a date-time, not a date", DATE_HINT)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return Invalid(f"{value!r} is not a real date", DATE_HINT)
    if isinstance(value, str) and (m := _DAY_FIRST.match(value)):
        day, month, year = m.groups()
        return Invalid(f"{value!r} is not an ISO 8601 date",
                       f"{DATE_HINT}; {value} would be {year}-{int(month):02d}-{int(day):02d}")
    return Invalid(f"expected a date, got {_type_name(value)}", DATE_HINT)


def _month_or_date(value: Any) -> dt.date | Invalid:
    if isinstance(value, str) and (m := _ISO_MONTH.match(value)):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        return Invalid(f"{value!r} is not a real month", "write YYYY-MM, for example 2026-01")
    result = _date(value)
    if isinstance(result, Invalid):
        return Invalid(result.message, "write YYYY-MM or YYYY-MM-DD, for example 2026-01")
    return result


def financial_year(value: Any) -> str | Invalid:
    """``YYYY-YY``, the second year the first plus one (``2022-23``; ``1999-00``)."""
    if isinstance(value, str) and (m := _FINANCIAL_YEAR.match(value)):
        first, second = int(m.group(1)), int(m.group(2))
        if second == (first + 1) % 100:
            return value
        return Invalid(f"{value!r} is not a financial year: {second:02d} does not follow {first}",
                       f"{FINANCIAL_YEAR_HINT}; the year starting in {first} is {first}-{(first + 1) % 100:02d}")
    shown = value.isoformat() if isinstance(value, dt.date) else None
    return Invalid(f"expected a financial year, got {shown or _type_name(value)}",
                   FINANCIAL_YEAR_HINT + ("; a day is written as `date:`" if shown else ""))


def _too_large(value: int) -> Invalid:
    return Invalid(f"the number has {len(str(abs(value)))} digits, more than the graph can store",
                   f"whole numbers may be at most {LARGEST_WHOLE_NUMBER}")


def _number(value: Any, spec: FieldSpec, what: str) -> float | int | Invalid:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Invalid(f"expected {what}, got {_type_name(value)}", "write a plain number such as 240000")
    if isinstance(value, float) and not math.isfinite(value):
        return Invalid(f"expected {what}, got {value!r}")
    if isinstance(value, int) and abs(value) > LARGEST_WHOLE_NUMBER:
        return _too_large(value)
    if value < 0 and not spec.signed:
        return Invalid(f"{what} must not be negative, got {value!r}")
    return value


def _integer(value: Any) -> int | Invalid:
    if isinstance(value, bool) or not isinstance(value, int):
        return Invalid(f"expected a whole number, got {_type_name(value)}", "write a whole number such as 180")
    if value < 0:
        return Invalid(f"a count must not be negative, got {value}")
    if value > LARGEST_WHOLE_NUMBER:
        return _too_large(value)
    return value


def _string(value: Any, spec: FieldSpec) -> str | Invalid:
    if not isinstance(value, str):
        return Invalid(f"expected text, got {_type_name(value)}", 'put it in quotes, for example "5.4"')
    if spec.type == "string" and not value.strip():
        return Invalid("expected text, got an empty string")
    return value


def _pattern(value: Any, spec: FieldSpec, schema: Schema) -> str | Invalid:
    text = _string(value, spec)
    if isinstance(text, Invalid) or spec.pattern is None:
        return text
    pattern = schema.patterns[spec.pattern]
    if not pattern.match(text):
        return Invalid(f"{text!r} is not a valid {spec.pattern.replace('_', ' ')}",
                       f"it must match {pattern.pattern}")
    return text


def _enum(value: Any, spec: FieldSpec, schema: Schema) -> str | Invalid:
    allowed = schema.enums[spec.enum or ""]
    if isinstance(value, str) and value in allowed:
        return value
    return Invalid(f"{_type_name(value)} is not one of the allowed values",
                   f"use one of: {', '.join(allowed)}")


def check_scalar(value: Any, spec: FieldSpec, schema: Schema) -> Any:
    """The graph form of a single value, or an :class:`Invalid`."""
    kind = spec.type
    if kind == "date":
        return _date(value)
    if kind == "month_or_date":
        return _month_or_date(value)
    if kind == "financial_year":
        return financial_year(value)
    if kind in ("number", "money"):
        return _number(value, spec, "an amount of money" if kind == "money" else "a number")
    if kind == "integer":
        return _integer(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else Invalid(
            f"expected true or false, got {_type_name(value)}")
    if kind == "enum":
        return _enum(value, spec, schema)
    if kind == "id" or (kind == "ref" and spec.pattern):
        return _pattern(value, spec, schema)
    if kind in ("string", "text", "ref"):
        return _string(value, spec)
    raise ValueError(f"schema.yaml: unknown field type {kind!r}")


_MEASURED = FieldSpec("value", "number", signed=True)


def check_series(value: Any) -> list[tuple[dt.date, float]] | Invalid:
    """A list of ``{date, value}`` measurements, sorted by date."""
    if not isinstance(value, list):
        return Invalid(f"expected a list of {{date, value}}, got {_type_name(value)}")
    points = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"date", "value"}:
            return Invalid("each measurement is written {date: YYYY-MM-DD, value: N}")
        when = _date(entry["date"])
        number = _number(entry["value"], _MEASURED, "a measured value")
        if isinstance(when, Invalid):
            return when
        if isinstance(number, Invalid):
            return number
        points.append((when, number))
    return sorted(points)
