"""Step 3: a valid estate to node and relationship rows, exactly as the graph holds them.

Aliases become catalogue ids, local ids become ``ORG/LOCAL`` keys, dates become dates, and
every node carries ``source`` (file and line). Rows come out sorted, so that everything
built from them is deterministic whatever the order of files and documents. Pure."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ictgraph.graph_loader.acceptance import as_written, section_plan
from ictgraph.graph_loader.collect import Item
from ictgraph.graph_loader.index import EstateIndex
from ictgraph.graph_loader.keys import derived_properties
from ictgraph.graph_loader.located import plain
from ictgraph.graph_loader.model import EdgeRow, NodeKey, NodeRow
from ictgraph.graph_loader.references import iter_references, resolve_reference
from ictgraph.graph_loader.schema import FieldSpec, Schema
from ictgraph.graph_loader.validate import CheckedEstate
from ictgraph.graph_loader.values import check_scalar, check_series

Rows = tuple[list[NodeRow], list[EdgeRow]]


def _graph_value(schema: Schema, spec: FieldSpec, value: Any) -> Any:
    if spec.type == "list":
        assert spec.items is not None
        return tuple(check_scalar(v, spec.items, schema) for v in value)
    return check_scalar(value, spec, schema)


def _properties(schema: Schema, item: Item, index: EstateIndex) -> dict[str, Any]:
    props: dict[str, Any] = {}
    fields = item.section.fields
    plan = section_plan(schema, item.section, item.version)
    for name, value in item.data.items():  # the fields present: far fewer than the schema's
        spec = fields[name]
        if value is None or spec.prop is None or spec.type == "section" or spec.owner_property:
            continue
        if spec.type == "series":
            points = check_series(plain(value))
            assert isinstance(points, list)
            props[f"{spec.prop}_dates"] = tuple(d for d, _ in points)
            props[f"{spec.prop}_values"] = tuple(float(v) for _, v in points)
        elif spec.ref_target is not None:
            keys = [resolve_reference(index, item, spec, v).key for v in (value if spec.type == "list" else [value])]
            props[spec.prop] = tuple(keys) if spec.type == "list" else keys[0]
        elif as_written(plan, name, value):  # nearly every value: no conversion to make
            props[spec.prop] = tuple(value) if spec.type == "list" else value
        else:
            props[spec.prop] = _graph_value(schema, spec, value)
    props.update(derived_properties(schema, item))
    if item.key is not None:
        props["id"] = item.key
    if item.section.scope in ("owned", "nested") and item.local_id is not None:
        props["local_id"] = item.local_id
        props["organisation" if item.section.scope == "owned" else "partnership"] = item.owner
    if item.section.money_fields:
        props["currency"] = item.currency
    props["source"] = item.location.short()
    return props


def _row(label: str, key: str, props: dict[str, Any], extra: tuple[str, ...] = ()) -> NodeRow:
    return NodeRow(label, key, (label, *extra), tuple(sorted(props.items())))


def _reference_edges(item: Item, index: EstateIndex, own: NodeKey) -> list[EdgeRow]:
    edges = []
    for spec, text, _ in iter_references(item):
        if spec.relationship is None or spec.edge_property:
            continue
        target = NodeKey(spec.ref_target or "", resolve_reference(index, item, spec, text).key or "")
        start, end = (target, own) if spec.direction == "in" else (own, target)
        edges.append(EdgeRow(spec.relationship, start, end))
    return edges


class _Normaliser:
    def __init__(self, schema: Schema, checked: CheckedEstate) -> None:
        self.schema, self.index = schema, checked.index
        self.nodes: dict[tuple[str, str], NodeRow] = {}  # by (label, key): a tuple hashes in C
        # By a plain tuple of text, which hashes and sorts in C (a national estate has a million);
        # two items may imply the same relationship, kept once.
        self.edges: dict[tuple[Any, ...], EdgeRow] = {}
        self.skills: dict[tuple[str, str], float] = defaultdict(float)
        self.roles: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def item(self, item: Item) -> None:
        label, key = item.section.label, item.key
        if label is None:
            self.person(item)
            return
        assert key is not None
        own = NodeKey(label, key)
        self.nodes[(label, key)] = _row(label, key, _properties(self.schema, item, self.index))
        for edge in _reference_edges(item, self.index, own):
            self.add(edge)
        if item.section.owner_relationship and item.owner:
            owner_label = "Organisation" if item.section.scope == "owned" else "Partnership"
            self.add(EdgeRow(item.section.owner_relationship, NodeKey(owner_label, item.owner), own))

    def add(self, edge: EdgeRow) -> None:
        start, end = edge.start, edge.end
        self.edges.setdefault((edge.type, start.label, start.key, end.label, end.key, edge.properties), edge)

    def person(self, item: Item) -> None:
        fte = float(item.data["fte"])
        if item.data.get("skill") is not None:
            spec = item.section.fields["skill"]
            skill = resolve_reference(self.index, item, spec, item.data["skill"]).key
            self.skills[(item.owner or "", skill or "")] += fte
        else:
            self.roles[item.owner or ""][item.data["role"]] += fte

    def organisation(self, org_id: str, first: Item) -> None:
        merged = {name: value for name, (value, _) in self.index.organisations[org_id].items()}
        spec = first.section
        props: dict[str, Any] = {"id": org_id, "source": first.location.short()}
        for name, value in merged.items():
            field = spec.fields.get(name)
            if field is not None and field.prop is not None and value is not None:
                props[field.prop] = _graph_value(self.schema, field, value)
        for neighbour in merged.get("neighbours") or ():
            self.add(EdgeRow("NEIGHBOURS", NodeKey("Organisation", org_id), NodeKey("Organisation", neighbour)))
        roles = self.roles.get(org_id, {})
        if roles:
            props["ict_roles"] = tuple(sorted(roles))
            props["ict_role_fte"] = tuple(roles[r] for r in sorted(roles))
        extra = ("Council",) if merged.get("type") in self.schema.council_types else ()
        self.nodes[("Organisation", org_id)] = _row("Organisation", org_id, props, extra)

    def finish(self) -> Rows:
        for (org, skill), fte in self.skills.items():
            self.add(EdgeRow("HAS_SKILL", NodeKey("Organisation", org), NodeKey("Skill", skill), (("fte", fte),)))
        for edge in self.edges.values():
            for end in (edge.start, edge.end):
                if end.label == "Organisation" and ("Organisation", end.key) not in self.nodes:
                    self.nodes[("Organisation", end.key)] = _row("Organisation", end.key, {"id": end.key})
        nodes = sorted(self.nodes.values(), key=lambda n: (n.label, n.key))
        return nodes, [self.edges[k] for k in sorted(self.edges)]


def normalise_estate(schema: Schema, checked: CheckedEstate) -> Rows:
    """Node and relationship rows of a valid estate, sorted."""
    if checked.errors:
        raise ValueError("normalise_estate needs an estate without errors")
    normaliser = _Normaliser(schema, checked)
    for item in checked.index.items.values():
        normaliser.item(item)
    for item in checked.items:
        if item.section.label is None:
            normaliser.item(item)
    for org_id in sorted(checked.index.organisations):
        normaliser.organisation(org_id, checked.index.organisation_items[org_id][0])
    return normaliser.finish()
