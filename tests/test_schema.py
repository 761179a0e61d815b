"""schema.yaml and the inventory-format spec agree on labels, relationships and enums."""
from __future__ import annotations

import re

import pytest

from graph_loader import Schema
from tests.estates import SPEC

SPEC_TEXT = SPEC.read_text(encoding="utf-8")
# Spec example keys whose comment lists the allowed values, and the schema enum for each.
ENUM_KEYS = {"type": "organisation_type", "nation": "nation", "hosting": "hosting",
             "lifecycle": "lifecycle", "criticality": "criticality", "kind": "network_kind",
             "role": "ict_role", "status": "partnership_status"}


def spec_enum(key: str) -> list[str]:
    """The values listed in the comment beside ``key:`` in the spec's examples."""
    lines = SPEC_TEXT.splitlines()
    for number, line in enumerate(lines):
        match = re.match(rf"^\s*-?\s*{key}: \S+\s+# (?:optional: )?(.*\|.*)$", line)
        if match:
            text = match.group(1)
            for follow in lines[number + 1:]:
                more = re.match(r"^\s*# (.*)$", follow)
                if not more:
                    break
                text += " " + more.group(1)
            return [v.strip() for v in text.split("|") if v.strip()]
    raise AssertionError(f"no enum comment for {key!r} in the spec")


def spec_labels() -> set[str]:
    table = SPEC_TEXT.split("## What goes into the graph")[1].split("Relationships")[0]
    return set(re.findall(r"`([A-Z][A-Za-z]+)`", table))


def spec_relationships() -> set[tuple[str, str, str]]:
    text = SPEC_TEXT.split("Relationships (direction as written)")[1]
    found = set()
    for chain in re.findall(r"`(\(.*?)`", text):
        parts = re.findall(r"\((\w+)\)|\[:(\w+)[^\]]*\]", chain)
        nodes = [p[0] for p in parts if p[0]]
        rels = [p[1] for p in parts if p[1]]
        found |= {(nodes[i], rel, nodes[i + 1]) for i, rel in enumerate(rels)}
    return found


@pytest.mark.parametrize("key", sorted(ENUM_KEYS))
def test_enums_match_the_spec(schema: Schema, key: str) -> None:
    assert list(schema.enums[ENUM_KEYS[key]]) == spec_enum(key)


def test_every_spec_label_is_in_the_schema(schema: Schema) -> None:
    assert spec_labels() and spec_labels() <= set(schema.labels)


def test_schema_has_no_label_beyond_the_spec(schema: Schema) -> None:
    assert set(schema.labels) <= spec_labels()


def test_every_spec_relationship_is_in_the_schema(schema: Schema) -> None:
    declared = {(a, name, b) for name, rel in schema.relationships.items()
                for a in rel.starts for b in rel.ends}
    assert spec_relationships() and spec_relationships() <= declared


def test_relationships_beyond_the_spec_are_marked_as_refinements(schema: Schema) -> None:
    spec_types = {rel for _, rel, _ in spec_relationships()}
    extra = {name for name in schema.relationships if name not in spec_types}
    assert extra == {name for name, rel in schema.relationships.items() if rel.refinement}


def test_every_relationship_a_field_makes_is_declared(schema: Schema) -> None:
    for section in schema.sections.values():
        for spec in section.fields.values():
            if spec.relationship:
                assert spec.relationship in schema.relationships, (section.name, spec.name)
        if section.owner_relationship:
            assert section.owner_relationship in schema.relationships


def test_every_enum_a_field_names_exists(schema: Schema) -> None:
    for section in schema.sections.values():
        for spec in section.fields.values():
            if spec.enum:
                assert spec.enum in schema.enums
            if spec.pattern:
                assert spec.pattern in schema.patterns


@pytest.mark.parametrize("pattern,good,bad", [
    ("org_id", "E06000047", "E06000047/x"),
    ("slug", "council-tax", "Council-Tax"),
    ("product_id", "civica/openrevenues", "openrevenues"),
])
def test_id_patterns(schema: Schema, pattern: str, good: str, bad: str) -> None:
    assert schema.patterns[pattern].match(good)
    assert not schema.patterns[pattern].match(bad)
