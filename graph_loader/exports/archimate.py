"""The estate as an ArchiMate 3.1 model in the Open Exchange Format (OEF), for Archi and
other ArchiMate tools. Pure apart from :func:`write_archimate`.

Elements: organisations and vendors are business actors (a vendor carries the property
``ictgraph label: Vendor``), capabilities are capabilities, systems application components,
products products, contracts contracts; data centres are facilities, networks communication
networks, skills resources, policies principles, procurement plans work packages,
partnerships business collaborations and objectives goals; a measure (format v1.1) is a
driver and an organisation's service level an assessment of it. Relationships: a system
*realises* each capability it supports and *serves* the organisation that runs it; a
capability is *composed* of its children (PART_OF, reversed); every other relationship is a
directed *association* named after its type, which ArchiMate allows between any two
elements. Every graph property becomes an OEF property. Identifiers are stable across runs."""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.exports.values import caption, text
from ictgraph.graph_loader.model import EdgeRow, NodeRow

__all__ = ["ELEMENT_TYPES", "archimate_tree", "write_archimate"]

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Model.xsd"

ELEMENT_TYPES = {
    "Organisation": "BusinessActor", "Vendor": "BusinessActor", "Capability": "Capability",
    "System": "ApplicationComponent", "Product": "Product", "Contract": "Contract",
    "DataCentre": "Facility", "Network": "CommunicationNetwork", "Skill": "Resource",
    "Policy": "Principle", "ProcurementPlan": "WorkPackage", "Partnership": "BusinessCollaboration",
    "Objective": "Goal", "Measure": "Driver", "ServiceLevel": "Assessment",
}
FOLDERS = {"BusinessActor": "Business", "Product": "Business", "Contract": "Business",
           "BusinessCollaboration": "Business", "Capability": "Strategy", "Resource": "Strategy",
           "ApplicationComponent": "Application", "Facility": "Technology & Physical",
           "CommunicationNetwork": "Technology & Physical", "Principle": "Motivation", "Goal": "Motivation",
           "Driver": "Motivation", "Assessment": "Motivation",
           "WorkPackage": "Implementation & Migration"}
# (relationship type, start label, end label) → (ArchiMate type, reversed?)
SPECIFIC = {("SUPPORTS", "System", "Capability"): ("Realization", False),
            ("RUNS", "Organisation", "System"): ("Serving", True),
            ("PART_OF", "Capability", "Capability"): ("Composition", True)}


def _identifier(*parts: str) -> str:
    """An xs:ID (letters first, no '/' or ':'), stable for the same parts."""
    return "id-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _sub(parent: ET.Element, tag: str, value: str | None = None, lang: bool = False,
         attrs: dict[str, str] | None = None) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs or {})
    if value is not None:
        child.text = value
        if lang:
            child.set(XML_LANG, "en")
    return child


class _Properties:
    """Property definitions, one per property name, made as they are first used."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def add(self, parent: ET.Element, values: dict[str, Any]) -> None:
        if not values:
            return
        holder = _sub(parent, "properties")
        for name, value in values.items():
            ref = self.ids.setdefault(name, f"propid-{len(self.ids) + 1}")
            _sub(_sub(holder, "property", attrs={"propertyDefinitionRef": ref}), "value", text(value), lang=True)

    def write(self, model: ET.Element) -> None:
        definitions = _sub(model, "propertyDefinitions")
        for name, ref in self.ids.items():
            _sub(_sub(definitions, "propertyDefinition", attrs={"identifier": ref, "type": "string"}), "name", name, lang=True)


def _elements(model: ET.Element, nodes: list[NodeRow], props: _Properties) -> dict[str, list[str]]:
    container, folders = _sub(model, "elements"), dict[str, list[str]]()
    for node in nodes:
        kind = ELEMENT_TYPES.get(node.label, "Grouping")
        element = _sub(container, "element", attrs={"identifier": _identifier(node.label, node.key), f"{{{XSI}}}type": kind})
        _sub(element, "name", caption(node), lang=True)
        props.add(element, {"ictgraph label": ":".join(node.labels), **node.props()})
        folders.setdefault(FOLDERS.get(kind, "Other"), []).append(element.get("identifier", ""))
    return folders


def _relationships(model: ET.Element, edges: list[EdgeRow], props: _Properties) -> list[str]:
    container, ids = _sub(model, "relationships"), []
    for edge in edges:
        start, end = _identifier(edge.start.label, edge.start.key), _identifier(edge.end.label, edge.end.key)
        kind, reverse = SPECIFIC.get((edge.type, edge.start.label, edge.end.label), ("Association", False))
        attrs = {"identifier": _identifier(edge.type, edge.start.label, edge.start.key, edge.end.label, edge.end.key),
                 "source": end if reverse else start, "target": start if reverse else end, f"{{{XSI}}}type": kind}
        if kind == "Association":
            attrs["isDirected"] = "true"
        relationship = _sub(container, "relationship", attrs=attrs)
        _sub(relationship, "name", edge.type, lang=True)
        props.add(relationship, edge.props())
        ids.append(attrs["identifier"])
    return ids


def _organizations(model: ET.Element, folders: dict[str, list[str]], relationships: list[str]) -> None:
    root = _sub(model, "organizations")
    for label, ids in [*sorted(folders.items()), ("Relations", relationships)]:
        folder = _sub(root, "item")
        _sub(folder, "label", label, lang=True)
        for identifier in ids:
            _sub(folder, "item", attrs={"identifierRef": identifier})


def archimate_tree(nodes: list[NodeRow], edges: list[EdgeRow], name: str = "ictgraph estate") -> ET.ElementTree:
    """The OEF document: model name, elements, relationships, organisations, property definitions."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    model = ET.Element(f"{{{NS}}}model", {"identifier": _identifier("model", name), f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    _sub(model, "name", name, lang=True)
    _sub(model, "documentation", "Exported by ictgraph from an inventory estate; regenerate rather than edit.", lang=True)
    props = _Properties()
    folders = _elements(model, nodes, props)
    relationships = _relationships(model, edges, props)
    _organizations(model, folders, relationships)
    props.write(model)
    ET.indent(model)
    return ET.ElementTree(model)


def write_archimate(nodes: list[NodeRow], edges: list[EdgeRow], path: Path) -> list[Path]:
    """Write the estate as one OEF XML file."""
    archimate_tree(nodes, edges).write(path, encoding="utf-8", xml_declaration=True)
    return [path]
