"""schema.yaml and the inventory format's reference page (docs/inventory-format.md) agree:
versions, enums, labels, relationships and every field; the page's examples are the files
in fixtures/format/."""
from __future__ import annotations

import re

import pytest

from ictgraph.graph_loader import Schema, check_files
from tests.estates import FORMAT_PAGE, example_paths, spec_examples

PAGE = FORMAT_PAGE.read_text(encoding="utf-8")
V11 = "ictgraph/v1.1"
# Example keys whose comment lists the allowed values, and the schema enum for each.
ENUM_KEYS = {"type": "organisation_type", "nation": "nation", "hosting": "hosting",
             "lifecycle": "lifecycle", "criticality": "criticality", "kind": "network_kind",
             "role": "ict_role", "status": "partnership_status", "better": "measure_better"}


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
    text = between(f"\n{heading}\n") if f"\n{heading}\n" in PAGE else between(f"\n{heading} (v1.1)\n")
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
    sentence = re.split(r"\.\s", between("This version of ictgraph reads "), maxsplit=1)[0]
    assert tuple(re.findall(r"`([^`]+)`", sentence)) == schema.format_versions


def test_the_page_examples_are_the_fixture_files() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE, re.S)
    files = [p.read_text(encoding="utf-8") for v in ("v1", "v1.1") for p in example_paths(v)]
    assert len(files) == 6 and blocks == files


@pytest.mark.parametrize("section", ["document", "organisation", "systems", "contracts", "datacentres", "networks",
                                     "people", "policies", "procurement_plans", "vendors", "products", "capabilities",
                                     "skills", "partnerships", "objectives", "measures", "service_levels"])
def test_every_field_is_on_the_page(schema: Schema, section: str) -> None:
    if section == "document":
        fields, heading = schema.document_fields, "### Document keys"
    else:
        fields, heading = schema.sections[section].fields, f"### `{schema.sections[section].where}`"
    assert field_table(heading) == [(name, spec.required) for name, spec in fields.items()]


def test_the_page_covers_every_section(schema: Schema) -> None:
    headings = set(re.findall(r"^### `([a-z_.]+)`(?: \(v1\.1\))?$", PAGE, re.M))
    assert {s.where for s in schema.sections.values()} <= headings


@pytest.mark.parametrize("key", sorted(ENUM_KEYS))
def test_enums_match_the_page(schema: Schema, key: str) -> None:
    assert list(schema.enums[ENUM_KEYS[key]]) == spec_enum(key)


def test_the_labels_are_the_schemas(schema: Schema) -> None:
    assert V1_LABELS | V11_LABELS == set(schema.labels)


def test_every_relationship_on_the_page_is_in_the_schema(schema: Schema) -> None:
    assert V1_RELATIONSHIPS and V1_RELATIONSHIPS | REFINEMENTS | V11_RELATIONSHIPS <= declared(schema)


def test_every_relationship_type_is_on_the_page(schema: Schema) -> None:
    assert {rel for _, rel, _ in V1_RELATIONSHIPS | REFINEMENTS | V11_RELATIONSHIPS} == set(schema.relationships)


def test_refinements_are_marked_as_such(schema: Schema) -> None:
    assert {rel for _, rel, _ in REFINEMENTS} == {name for name, rel in schema.relationships.items() if rel.refinement}


# The parts of v1.1 on the page: the relationships and labels each adds, and its examples
# (by their place on the page). Each part is in schema.yaml entirely or not at all.
V11_PARTS = {
    "contracts by capability": ({("Contract", "FOR", "Capability")}, set(), {"3"}),
    "service levels": ({("Measure", "OF", "Capability"), ("Organisation", "REPORTS", "ServiceLevel"),
                        ("ServiceLevel", "OF", "Measure")}, {"Measure", "ServiceLevel"}, {"4", "5"}),
}


def test_the_parts_of_version_1_1_are_all_of_it() -> None:
    assert V11_RELATIONSHIPS == set().union(*(rels for rels, _, _ in V11_PARTS.values()))
    assert V11_LABELS == set().union(*(labels for _, labels, _ in V11_PARTS.values()))
    assert {n.split("-")[2].split(".")[0] for n, _ in spec_examples("v1.1")} == \
        set().union(*(examples for _, _, examples in V11_PARTS.values()))


@pytest.mark.parametrize("part", sorted(V11_PARTS))
def test_each_part_of_version_1_1_is_in_the_schema_entirely_or_not_at_all(schema: Schema, part: str) -> None:
    """A part the schema has: its examples load with the v1 ones. A part it lacks: none of its
    labels or relationships, and its examples are refused for their unknown keys alone."""
    rels, labels, examples = V11_PARTS[part]
    mine = [(n, data) for n, data in spec_examples("v1.1") if n.split("-")[2].split(".")[0] in examples]
    checked = check_files(spec_examples() + mine)
    if V11 in schema.format_versions and rels <= declared(schema) and labels <= set(schema.labels):
        assert checked.errors == []
    else:
        assert not labels & set(schema.labels) and not rels & declared(schema)
        assert checked.errors and all(e.message.startswith(("unknown key", f"unknown format '{V11}'"))
                                      for e in checked.errors)


def test_contracts_by_capability_are_read(schema: Schema) -> None:
    """Issue 13 item 4: this ictgraph reads v1.1's contracts by capability."""
    assert V11 in schema.format_versions and ("Contract", "FOR", "Capability") in declared(schema)
    assert schema.sections["contracts"].fields["capabilities"].since == V11


def test_service_levels_are_read(schema: Schema) -> None:
    """Issue 15 item 0: this ictgraph reads v1.1's measures and service levels."""
    rels, labels, _ = V11_PARTS["service levels"]
    assert rels <= declared(schema) and labels <= set(schema.labels)
    assert schema.sections["measures"].since == schema.sections["service_levels"].since == V11


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
