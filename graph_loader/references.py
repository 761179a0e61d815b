"""Step 2d: every reference must resolve; organisations outside the estate are warnings. Pure."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ictgraph.graph_loader.collect import Item
from ictgraph.graph_loader.index import EstateIndex, Resolution
from ictgraph.graph_loader.located import LocatedList
from ictgraph.graph_loader.model import Location, Problem
from ictgraph.graph_loader.schema import FieldSpec


def iter_references(item: Item) -> Iterator[tuple[FieldSpec, str, Location]]:
    """(field, referenced text, location) for each well-typed reference of an item."""
    for name, spec in item.section.reference_fields:
        value: Any = item.data.get(name)
        if value is None:
            continue
        if isinstance(value, LocatedList):
            for position, entry in enumerate(value):
                if isinstance(entry, str):
                    yield spec, entry, value.where(position)
        elif isinstance(value, str):
            yield spec, value, item.data.where(name)


def field_references(item: Item, name: str) -> list[tuple[str, Location]]:
    """(referenced text, location) for each well-typed reference of one field of an item."""
    value: Any = item.data.get(name)
    if value is None:
        return []
    if isinstance(value, LocatedList):
        return [(entry, value.where(position)) for position, entry in enumerate(value) if isinstance(entry, str)]
    return [(value, item.data.where(name))] if isinstance(value, str) else []


def resolve_reference(index: EstateIndex, item: Item, spec: FieldSpec, text: str) -> Resolution:
    target = spec.ref_target
    assert target is not None
    return index.resolve(target, text, item.owner)


def _problem(spec: FieldSpec, text: str, where: Location, resolution: Resolution, warned: set[str]) -> Problem:
    if resolution.message:
        return Problem(where, f"`{spec.name.rstrip('[]')}`: {resolution.message}", resolution.hint)
    warned.add(text)
    return Problem(where, f"organisation {text!r} has no inventory in this estate; it becomes a bare node",
                   None, severity="warning")


def reference_problems(index: EstateIndex, items: list[Item]) -> list[Problem]:
    """Unresolved references (errors) and organisations without an inventory (warnings).
    Written out rather than through :func:`iter_references`: a national estate has over a
    million references, and a location is only looked up for a problem."""
    problems: list[Problem] = []
    warned: set[str] = set()
    for item in items:
        owner, data = item.owner, item.data
        for name, spec in item.section.reference_fields:
            value: Any = data.get(name)
            if isinstance(value, LocatedList):
                texts: Any = value
            elif isinstance(value, str):
                texts = (value,)
            else:
                continue
            target = spec.ref_target or ""
            for position, text in enumerate(texts):
                if not isinstance(text, str):
                    continue
                resolution = index.resolve(target, text, owner)
                if resolution.message or (resolution.bare and text not in warned):
                    where = value.where(position) if texts is value else data.where(name)
                    problems.append(_problem(spec, text, where, resolution, warned))
    return problems
