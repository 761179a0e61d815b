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


def resolve_reference(index: EstateIndex, item: Item, spec: FieldSpec, text: str) -> Resolution:
    target = spec.ref_target
    assert target is not None
    return index.resolve(target, text, item.owner)


def reference_problems(index: EstateIndex, items: list[Item]) -> list[Problem]:
    """Unresolved references (errors) and organisations without an inventory (warnings)."""
    problems: list[Problem] = []
    warned: set[str] = set()
    for item in items:
        for spec, text, where in iter_references(item):
            resolution = resolve_reference(index, item, spec, text)
            if resolution.message:
                problems.append(Problem(where, f"`{spec.name.rstrip('[]')}`: {resolution.message}", resolution.hint))
            elif resolution.bare and text not in warned:
                warned.add(text)
                problems.append(Problem(
                    where, f"organisation {text!r} has no inventory in this estate; it becomes a bare node",
                    None, severity="warning"))
    return problems
