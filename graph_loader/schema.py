"""Read ``schema.yaml`` into typed records; the one place the schema file is opened."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent
# The wheel carries the schema inside the package; a source checkout has it at the top.
_SCHEMA_PATHS = (_PACKAGE_DIR / "schema.yaml", _PACKAGE_DIR.parent / "schema.yaml")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an item, as ``schema.yaml`` declares it."""

    name: str
    type: str
    required: bool = False
    pattern: str | None = None
    enum: str | None = None
    to: str | None = None
    relationship: str | None = None
    direction: str = "out"
    prop: str | None = None
    items: FieldSpec | None = None
    min_items: int = 0
    signed: bool = False
    section: str | None = None
    edge_property: str | None = None
    owner_property: str | None = None
    since: str | None = None            # the first format version that knows the field

    @cached_property
    def ref_target(self) -> str | None:
        """The label this field (or its list items) refers to, if it is a reference."""
        return self.items.to if self.items is not None else self.to

    @property
    def is_edge_only(self) -> bool:
        """A reference that becomes only an edge, not a property of the node."""
        return self.ref_target is not None and self.prop is None


@dataclass(frozen=True)
class RuleSpec:
    """A rule across fields of one item (``end`` not before ``start``, ...)."""

    rule: str
    field: str | None = None
    fields: tuple[str, ...] = ()
    other: str | None = None
    others: str | None = None
    when: tuple[tuple[str, str], ...] = ()
    hint: str | None = None


@dataclass(frozen=True)
class SectionSpec:
    """A kind of item: where it lives in a document and what it becomes in the graph."""

    name: str
    where: str
    scope: str
    label: str | None
    fields: dict[str, FieldSpec]
    rules: tuple[RuleSpec, ...] = ()
    owner_relationship: str | None = None
    since: str | None = None            # the first format version that knows the section
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)   # property: the fields, first given wins
    key: tuple[str, ...] = ()           # an item without `id`: the fields (or derived) its local key joins

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.where.split("."))

    @cached_property
    def money_fields(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.fields.items() if f.type == "money")

    @cached_property
    def versioned_fields(self) -> tuple[str, ...]:
        """The fields marked ``since`` a format version (checked on each item: kept short)."""
        return tuple(n for n, f in self.fields.items() if f.since is not None)

    @cached_property
    def reference_fields(self) -> tuple[tuple[str, FieldSpec], ...]:
        """The fields that refer to other nodes: every item's references are read through
        these (a national estate has half a million items)."""
        return tuple((n, f) for n, f in self.fields.items() if f.ref_target is not None)


@dataclass(frozen=True)
class RelationshipSpec:
    name: str
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    properties: tuple[str, ...] = ()
    refinement: str | None = None


@dataclass(frozen=True)
class LabelSpec:
    name: str
    key: str | None
    caption: str | None
    description: str
    extra_of: str | None = None
    indexes: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()        # beside the estate: the properties that identify a node


@dataclass(frozen=True)
class BesideSpec:
    """Labels and relationship types ictgraph writes beside the estate, never part of it
    (``programme:`` in schema.yaml: what ``plan --save`` writes)."""

    labels: dict[str, LabelSpec] = field(default_factory=dict)
    relationships: dict[str, RelationshipSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class Schema:
    """The whole declarative model of the inventory format and the graph."""

    format_versions: tuple[str, ...]
    default_currency: str
    patterns: dict[str, re.Pattern[str]]
    enums: dict[str, tuple[str, ...]]
    council_types: frozenset[str]
    labels: dict[str, LabelSpec]
    relationships: dict[str, RelationshipSpec]
    document_fields: dict[str, FieldSpec]
    sections: dict[str, SectionSpec]
    load_lock_label: str
    source_path: Path = field(compare=False)
    bookkeeping: frozenset[str] = frozenset()   # properties ictgraph writes for its own use
    identity: frozenset[str] = frozenset()      # properties a node's key determines
    programme: BesideSpec = field(default_factory=BesideSpec)
    load_digest_label: str = "IctgraphScopeDigest"   # a load's digest of each scope it wrote

    def knows(self, version: str, since: str | None) -> bool:
        """Whether a document of format ``version`` may give what is marked ``since``
        (versions are listed oldest first; what carries no ``since`` is in every version)."""
        return since is None or self.format_versions.index(version) >= self.format_versions.index(since)

    @cached_property
    def field_plans(self) -> dict[tuple[str, str], Any]:
        """The compiled field checks by (section, format version), filled as they are needed
        (graph_loader/acceptance.py)."""
        return {}

    def section_for_label(self, label: str) -> SectionSpec:
        return next(s for s in self.sections.values() if s.label == label)

    def top_level_sections(self, kind: str) -> dict[str, SectionSpec]:
        """Sections found directly in an inventory (kind='inventory') or a catalogue."""
        if kind == "inventory":
            return {s.where: s for s in self.sections.values() if s.scope in ("organisation", "owned")}
        return {s.path[1]: s for s in self.sections.values()
                if s.scope == "catalogue" and len(s.path) == 2}


def _field(name: str, raw: dict[str, Any]) -> FieldSpec:
    items = _field(f"{name}[]", raw["items"]) if "items" in raw else None
    default_property: str | None = name
    if raw.get("relationship") and "property" not in raw:
        default_property = None
    return FieldSpec(
        name=name, type=raw["type"], required=bool(raw.get("required", False)),
        pattern=raw.get("pattern"), enum=raw.get("enum"), to=raw.get("to"),
        relationship=raw.get("relationship"), direction=raw.get("direction", "out"),
        prop=raw.get("property", default_property), items=items,
        min_items=int(raw.get("min_items", 0)), signed=bool(raw.get("signed", False)),
        section=raw.get("section"), edge_property=raw.get("edge_property"),
        owner_property=raw.get("owner_property"), since=raw.get("since"),
    )


def _rule(raw: dict[str, Any]) -> RuleSpec:
    return RuleSpec(
        rule=raw["rule"], field=raw.get("field"), fields=tuple(raw.get("fields", ())),
        other=raw.get("other"), others=raw.get("others"),
        when=tuple(sorted((raw.get("when") or {}).items())), hint=raw.get("hint"),
    )


def _section(name: str, raw: dict[str, Any]) -> SectionSpec:
    return SectionSpec(
        name=name, where=raw["where"], scope=raw["scope"], label=raw.get("label"),
        fields={n: _field(n, f) for n, f in raw["fields"].items()},
        rules=tuple(_rule(r) for r in raw.get("rules", ())),
        owner_relationship=raw.get("owner_relationship"), since=raw.get("since"),
        derived={n: tuple(d["first_of"]) for n, d in (raw.get("derived") or {}).items()},
        key=tuple(raw.get("key", ())),
    )


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _relationships(raw: dict[str, Any]) -> dict[str, RelationshipSpec]:
    return {n: RelationshipSpec(n, _as_tuple(v["from"]), _as_tuple(v["to"]), tuple(v.get("properties", ())),
                                v.get("refinement")) for n, v in raw.items()}


def _beside(raw: dict[str, Any]) -> BesideSpec:
    labels = {n: LabelSpec(n, None, v.get("caption"), v.get("description", ""), unique=tuple(v["key"]))
              for n, v in raw.get("labels", {}).items()}
    return BesideSpec(labels, _relationships(raw.get("relationships", {})))


def _check_keys(schema: Schema) -> Schema:
    """A section ``key`` names its own fields or derived properties, and only an owned section
    without ``id`` has one (a derived property names its own fields)."""
    for section in schema.sections.values():
        parts = [(p, section.fields) for d in section.derived.values() for p in d]
        parts += [(p, {**section.fields, **section.derived}) for p in section.key]
        for part, known in parts:
            if part not in known:
                raise ValueError(f"schema.yaml: {section.name}: key or derived part {part!r} is not one of its fields")
        if section.key and (section.scope != "owned" or "id" in section.fields):
            raise ValueError(f"schema.yaml: {section.name}: only an owned section without `id` may declare a key")
    return schema


def _check_versions(schema: Schema) -> Schema:
    """Every ``since`` names a version the schema lists: a typo must not hide a field."""
    marks = [(s.name, s.since) for s in schema.sections.values()]
    marks += [(f"{s.name}.{f.name}", f.since) for s in schema.sections.values() for f in s.fields.values()]
    for where, since in marks:
        if since is not None and since not in schema.format_versions:
            raise ValueError(f"schema.yaml: {where}: since {since!r} is not in format.versions")
    return schema


def schema_from_mapping(raw: dict[str, Any], source_path: Path) -> Schema:
    """Build a :class:`Schema` from the parsed YAML of ``schema.yaml``."""
    return _check_keys(_check_versions(Schema(
        format_versions=tuple(raw["format"]["versions"]),
        default_currency=raw["format"]["default_currency"],
        patterns={k: re.compile(v) for k, v in raw["patterns"].items()},
        enums={k: tuple(v) for k, v in raw["enums"].items()},
        council_types=frozenset(raw["council_types"]),
        labels={n: LabelSpec(n, v.get("key"), v.get("caption"), v.get("description", ""),
                             v.get("extra_of"), tuple(v.get("indexes", ())))
                for n, v in raw["labels"].items()},
        relationships=_relationships(raw["relationships"]),
        document_fields={n: _field(n, f) for n, f in raw["document"]["fields"].items()},
        sections={n: _section(n, s) for n, s in raw["sections"].items()},
        load_lock_label=raw["internal"]["load_lock"],
        source_path=source_path,
        bookkeeping=frozenset(raw["internal"].get("bookkeeping", ())),
        identity=frozenset(raw["internal"].get("identity", ())),
        programme=_beside(raw.get("programme", {})),
        load_digest_label=raw["internal"]["load_digest"],
    )))


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    """The schema shipped with ictgraph (cached: it never changes while running)."""
    path = next(p for p in _SCHEMA_PATHS if p.is_file())
    with path.open(encoding="utf-8") as handle:
        return schema_from_mapping(yaml.safe_load(handle), path)
