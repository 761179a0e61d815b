"""A JSON Schema (draft-07) of the inventory format, generated from ``schema.yaml``. Pure.

For editors: yaml-language-server validates each YAML document against it as you type
(``# yaml-language-server: $schema=PATH``). It checks what one document can show: keys,
types, patterns, enums, required fields, ``exactly_one_of``, ``at_least_one_of``, the ``when``
rules and what each format version allows (a field ``since`` a later version is refused in an
older document). Rules across items or files (references, duplicate ids, ``end`` before
``start``, ``racks_used`` over ``racks``, alias clashes, cycles, a contract's ``capabilities``
among its covered systems', two service levels for one measure and period) need ``ictgraph validate``. Dates are checked as the
strings an editor sees (YAML 1.2 has no date type)."""
from __future__ import annotations

import json
from typing import Any

from ictgraph.graph_loader.schema import FieldSpec, Schema, SectionSpec, load_schema

__all__ = ["SCHEMA_ID", "inventory_json_schema", "render_json_schema"]

SCHEMA_ID = "https://ictgraph.invalid/schema/inventory-v1.json"
DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
MONTH_OR_DATE = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
# YYYY-YY with the second year the first plus one: one alternative for each ending of the first.
FINANCIAL_YEAR = r"^\d{2}(" + "|".join(f"{y:02d}-{(y + 1) % 100:02d}" for y in range(100)) + ")$"
CROSS_ITEM_RULES = ("not_before", "at_most", "acyclic", "foreign_owner", "owned_by_self_or", "supported_by")


def _scalar(spec: FieldSpec, schema: Schema) -> dict[str, Any]:
    kind = spec.type
    if kind in ("date", "month_or_date"):
        date = {"type": "string", "pattern": DATE if kind == "date" else MONTH_OR_DATE}
        return {**date, "format": "date"} if kind == "date" else date
    if kind == "financial_year":
        return {"type": "string", "pattern": FINANCIAL_YEAR}
    if kind in ("number", "money"):
        return {"type": "number"} if spec.signed else {"type": "number", "minimum": 0}
    if kind == "integer":
        return {"type": "integer", "minimum": 0}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return {"enum": list(schema.enums[spec.enum or ""])}
    if kind == "id" or (kind == "ref" and spec.pattern):
        return {"type": "string", "pattern": schema.patterns[spec.pattern or ""].pattern}
    if kind == "string":
        return {"type": "string", "pattern": r"\S"}
    return {"type": "string"}


def _series() -> dict[str, Any]:
    point = {"type": "object", "required": ["date", "value"], "additionalProperties": False,
             "properties": {"date": {"type": "string", "pattern": DATE, "format": "date"}, "value": {"type": "number"}}}
    return {"type": "array", "items": point}


def _field(spec: FieldSpec, schema: Schema) -> dict[str, Any]:
    if spec.type == "list":
        assert spec.items is not None
        found: dict[str, Any] = {"type": "array", "items": _scalar(spec.items, schema)}
        return {**found, "minItems": spec.min_items} if spec.min_items else found
    if spec.type == "series":
        return _series()
    if spec.type == "section":
        return {"type": "array", "items": {"$ref": f"#/definitions/{spec.section}"}}
    return _scalar(spec, schema)


def _nullable(found: dict[str, Any]) -> dict[str, Any]:
    """The validator skips an optional field written with no value (``notes:``)."""
    if "enum" in found:
        return {**found, "enum": [*found["enum"], None]}
    if "type" in found:
        return {**found, "type": [found["type"], "null"]}
    return {"anyOf": [found, {"type": "null"}]}


def _present(name: str) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"not": {"enum": [None, False]}}}}


def _rules(section: SectionSpec) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for rule in section.rules:
        when: dict[str, Any] = {"required": [k for k, _ in rule.when],
                                "properties": {k: {"const": v} for k, v in rule.when}}
        if rule.rule == "exactly_one_of":
            found.append({"oneOf": [_present(f) for f in rule.fields]})
        elif rule.rule == "at_least_one_of":
            found.append({"anyOf": [{"required": [f], "properties": {f: {"not": {"type": "null"}}}} for f in rule.fields]})
        elif rule.rule == "required_when" and rule.field:
            found.append({"if": when, "then": {"required": [rule.field]}})
        elif rule.rule == "only_when" and rule.field:
            found.append({"if": _present(rule.field), "then": when})
    return found


def _item(section: SectionSpec, schema: Schema) -> dict[str, Any]:
    label = schema.labels.get(section.label or "")
    properties = {n: _field(f, schema) if f.required else _nullable(_field(f, schema)) for n, f in section.fields.items()}
    for name in section.versioned_fields:  # an editor shows it on hover
        properties[name]["description"] = f"format {section.fields[name].since} and later"
    item: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if label is not None:
        item["description"] = label.description
    if required := [n for n, f in section.fields.items() if f.required]:
        item["required"] = required
    if rules := _rules(section):
        item["allOf"] = rules
    if cross := sorted({r.rule for r in section.rules if r.rule in CROSS_ITEM_RULES}):
        item["$comment"] = f"checked by `ictgraph validate` only: {', '.join(cross)}"
    return item


_REFUSED: dict[str, Any] = {"not": {}}


def _older(schema: Schema, since: str) -> list[str]:
    return list(schema.format_versions[:schema.format_versions.index(since)])


def _version_rules(schema: Schema, sections: dict[str, SectionSpec], under: str | None) -> list[dict[str, Any]]:
    """What a document of an older version may not give: a section or an item's field marked
    ``since`` a later version (``{"not": {}}``: any value is refused)."""
    found = []
    for key, section in sections.items():
        refused: dict[str, Any] = {}
        if section.since:
            found.append((section.since, {key: _REFUSED}))
        for name, spec in section.fields.items():
            if spec.since:
                refused.setdefault(spec.since, {})[name] = _REFUSED
        for since, fields in refused.items():  # the organisation is a mapping, other sections lists
            found.append((since, {key: {"properties": fields} if section.scope == "organisation"
                                  else {"items": {"properties": fields}}}))
    return [{"if": {"properties": {"format": {"enum": _older(schema, since)}}},
             "then": {"properties": {under: {"properties": body}} if under else body}} for since, body in found]


def _document(schema: Schema, kind: str) -> dict[str, Any]:
    sections = schema.top_level_sections(kind)
    head = {n: _field(f, schema) if f.required else _nullable(_field(f, schema)) for n, f in schema.document_fields.items()}
    if kind == "inventory":
        body = {k: {"$ref": "#/definitions/organisation"} if s.scope == "organisation"
                else {"type": ["array", "null"], "items": {"$ref": f"#/definitions/{s.name}"}} for k, s in sections.items()}
        return _with_versions({"type": "object", "properties": {**head, **body}, "required": ["format", "organisation"],
                               "additionalProperties": False}, _version_rules(schema, sections, None))
    catalogue = {"type": "object", "additionalProperties": False, "properties": {
        k: {"type": ["array", "null"], "items": {"$ref": f"#/definitions/{s.name}"}} for k, s in sections.items()}}
    return _with_versions({"type": "object", "properties": {**head, "catalogue": catalogue},
                           "required": ["format", "catalogue"], "additionalProperties": False},
                          _version_rules(schema, sections, "catalogue"))


def _with_versions(document: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {**document, "allOf": rules} if rules else document


def inventory_json_schema(schema: Schema | None = None) -> dict[str, Any]:
    """The JSON Schema of one document of the inventory format."""
    schema = schema or load_schema()
    definitions = {name: _item(section, schema) for name, section in schema.sections.items()}
    definitions["inventory"] = _document(schema, "inventory")
    definitions["catalogue"] = _document(schema, "catalogue")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#", "$id": SCHEMA_ID,
        "title": f"ictgraph inventory format ({', '.join(schema.format_versions)})",
        "description": "One YAML document: an inventory (`organisation:`) or a catalogue (`catalogue:`). "
                       "Generated from schema.yaml by `ictgraph schema --json-schema`; rules across items "
                       "and files are checked by `ictgraph validate`.",
        "type": "object", "required": ["format"],
        "properties": {"format": {"enum": list(schema.format_versions)}},
        "if": {"required": ["organisation"]},
        "then": {"$ref": "#/definitions/inventory"}, "else": {"$ref": "#/definitions/catalogue"},
        "definitions": definitions,
    }


def render_json_schema(schema: Schema | None = None) -> str:
    """The JSON Schema as text, keys in a stable order, ending with a new line."""
    return json.dumps(inventory_json_schema(schema), indent=2, ensure_ascii=False) + "\n"
