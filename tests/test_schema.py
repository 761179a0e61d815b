"""schema.yaml and the inventory format's reference page (docs/inventory-format.md) agree:
versions, enums, labels, relationships and every field; the page's examples are the files
in fixtures/format/."""
from __future__ import annotations

import re

import pytest

from graph_loader import Schema, check_files
from tests.estates import FORMAT_PAGE, example_paths, spec_examples

PAGE = FORMAT_PAGE.read_text(encoding="utf-8")
V11 = "ictgraph/v1.1"
# Example keys whose comment lists the allowed values, and the schema enum for each.
ENUM_KEYS = {"type": "organisation_type", "nation": "nation", "hosting": "hosting",
             "lifecycle": "lifecycle", "criticality": "criticality", "kind": "network_kind",
             "role": "ict_role", "status": "partnership_status"}


def between(start: str, end: str | None = None) -> str:
    """The page's text from ``start`` to ``end`` (or to the end of the page)."""
    assert start in PAGE, start
    text = PAGE.split(start, 1)[1]
    return text.split(end, 1)[0] if end else text


def spec_enum(key: str) -> list[str]:
    """The values listed in the comment beside ``key:`` in the page's examples."""
    lines = PAGE.splitlines()
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
    raise AssertionError(f"no enum comment for {key!r} on the page")


def labels_in(text: str) -> set[str]:
    return set(re.findall(r"`([A-Z][A-Za-z]+)`", text))


def relationships_in(text: str) -> set[tuple[str, str, str]]:
    found = set()
    for chain in re.findall(r"`(\(.*?)`", text):
        parts = re.findall(r"\((\w+)\)|\[:(\w+)[^\]]*\]", chain)
        nodes = [p[0] for p in parts if p[0]]
        rels = [p[1] for p in parts if p[1]]
        found |= {(nodes[i], rel, nodes[i + 1]) for i, rel in enumerate(rels)}
    return found


def field_table(heading: str) -> list[tuple[str, bool]]:
    """(field, required) for each row of the table under ``heading``."""
    rows = []
    text = between(f"\n{heading}\n")
    for line in text[text.index("| field"):].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append((cells[0].strip("`"), cells[2] == "yes"))
    return rows


V1_LABELS = labels_in(between("## What goes into the graph", "Relationships (direction as written)"))
V1_RELATIONSHIPS = relationships_in(between("Relationships (direction as written)", "Refinements:"))
REFINEMENTS = relationships_in(between("Refinements:", "## Version 1.1"))
V11_RELATIONSHIPS = relationships_in(between("In the graph, version 1.1 adds:"))
V11_LABELS = labels_in(between("In the graph, version 1.1 adds:").split("| --- |")[-1])


def declared(schema: Schema) -> set[tuple[str, str, str]]:
    return {(a, name, b) for name, rel in schema.relationships.items() for a in rel.starts for b in rel.ends}


def test_the_page_names_the_versions_this_ictgraph_reads(schema: Schema) -> None:
    sentence = between("This version of ictgraph reads ", ".")
    assert tuple(re.findall(r"`([^`]+)`", sentence)) == schema.format_versions


def test_the_page_examples_are_the_fixture_files() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE, re.S)
    files = [p.read_text(encoding="utf-8") for v in ("v1", "v1.1") for p in example_paths(v)]
    assert len(files) == 6 and blocks == files


@pytest.mark.parametrize("section", ["document", "organisation", "systems", "contracts", "datacentres", "networks",
                                     "people", "policies", "procurement_plans", "vendors", "products", "capabilities",
                                     "skills", "partnerships", "objectives"])
def test_every_field_is_on_the_page(schema: Schema, section: str) -> None:
    if section == "document":
        fields, heading = schema.document_fields, "### Document keys"
    else:
        fields, heading = schema.sections[section].fields, f"### `{schema.sections[section].where}`"
    assert field_table(heading) == [(name, spec.required) for name, spec in fields.items()]


def test_the_page_covers_every_section(schema: Schema) -> None:
    headings = set(re.findall(r"^### `([a-z_.]+)`$", PAGE, re.M))
    assert {s.where for s in schema.sections.values()} <= headings


@pytest.mark.parametrize("key", sorted(ENUM_KEYS))
def test_enums_match_the_page(schema: Schema, key: str) -> None:
    assert list(schema.enums[ENUM_KEYS[key]]) == spec_enum(key)


def test_the_labels_are_the_schemas(schema: Schema) -> None:
    assert V1_LABELS == set(schema.labels)


def test_every_relationship_on_the_page_is_in_the_schema(schema: Schema) -> None:
    assert V1_RELATIONSHIPS and V1_RELATIONSHIPS | REFINEMENTS <= declared(schema)


def test_every_relationship_type_is_on_the_page(schema: Schema) -> None:
    assert {rel for _, rel, _ in V1_RELATIONSHIPS | REFINEMENTS} == set(schema.relationships)


def test_refinements_are_marked_as_such(schema: Schema) -> None:
    assert {rel for _, rel, _ in REFINEMENTS} == {name for name, rel in schema.relationships.items() if rel.refinement}


def test_version_1_1_is_in_the_schema_exactly_when_the_schema_reads_it(schema: Schema) -> None:
    """The page describes v1.1 in full; the schema has all of it once it lists the version,
    and none of it before (then v1.1 documents are refused for their version alone)."""
    assert V11_LABELS == {"Measure", "ServiceLevel"} and len(V11_RELATIONSHIPS) == 4
    v11 = spec_examples("v1.1")
    checked = check_files(spec_examples() + v11)
    if V11 in schema.format_versions:
        assert V11_LABELS <= set(schema.labels) and V11_RELATIONSHIPS <= declared(schema)
        assert checked.errors == []
    else:
        assert not V11_LABELS & set(schema.labels) and not V11_RELATIONSHIPS & declared(schema)
        assert sorted((e.location.file, e.message) for e in checked.errors) == [
            (name, f"unknown format '{V11}'") for name, _ in v11]


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
