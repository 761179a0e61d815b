"""A diff (:func:`queries.diff.diff_graphs`) in words: one sentence a change, grouped by
organisation, in the schema's vocabulary and with the names of things rather than their
keys ("system revs now hosted by Colchester Borough Council's Revenues and benefits (was
NEC Revenues and Benefits, own instance)").

Some changes have a phrasing of their own (a system's move to another product or host, a
contract's new end date, a renaming, a new party); anything else, including labels and
relationship types this module has never heard of, gets the generic sentence: "LABEL KEY
added", "PROPERTY OLD -> NEW", "now RELATIONSHIP OTHER". Pure: names come from the two
graphs, words from schema.yaml."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import networkx as nx

from ictgraph.graph_loader.schema import Schema
from ictgraph.queries.diff import ADDED, REMOVED, belonging_types

__all__ = ["CATALOGUE_GROUP", "describe_changes", "diff_rows", "diff_text"]

CATALOGUE_GROUP = "Catalogue"
_LONG = 60   # text longer than this is cut short in a sentence
Clause = Callable[["_Words", dict[str, Any]], list[str]]


def label_words(label: str) -> str:
    """``DataCentre`` -> ``data centre``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label).lower()


def type_words(rel: str) -> str:
    """``HOSTED_BY`` -> ``hosted by``."""
    return rel.replace("_", " ").lower()


def value_words(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v) for v in value) or "none"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Words:
    """Names and words for one diff: what a node is called, in the newer graph first."""

    def __init__(self, old: nx.MultiDiGraph, new: nx.MultiDiGraph, schema: Schema) -> None:
        self.old, self.new, self.schema = old, new, schema
        self.by_key: dict[str, set[str]] | None = None
        self.to_end = belonging_types(schema)
        self.field_words = {(s.label, f.prop): f.name.replace("_", " ") for s in schema.sections.values()
                            for f in s.fields.values() if s.label and f.prop}
        self.money = {(s.label, f.prop) for s in schema.sections.values() for f in s.fields.values()
                      if s.label and f.prop and f.type == "money"}
        self.mirrored = {(s.label, f.prop) for s in schema.sections.values() for f in s.fields.values()
                         if s.label and f.prop and f.relationship}

    def attrs(self, node: tuple[str, str], newer: bool = True) -> dict[str, Any]:
        graphs = (self.new, self.old) if newer else (self.old, self.new)
        return next((dict(g.nodes[node]) for g in graphs if node in g), {})

    def caption(self, node: tuple[str, str], newer: bool = True) -> str:
        spec = self.schema.labels.get(node[0])
        field = spec.caption if spec and spec.caption else "name"
        graphs = (self.new, self.old) if newer else (self.old, self.new)
        fallback = self.attrs(node, newer).get("local_id") or node[1]
        return next((str(g.nodes[node][field]) for g in graphs if node in g and g.nodes[node].get(field)), fallback)

    def node_of(self, key: str, rel: str, newer: bool = True) -> tuple[str, str]:
        """The node a relationship's other end names (labels are not in the diff: the
        schema's allowed ends say which, and the graph which of them holds the key)."""
        spec = self.schema.relationships.get(rel)
        ends = (spec.starts + spec.ends) if spec else tuple(sorted(self.labels_of(key)))
        graphs = (self.new, self.old) if newer else (self.old, self.new)
        return next(((label, key) for label in ends for g in graphs if (label, key) in g), ("", key))

    def labels_of(self, key: str) -> set[str]:
        """The labels of the nodes keyed ``key``: for a relationship type the schema does not know."""
        if self.by_key is None:
            self.by_key = {}
            for graph in (self.new, self.old):
                for label, node_key in graph.nodes:
                    self.by_key.setdefault(node_key, set()).add(label)
        return self.by_key.get(key, set())

    def name(self, key: str, rel: str, subject_org: str | None, newer: bool = True) -> str:
        """Another node by name; another organisation's item as "ORGANISATION's NAME"."""
        node = self.node_of(key, rel, newer)
        owner = self.attrs(node, newer).get("organisation")
        if owner and owner != subject_org:
            return f"{self.caption(('Organisation', owner), newer)}'s {self.caption(node, newer)}"
        return self.caption(node, newer)

    def subject(self, change: dict[str, Any]) -> str:
        key = change["key"]
        if change["organisation"] and key.startswith(f"{change['organisation']}/"):
            key = key.split("/", 1)[1]
        return f"{label_words(change['label'])} {key}"

    def prop(self, label: str, name: str) -> str:
        return self.field_words.get((label, name), name.replace("_", " "))

    def value(self, node: tuple[str, str], name: str, value: Any, newer: bool = True) -> str:
        """A property's value in words; money with its currency ("£90,000")."""
        if (node[0], name) in self.money and isinstance(value, (int, float)):
            currency = self.attrs(node, newer).get("currency") or self.schema.default_currency
            return f"£{value_words(value)}" if currency == "GBP" else f"{currency} {value_words(value)}"
        if isinstance(value, str) and " " in value:
            return f"“{value if len(value) <= _LONG else value[:_LONG - 1].rstrip() + '…'}”"
        return value_words(value)


# --- phrasings: each takes the change and returns clauses it has said (and removes what it said)


def _system_runs(words: _Words, change: dict[str, Any]) -> list[str]:
    rels = change["relationships"]
    moved = {"HOSTED_BY", "INSTANCE_OF"}
    added = [r for r in rels["added"] if r[0] in moved]
    removed = [r for r in rels["removed"] if r[0] in moved]
    if change["label"] != "System" or not added or change["change"] != "changed":
        return []
    org = change["organisation"]
    now = [f"hosted by {words.name(k, t, org)}" if t == "HOSTED_BY" else f"runs {words.name(k, t, org)}" for t, k in added]
    was = [f"hosted by {words.name(k, t, org, False)}" if t == "HOSTED_BY"
           else f"{words.name(k, t, org, False)}, own instance" for t, k in removed]
    rels["added"] = [r for r in rels["added"] if r not in added]
    rels["removed"] = [r for r in rels["removed"] if r not in removed]
    if "hosted-by-partner" in (change["properties"].get("hosting") or ()):
        change["properties"].pop("hosting")
    return [f"now {' and '.join(now)}" + (f" (was {'; '.join(was)})" if was else "")]


def _renamed(words: _Words, change: dict[str, Any]) -> list[str]:
    spec = words.schema.labels.get(change["label"])
    field = spec.caption if spec and spec.caption else "name"
    if change["change"] != "changed" or field not in change["properties"] or field == "id":
        return []
    old, new = change["properties"].pop(field)
    return [f"renamed from “{value_words(old)}” to “{value_words(new)}”"]


def _end_date(words: _Words, change: dict[str, Any]) -> list[str]:
    old, new = change["properties"].get("end_date") or (None, None)
    if change["label"] != "Contract" or change["change"] != "changed" or old is None or new is None:
        return []
    change["properties"].pop("end_date")
    verb = "extended" if str(new) > str(old) else "brought forward"
    return [f"{verb} from {value_words(old)} to {value_words(new)}"]


def _relationship(words: _Words, change: dict[str, Any]) -> list[str]:
    org, clauses = change["organisation"], []
    for verb, newer, key in (("now", True, ADDED), ("no longer", False, REMOVED)):
        for rel, other in change["relationships"][key]:
            name = words.name(other, rel, org, newer)
            if rel in words.to_end:
                clauses.append(f"{name} {verb} {_PARTIES.get(rel, type_words(rel) + ' it')}")
            else:
                clauses.append(f"{verb} {type_words(rel)} {name}")
    for rel, other, props in change["relationships"]["changed"]:
        said = ", ".join(f"{words.prop('', p)} {value_words(a)} -> {value_words(b)}" for p, (a, b) in props.items())
        clauses.append(f"{type_words(rel)} {words.name(other, rel, org)}: {said}")
    return clauses


def _properties(words: _Words, change: dict[str, Any]) -> list[str]:
    clauses = []
    for name, (old, new) in change["properties"].items():
        if (change["label"], name) in words.mirrored:
            continue
        said, node = words.prop(change["label"], name), (change["label"], change["key"])
        if old is None:
            clauses.append(f"{said} set to {words.value(node, name, new)}")
        elif new is None:
            clauses.append(f"{said} {words.value(node, name, old, False)} removed")
        else:
            clauses.append(f"{said} {words.value(node, name, old, False)} -> {words.value(node, name, new)}")
    return clauses


_CHANGED: tuple[Clause, ...] = (_system_runs, _end_date, _renamed, _properties, _relationship)


_DETAILS = {"INSTANCE_OF": "{}", "HOSTED_BY": "hosted by {}", "WITH": "with {}"}
_PARTIES = {"PARTY_TO": "a party", "MEMBER_OF": "a member"}


def _whole(words: _Words, change: dict[str, Any]) -> str:
    """An added or removed node: what it is, by name, and what it runs or is with."""
    newer = change["change"] == ADDED
    node = (change["label"], change["key"])
    caption = words.caption(node, newer)
    details = [caption] if caption not in (change["key"], words.subject(change).split(" ", 1)[-1]) else []
    for rel, other in change["relationships"][change["change"]]:
        if rel in _DETAILS:
            details.append(_DETAILS[rel].format(words.name(other, rel, change["organisation"], newer)))
    details += [form.format(words.value(node, name, value, newer)) for name, form, value in _whole_values(change, newer)]
    return f"{words.subject(change)} {change['change']}" + (f" ({', '.join(details)})" if details else "")


_WHOLE = {"Organisation": (("type", "{}"), ("population", "population {}")), "System": (("hosting", "{}"),),
          "Contract": (("end_date", "to {}"),)}


def _whole_values(change: dict[str, Any], newer: bool) -> list[tuple[str, str, Any]]:
    values = {name: pair[1 if newer else 0] for name, pair in change["properties"].items()}
    return [(name, form, values[name]) for name, form in _WHOLE.get(change["label"], ()) if values.get(name) is not None]


def describe_change(words: _Words, change: dict[str, Any]) -> str:
    """One change as one sentence."""
    if change["change"] != "changed":
        return _whole(words, change)
    work = {**change, "properties": dict(change["properties"]),
            "relationships": {k: list(v) for k, v in change["relationships"].items()}}
    clauses = [clause for phrase in _CHANGED for clause in phrase(words, work)]
    return f"{words.subject(change)} " + "; ".join(clauses)


def describe_changes(diff: dict[str, Any], old: nx.MultiDiGraph, new: nx.MultiDiGraph,
                     schema: Schema) -> list[tuple[str, str]]:
    """(group, sentence) for each change of ``diff``, in its order; the group is the
    organisation's name, or :data:`CATALOGUE_GROUP`.

    Examples
    --------
    >>> from ictgraph.graph_loader import load_schema
    >>> from ictgraph.queries.diff import diff_graphs
    >>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> for graph, used in ((old, 12), (new, 8)):
    ...     graph.add_node(("Organisation", "o"), id="o", name="Oxbridge Council", source="o.yaml:2")
    ...     graph.add_node(("DataCentre", "o/dc1"), id="o/dc1", organisation="o", racks_used=used)
    >>> describe_changes(diff_graphs(old, new, load_schema()), old, new, load_schema())
    [('Oxbridge Council', 'data centre dc1 racks used 12 -> 8')]
    """
    words = _Words(old, new, schema)
    return [(words.caption(("Organisation", c["organisation"])) if c["organisation"] else CATALOGUE_GROUP,
             describe_change(words, c)) for c in diff["changes"]]


def _counts(summary: dict[str, dict[str, int]]) -> list[str]:
    lines = []
    for label, counts in summary.items():
        said = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        lines.append(f"  {label_words(label)}: {said}")
    return lines


def diff_text(diff: dict[str, Any], old: nx.MultiDiGraph, new: nx.MultiDiGraph, schema: Schema) -> str:
    """The table format: a heading, the sentences under their organisations, the counts."""
    lines = [f"What changed from {diff['from']} to {diff['to']}:"]
    if diff["left_out"]:
        lines.append(f"(a load leaves alone, so not compared: {', '.join(diff['left_out'])})")
    if not diff["changes"]:
        return "\n".join([*lines, "  no change"]) + "\n"
    group = None
    for name, sentence in describe_changes(diff, old, new, schema):
        if name != group:
            lines += ["", name]
            group = name
        lines.append(f"  {sentence}")
    total = len(diff["changes"])
    return "\n".join([*lines, "", f"{total} change{'s' if total != 1 else ''}:", *_counts(diff["summary"])]) + "\n"


def diff_rows(diff: dict[str, Any], old: nx.MultiDiGraph, new: nx.MultiDiGraph,
              schema: Schema) -> tuple[list[str], list[list[Any]]]:
    """The CSV format: one row a change, with its sentence."""
    said = describe_changes(diff, old, new, schema)
    rows = [[c["organisation"], group, c["change"], c["label"], c["key"], sentence]
            for c, (group, sentence) in zip(diff["changes"], said)]
    return ["organisation", "organisation_name", "change", "label", "key", "sentence"], rows
