"""Step 2c: the estate's index: every item by key, catalogue names folded, organisations
merged over their documents. Duplicate and clashing definitions are problems. Pure."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ictgraph.graph_loader.collect import Item, closest
from ictgraph.graph_loader.keys import with_derived_key
from ictgraph.graph_loader.located import plain
from ictgraph.graph_loader.model import Location, Problem
from ictgraph.graph_loader.schema import Schema

_FOLD = re.compile(r"[\s_-]+")
CATALOGUE_LABELS = ("Vendor", "Product", "Capability", "Skill", "Measure")
MAX_HINTED_LENGTH = 200


def fold(text: str) -> str:
    """Case-insensitive, with runs of spaces, hyphens and underscores folded to one space."""
    return _FOLD.sub(" ", text.strip().casefold())


@dataclass
class Resolution:
    """A reference resolved to a node key, or why it could not be."""

    key: str | None
    message: str | None = None
    hint: str | None = None
    bare: bool = False


@dataclass
class EstateIndex:
    items: dict[tuple[str, str], Item] = field(default_factory=dict)
    folded: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    organisations: dict[str, dict[str, tuple[Any, Location]]] = field(default_factory=dict)
    organisation_items: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    # The items of sections keyed by their fields (schema.yaml `key`), carrying the key, by location.
    keyed: dict[Location, Item] = field(default_factory=dict)
    # Catalogue references repeat (every system names its product and capabilities): each
    # spelling is folded and looked up once. Organisations are looked up once too, and an owned
    # item once per spelling and owner (a success only: items are still being indexed while keys
    # built from fields resolve their references).
    resolved: dict[tuple[str, str], Resolution] = field(default_factory=dict, repr=False, compare=False)
    resolved_owned: dict[tuple[str, str, str | None], Resolution] = field(default_factory=dict, repr=False,
                                                                           compare=False)

    def keys_of(self, label: str) -> list[str]:
        return sorted(k for (lab, k) in self.items if lab == label)

    def resolve(self, label: str, value: str, owner: str | None) -> Resolution:
        """The key that ``value``, written inside ``owner``'s inventory, refers to."""
        known = self.resolved.get((label, value))
        if known is not None:
            return known
        if label == "Organisation":  # all merged before any reference is resolved
            known = self.resolved[(label, value)] = Resolution(value, bare=value not in self.organisations)
            return known
        if label in CATALOGUE_LABELS:
            return self._resolve_catalogue(label, value)
        known = self.resolved_owned.get((label, value, owner))
        return known if known is not None else self._resolve_owned(label, value, owner)

    def _resolve_catalogue(self, label: str, value: str) -> Resolution:
        key = self.folded[label].get(fold(value))
        if key is not None:
            known = self.resolved[(label, value)] = Resolution(key)
            return known
        hint = _closest_hint(value, self.keys_of(label))
        return Resolution(None, f"unknown {label.lower()} {value!r}", hint)

    def _resolve_owned(self, label: str, value: str, owner: str | None) -> Resolution:
        key = value if "/" in value else f"{owner}/{value}"
        if (label, key) in self.items:
            known = self.resolved_owned[(label, value, owner)] = Resolution(key)
            return known
        org = key.split("/", 1)[0]
        candidates = [k for k in self.keys_of(label) if k.startswith(f"{org}/")]
        local = [k.split("/", 1)[1] for k in candidates] if "/" not in value else candidates
        hint = _closest_hint(value, local) or (
            None if candidates else f"organisation {org!r} has no {label} of that id in this estate")
        return Resolution(None, f"unknown {label.lower().replace('datacentre', 'data centre')} {value!r}", hint)


def _closest_hint(value: str, known: list[str]) -> str | None:
    if len(value) > MAX_HINTED_LENGTH:
        return None  # no id is this long, and difflib would take seconds over a megabyte of text
    matches = closest(value, known) or closest(value.casefold(), known)
    return f"closest known: {', '.join(matches)}" if matches else None


def _content(item: Item) -> dict[str, Any]:
    """What two definitions of one key must agree on: for a key built from fields, all but the
    references in the key (equal keys resolved them alike, whichever name was written)."""
    keyed = {n for n in item.section.key if n in item.section.fields and item.section.fields[n].ref_target}
    return {k: v for k, v in plain(item.data).items() if k not in keyed}


def _twice(item: Item, first: Item) -> Problem:
    label, key = item.section.label, item.key
    if not item.section.key:
        return Problem(item.location, f"{label} {key!r} is defined twice with different content",
                       f"first defined at {first.location}; keep one definition, or make them identical")
    parts = " and ".join(item.section.key)
    return Problem(item.location, f"{label} {key!r} is given twice with different content: here and at "
                                  f"{first.location.short()}",
                   f"an organisation reports one entry per {parts}; keep one, or make them identical")


def _add_keyed(index: EstateIndex, item: Item) -> None:
    label, key = item.section.label, item.key
    if label is None or key is None:
        return
    first = index.items.get((label, key))
    if first is None:
        index.items[(label, key)] = item
    elif _content(first) != _content(item):
        index.problems.append(_twice(item, first))


def _merge_organisation(index: EstateIndex, item: Item) -> None:
    org_id = item.key
    if org_id is None:
        return
    index.organisation_items[org_id].append(item)
    merged = index.organisations.setdefault(org_id, {})
    for name, value in item.data.items():
        where = item.data.where(name)
        if name not in merged:
            merged[name] = (value, where)
        elif plain(merged[name][0]) != plain(value):
            index.problems.append(Problem(
                where, f"organisation {org_id!r} gives `{name}` twice with different values",
                f"first given at {merged[name][1]}; give each field once"))


def _fold_catalogue(index: EstateIndex, item: Item) -> None:
    label, key = item.section.label, item.key
    if label not in CATALOGUE_LABELS or key is None:
        return
    aliases = item.data.get("aliases")
    names = [key, item.data.get("name")] + (list(aliases) if isinstance(aliases, list) else [])
    for name in names:
        if not isinstance(name, str):
            continue
        folded = fold(name)
        other = index.folded[label].setdefault(folded, key)
        if other != key:
            index.problems.append(Problem(
                item.location, f"{label.lower()} {key!r}: {name!r} is also a name of {other!r}",
                "ids, names and aliases of one kind must stay distinct once case, spaces, hyphens and underscores are folded"))


def build_index(schema: Schema, items: list[Item]) -> EstateIndex:
    """Index every item; report duplicates, organisation conflicts and alias clashes."""
    index = EstateIndex()
    ordered = sorted(items, key=lambda i: i.location)
    for item in [i for i in ordered if not i.section.key]:
        if item.section.scope == "organisation":
            _merge_organisation(index, item)
            continue
        before = len(index.problems)
        _add_keyed(index, item)
        if len(index.problems) == before and index.items.get((item.section.label or "", item.key or "")) is item:
            _fold_catalogue(index, item)
    for item in [i for i in ordered if i.section.key]:  # their keys resolve references: the rest first
        keyed = index.keyed[item.location] = with_derived_key(schema, index, item)
        _add_keyed(index, keyed)
    return index
