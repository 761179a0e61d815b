"""Step 2b: each item's fields against schema.yaml: unknown, missing, wrong type. Pure."""
from __future__ import annotations

from typing import Any

from ictgraph.graph_loader.acceptance import plainly_valid
from ictgraph.graph_loader.collect import Item, later_version_problem, unknown_key_problems
from ictgraph.graph_loader.located import LocatedList
from ictgraph.graph_loader.model import Location, Problem
from ictgraph.graph_loader.schema import FieldSpec, Schema
from ictgraph.graph_loader.values import Invalid, check_scalar, check_series


def _describe(item: Item) -> str:
    label = item.section.label or item.section.name
    return f"{label} {item.local_id!r}" if item.local_id else f"an entry of `{item.section.where}`"


def _list_problems(value: Any, spec: FieldSpec, schema: Schema, where: Location) -> list[Problem]:
    if not isinstance(value, LocatedList):
        return [Problem(where, f"`{spec.name}` must be a list", f"write `{spec.name}: [a, b]`")]
    if len(value) < spec.min_items:
        return [Problem(where, f"`{spec.name}` needs at least {spec.min_items} entry")]
    problems = []
    assert spec.items is not None
    for index, entry in enumerate(value):
        result = check_scalar(entry, spec.items, schema)
        if isinstance(result, Invalid):
            problems.append(Problem(value.where(index), f"`{spec.name}`: {result.message}", result.hint))
    return problems


def _value_problems(value: Any, spec: FieldSpec, schema: Schema, where: Location) -> list[Problem]:
    if spec.type == "list":
        return _list_problems(value, spec, schema, where)
    if spec.type == "section":
        return []  # collecting the items reports a section that is not a list, once
    result = check_series(value) if spec.type == "series" else check_scalar(value, spec, schema)
    if isinstance(result, Invalid):
        return [Problem(where, f"`{spec.name}`: {result.message}", result.hint)]
    return []


def _fields_in_version(schema: Schema, item: Item) -> tuple[dict[str, FieldSpec], list[Problem]]:
    """The item's fields that its document's version knows, and a problem for each field
    given that only a later version knows."""
    fields = item.section.fields
    if not item.section.versioned_fields:  # most sections: no per-item work
        return fields, []
    known = {n: f for n, f in fields.items() if schema.knows(item.version, f.since)}
    return known, [later_version_problem(item.data.where(n), repr(n), _describe(item), item.version, fields[n].since or "")
                   for n in item.data if n in fields and n not in known]


def check_item_fields(schema: Schema, item: Item) -> list[Problem]:
    """Every problem with the fields of one item, each at the line of its key."""
    if plainly_valid(schema, item.section, item.version, item.data):
        return []  # nearly every item: its fields pass the compiled checks
    fields, problems = _fields_in_version(schema, item)
    if not item.data.keys() <= fields.keys():  # the common case skips building a message
        problems += unknown_key_problems(item.data, list(fields), _describe(item), skip=item.section.fields.keys())
    for name, spec in fields.items():
        if name not in item.data:
            if spec.required:
                problems.append(Problem(item.location, f"{_describe(item)} has no `{name}`",
                                        f"`{name}` is required in `{item.section.where}`"))
            continue
        if item.data[name] is None and not spec.required:
            continue
        problems += _value_problems(item.data[name], spec, schema, item.data.where(name))
    return problems
