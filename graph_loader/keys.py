"""Step 2c': keys and properties an item's fields imply (schema.yaml's ``derived`` and ``key``).

A service level has no ``id``: one organisation reports one value per measure and period, so
its local key is ``MEASURE/PERIOD``, the measure being the canonical id the reference
resolves to (whatever name or alias the document used). Pure."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from ictgraph.graph_loader.collect import Item
from ictgraph.graph_loader.schema import Schema
from ictgraph.graph_loader.values import Invalid, check_scalar

if TYPE_CHECKING:  # the index derives keys with this module while it is built
    from ictgraph.graph_loader.index import EstateIndex


def _text(schema: Schema, item: Item, name: str) -> str | None:
    """A plain field's value as key text, or None when absent or invalid (reported elsewhere)."""
    value = item.data.get(name)
    if value is None:
        return None
    result: Any = check_scalar(value, item.section.fields[name], schema)
    if isinstance(result, Invalid):
        return None
    return result.isoformat() if isinstance(result, dt.date) else str(result)


def derived_properties(schema: Schema, item: Item) -> dict[str, str]:
    """The item's derived properties: each the text of the first of its fields given."""
    out = {}
    for name, fields in item.section.derived.items():
        given = [_text(schema, item, f) for f in fields if item.data.get(f) is not None]
        if given and given[0] is not None:
            out[name] = given[0]
    return out


def _part(schema: Schema, index: "EstateIndex", item: Item, name: str, derived: dict[str, str]) -> str | None:
    if name in derived or name in item.section.derived:
        return derived.get(name)
    spec = item.section.fields[name]
    value = item.data.get(name)
    if spec.ref_target is not None:
        return index.resolve(spec.ref_target, value, item.owner).key if isinstance(value, str) else None
    return _text(schema, item, name)


def derive_local_id(schema: Schema, index: "EstateIndex", item: Item) -> str | None:
    """``PART/PART`` from the section's ``key``, or None when a part is missing or unresolved
    (the field checks and the references report why)."""
    derived = derived_properties(schema, item)
    parts = [_part(schema, index, item, name, derived) for name in item.section.key]
    if any(p is None for p in parts):
        return None
    return "/".join(p for p in parts if p is not None)


def with_derived_key(schema: Schema, index: "EstateIndex", item: Item) -> Item:
    """The item carrying its derived local id (as it is when its section declares no key)."""
    if not item.section.key:
        return item
    return dataclasses.replace(item, derived_id=derive_local_id(schema, index, item))
