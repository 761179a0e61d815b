"""Containers that remember where each value stood in the YAML source."""
from __future__ import annotations

from typing import Any

from ictgraph.graph_loader.model import Location


class LocatedMap(dict[Any, Any]):
    """A mapping that knows its own location and the location of each key."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[Any, Location] = {}

    def where(self, key: Any) -> Location:
        """Location of ``key`` if present, else of the mapping itself."""
        return self.key_locations.get(key, self.location)


class LocatedList(list[Any]):
    """A sequence that knows its own location and the location of each item."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[Location] = []

    def where(self, index: int) -> Location:
        if 0 <= index < len(self.item_locations):
            return self.item_locations[index]
        return self.location


def location_of(value: Any, fallback: Location) -> Location:
    """The location a located container carries, or ``fallback`` for plain values."""
    return getattr(value, "location", fallback)


def plain(value: Any) -> Any:
    """A deep copy with plain ``dict``/``list``: for comparing two definitions."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
