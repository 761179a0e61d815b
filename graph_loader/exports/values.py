"""Graph property values in the plain types that file formats can hold. Pure."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ictgraph.graph_loader.model import NodeRow

__all__ = ["caption", "column_kinds", "kind_of", "node_id", "text"]


def node_id(label: str, key: str) -> str:
    """One string id for a node across every label: ``Label:key``."""
    return f"{label}:{key}"


def caption(node: NodeRow) -> str:
    """What a viewer should show: the name, title or description, else the key."""
    props = node.props()
    for name in ("name", "title", "description"):
        if isinstance(props.get(name), str) and props[name]:
            return str(props[name])
    return node.key


def kind_of(value: Any) -> str:
    """``boolean``, ``long``, ``double``, ``date`` or ``string`` (lists: their items' kind)."""
    if isinstance(value, (list, tuple)):
        kinds = {kind_of(v) for v in value}
        return kinds.pop() if len(kinds) == 1 else "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.date):
        return "date"
    return "string"


def column_kinds(rows: Iterable[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    """Per property: one kind for every row (long and double make double, any other mix
    string) and whether it is a list."""
    seen: dict[str, set[str]] = {}
    lists: dict[str, bool] = {}
    for row in rows:
        for name, value in row.items():
            seen.setdefault(name, set()).add(kind_of(value))
            lists[name] = lists.get(name, False) or isinstance(value, (list, tuple))
    kinds = {}
    for name, found in seen.items():
        kind = found.pop() if len(found) == 1 else "double" if found == {"long", "double"} else "string"
        kinds[name] = (kind, lists[name])
    return dict(sorted(kinds.items()))


def text(value: Any, separator: str = "; ") -> str:
    """A value as text: dates ISO, lists joined, booleans lower-case."""
    if isinstance(value, (list, tuple)):
        return separator.join(text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
