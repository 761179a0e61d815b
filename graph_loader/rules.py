"""Step 2e: the rules across fields that schema.yaml declares for each section. Pure."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ictgraph.graph_loader.collect import Item
from ictgraph.graph_loader.index import EstateIndex
from ictgraph.graph_loader.model import Problem
from ictgraph.graph_loader.references import field_references, resolve_reference
from ictgraph.graph_loader.schema import RuleSpec, Schema
from ictgraph.graph_loader.values import Invalid, check_scalar

_DATES = ("date", "month_or_date")


def _present(item: Item, name: str) -> bool:
    value = item.data.get(name)
    return value is not None and value is not False


def _typed(schema: Schema, item: Item, name: str) -> Any:
    """The field's graph value, or None when absent or already reported as invalid."""
    value = item.data.get(name)
    if value is None:
        return None
    spec = item.section.fields[name]
    if type(value) is dt.date and spec.type in _DATES:
        return value  # what check_scalar gives a date written as one, without its calls
    result = check_scalar(value, spec, schema)
    return None if isinstance(result, Invalid) else result


def _when_holds(item: Item, rule: RuleSpec) -> bool:
    return all(item.data.get(k) == v for k, v in rule.when)


def _when_text(rule: RuleSpec) -> str:
    return " and ".join(f"`{k}: {v}`" for k, v in rule.when)


def _exactly_one_of(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    given = [f for f in rule.fields if _present(item, f)]
    if len(given) == 1:
        return []
    names = ", ".join(f"`{f}`" for f in rule.fields)
    what = f"gives {', '.join(f'`{f}`' for f in given)}" if given else "gives none"
    where = item.data.where(given[1]) if len(given) > 1 else item.location
    return [Problem(where, f"{_name(item)} must have exactly one of {names}, but {what}", rule.hint)]


def _at_least_one_of(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    """One of ``fields`` is given; only the fields the item's format version knows are named
    (in a v1 contract that is `covers` alone, as when it was a required field)."""
    known = [f for f in rule.fields if ctx.schema.knows(item.version, item.section.fields[f].since)]
    if any(item.data.get(f) is not None for f in rule.fields):
        return []  # a field given but empty, or from a later version, is reported on its own
    if len(known) == 1:
        later = ", ".join(f"`{f}` ({item.section.fields[f].since})" for f in rule.fields if f not in known)
        hint = f"`{known[0]}` is required in format {item.version}"
        return [Problem(item.location, f"{_name(item)} has no `{known[0]}`",
                        hint + (f"; a later version allows {later} instead" if later else ""))]
    names = [f"`{f}`" for f in known]
    what = f"neither {names[0]} nor {names[1]}" if len(names) == 2 else f"none of {', '.join(names)}"
    return [Problem(item.location, f"{_name(item)} gives {what}", rule.hint)]


def _required_when(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field
    if _when_holds(item, rule) and not _present(item, rule.field):
        return [Problem(item.location, f"{_name(item)} has {_when_text(rule)} but no `{rule.field}`",
                        f"name the partner's system, e.g. `{rule.field}: ORG/LOCAL`")]
    return []


def _only_when(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field
    if _present(item, rule.field) and not _when_holds(item, rule):
        return [Problem(item.data.where(rule.field),
                        f"`{rule.field}` is only given with {_when_text(rule)}", f"remove `{rule.field}` or set {_when_text(rule)}")]
    return []


def _not_before(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field and rule.other
    later, earlier = _typed(ctx.schema, item, rule.field), _typed(ctx.schema, item, rule.other)
    if later is None or earlier is None or later >= earlier:
        return []
    return [Problem(item.data.where(rule.field),
                    f"`{rule.field}` ({later.isoformat()}) is before `{rule.other}` ({earlier.isoformat()})",
                    f"`{rule.field}` must be on or after `{rule.other}`")]


def _at_most(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field and rule.other
    used, capacity = _typed(ctx.schema, item, rule.field), _typed(ctx.schema, item, rule.other)
    if used is None or capacity is None or used <= capacity:
        return []
    return [Problem(item.data.where(rule.field), f"`{rule.field}` ({used}) is more than `{rule.other}` ({capacity})")]


def _resolved(ctx: _Context, item: Item, field_name: str) -> list[tuple[str, Any]]:
    """(key, location) of each reference of the field that resolves; worked out once per item
    and field (a contract's rules read its `covers`, and the systems' `capabilities`, again)."""
    if item.data.get(field_name) is None:
        return []
    known = ctx.resolved.get((id(item), field_name))
    if known is None:
        spec = item.section.fields[field_name]
        known = ctx.resolved[(id(item), field_name)] = [
            (key, where) for text, where in (field_references(item, field_name) if spec.ref_target else ())
            if (key := resolve_reference(ctx.index, item, spec, text).key) is not None]
    return known


def _foreign_owner(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field
    return [Problem(where, f"`{rule.field}` {key!r} is a system of the same organisation",
                    "a partner-hosted system names another organisation's system as ORG/LOCAL")
            for key, where in _resolved(ctx, item, rule.field) if key.split("/", 1)[0] == item.owner]


def _owned_by_self_or(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    assert rule.field and rule.others
    others = item.data.get(rule.others)
    others = others if isinstance(others, list) else []
    allowed = {item.owner} | {o for o in others if isinstance(o, str)}
    return [Problem(where, f"`{rule.field}` names {key!r}, a system of {key.split('/', 1)[0]!r}",
                    f"a contract covers systems of its own organisation or of its `{rule.others}`; "
                    f"add {key.split('/', 1)[0]!r} to `{rule.others}`")
            for key, where in _resolved(ctx, item, rule.field) if key.split("/", 1)[0] not in allowed]


def _supported_by(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    """Each reference in ``field`` is one that an item referred to by ``other`` gives in its own
    field of the same name (a contract's `capabilities` are capabilities of the systems it `covers`)."""
    assert rule.field and rule.other
    covered = [key for key, _ in _resolved(ctx, item, rule.other)]
    if not covered or rule.field not in item.data:
        return []
    target = item.section.fields[rule.other].ref_target or ""
    theirs = {c for key in covered if (target, key) in ctx.index.items
              for c, _ in _resolved(ctx, ctx.index.items[(target, key)], rule.field)}
    shown = ", ".join(sorted(theirs)) or "none"
    return [Problem(where, f"`{rule.field}` names {key!r}, which is not in the `{rule.field}` of its `{rule.other}` "
                           f"({', '.join(covered)})",
                    f"name only {rule.field} that its `{rule.other}` give ({shown}), or leave `{rule.field}` out")
            for key, where in _resolved(ctx, item, rule.field) if key not in theirs]


def _acyclic(ctx: _Context, item: Item, rule: RuleSpec) -> list[Problem]:
    if not (rule.field and item.key and item.section.label):
        return []
    seen, current = {item.key}, item
    while (parent := _resolved(ctx, current, rule.field)):
        key = parent[0][0]
        if (item.section.label, key) in ctx.acyclic:
            break  # the rest of the chain was walked before and reached a root: linear, not quadratic
        if key in seen:
            return [Problem(item.data.where(rule.field), f"`{rule.field}` makes a cycle through {key!r}")]
        seen.add(key)
        current = ctx.index.items[(item.section.label, key)]
    ctx.acyclic.update((item.section.label, key) for key in seen)
    return []


def _name(item: Item) -> str:
    return f"{item.section.label or item.section.name} {item.local_id!r}" if item.local_id else "the entry"


class _Context:
    def __init__(self, schema: Schema, index: EstateIndex) -> None:
        self.schema, self.index = schema, index
        self.acyclic: set[tuple[str, str]] = set()
        self.resolved: dict[tuple[int, str], list[tuple[str, Any]]] = {}  # by id(item): items outlive it


_RULES: dict[str, Callable[[_Context, Item, RuleSpec], list[Problem]]] = {
    "exactly_one_of": _exactly_one_of, "required_when": _required_when, "only_when": _only_when,
    "not_before": _not_before, "at_most": _at_most, "foreign_owner": _foreign_owner,
    "owned_by_self_or": _owned_by_self_or, "acyclic": _acyclic, "at_least_one_of": _at_least_one_of,
    "supported_by": _supported_by,
}


def rule_problems(schema: Schema, index: EstateIndex, items: list[Item]) -> list[Problem]:
    """Every broken cross-field rule of every item."""
    context = _Context(schema, index)
    problems: list[Problem] = []
    for item in items:
        for rule in item.section.rules:
            problems += _RULES[rule.rule](context, item, rule)
    return problems
