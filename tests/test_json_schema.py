"""The JSON Schema generated from schema.yaml: committed, valid, and in agreement with the
validator on every fixture (accepts the valid ones; rejects the invalid ones it can judge
for the same reason, at the same place)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ictgraph.graph_loader import check_paths
from ictgraph.graph_loader.exports.jsonschema import inventory_json_schema, render_json_schema
from tests.estates import ROOT, spec_examples

COMMITTED = ROOT / "docs" / "inventory.schema.json"
INVALID = ROOT / "fixtures" / "invalid"
# Failure modes a JSON Schema can see in one document, with the keyword that catches each.
SCHEMA_CATCHES = {
    "bad_date.yaml": "pattern", "bad_id_pattern.yaml": "pattern", "bespoke_and_product.yaml": "oneOf",
    "contract_capabilities_in_v1.yaml": "not", "contract_without_covers_or_capabilities.yaml": "required",
    "datacentre_without_on_premise.yaml": "const", "missing_format.yaml": "required",
    "missing_required.yaml": "required", "negative_money.yaml": "minimum", "not_a_mapping.yaml": "type",
    "unknown_enum.yaml": "enum", "unknown_format_version.yaml": "enum", "unknown_key.yaml": "additionalProperties",
    "unknown_top_level_key.yaml": "additionalProperties", "wrong_type.yaml": "type",
}
# Rules across items or files: only `ictgraph validate` sees them, so the schema accepts these.
VALIDATOR_ONLY = {"catalogue_alias_clash.yaml", "conflicting_organisation_field.yaml", "contract_covers_foreign_system.yaml",
                  "contract_capability_not_covered.yaml",
                  "dangling_reference.yaml", "duplicate_id.yaml", "duplicate_id_across_files", "end_before_start.yaml",
                  "max_end_before_end.yaml", "racks_used_over_racks.yaml"}
# Refused by the reader before any document exists.
NOT_A_DOCUMENT = {"alias_bomb.yaml", "empty_file.yaml", "non_utf8.yaml", "yaml_syntax.yaml"}


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: dates stay strings (YAML 1.2)."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(inventory_json_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def yaml_files(path: Path) -> list[Path]:
    return sorted(path.rglob("*.yaml")) if path.is_dir() else [path]


def documents(path: Path) -> Iterator[tuple[Any, yaml.Node]]:
    text = path.read_text(encoding="utf-8")
    yield from zip(yaml.load_all(text, Loader=EditorLoader), yaml.compose_all(text, Loader=EditorLoader))


def leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    if error.context:
        for child in error.context:
            yield from leaves(child)
    else:
        yield error


def node_at(node: yaml.Node, path: list[Any]) -> yaml.Node:
    """The node an error points at; a scalar's enclosing mapping (the item it belongs to)."""
    trail = [node]
    for step in path:
        current = trail[-1]
        if isinstance(current, yaml.MappingNode):
            trail.append(next(v for k, v in current.value if k.value == step))
        elif isinstance(current, yaml.SequenceNode):
            trail.append(current.value[step])
    return trail[-1] if not isinstance(trail[-1], yaml.ScalarNode) else trail[-2]


def subject(error: jsonschema.ValidationError) -> str | None:
    """The key an error is about, when it names one."""
    if found := re.search(r"'([^']+)' (?:is a required property|was unexpected)", error.message):
        return found.group(1)
    return error.absolute_path[-1] if error.absolute_path and isinstance(error.absolute_path[-1], str) else None


def test_the_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_json_schema(), \
        "docs/inventory.schema.json is out of date: regenerate it with `ictgraph schema --json-schema > docs/inventory.schema.json`"


def test_it_is_a_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(json.loads(COMMITTED.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", [*yaml_files(ROOT / "fixtures" / "valid"), *yaml_files(ROOT / "fixtures" / "sample")],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_valid_fixture_is_accepted(validator: jsonschema.Draft7Validator, path: Path) -> None:
    for document, _ in documents(path):
        assert [e.message for e in validator.iter_errors(document)] == []


def test_the_spec_examples_are_accepted(validator: jsonschema.Draft7Validator) -> None:
    for _, data in spec_examples():
        for document in yaml.load_all(data, Loader=EditorLoader):
            assert [e.message for e in validator.iter_errors(document)] == []


def test_every_invalid_fixture_is_classified() -> None:
    cases = {p.name for p in INVALID.iterdir() if p.suffix == ".yaml" or p.is_dir()}
    assert cases == set(SCHEMA_CATCHES) | VALIDATOR_ONLY | NOT_A_DOCUMENT


@pytest.mark.parametrize("case", sorted(SCHEMA_CATCHES))
def test_invalid_fixtures_are_rejected_for_the_validators_reason(validator: jsonschema.Draft7Validator, case: str) -> None:
    path = INVALID / case
    [problem] = check_paths([path]).errors
    found = [e for document, _ in documents(path) for error in validator.iter_errors(document) for e in leaves(error)]
    assert SCHEMA_CATCHES[case] in {e.validator for e in found}
    matches = []
    for document, root in documents(path):
        for error in (e for top in validator.iter_errors(document) for e in leaves(top)):
            node = node_at(root, list(error.absolute_path))
            if error.validator == SCHEMA_CATCHES[case] and node.start_mark.line + 1 <= problem.location.line <= node.end_mark.line + 1:
                matches.append(error)
    assert matches, f"no {SCHEMA_CATCHES[case]} error around line {problem.location.line}: {[e.message for e in found]}"
    assert any(subject(e) is None or str(subject(e)) in problem.message for e in matches), problem.message


@pytest.mark.parametrize("case", sorted(VALIDATOR_ONLY))
def test_rules_across_items_are_left_to_the_validator(validator: jsonschema.Draft7Validator, case: str) -> None:
    assert check_paths([INVALID / case]).errors
    for path in yaml_files(INVALID / case):
        for document, _ in documents(path):
            assert [e.message for e in validator.iter_errors(document)] == []


@pytest.mark.parametrize("path", yaml_files(ROOT / "fixtures" / "sample"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_sample_files_reference_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match and (path.parent / match.group(1)).resolve() == COMMITTED.resolve()
