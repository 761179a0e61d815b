"""Field checks compiled once per section: a quick yes for an item whose fields are all plainly
valid, so that only an item that may have a problem goes through :mod:`graph_loader.fields`.

Each field gets an acceptance test built from its :class:`FieldSpec`: a predicate that returns
True only for values :func:`graph_loader.values.check_scalar` accepts (an exact type, a
compiled pattern, a set of allowed values, a range), and False for anything it is not sure of.
A False never becomes a message here: the item is then checked the full way, which writes
every message as before. A national estate has over a million values, nearly all valid, and
the full checks spend most of their time in the calls between them. Pure."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ictgraph.graph_loader.located import LocatedList
from ictgraph.graph_loader.schema import FieldSpec, Schema, SectionSpec
from ictgraph.graph_loader.values import LARGEST_WHOLE_NUMBER, Invalid, check_scalar, check_series

Accept = Callable[[Any], bool]
_DATE = dt.date
_CONVERTED = frozenset({"month_or_date", "series", "section"})


@dataclass(frozen=True)
class SectionPlan:
    """What a plainly valid item of one section, in one format version, looks like."""

    accept: dict[str, Accept]        # the fields the version knows, each with its test
    required: frozenset[str]
    # The fields whose accepted values are their own graph form (a list: as a tuple); a month
    # becomes a date, a series its points, so those are converted the full way.
    as_written: frozenset[str] = frozenset()


def _number(signed: bool) -> Accept:
    low = -LARGEST_WHOLE_NUMBER if signed else 0

    def accept(value: Any) -> bool:
        kind = type(value)
        if kind is int:
            return low <= value <= LARGEST_WHOLE_NUMBER
        return kind is float and math.isfinite(value) and (signed or value >= 0)
    return accept


def _text(spec: FieldSpec, schema: Schema) -> Accept:
    if spec.type == "string":
        return lambda value: type(value) is str and bool(value.strip())
    if spec.pattern is not None and spec.type in ("id", "ref"):
        match = schema.patterns[spec.pattern].match
        return lambda value: type(value) is str and match(value) is not None
    return lambda value: type(value) is str


def _exact(spec: FieldSpec, schema: Schema) -> Accept:
    """The full check itself, for the rarer types (a month, a financial year, a series)."""
    if spec.type == "series":
        return lambda value: not isinstance(check_series(value), Invalid)
    return lambda value: not isinstance(check_scalar(value, spec, schema), Invalid)


def _scalar(spec: FieldSpec, schema: Schema) -> Accept:
    kind = spec.type
    if kind in ("string", "text", "id", "ref"):
        return _text(spec, schema)
    if kind == "enum":
        allowed = frozenset(schema.enums[spec.enum or ""])
        return lambda value: type(value) is str and value in allowed
    if kind == "date":
        return lambda value: type(value) is _DATE
    if kind in ("number", "money"):
        return _number(spec.signed)
    if kind == "integer":
        return lambda value: type(value) is int and 0 <= value <= LARGEST_WHOLE_NUMBER
    if kind == "boolean":
        return lambda value: type(value) is bool
    return _exact(spec, schema)


def _list(spec: FieldSpec, schema: Schema) -> Accept:
    assert spec.items is not None
    entry, least = _scalar(spec.items, schema), spec.min_items
    return lambda value: type(value) is LocatedList and len(value) >= least and all(map(entry, value))


def acceptance(spec: FieldSpec, schema: Schema) -> Accept:
    """A test that is True only for a value of ``spec`` that the full check finds no problem in."""
    if spec.type == "list":
        return _list(spec, schema)
    if spec.type == "section":
        return lambda value: True  # collecting the items reports a section that is not a list
    return _scalar(spec, schema)


def section_plan(schema: Schema, section: SectionSpec, version: str) -> SectionPlan:
    """The plan for items of ``section`` in documents of ``version`` (built once, then cached)."""
    key = (section.name, version)
    plan = schema.field_plans.get(key)
    if plan is None:
        known = {n: f for n, f in section.fields.items() if schema.knows(version, f.since)}
        plan = schema.field_plans[key] = SectionPlan(
            {n: acceptance(f, schema) for n, f in known.items()},
            frozenset(n for n, f in known.items() if f.required),
            frozenset(n for n, f in known.items() if (f.items or f).type not in _CONVERTED))
    return plan


def as_written(plan: SectionPlan, name: str, value: Any) -> bool:
    """Whether ``value`` of field ``name`` is accepted and is its own graph form: what
    :func:`graph_loader.values.check_scalar` would return for it is the value itself."""
    return name in plan.as_written and plan.accept[name](value)


def plainly_valid(schema: Schema, section: SectionSpec, version: str, data: dict[Any, Any]) -> bool:
    """True only if the full field checks would find no problem in ``data``."""
    plan = section_plan(schema, section, version)
    accept = plan.accept
    if not (data.keys() <= accept.keys() and plan.required <= data.keys()):
        return False
    for name, value in data.items():
        if value is None:
            if name in plan.required:
                return False
        elif not accept[name](value):
            return False
    return True
